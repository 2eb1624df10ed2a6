#!/usr/bin/env bash
# Times `podpub import --file` of a generated feed of N episodes (default 7000) into a fresh
# database: the whole store (show, episodes, history, jobs) in one transaction, as a move-in
# of a large back catalogue does. Run from the checkout, with DATABASE_URL naming a Postgres
# whose user may create databases (e.g. after `source scripts/testenv.sh`), and a built
# podpub (PODPUB_BIN, default target/debug/podpub):
#   cargo build && benches/import-store.sh 7000
set -euo pipefail
n=${1:-7000}
bin=${PODPUB_BIN:-${CARGO_TARGET_DIR:-target}/debug/podpub}
admin_url=${DATABASE_URL:?set DATABASE_URL to a Postgres URL whose user may create databases}
db=podpub_bench_import_$$
url="${admin_url%/*}/$db"
work=$(mktemp -d)
cleanup() {
  psql -X -q -d "$admin_url" -c "drop database if exists $db with (force)" || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -X -q -d "$admin_url" -c "create database $db"
python3 - "$n" >"$work/feed.xml" <<'PY'
import sys
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
n = int(sys.argv[1])
start = datetime(2010, 1, 4, 6, tzinfo=timezone.utc)
out = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">',
       '<channel><title>Bench Back Catalogue</title><link>https://example.com/</link>',
       '<description>A show with a long history.</description><language>en</language>',
       '<itunes:author>Bench</itunes:author><itunes:category text="Technology"/>']
for i in range(n):
    at = format_datetime(start + timedelta(days=i))
    out.append(f'<item><title>Episode {i + 1}: on feeds and friends</title>'
               f'<guid isPermaLink="false">bench-{i}</guid><pubDate>{at}</pubDate>'
               f'<description>Notes for episode {i + 1}, with a few words about it.</description>'
               f'<enclosure url="https://cdn.example.com/ep{i}.mp3" length="{1000000 + i}" type="audio/mpeg"/>'
               f'<itunes:duration>{1800 + i}</itunes:duration><itunes:episode>{i + 1}</itunes:episode></item>')
out.append('</channel></rss>')
print('\n'.join(out))
PY
export DATABASE_URL="$url" PODPUB_PUBLISH_URL="file://$work/public"
"$bin" user create --email bench@example.com --admin >/dev/null
echo "import-store: $n episodes, $(du -k "$work/feed.xml" | cut -f1) KiB feed, $bin"
start=$(date +%s.%N)
"$bin" import --file "$work/feed.xml" --owner bench@example.com >/dev/null
end=$(date +%s.%N)
rows=$(psql -X -Atq -d "$url" -c "select count(*) from history")
printf 'import-store: stored in %.2f s (%s history rows)\n' "$(echo "$end - $start" | bc)" "$rows"
