-- A show's description written in Markdown keeps its source, as episodes' notes do
-- (20261201000013): `description` stays the HTML the feed carries, converted and sanitized once,
-- at save. Null: the description is HTML. A show in the trash keeps its row, so nothing else
-- copies the column.
alter table shows add column description_markdown text;
