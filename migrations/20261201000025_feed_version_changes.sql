-- What changed in each feed version, kept once worked out: reading it from the two documents
-- parses both, which for a big feed costs far more than the list of versions itself.
-- `changes` is null until worked out; `changes_against` is the version it was worked out
-- against (null: none, every episode added), so that a summary whose previous version was
-- pruned since is worked out again.
alter table feed_versions add column changes jsonb, add column changes_against bigint;
