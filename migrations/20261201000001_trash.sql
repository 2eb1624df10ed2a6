-- The trash. A deleted show keeps its row (status 'deleted') and says since when; a deleted
-- episode moves, whole, to trashed_episodes, so no query of live episodes has to skip it.
-- Restore moves it back; purge (or PODPUB_TRASH_RETENTION_DAYS) deletes it for good.
alter table shows add column deleted_at timestamptz;
update shows set deleted_at = updated_at where status = 'deleted';
create index shows_deleted_idx on shows (deleted_at) where deleted_at is not null;

create table trashed_episodes (like episodes including defaults including constraints);
alter table trashed_episodes
    add primary key (id),
    add foreign key (show_id) references shows (id) on delete cascade,
    add column deleted_at timestamptz not null default now();
create index trashed_episodes_show_idx on trashed_episodes (show_id, deleted_at desc);
create index trashed_episodes_deleted_idx on trashed_episodes (deleted_at);
