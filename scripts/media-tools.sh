#!/usr/bin/env bash
# Installs ffmpeg (with ffprobe), which the probe tests use to generate their media samples.
# Idempotent and silent when it is already there; runs apt-get update only if a plain install fails.
set -eu

have() { command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; }
have && exit 0

export DEBIAN_FRONTEND=noninteractive
apt_install() { apt-get install -y -q --no-install-recommends ffmpeg >/dev/null; }
if ! apt_install 2>/dev/null; then
    apt-get update -q >/dev/null
    apt_install
fi
have || { echo "media-tools: ffmpeg is still missing after installing it" >&2; exit 1; }
