-- Podcasting 2.0 details of shows and episodes (persons, location, license, trailers, ...),
-- kept as one JSON document each: they are written and read whole, never queried.
alter table shows add column extras jsonb not null default '{}';
alter table episodes add column extras jsonb not null default '{}';
