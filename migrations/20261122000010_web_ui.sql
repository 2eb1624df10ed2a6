-- The web UI: sessions, login throttling, per-user time zones, show invitations and the
-- instance settings an admin may change while the app runs.

alter table users add column time_zone text not null default 'UTC';

-- A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored.
create table sessions (
    id_hash bytea primary key,
    user_id uuid not null references users (id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

-- Failed sign-ins, counted per email and per client address to slow down password guessing.
create table login_failures (
    id bigint generated always as identity primary key,
    email text not null,
    client text not null,
    at timestamptz not null default now()
);
create index login_failures_email_idx on login_failures (lower(email), at);
create index login_failures_client_idx on login_failures (client, at);

-- An invitation to a show for someone without an account yet; it becomes a membership when
-- an account with that email is created.
create table show_invites (
    show_id uuid not null references shows (id) on delete cascade,
    email text not null,
    role text not null check (role in ('owner', 'editor')),
    invited_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now()
);
create unique index show_invites_key on show_invites (show_id, lower(email));

-- Settings of the web UI that are safe to change at run time (one row).
create table ui_settings (
    singleton boolean primary key default true check (singleton),
    instance_name text not null default 'podpub',
    login_max_failures integer not null default 10 check (login_max_failures between 1 and 1000),
    session_days integer not null default 14 check (session_days between 1 and 365),
    default_language text not null default 'en',
    updated_at timestamptz not null default now()
);
insert into ui_settings default values;
