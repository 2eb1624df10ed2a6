//! Moves: renames (an update with a new slug), moving out, and undoing either. The worker turns
//! what is recorded here into feeds and redirect stubs (`jobs::render`, `feed::plan`).

use chrono::{Duration, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::history::{self, Record};
use super::shows::{lock, reload, require_owner};
use super::{show_deleted, slug_taken, App, Error, Result};
use crate::db::{redirects, shows};
use crate::domain::history::{ChangeKind, FieldChange};
use crate::domain::{HttpUrl, Show, Viewer};
use crate::jobs::queue;

/// What an editor is told: moves change where subscribers find the show.
const MOVE: &str = "only owners and admins move a show out, or undo a move or rename";

/// The longest announced move: ten years.
const MAX_REDIRECT_AFTER_DAYS: i64 = 3650;

/// Starts (or changes) a move out of a show `who` may edit: `<itunes:new-feed-url>` now, a
/// redirect after `redirect_after_days` (default PODPUB_MOVE_GRACE_DAYS; 0 redirects now).
pub async fn start(
    app: &App,
    who: Viewer,
    slug: &str,
    new_feed_url: &str,
    redirect_after_days: Option<i64>,
) -> Result<Show> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let show = lock(&mut tx, who, slug).await?;
    require_owner(&mut tx, who, show.id, MOVE).await?;
    if show.is_deleted() {
        return Err(show_deleted());
    }
    let url = HttpUrl::parse_public(new_feed_url)
        .map_err(|e| Error::field("new_feed_url", e.to_string()))?;
    let mut ours = vec![show.fields.slug.clone()];
    ours.extend(
        redirects::of_show(&mut *tx, show.id)
            .await?
            .into_iter()
            .map(|r| r.from_slug),
    );
    if ours
        .iter()
        .any(|s| same_url(url.as_str(), &app.feed_url(s)))
    {
        return Err(Error::field(
            "new_feed_url",
            "is this show's own feed URL; a show cannot move to itself",
        ));
    }
    let days = redirect_after_days.unwrap_or(app.settings.move_grace_days.into());
    if !(0..=MAX_REDIRECT_AFTER_DAYS).contains(&days) {
        return Err(Error::field(
            "redirect_after_days",
            format!("must be between 0 and {MAX_REDIRECT_AFTER_DAYS}"),
        ));
    }
    let redirect_at = Utc::now() + Duration::days(days);
    shows::start_move(&mut *tx, show.id, url.as_str(), redirect_at).await?;
    let moving = moving_change(&show, Some(url.as_str()));
    history::record(&mut tx, who, moving).await?;
    queue::enqueue_render(&mut *tx, show.id, None, app.max_attempts()).await?;
    let show = reload(&mut tx, show.id).await?;
    super::commit(tx).await?;
    Ok(show)
}

/// Undoes a move out of a show `who` may edit at any stage (the feed is published at its own
/// URL again, replacing the stub), or else its last rename.
pub async fn undo(app: &App, who: Viewer, slug: &str) -> Result<Show> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let show = lock(&mut tx, who, slug).await?;
    require_owner(&mut tx, who, show.id, MOVE).await?;
    if show.new_feed_url.is_some() {
        shows::undo_move(&mut *tx, show.id).await?;
        history::record(&mut tx, who, moving_change(&show, None)).await?;
    } else {
        let Some(last) = redirects::of_show(&mut *tx, show.id)
            .await?
            .into_iter()
            .next()
        else {
            return Err(Error::conflict(
                "not_moving",
                "the show has no move or rename to undo",
            ));
        };
        if show.is_deleted() {
            return Err(show_deleted());
        }
        let mut fields = show.fields.clone();
        fields.slug = last.from_slug.clone();
        shows::update(&mut *tx, show.id, &fields)
            .await
            .map_err(slug_taken(&fields.slug))?;
        let url = app.feed_url(&fields.slug);
        record_rename(&mut tx, show.id, &show.fields.slug, &fields.slug, &url).await?;
        let undone = Record::show(ChangeKind::Update, show.id).diff(&show.fields, &fields);
        history::record(&mut tx, who, undone).await?;
    }
    queue::enqueue_render(&mut *tx, show.id, None, app.max_attempts()).await?;
    let show = reload(&mut tx, show.id).await?;
    super::commit(tx).await?;
    Ok(show)
}

/// A move out started, changed (`to`) or undone (`None`), as the history records it. Moves
/// have their own undo, so this change is not reverted from the history.
fn moving_change(show: &Show, to: Option<&str>) -> Record<'static> {
    let old = show
        .new_feed_url
        .clone()
        .map_or(serde_json::Value::Null, Into::into);
    let new = to.map_or(serde_json::Value::Null, Into::into);
    Record::show(ChangeKind::Update, show.id).with(vec![FieldChange {
        field: "new_feed_url".into(),
        before: old,
        after: new,
    }])
}

/// The slug the show's last rename came from, which an undo goes back to.
pub async fn last_rename(app: &App, show: &Show) -> Result<Option<String>> {
    let standing = redirects::of_show(&app.pool, show.id).await?;
    Ok(standing.into_iter().next().map(|r| r.from_slug))
}

/// The standing redirects of a show's old slugs, newest first.
pub async fn redirects_of(app: &App, show: &Show) -> Result<Vec<redirects::Redirect>> {
    Ok(redirects::of_show(&app.pool, show.id).await?)
}

/// Refuses `slug` when a standing redirect of another show holds it. Call after the write that
/// takes the slug: that write waits for a concurrent rename freeing it to commit.
pub(super) async fn ensure_not_reserved(
    tx: &mut PgConnection,
    slug: &str,
    show_id: Uuid,
) -> Result<()> {
    match redirects::holder(&mut *tx, slug).await? {
        Some(holder) if holder != show_id => Err(reserved(slug)),
        _ => Ok(()),
    }
}

fn reserved(slug: &str) -> Error {
    Error::conflict(
        "slug_taken",
        format!("the slug {slug:?} is reserved: it redirects to a renamed show's new feed"),
    )
}

/// Records a rename that `shows::update` has just written: the old slug becomes a redirect to
/// `new_url`, and taking back one of the show's own old slugs ends that slug's redirect.
pub(super) async fn record_rename(
    tx: &mut PgConnection,
    show_id: Uuid,
    old_slug: &str,
    new_slug: &str,
    new_url: &str,
) -> Result<()> {
    match redirects::holder(&mut *tx, new_slug).await? {
        Some(holder) if holder == show_id => redirects::remove(&mut *tx, show_id, new_slug).await?,
        Some(_) => return Err(reserved(new_slug)),
        None => {}
    }
    redirects::add(tx, show_id, old_slug, new_url).await?;
    shows::mark_renamed(&mut *tx, show_id).await?;
    Ok(())
}

/// Whether two URLs name the same feed, ignoring the scheme, the host's case and a trailing
/// slash.
fn same_url(a: &str, b: &str) -> bool {
    fn norm(u: &str) -> String {
        let u = u.trim();
        let rest = u
            .strip_prefix("https://")
            .or_else(|| u.strip_prefix("http://"))
            .unwrap_or(u);
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        format!(
            "{}/{}",
            host.to_ascii_lowercase(),
            path.trim_end_matches('/')
        )
    }
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::same_url;

    #[test]
    fn own_feed_urls_are_recognised_in_any_spelling() {
        let own = "https://feeds.example.com/show/feed.xml";
        assert!(same_url("http://FEEDS.example.com/show/feed.xml", own));
        assert!(same_url("https://feeds.example.com/show/feed.xml/", own));
        assert!(!same_url("https://feeds.example.com/other/feed.xml", own));
        assert!(!same_url("https://elsewhere.example/show/feed.xml", own));
    }
}
