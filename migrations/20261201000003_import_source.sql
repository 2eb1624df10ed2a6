-- Where an imported show's feed came from (the URL fetched, after redirects, or the feed's own
-- atom:link rel="self"), so that importing into the show again can prove it is the same podcast.
alter table shows add column import_source_url text;
