#!/usr/bin/env bash
# Private PostgreSQL clusters for development and tests.
#
#   scripts/pg.sh start  [NAME]   start (or reuse) cluster NAME; prints ONLY its URL on stdout
#   scripts/pg.sh url    [NAME]   print the URL (of the running cluster, or the one it would get)
#   scripts/pg.sh status [NAME]   exit 0 when running, 3 when not
#   scripts/pg.sh stop   [NAME]   stop it (ok if not running)
#   scripts/pg.sh destroy [NAME]  stop it and delete its data
#   scripts/pg.sh prune  [NAME]   drop the test databases of run $PODPUB_TEST_RUN (see tests/kit/db.rs),
#                                 and any test database idle and over an hour old (start does too)
#
# NAME defaults to "run" (used by `make run`, data persists); `make test` uses "test"
# (fsync off etc.). If DATABASE_URL is set, `start` and `url` just print it.
#
# Environment: DATABASE_URL, PODPUB_PG_PORT (port to use instead of the per-name default),
# TMPDIR (where the data goes when the postgres user can't reach the checkout).
set -euo pipefail

# stdout is reserved for the URL; everything else goes to stderr.
exec 3>&1 1>&2

die() { echo "pg.sh: $*" >&2; exit 1; }
log() { echo "pg.sh: $*" >&2; }

cmd=${1:-}
name=${2:-run}
case "$cmd" in
  start|stop|url|status|destroy|prune) ;;
  *) echo "usage: $0 start|stop|url|status|destroy|prune [NAME]" >&2; exit 2 ;;
esac
[[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || die "bad cluster name: $name"

if [[ -n "${DATABASE_URL:-}" && ( "$cmd" == start || "$cmd" == url ) ]]; then
  printf '%s\n' "$DATABASE_URL" >&3
  exit 0
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
repo_hash=$(printf '%s' "$repo" | sha256sum | cut -c1-10)
is_root=0; [[ $(id -u) -eq 0 ]] && is_root=1

case "$name" in
  run) default_port=5544 ;;
  test) default_port=5545 ;;
  *) default_port=$(( 5546 + $(printf '%s' "$name" | cksum | cut -d' ' -f1) % 400 )) ;;
esac

# ---------------------------------------------------------------- binaries
bindir=""
find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
  fi
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
  if command -v initdb >/dev/null 2>&1; then
    d=$(dirname "$(readlink -f "$(command -v initdb)")")
    if [[ -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
  fi
  return 1
}

install_hint() {
  if command -v apt-get >/dev/null 2>&1; then echo "sudo apt-get install postgresql"
  elif command -v dnf >/dev/null 2>&1; then echo "sudo dnf install postgresql-server postgresql"
  elif command -v apk >/dev/null 2>&1; then echo "sudo apk add postgresql postgresql-client"
  elif command -v pacman >/dev/null 2>&1; then echo "sudo pacman -S postgresql"
  elif command -v brew >/dev/null 2>&1; then echo "brew install postgresql@16"
  else echo "PostgreSQL (server binaries initdb, pg_ctl, postgres, and psql) from your package manager"
  fi
}

need_bindir() {
  if bindir=$(find_bindir); then return 0; fi
  if [[ $is_root -eq 1 ]] && command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL not found; installing it with apt-get (this takes a minute)"
    apt-get update -qq >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2 \
      || die "apt-get install postgresql failed"
    bindir=$(find_bindir) || die "postgresql installed but initdb/pg_ctl still not found"
    return 0
  fi
  echo "pg.sh: PostgreSQL server binaries (initdb, pg_ctl) not found." >&2
  echo "pg.sh: install them, e.g.:  $(install_hint)" >&2
  echo "pg.sh: or set DATABASE_URL to an existing database (the role needs CREATEDB)." >&2
  exit 1
}

psql_bin() {
  [[ -n "$bindir" ]] || bindir=$(find_bindir) || bindir=""
  if [[ -n "$bindir" && -x "$bindir/psql" ]]; then echo "$bindir/psql"
  elif command -v psql >/dev/null 2>&1; then command -v psql
  else die "psql not found (install the postgresql client)"
  fi
}

# ---------------------------------------------------------------- who runs postgres
pg_user=""
if [[ $is_root -eq 1 ]]; then
  if id postgres >/dev/null 2>&1; then pg_user=postgres
  elif id podpub-pg >/dev/null 2>&1; then pg_user=podpub-pg
  fi
fi

ensure_pg_user() {
  [[ $is_root -eq 1 && -z "$pg_user" ]] || return 0
  if id postgres >/dev/null 2>&1; then pg_user=postgres; return 0; fi  # e.g. just installed
  log "creating system user podpub-pg to run PostgreSQL (it refuses to run as root)"
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin podpub-pg >&2 \
    || die "could not create user podpub-pg"
  pg_user=podpub-pg
}

# Run a command as the user that owns the cluster, from a directory it can read.
# File descriptors other than 0-2 are closed: the postmaster must not inherit our lock,
# the fd behind $(pg.sh start), or any pipe of the caller (that would hang the caller).
as_pg() {
  (
    local f fd
    for f in /proc/$BASHPID/fd/*; do
      fd=${f##*/}
      if [[ "$fd" =~ ^[0-9]+$ ]] && (( fd > 2 && fd < 255 )); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    [[ -d /proc/$BASHPID/fd ]] || exec 3>&- 8>&-
    as_pg_inner "$@"
  )
}
as_pg_inner() {
  if [[ $is_root -eq 1 ]]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd / && runuser -u "$pg_user" -- "$@")
    else
      local q; q=$(printf '%q ' "$@")
      (cd / && su -s /bin/sh "$pg_user" -c "$q")
    fi
  else
    "$@"
  fi
}

# ---------------------------------------------------------------- data directory
# Can the postgres user traverse into $1 (which must exist)?
pg_can_reach() {
  [[ $is_root -eq 1 ]] || return 0
  [[ -n "$pg_user" ]] || return 1
  as_pg test -x "$1" 2>/dev/null
}

tmp_base() {
  local t=${TMPDIR:-/tmp}
  if [[ ! -d "$t" ]] || ! pg_can_reach "$t"; then t=/tmp; fi
  echo "${t%/}"
}

choose_datadir() {
  local in_repo="$repo/.podpub/pg-$name"
  local tmp; tmp="$(tmp_base)/podpub-pg-$repo_hash-$name"
  if [[ $is_root -eq 0 ]]; then echo "$in_repo"; return; fi
  # An existing cluster wins (keeps `url`/`stop` consistent with `start`).
  if [[ -f "$in_repo/PG_VERSION" ]] && pg_can_reach "$in_repo/.."; then echo "$in_repo"; return; fi
  if [[ -f "$tmp/PG_VERSION" ]]; then echo "$tmp"; return; fi
  if [[ -z "$pg_user" ]]; then echo "$in_repo"; return; fi  # decided later, after the user exists
  mkdir -p "$repo/.podpub" 2>/dev/null || true
  chmod a+x "$repo/.podpub" 2>/dev/null || true
  if [[ -d "$repo/.podpub" ]] && pg_can_reach "$repo/.podpub"; then echo "$in_repo"; else echo "$tmp"; fi
}

datadir=$(choose_datadir)
portfile="$datadir/podpub.port"

# Is there a live postmaster for $datadir? Sets pid and port.
pid="" port=""
read_pidfile() {
  pid="" port=""
  local f="$datadir/postmaster.pid"
  [[ -r "$f" ]] || return 1
  pid=$(sed -n 1p "$f" 2>/dev/null || true)
  port=$(sed -n 4p "$f" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ && "$port" =~ ^[0-9]+$ ]]
}

is_running() {
  read_pidfile || return 1
  [[ -r "/proc/$pid/cmdline" ]] || { kill -0 "$pid" 2>/dev/null || return 1; return 0; }
  # The pid may have been reused after a reboot: check it really is our postmaster.
  local cl; cl=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  [[ "$cl" == *postgres* && "$cl" == *"$datadir"* ]]
}

port_in_use() {  # something accepts TCP connections on 127.0.0.1:$1
  if (exec 9<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]] && return 0
  fi
  return 1
}

free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null && return 0
  fi
  local p
  for ((p = 20000 + RANDOM % 20000; p < 65000; p++)); do
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

wanted_port() {
  if [[ -n "${PODPUB_PG_PORT:-}" ]]; then echo "$PODPUB_PG_PORT"
  elif [[ -r "$portfile" ]] && [[ $(cat "$portfile") =~ ^[0-9]+$ ]]; then cat "$portfile"
  else echo "$default_port"
  fi
}

url_for() { echo "postgres://podpub@127.0.0.1:$1/podpub"; }

sockdir_opt() {
  # Unix socket paths are limited to ~107 bytes; without room, run TCP-only.
  if (( ${#datadir} + 20 < 100 )); then echo "-k '$datadir'"; else echo "-k ''"; fi
}

show_log() {
  if [[ -r "$datadir/log" ]]; then
    echo "---- tail of $datadir/log ----" >&2
    tail -n 25 "$datadir/log" >&2 || true
    echo "------------------------------" >&2
  fi
}

# ---------------------------------------------------------------- steps
init_cluster() {
  if [[ -f "$datadir/PG_VERSION" ]]; then
    local have want
    have=$(cat "$datadir/PG_VERSION")
    want=$("$bindir/pg_ctl" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)?.*/\1/')
    [[ "$have" == "$want" ]] && return 0
    if [[ "$name" == test ]]; then
      log "cluster $datadir is PostgreSQL $have, binaries are $want: recreating it"
      rm -rf "$datadir"
    else
      die "cluster $datadir was made by PostgreSQL $have but the binaries are $want; dump it and run '$0 destroy $name', or point pg_config/PATH at PostgreSQL $have"
    fi
  fi
  # A half-made directory (initdb interrupted): start over.
  rm -rf "$datadir"
  mkdir -p "$(dirname "$datadir")"
  mkdir -m 700 "$datadir"
  if [[ $is_root -eq 1 ]]; then chown "$pg_user:" "$datadir"; fi
  as_pg test -w "$datadir" || die "$pg_user cannot write $datadir"
  log "initializing cluster '$name' in $datadir"
  local out
  if ! out=$(as_pg "$bindir/initdb" -D "$datadir" --auth=trust --username=postgres -E UTF8 --locale=C.UTF-8 2>&1); then
    log "initdb with locale C.UTF-8 failed; retrying with --no-locale"
    find "$datadir" -mindepth 1 -delete
    out=$(as_pg "$bindir/initdb" -D "$datadir" --auth=trust --username=postgres -E UTF8 --no-locale 2>&1) \
      || { echo "$out" >&2; die "initdb failed"; }
  fi
  {
    echo ""
    echo "# ---- podpub ($0) ----"
    echo "listen_addresses = '127.0.0.1'"
    echo "max_connections = 200"
    if [[ "$name" == test ]]; then
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >>"$datadir/postgresql.conf"
}

start_postmaster() {
  local p=$1
  # A postmaster.pid left by a machine that went down, whose pid now belongs to someone else.
  if [[ -f "$datadir/postmaster.pid" ]] && ! is_running; then
    log "removing stale $datadir/postmaster.pid"
    rm -f "$datadir/postmaster.pid" "$datadir"/.s.PGSQL.*.lock 2>/dev/null || true
  fi
  as_pg "$bindir/pg_ctl" -D "$datadir" -l "$datadir/log" -w -t 60 \
    -o "-p $p $(sockdir_opt) -h 127.0.0.1" start >/dev/null 2>"$datadir.pgctl.err" || return 1
}

ensure_role_db() {
  local psql; psql=$(psql_bin)
  local q=("$psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -tA)
  local ok
  ok=$(PGCONNECT_TIMEOUT=10 "${q[@]}" -c "select count(*) from pg_roles where rolname='podpub' and rolsuper and rolcanlogin; select count(*) from pg_database where datname='podpub'" 2>&1) \
    || { echo "$ok" >&2; die "cannot connect to the cluster on port $port"; }
  if [[ "$(echo $ok)" == "1 1" ]]; then return 0; fi
  "${q[@]}" >/dev/null <<'SQL' || die "could not create role/database podpub"
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'podpub') THEN
    CREATE ROLE podpub LOGIN SUPERUSER;
  ELSE
    ALTER ROLE podpub LOGIN SUPERUSER;
  END IF;
END $$;
SQL
  if [[ -z "$("${q[@]}" -c "select 1 from pg_database where datname='podpub'")" ]]; then
    "${q[@]}" -c "create database podpub owner podpub" >/dev/null || die "could not create database podpub"
  fi
}

do_start() {
  if is_running; then
    ensure_role_db
    if [[ -n "${PODPUB_PG_PORT:-}" && "$PODPUB_PG_PORT" != "$port" ]]; then
      log "note: cluster '$name' is already running on port $port (PODPUB_PG_PORT=$PODPUB_PG_PORT ignored; stop it first)"
    fi
    url_for "$port" >&3
    return 0
  fi
  need_bindir
  if [[ $is_root -eq 1 && -z "$pg_user" ]]; then
    ensure_pg_user
    datadir=$(choose_datadir); portfile="$datadir/podpub.port"
  fi
  init_cluster

  local p; p=$(wanted_port)
  if port_in_use "$p"; then
    if [[ -n "${PODPUB_PG_PORT:-}" ]]; then die "PODPUB_PG_PORT=$p is already in use"; fi
    local np; np=$(free_port)
    log "port $p is taken by something else; using $np for cluster '$name'"
    p=$np
  fi
  if ! start_postmaster "$p"; then
    if [[ -z "${PODPUB_PG_PORT:-}" ]] && grep -q "could not bind\|could not create any TCP/IP sockets\|Address already in use" "$datadir/log" 2>/dev/null; then
      p=$(free_port)
      log "port was taken while starting; retrying on $p"
      start_postmaster "$p" || { cat "$datadir.pgctl.err" >&2 || true; show_log; die "could not start cluster '$name'"; }
    else
      cat "$datadir.pgctl.err" >&2 || true; show_log; die "could not start cluster '$name'"
    fi
  fi
  rm -f "$datadir.pgctl.err"
  if [[ "$p" != "$default_port" && -z "${PODPUB_PG_PORT:-}" ]]; then
    echo "$p" >"$portfile"
  elif [[ -z "${PODPUB_PG_PORT:-}" ]]; then
    rm -f "$portfile"
  fi
  read_pidfile || true
  port=${port:-$p}
  log "cluster '$name' running on 127.0.0.1:$port (data: $datadir)"
  ensure_role_db
  url_for "$port" >&3
}

do_stop() {
  if ! is_running; then log "cluster '$name' is not running"; return 0; fi
  need_bindir
  as_pg "$bindir/pg_ctl" -D "$datadir" -m fast -w -t 60 stop >&2 || { show_log; die "could not stop cluster '$name'"; }
}

# PODPUB_TEST_RUN as it appears in the names of the run's test databases.
run_tag() { printf '%s' "${PODPUB_TEST_RUN:-}" | tr -c 'A-Za-z0-9' '_' | tr 'A-Z' 'a-z'; }

psql_admin() { "$(psql_bin)" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -tA "$@"; }

# Test databases nobody is connected to that were made over an hour ago: what test runs
# outside `make test` (which prunes its own) leave behind, a few MB each, thousands a day.
prune_stale() {
  local dbs n=0
  dbs=$(psql_admin -c "select d.datname from pg_database d
      where d.datname like 'podpub\_test\_%'
        and not exists (select 1 from pg_stat_activity a where a.datid = d.oid)
        and (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification < now() - interval '1 hour'") || return 0
  for db in $dbs; do
    psql_admin -c "drop database if exists \"$db\"" >/dev/null 2>&1 && n=$((n + 1))
  done
  [[ $n -eq 0 ]] || log "dropped $n stale test databases"
}

lock() {
  command -v flock >/dev/null 2>&1 || return 0
  local lf="$datadir.lck"
  mkdir -p "$(dirname "$lf")" 2>/dev/null || return 0
  exec 8>"$lf" || return 0
  flock -w 120 8 || die "timed out waiting for another pg.sh on cluster '$name'"
}

case "$cmd" in
  start)
    lock
    do_start
    prune_stale
    ;;
  url)
    if is_running; then url_for "$port" >&3
    else log "cluster '$name' is not running (start it with: $0 start $name)"; url_for "$(wanted_port)" >&3
    fi
    ;;
  status)
    [[ -n "${DATABASE_URL:-}" ]] && log "note: DATABASE_URL is set; start/url use it, not this cluster"
    if is_running; then echo "cluster '$name': running, pid $pid, $(url_for "$port"), data $datadir" >&3; exit 0
    else echo "cluster '$name': stopped, data $datadir" >&3; exit 3
    fi
    ;;
  stop)
    lock
    do_stop
    ;;
  prune)
    # Each test clones a database of its own; a run drops its clones when it ends, so that a
    # developer's cluster does not grow by a few GB a run. Without PODPUB_TEST_RUN (a bare
    # `cargo nextest run`), only the stale ones go.
    is_running || exit 0
    tag=$(run_tag)
    if [[ -n "$tag" ]]; then
      for db in $(psql_admin -c "select datname from pg_database where starts_with(datname, 'podpub_test_${tag}_')"); do
        psql_admin -c "drop database if exists \"$db\" with (force)" >/dev/null || log "could not drop $db"
      done
    fi
    prune_stale
    ;;
  destroy)
    lock
    do_stop
    log "deleting $datadir"
    rm -rf "$datadir" "$datadir.pgctl.err" "$datadir.lck"
    ;;
esac
