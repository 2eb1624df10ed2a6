-- Feed history: every feed document a publish uploaded (the main feed and archive pages), kept
-- byte for byte (gzip) beside the publication that recorded it. Housekeeping prunes what is past
-- both PODPUB_FEED_HISTORY_MIN_VERSIONS and PODPUB_FEED_HISTORY_DAYS.
create table feed_versions (
    id bigint generated always as identity primary key,
    show_id uuid not null references shows (id) on delete cascade,
    key text not null,
    kind text not null check (kind in ('feed', 'archive')),
    revision bigint not null,
    published_at timestamptz not null,
    bytes bigint not null,
    sha256 text not null,
    body_gzip bytea not null
);
create index feed_versions_show_idx on feed_versions (show_id, id desc);
