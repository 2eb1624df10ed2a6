#!/usr/bin/env bash
# Fetches axe-core (the npm package, pinned and checked against the registry's sha512) for the
# browser tests' accessibility scan (tests/browser/tour.rs), and prints the path of axe.min.js.
#
#   scripts/axe.sh            install if missing; print the path on stdout
#
# Only the registry's tarball is needed, so neither node nor npm has to be installed.
set -euo pipefail
exec 3>&1 1>&2

version=4.14.1
integrity="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
url="https://registry.npmjs.org/axe-core/-/axe-core-$version.tgz"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
dir="$repo/.podpub/axe"
out="$dir/axe-$version.min.js"
if [[ -s "$out" ]]; then echo "$out" >&3; exit 0; fi

mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if command -v curl >/dev/null 2>&1; then
  curl -fsSL --retry 3 -o "$tmp/axe.tgz" "$url"
else
  python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$url" "$tmp/axe.tgz"
fi
got="sha512-$(openssl dgst -sha512 -binary "$tmp/axe.tgz" 2>/dev/null | base64 -w0 \
  || python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tmp/axe.tgz")"
if [[ "$got" != "$integrity" ]]; then
  echo "axe.sh: $url does not match its pinned sha512 (got $got)" >&2
  exit 1
fi
tar -xzf "$tmp/axe.tgz" -C "$tmp" package/axe.min.js
mv "$tmp/package/axe.min.js" "$out"
echo "axe.sh: axe-core $version in $out" >&2
echo "$out" >&3
