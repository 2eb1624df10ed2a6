-- Moves. A move out announces `new_feed_url` and, at `move_redirect_at`, turns the feed into a
-- redirect stub; `renamed_at` starts the grace period in which a renamed show's feed names its
-- own new URL in <itunes:new-feed-url>. Renames keep their old slugs in `redirects`.
alter table shows add column move_redirect_at timestamptz;
alter table shows add column renamed_at timestamptz;
create index redirects_show_idx on redirects (show_id) where removed_at is null;
