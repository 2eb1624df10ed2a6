#!/usr/bin/env bash
# What a test run must not leave running: pgbouncer, chromedriver, Chromium (and its crash
# handler) and podpub processes. `make test` lists them before the run and checks after it.
#
#   scripts/leftovers.sh list          print the ones running now, one "pid:start comm" a line
#   scripts/leftovers.sh check BEFORE  fail, naming them, if any not in BEFORE (an earlier `list`)
#                                      is still running after a few seconds
#
# A process that carries another run's PODPUB_TEST_RUN in its environment is that run's, not
# this one's. (Chromium's helpers clear their environment, so they always count.)
set -euo pipefail

names=" pgbouncer chromedriver chromium chromium-browse chrome chrome_crashpad podpub "

# Live processes with one of those names (zombies are dead already: only init has yet to reap
# them). "start" is the start time in clock ticks, so a reused pid is not taken for the old one.
list() {
  local dir pid comm stat rest state start
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    comm=$(cat "$dir/comm" 2>/dev/null) || continue
    [[ "$names" == *" $comm "* ]] || continue
    stat=$(cat "$dir/stat" 2>/dev/null) || continue
    rest=${stat##*) }
    read -r state _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ start _ <<<"$rest"
    [[ "$state" == Z ]] && continue
    echo "$pid:$start $comm"
  done
  return 0
}

ours() {
  local pid=$1 marker
  marker=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | sed -n 's/^PODPUB_TEST_RUN=//p' | head -n1) || true
  [[ -z "$marker" || "$marker" == "${PODPUB_TEST_RUN:-}" ]]
}

new_since() {
  local before=$1 line
  while read -r line; do
    [[ -n "$line" ]] || continue
    grep -qxF "$line" <<<"$before" && continue
    ours "${line%%:*}" && echo "$line"
  done < <(list)
  return 0
}

check() {
  local before=$1 left="" tries
  # Processes killed at the end of the last test may take a moment to go.
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    left=$(new_since "$before")
    [[ -z "$left" ]] && return 0
    sleep 0.5
  done
  echo "leftovers.sh: the test run left these processes running:" >&2
  local line
  while read -r line; do
    ps -o pid=,user=,args= -p "${line%%:*}" >&2 || true
  done <<<"$left"
  echo "leftovers.sh: a test's guard did not stop them (see tests/kit/procs.rs)" >&2
  return 1
}

case "${1:-}" in
  list) list ;;
  check) check "${2-}" ;;
  *) echo "usage: $0 list | check BEFORE" >&2; exit 2 ;;
esac
