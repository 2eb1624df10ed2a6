-- no-transaction
-- The worker deletes finished jobs after PODPUB_JOB_RETENTION_DAYS; this finds them without a
-- scan of the whole queue. Built concurrently, so an upgrade doesn't stop writers.
create index concurrently if not exists jobs_done_finished_idx on jobs (finished_at) where state = 'done';
