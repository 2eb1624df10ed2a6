-- Uploaded media: one row per upload, from its signed URLs to the probe's verdict. Objects are
-- immutable (a new upload is a new key); whether one is in use is read from the episodes' and
-- shows' URLs, and `unused_since` says since when nothing has used it, for the sweep.
create table media (
    id uuid primary key,
    show_id uuid not null references shows (id) on delete cascade,
    purpose text not null check (purpose in ('episode_media', 'episode_artwork', 'show_artwork')),
    -- The episode to fill in once probed; no foreign key, as a trashed episode changes tables.
    episode_id uuid,
    key text not null,
    file_name text not null,
    declared_type text not null,
    declared_length bigint not null check (declared_length > 0),
    state text not null check (state in ('uploading', 'probing', 'ready', 'refused')),
    upload_id text,
    part_bytes bigint check (part_bytes > 0),
    expires_at timestamptz not null,
    source_url text,
    facts jsonb,
    warnings jsonb not null default '[]',
    error_code text,
    error_message text,
    unused_since timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index media_key_key on media (key);
create index media_show_idx on media (show_id, created_at desc);
create index media_uploading_idx on media (expires_at) where state = 'uploading';
-- "Copy media": one copy of each file an episode (or the show) names.
create unique index media_copy_key on media (show_id, coalesce(episode_id, show_id), purpose)
    where source_url is not null and state <> 'refused';
