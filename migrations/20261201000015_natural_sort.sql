-- Natural, case-insensitive order for lists: "Episode 2" before "Episode 10", "apple" beside
-- "Apple". Nondeterministic, so only for sorting (never for equality or LIKE).
create collation natural_ci (provider = icu, locale = 'und-u-kn-true-ks-level2', deterministic = false);

create index shows_title_natural_idx on shows ((title collate natural_ci), id)
    where status <> 'deleted';
create index episodes_show_title_natural_idx on episodes (show_id, (title collate natural_ci), id);
create index episodes_show_number_idx on episodes (show_id, season, episode, id);
