#!/usr/bin/env bash
# After the tests: `make run` must find the binary they built. It builds without the
# dev-dependencies, so a feature that only they turn on in a shared crate makes Cargo compile
# that crate, and podpub, again (see the `cfg(all())` table in Cargo.toml). This runs that build
# and fails, naming what it compiled, if it compiled anything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

py=$(command -v python3 || command -v python)
compiled=$(SQLX_OFFLINE=true cargo build --message-format=json 2>/dev/null | "$py" -c '
import json, sys
for line in sys.stdin:
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    if msg.get("reason") == "compiler-artifact" and not msg.get("fresh", True):
        print(msg["target"]["name"])
')
if [[ -n "$compiled" ]]; then
  echo "check-build-reuse: cargo build after the tests compiled again (make run would wait for it):" >&2
  echo "$compiled" | sed 's/^/  /' >&2
  echo "check-build-reuse: turn those crates' test-build features on in Cargo.toml's cfg(all()) table" >&2
  exit 1
fi
echo "check-build-reuse: cargo build after the tests compiles nothing"
