# podpub build entry points. `make run` for a local instance, `make test` for the whole suite.
# Every recipe runs as one bash script (.ONESHELL) with -eu -o pipefail.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

PODPUB := target/debug/podpub

.PHONY: help run test bench lint sqlx-prepare clean distclean

help:
	@echo "make run           Postgres + web UI/API (http://127.0.0.1:8080) + CDN stand-in (http://127.0.0.1:8081)"
	echo "make test          install and start what the tests need (Postgres, moto, Python venv), then run them"
	echo "make bench         criterion benchmarks, with the same environment as the tests"
	echo "make lint          the layers check, cargo fmt --check and clippy -D warnings"
	echo "make sqlx-prepare  regenerate the .sqlx/ offline query data (after changing a query or migration)"
	echo "make clean         cargo clean, stop Postgres clusters and moto, remove .podpub/public"
	echo "make distclean     clean, then delete the clusters' data, .venv and .podpub"

# The compiled-in queries always use the committed .sqlx/ data (SQLX_OFFLINE=true): the database
# is not migrated yet when we build, and a DATABASE_URL in the environment must not change that.
run:
	@DATABASE_URL=$$(scripts/pg.sh start run)
	export DATABASE_URL
	SQLX_OFFLINE=true cargo build
	$(PODPUB) migrate
	edge_pid=""
	stop_edge() {
	  if [[ -n "$$edge_pid" ]]; then kill "$$edge_pid" 2>/dev/null || true; wait "$$edge_pid" 2>/dev/null || true; fi
	}
	trap stop_edge EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	$(PODPUB) edge &
	edge_pid=$$!
	sleep 0.5
	kill -0 "$$edge_pid" 2>/dev/null || { echo "make run: podpub edge exited at start (see above)" >&2; exit 1; }
	listen=$${PODPUB_LISTEN:-127.0.0.1:8080}
	edge_listen=$${PODPUB_EDGE_LISTEN:-127.0.0.1:8081}
	echo
	echo "podpub"
	echo "  web UI + API   http://$$listen/   (podpub serve, with an in-process worker; first visit: /setup)"
	echo "  feeds (edge)   http://$$edge_listen/<slug>/feed.xml"
	echo "  database       $$DATABASE_URL"
	echo "Create an admin and an API token from another terminal:"
	echo '  export DATABASE_URL=$$(scripts/pg.sh url run)'
	echo "  $(PODPUB) user create --email you@example.com --admin"
	echo "  $(PODPUB) token create --email you@example.com"
	echo "Ctrl-C stops both servers (Postgres keeps running; 'scripts/pg.sh stop run' stops it)."
	echo
	$(PODPUB) serve

# Shared by test and bench: Python venv, the test cluster, moto. Stops moto on exit (and the
# cluster when CI is set), keeping the exit status of the run.
define TEST_ENV
scripts/testenv.sh setup
DATABASE_URL=$$(scripts/pg.sh start test)
export DATABASE_URL
finish() {
  local rc=$$?
  scripts/testenv.sh moto-stop || true
  case "$${CI:-}" in
    1|true|TRUE|True|yes) scripts/pg.sh destroy test || true ;;
  esac
  exit "$$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
PODPUB_TEST_MOTO_URL=$$(scripts/testenv.sh moto-start)
export PODPUB_TEST_MOTO_URL
PODPUB_TEST_PYTHON=$$(scripts/testenv.sh python)
export PODPUB_TEST_PYTHON
PODPUB_TEST_AXE=$$(scripts/axe.sh)
export PODPUB_TEST_AXE
# moto accepts any credentials; these keep the AWS SDK from probing for real ones.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
endef

# After the run, pass or fail, no pgbouncer, chromedriver, Chromium or podpub that it started
# may be left running (scripts/leftovers.sh): each test's guard must have stopped its processes.
# And `make run` must find the build ready (scripts/check-build-reuse.sh).
test:
	@python3 scripts/check-layers.py
	$(TEST_ENV)
	PODPUB_TEST_RUN=$$(date +%s)-$$$$
	export PODPUB_TEST_RUN
	before=$$(scripts/leftovers.sh list)
	rc=0
	if cargo nextest --version >/dev/null 2>&1; then
	  SQLX_OFFLINE=true cargo nextest run --all-targets || rc=$$?
	else
	  SQLX_OFFLINE=true cargo test --all-targets || rc=$$?
	fi
	scripts/leftovers.sh check "$$before" || rc=1
	scripts/pg.sh prune test || rc=1
	scripts/check-build-reuse.sh || rc=1
	exit "$$rc"

bench:
	@$(TEST_ENV)
	SQLX_OFFLINE=true cargo bench --bench feed_sizes
	SQLX_OFFLINE=true cargo bench --bench render
	SQLX_OFFLINE=true cargo bench --bench import
	SQLX_OFFLINE=true cargo bench --bench show_e2e
	SQLX_OFFLINE=true cargo bench --bench copy_media
	SQLX_OFFLINE=true cargo build --release --bin podpub && SQLX_OFFLINE=true cargo bench --bench refresh
	PODPUB_BIN=$${CARGO_TARGET_DIR:-target}/release/podpub benches/import-store.sh 7000
	SQLX_OFFLINE=true cargo bench --bench media
	command -v wrk >/dev/null || { apt-get install -y -q wrk || sudo apt-get install -y -q wrk; }
	SQLX_OFFLINE=true cargo bench --bench load

lint:
	python3 scripts/check-layers.py
	cargo fmt --check
	SQLX_OFFLINE=true cargo clippy --all-targets -- -D warnings

# Builds every target online against a scratch database `podpub_sqlx` (PODPUB_SQLX_DB; dropped, recreated and
# migrated with psql each time, so no migration bookkeeping is needed); the sqlx macros write one
# query-*.json per query into SQLX_OFFLINE_DIR. .sqlx/ is replaced only when the build succeeds.
sqlx-prepare:
	@mkdir -p .podpub; exec 9>.podpub/sqlx-prepare.lock; flock 9  # two runs at once would delete each other's output
	admin_url=$$(scripts/pg.sh start dev)
	query=""
	if [[ "$$admin_url" == *\?* ]]; then query="?$${admin_url#*\?}"; fi
	base=$${admin_url%%\?*}
	db=$${PODPUB_SQLX_DB:-podpub_sqlx}
	url="$${base%/*}/$$db$$query"
	psql=$$(command -v psql || ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n1)
	[[ -n "$$psql" ]] || { echo "sqlx-prepare: psql not found (install the PostgreSQL client)" >&2; exit 1; }
	"$$psql" -X -q -v ON_ERROR_STOP=1 -d "$$admin_url" -c "drop database if exists $$db with (force)"
	"$$psql" -X -q -v ON_ERROR_STOP=1 -d "$$admin_url" -c "create database $$db"
	for f in migrations/*.sql; do
	  [[ "$$f" == *.down.sql ]] && continue
	  echo "sqlx-prepare: applying $$f"
	  if head -n1 "$$f" | grep -q '^-- no-transaction'; then one=(); else one=(--single-transaction); fi
	  "$$psql" -X -q -v ON_ERROR_STOP=1 "$${one[@]}" -d "$$url" -f "$$f" >/dev/null
	done
	rm -rf .sqlx.new
	mkdir .sqlx.new
	# The macros only run when the crate recompiles; the env vars below are not tracked by cargo.
	cargo clean -p podpub
	SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$$(pwd)/.sqlx.new" DATABASE_URL="$$url" cargo build --all-targets
	rm -rf .sqlx
	mv .sqlx.new .sqlx
	echo "sqlx-prepare: wrote $$(ls .sqlx | wc -l) queries to .sqlx/ (commit them)"

clean:
	cargo clean
	scripts/pg.sh stop run || true
	scripts/pg.sh stop test || true
	scripts/pg.sh stop dev || true
	scripts/testenv.sh moto-stop || true
	rm -rf .podpub/public .sqlx.new

distclean: clean
	scripts/pg.sh destroy run || true
	scripts/pg.sh destroy test || true
	scripts/pg.sh destroy dev || true
	rm -rf .venv .podpub
