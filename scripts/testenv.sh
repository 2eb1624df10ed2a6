#!/usr/bin/env bash
# Python test tooling for podpub: a venv with moto, feedparser, podcastparser, ...
#
#   scripts/testenv.sh setup        create/update <repo>/.venv from scripts/requirements-test.txt,
#                                   and install headless Chromium + chromedriver for the browser tests
#   scripts/testenv.sh python       print the venv's python path
#   scripts/testenv.sh moto-start   start moto_server on 127.0.0.1 (or reuse it); prints ONLY its URL
#   scripts/testenv.sh moto-stop    stop it (ok if not running)
set -euo pipefail

# stdout carries only the answer; everything else goes to stderr.
exec 3>&1 1>&2

die() { echo "testenv.sh: $*" >&2; exit 1; }
log() { echo "testenv.sh: $*" >&2; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
venv="$repo/.venv"
py="$venv/bin/python"
req="$repo/scripts/requirements-test.txt"
motodir="$repo/.podpub/moto"

find_python() {
  local c
  for c in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python3.10 python3.9; do
    [[ -n "$c" ]] || continue
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 9))' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

make_venv() {
  local base
  base=$(find_python) || {
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      log "python3 not found; installing it with apt-get"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >&2
      base=$(find_python) || die "python3 still not found"
    else
      die "python3 (>= 3.9) with the venv module is needed, e.g.: sudo apt-get install python3 python3-venv"
    fi
  }
  rm -rf "$venv"
  log "creating $venv with $base"
  if ! "$base" -m venv "$venv" >&2; then
    rm -rf "$venv"
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      local v; v=$("$base" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
      log "python venv module missing; installing python$v-venv with apt-get"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python$v-venv" >&2 \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >&2
      "$base" -m venv "$venv" >&2 || die "python3 -m venv failed"
    else
      die "python3 -m venv failed; install the venv module (e.g. sudo apt-get install python3-venv)"
    fi
  fi
}

do_setup() {
  [[ -f "$req" ]] || die "$req not found"
  # A venv whose base interpreter went away (or moved) is rebuilt.
  if [[ ! -x "$py" ]] || ! "$py" -c 'import sys' >/dev/null 2>&1; then make_venv; fi
  local want have=""
  want=$(sha256sum "$req" | cut -d' ' -f1)
  [[ -f "$venv/.requirements.sha256" ]] && have=$(cat "$venv/.requirements.sha256")
  if [[ "$want" == "$have" ]]; then return 0; fi
  log "installing $(basename "$req") into $venv"
  rm -f "$venv/.requirements.sha256"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$py" -m pip install -q -r "$req" </dev/null >&2 || die "pip install failed"
  echo "$want" >"$venv/.requirements.sha256"
}

# ---------------------------------------------------------------- chromium
# The browser tests (tests/browser) drive headless Chromium through chromedriver. They skip when
# either is missing, except under CI=true, where they fail: so CI machines must get them here.
have_chromium() {
  command -v chromedriver >/dev/null 2>&1 \
    && { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
}

do_chromium() {
  have_chromium && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing chromium and chromium-driver with apt-get (for the browser tests)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2 \
      || die "apt-get install chromium chromium-driver failed"
    have_chromium || die "chromium or chromedriver still missing after apt-get install"
  else
    case "${CI:-}" in
      1|true|TRUE|True|yes) die "CI is set but chromium/chromedriver are missing; install them (e.g. sudo apt-get install chromium chromium-driver)" ;;
    esac
    log "chromium/chromedriver not found: the browser tests will be skipped (sudo apt-get install chromium chromium-driver)"
  fi
}

# ---------------------------------------------------------------- pgbouncer
# tests/api/pgbouncer.rs runs the API and a worker through pgBouncer in session mode. It skips
# when pgbouncer is missing, except under CI=true, where it fails.
do_pgbouncer() {
  command -v pgbouncer >/dev/null 2>&1 || [[ -x /usr/sbin/pgbouncer ]] && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing pgbouncer with apt-get (for the pooling test)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >&2 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >&2; } \
      || die "apt-get install pgbouncer failed"
  else
    case "${CI:-}" in
      1|true|TRUE|True|yes) die "CI is set but pgbouncer is missing; install it (e.g. sudo apt-get install pgbouncer)" ;;
    esac
    log "pgbouncer not found: the pgBouncer test will be skipped (sudo apt-get install pgbouncer)"
  fi
}

# ffmpeg and ffprobe: the upload and probe tests make real MP3, M4A, MP4, PNG and JPEG files.
do_media_tools() {
  "$(dirname "$0")/media-tools.sh" || die "installing ffmpeg failed (scripts/media-tools.sh)"
}

# axe-core, which the browser tour injects to scan every page for accessibility violations.
do_axe() {
  "$(dirname "$0")/axe.sh" >/dev/null || die "fetching axe-core failed (scripts/axe.sh)"
}

# ---------------------------------------------------------------- moto
moto_alive() {  # pid and port files describe a live moto_server?
  local pid port
  pid=$(cat "$motodir/pid" 2>/dev/null || true)
  port=$(cat "$motodir/port" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ && "$port" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q moto_server || return 1
  fi
  moto_pid=$pid moto_port=$port
}

http_ok() {  # does http://127.0.0.1:$1/ answer at all?
  "$py" - "$1" <<'PY' 2>/dev/null
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen("http://127.0.0.1:%s/moto-api/" % sys.argv[1], timeout=1)
except urllib.error.HTTPError:
    pass  # any HTTP answer will do
except Exception:
    sys.exit(1)
PY
}

free_port() {
  "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

do_moto_start() {
  do_setup
  mkdir -p "$motodir"
  if moto_alive && http_ok "$moto_port"; then
    echo "http://127.0.0.1:$moto_port" >&3; return 0
  fi
  do_moto_stop 2>/dev/null || true
  [[ -x "$venv/bin/moto_server" ]] || die "$venv/bin/moto_server missing (is moto[server] in requirements-test.txt?)"
  local attempt port pid i
  for attempt in 1 2 3; do
    port=$(free_port)
    # Detached, in its own session; no fd of ours (e.g. the $(...) pipe) may stay open in it.
    setsid "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$motodir/log" 2>&1 3>&- &
    pid=$!
    echo "$pid" >"$motodir/pid"; echo "$port" >"$motodir/port"
    for ((i = 0; i < 150; i++)); do   # up to ~30 s (first start imports a lot)
      if http_ok "$port"; then
        log "moto_server pid $pid on 127.0.0.1:$port (log: $motodir/log)"
        echo "http://127.0.0.1:$port" >&3
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill "$pid" 2>/dev/null || true
    log "moto_server did not come up on port $port (attempt $attempt):"
    tail -n 15 "$motodir/log" >&2 || true
  done
  rm -f "$motodir/pid" "$motodir/port"
  die "could not start moto_server"
}

do_moto_stop() {
  local moto_pid moto_port
  if moto_alive; then
    kill "$moto_pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$moto_pid" 2>/dev/null || true
    log "moto_server (pid $moto_pid) stopped"
  else
    log "moto_server is not running"
  fi
  rm -f "$motodir/pid" "$motodir/port"
}

case "${1:-}" in
  setup) do_setup; do_chromium; do_pgbouncer; do_media_tools; do_axe ;;
  python)
    [[ -x "$py" ]] || die "no venv yet: run scripts/testenv.sh setup"
    echo "$py" >&3 ;;
  moto-start) do_moto_start ;;
  moto-stop) do_moto_stop ;;
  *) echo "usage: $0 setup|python|moto-start|moto-stop" >&2; exit 2 ;;
esac
