-- Accounts, shows, episodes, the job queue and what has been published.

create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null,
    password_hash text,
    is_admin boolean not null default false,
    disabled boolean not null default false,
    created_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

create table api_tokens (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id) on delete cascade,
    name text not null default '',
    token_hash bytea not null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz
);
create unique index api_tokens_hash_key on api_tokens (token_hash);

create table shows (
    id uuid primary key default gen_random_uuid(),
    slug text not null,
    title text not null,
    description text not null default '',
    author text,
    owner_name text,
    owner_email text,
    language text not null default 'en',
    categories jsonb not null default '[]',
    explicit boolean not null default false,
    show_type text not null default 'episodic' check (show_type in ('episodic', 'serial')),
    image_url text,
    link text,
    copyright text,
    locked boolean not null default false,
    complete boolean not null default false,
    block boolean not null default false,
    funding jsonb not null default '[]',
    podcast_guid uuid not null,
    status text not null default 'active' check (status in ('active', 'moving', 'moved', 'deleted')),
    new_feed_url text,
    revision bigint not null default 1,
    published_revision bigint,
    publish_error text,
    publish_conflict boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index shows_slug_key on shows (slug);

create table show_members (
    show_id uuid not null references shows (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    role text not null check (role in ('owner', 'editor')),
    created_at timestamptz not null default now(),
    primary key (show_id, user_id)
);
create index show_members_user_idx on show_members (user_id);

create table episodes (
    id uuid primary key default gen_random_uuid(),
    show_id uuid not null references shows (id) on delete cascade,
    guid text not null,
    title text not null,
    description text not null default '',
    enclosure_url text not null,
    enclosure_length bigint not null check (enclosure_length >= 0),
    enclosure_type text not null,
    duration_seconds integer check (duration_seconds >= 0),
    season integer check (season >= 0),
    episode integer check (episode >= 0),
    episode_type text not null default 'full' check (episode_type in ('full', 'trailer', 'bonus')),
    explicit boolean,
    image_url text,
    transcript_url text,
    transcript_type text,
    chapters_url text,
    status text not null default 'published' check (status in ('draft', 'published')),
    publish_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index episodes_show_guid_key on episodes (show_id, guid);
create index episodes_show_publish_idx on episodes (show_id, publish_at desc, id desc);

create table jobs (
    id uuid primary key default gen_random_uuid(),
    kind text not null,
    show_id uuid references shows (id) on delete cascade,
    payload jsonb not null default '{}',
    dedup_key text,
    state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed', 'dead')),
    run_at timestamptz not null default now(),
    attempts integer not null default 0,
    max_attempts integer not null default 10,
    last_error text,
    locked_until timestamptz,
    locked_by text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    finished_at timestamptz
);
-- One pending job per dedup key: new edits merge into it.
create unique index jobs_pending_dedup_key on jobs (dedup_key) where state = 'queued';
-- Never two running jobs of one kind for one show.
create unique index jobs_running_show_key on jobs (kind, show_id) where state = 'running';
create index jobs_due_idx on jobs (run_at) where state in ('queued', 'failed');
create index jobs_show_idx on jobs (show_id, created_at desc);

create table publications (
    key text primary key,
    show_id uuid references shows (id) on delete set null,
    kind text not null check (kind in ('feed', 'redirect')),
    revision bigint not null,
    sha256 text not null,
    etag text not null,
    bytes bigint not null,
    episode_count integer not null default 0,
    redirect_location text,
    published_at timestamptz not null default now()
);
create index publications_show_idx on publications (show_id);

create table redirects (
    id uuid primary key default gen_random_uuid(),
    show_id uuid not null references shows (id) on delete cascade,
    from_slug text not null,
    to_url text not null,
    created_at timestamptz not null default now(),
    removed_at timestamptz
);
create unique index redirects_active_from_key on redirects (from_slug) where removed_at is null;

-- One row: this installation's identity, written into every published object.
create table instance (
    singleton boolean primary key default true check (singleton),
    installation_id uuid not null default gen_random_uuid(),
    created_at timestamptz not null default now()
);
insert into instance default values;
