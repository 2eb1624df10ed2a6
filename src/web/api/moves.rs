//! Moves: renames (PATCH with a new slug), moving out (`POST …/move`) and undoing either
//! (`DELETE …/move`). The worker turns what is recorded here into feeds and redirect stubs
//! (`jobs::render::moves`).

use axum::{extract::State, http::StatusCode, Json};
use chrono::{Duration, Utc};
use serde::Deserialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::shows::{deleted, slug_taken, ShowView};
use crate::db::{
    redirects,
    shows::{self, Show},
};
use crate::domain::{feed_url, HttpUrl};
use crate::jobs::queue;
use crate::web::{
    auth::CurrentUser,
    error::ApiError,
    extract::{ApiJson, ApiPath},
    AppState,
};

/// The longest announced move: ten years.
const MAX_REDIRECT_AFTER_DAYS: i64 = 3650;

/// Refuses `slug` when a standing redirect of another show holds it. Call after the write that
/// takes the slug: that write waits for a concurrent rename freeing it to commit.
pub(super) async fn ensure_not_reserved(
    tx: &mut PgConnection,
    slug: &str,
    show_id: Uuid,
) -> Result<(), ApiError> {
    match redirects::holder(&mut *tx, slug).await? {
        Some(holder) if holder != show_id => Err(reserved(slug)),
        _ => Ok(()),
    }
}

fn reserved(slug: &str) -> ApiError {
    ApiError::Conflict {
        code: "slug_taken",
        message: format!(
            "the slug {slug:?} is reserved: it redirects to a renamed show's new feed"
        ),
    }
}

/// Records a rename that `shows::update` has just written: the old slug becomes a redirect to
/// `new_url`, and taking back one of the show's own old slugs ends that slug's redirect.
pub(super) async fn record_rename(
    tx: &mut PgConnection,
    show_id: Uuid,
    old_slug: &str,
    new_slug: &str,
    new_url: &str,
) -> Result<(), ApiError> {
    match redirects::holder(&mut *tx, new_slug).await? {
        Some(holder) if holder == show_id => redirects::remove(&mut *tx, show_id, new_slug).await?,
        Some(_) => return Err(reserved(new_slug)),
        None => {}
    }
    redirects::add(tx, show_id, old_slug, new_url).await?;
    shows::mark_renamed(&mut *tx, show_id).await?;
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    new_feed_url: String,
    /// Days of `<itunes:new-feed-url>` before the feed becomes a redirect; 0 redirects now.
    /// Defaults to PODPUB_MOVE_GRACE_DAYS.
    redirect_after_days: Option<i64>,
}

/// `POST /api/v1/shows/{slug}/move`: announce a new home, then redirect to it.
#[utoipa::path(
    operation_id = "start_move",
    post,
    path = "/api/v1/shows/{slug}/move",
    tag = "moves",
    params(("slug" = String, Path, description = "the show's slug")),
    request_body = MoveRequest,
    responses(
        (status = 202, description = "move started", body = ShowView),
        super::openapi::Auth, super::openapi::Found, super::openapi::Body, super::openapi::Conflict,
    ),
)]
pub async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<MoveRequest>,
) -> Result<(StatusCode, Json<ShowView>), ApiError> {
    let show = start_move(
        &state,
        &user,
        &slug,
        &req.new_feed_url,
        req.redirect_after_days,
    )
    .await?;
    let base = &state.settings.feed_base_url;
    Ok((StatusCode::ACCEPTED, Json(ShowView::new(show, base))))
}

/// Starts (or changes) a move out of a show `user` may edit: `<itunes:new-feed-url>` now, a
/// redirect after `redirect_after_days` (default PODPUB_MOVE_GRACE_DAYS; 0 redirects now).
pub async fn start_move(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    new_feed_url: &str,
    redirect_after_days: Option<i64>,
) -> Result<Show, ApiError> {
    let _turn = state.show_turn(slug).await?;
    let mut tx = state.pool.begin().await?;
    let show = user.lock_show_row(&mut tx, slug).await?;
    let id = show.id;
    if show.status == "deleted" {
        return Err(deleted());
    }
    let url = HttpUrl::parse_public(new_feed_url)
        .map_err(|e| ApiError::field("new_feed_url", e.to_string()))?;
    let base = &state.settings.feed_base_url;
    let mut ours = vec![show.fields.slug.clone()];
    ours.extend(
        redirects::of_show(&mut *tx, id)
            .await?
            .into_iter()
            .map(|r| r.from_slug),
    );
    if ours
        .iter()
        .any(|s| same_url(url.as_str(), &feed_url(base, s)))
    {
        return Err(ApiError::field(
            "new_feed_url",
            "is this show's own feed URL; a show cannot move to itself",
        ));
    }
    let days = redirect_after_days.unwrap_or(state.settings.move_grace_days.into());
    if !(0..=MAX_REDIRECT_AFTER_DAYS).contains(&days) {
        return Err(ApiError::field(
            "redirect_after_days",
            format!("must be between 0 and {MAX_REDIRECT_AFTER_DAYS}"),
        ));
    }
    let redirect_at = Utc::now() + Duration::days(days);
    shows::start_move(&mut *tx, id, url.as_str(), redirect_at).await?;
    queue::enqueue_render(&mut *tx, id, None, state.settings.max_attempts).await?;
    let show = shows::find_by_id(&mut *tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(show)
}

/// `DELETE /api/v1/shows/{slug}/move`: undo a move out at any stage (the feed is published at
/// its own URL again, replacing the stub), or else undo the last rename.
#[utoipa::path(
    operation_id = "undo_move",
    delete,
    path = "/api/v1/shows/{slug}/move",
    tag = "moves",
    params(("slug" = String, Path, description = "the show's slug")),
    responses(
        (status = 200, description = "move undone", body = ShowView),
        super::openapi::Auth, super::openapi::Found, super::openapi::Conflict,
    ),
)]
pub async fn undo(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<(StatusCode, Json<ShowView>), ApiError> {
    let show = undo_move(&state, &user, &slug).await?;
    let base = &state.settings.feed_base_url;
    Ok((StatusCode::OK, Json(ShowView::new(show, base))))
}

/// Undoes a move out of a show `user` may edit, or else its last rename.
pub async fn undo_move(state: &AppState, user: &CurrentUser, slug: &str) -> Result<Show, ApiError> {
    let _turn = state.show_turn(slug).await?;
    let mut tx = state.pool.begin().await?;
    let show = user.lock_show_row(&mut tx, slug).await?;
    let id = show.id;
    let base = &state.settings.feed_base_url;
    if show.new_feed_url.is_some() {
        shows::undo_move(&mut *tx, id).await?;
    } else {
        let Some(last) = redirects::of_show(&mut *tx, id).await?.into_iter().next() else {
            return Err(ApiError::Conflict {
                code: "not_moving",
                message: "the show has no move or rename to undo".into(),
            });
        };
        if show.status == "deleted" {
            return Err(deleted());
        }
        let mut fields = show.fields.clone();
        fields.slug = last.from_slug.clone();
        shows::update(&mut *tx, id, &fields)
            .await
            .map_err(slug_taken(&fields.slug))?;
        let url = feed_url(base, &fields.slug);
        record_rename(&mut tx, id, &show.fields.slug, &fields.slug, &url).await?;
    }
    queue::enqueue_render(&mut *tx, id, None, state.settings.max_attempts).await?;
    let show = shows::find_by_id(&mut *tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(show)
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
