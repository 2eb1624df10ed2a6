-- The Content-Type and Cache-Control this installation last wrote its objects with. When the
-- settings change them, the worker uploads every object again, so that none keeps the old
-- headers (unchanged bytes alone would never be written again). Null: not recorded yet, which
-- an upgrade treats as the Content-Type every earlier version wrote.
alter table instance add column object_headers text;
