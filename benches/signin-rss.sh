#!/usr/bin/env bash
# Memory of a release `podpub serve` under a burst of parallel sign-ins.
#
#   DATABASE_URL=postgres://user@host:port/postgres benches/signin-rss.sh [PODPUB_BINARY] [N]
#
# Creates a scratch database and one user, raises the sign-in limit so that throttling stops
# none of them, and sends N (default 150) sign-ins with wrong passwords at once. Prints the RSS
# of `serve` before, its peak (VmHWM) and after, and the answers by status. Not part of
# `make test`.
set -euo pipefail

bin=${1:-target/release/podpub}
n=${2:-150}
[[ -n "${DATABASE_URL:-}" ]] || { echo "signin-rss: set DATABASE_URL to an admin URL" >&2; exit 2; }
admin=$DATABASE_URL
base=${admin%/*}
db="podpub_signin_rss_$$"
url="$base/$db"
work=$(mktemp -d)
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  psql -X -q -d "$admin" -c "drop database if exists $db with (force)" || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -X -q -d "$admin" -c "create database $db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="$url" PODPUB_LISTEN="127.0.0.1:$port" PODPUB_PUBLISH_URL="file://$work/public"
export RUST_LOG=warn
"$bin" migrate >/dev/null
echo "long enough password" | "$bin" user create --email rss@example.com --password-stdin >/dev/null
psql -X -q -d "$url" -c "update ui_settings set login_max_failures = 1000"
"$bin" serve --no-worker >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

page=$(curl -fs -c "$work/jar" "http://127.0.0.1:$port/login")
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' <<<"$page" | head -n1 | sed 's/.*value="//; s/"//')
rss() { awk -v k="$1:" '$1 == k { print int($2 / 1024) " MB" }' "/proc/$pid/status"; }
echo "binary: $bin"
echo "rss before:  $(rss VmRSS)"
seq "$n" | xargs -P "$n" -I{} curl -s -o /dev/null -w '%{http_code}\n' -b "$work/jar" \
  --data-urlencode "csrf=$csrf" --data-urlencode "email=rss@example.com" \
  --data-urlencode "password=wrong {}" "http://127.0.0.1:$port/login" >"$work/codes"
echo "rss peak:    $(rss VmHWM)"
echo "rss after:   $(rss VmRSS)"
echo "answers:     $(sort "$work/codes" | uniq -c | awk '{ printf "%s x %s  ", $1, $2 }')"
echo
