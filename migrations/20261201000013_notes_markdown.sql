-- Notes written in Markdown keep their source, so the editor reopens it; `description` stays the
-- HTML the feed carries (converted and sanitized once, at save). Null: the notes are HTML.
alter table episodes add column description_markdown text;
alter table trashed_episodes add column description_markdown text;
-- The feed stylesheet (`_static/feed.xsl`) is a published object too, owned by no show.
alter table publications drop constraint publications_kind_check;
alter table publications add constraint publications_kind_check
    check (kind in ('feed', 'archive', 'redirect', 'static'));
