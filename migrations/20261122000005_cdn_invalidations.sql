-- CDN paths (`/{key}`) waiting for a CloudFront invalidation; the `invalidate` job sends them in batches.
create table cdn_invalidations (
    path text primary key,
    queued_at timestamptz not null default now()
);
