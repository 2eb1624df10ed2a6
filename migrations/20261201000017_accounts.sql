-- A one-time link an admin gives a user to set a new password. Only its SHA-256 is stored; one
-- live link per user, so a new link replaces the old one.
create table password_resets (
    user_id uuid primary key references users (id) on delete cascade,
    token_hash bytea not null,
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);
create unique index password_resets_hash_key on password_resets (token_hash);

-- The account page lists a user's own API tokens.
create index api_tokens_user_idx on api_tokens (user_id, created_at);
