-- Admin refreshes of many shows: a batch and the (possibly coalesced) jobs it waits on.
create table refresh_batches (
    id uuid primary key default gen_random_uuid(),
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now()
);

create table refresh_batch_jobs (
    batch_id uuid not null references refresh_batches (id) on delete cascade,
    job_id uuid not null references jobs (id) on delete cascade,
    primary key (batch_id, job_id)
);
