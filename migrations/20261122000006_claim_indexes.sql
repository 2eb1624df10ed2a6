-- claim() takes the oldest due job in (run_at, id) order, then the oldest expired lease.
create index jobs_due_order_idx on jobs (run_at, id) where state in ('queued', 'failed');
create index jobs_running_lease_idx on jobs (locked_until) where state = 'running';
drop index jobs_due_idx;
