-- RFC 5005 archive pages are published objects too.
alter table publications drop constraint publications_kind_check;
alter table publications add constraint publications_kind_check
    check (kind in ('feed', 'archive', 'redirect'));
