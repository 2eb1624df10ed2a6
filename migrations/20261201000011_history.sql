-- The edit history: every change to a show, an episode, a membership or a setting, written in
-- the transaction of the change. Episodes have no foreign key here, so their history outlives
-- the trash (and a purge); a show's history goes only when the show itself is purged. Settings
-- changes have no show. PODPUB_HISTORY_RETENTION_DAYS prunes old entries (jobs::housekeeping).
create table history (
    id bigint generated always as identity primary key,
    show_id uuid references shows (id) on delete cascade,
    episode_id uuid,
    target text not null,
    kind text not null,
    -- What the change was about, in words: a member's email, an episode's title.
    subject text,
    user_id uuid references users (id) on delete set null,
    -- The author's email when they made the change.
    user_email text not null,
    surface text not null,
    -- For an import: the surface that started it.
    via text,
    changes jsonb not null default '[]',
    -- The entry this change reverted.
    reverts bigint,
    at timestamptz not null default now()
);
create index history_show_idx on history (show_id, id desc);
create index history_episode_idx on history (episode_id, id desc) where episode_id is not null;
create index history_at_idx on history (at);
