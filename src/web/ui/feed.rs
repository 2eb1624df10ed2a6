//! A show's feed panel: its URL, publication state, validation warnings (each linking to the
//! field to fix) and redirects; and refreshing it.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    Json,
};
use serde_json::json;

use super::session::NoFields;
use super::{
    auth::NoticeQuery,
    error::UiError,
    page::{render, see_other, Layout},
    session::{CsrfForm, Session},
    time::display,
};
use crate::app::{
    self,
    feed_state::{FeedState, WarningView},
    shows,
};
use crate::web::AppState;

/// A warning and where to fix it.
pub struct WarningRow {
    pub message: String,
    pub code: &'static str,
    pub fix: String,
}

/// The page and field that fix a warning.
fn fix_link(slug: &str, w: &WarningView) -> String {
    let show = |field: &str| format!("/shows/{slug}/edit#f-{field}");
    let episode = |field: &str| match w.episode_id {
        Some(id) => format!("/shows/{slug}/episodes/{id}#f-{field}"),
        None => format!("/shows/{slug}/episodes"),
    };
    match w.code {
        "artwork_missing" | "artwork_size" => show("image_url"),
        "category_missing" | "category_unknown" => show("category_0"),
        "author_missing" => show("author"),
        "owner_email_missing" => show("owner_email"),
        "description_too_long" if w.episode_id.is_some() => episode("description"),
        "description_too_long" => show("description"),
        "title_too_long" if w.episode_id.is_some() => episode("title"),
        "title_too_long" => show("title"),
        "enclosure_type_rejected" => episode("enclosure_type"),
        "enclosure_length_missing" => episode("enclosure_length"),
        "duplicate_enclosure_url" => episode("enclosure_url"),
        "serial_without_episode_numbers" => episode("episode"),
        "empty_show" => format!("/shows/{slug}/episodes/new"),
        _ if w.episode_id.is_some() => episode("title"),
        _ => show("title"),
    }
}

#[derive(Template)]
#[template(path = "ui/shows/feed.html")]
struct FeedPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    status: &'static str,
    feed: FeedState,
    published_at: Option<String>,
    warnings: Vec<WarningRow>,
    redirects: Vec<(String, String, String)>,
}

pub async fn panel(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let title = show.fields.title.clone();
    let status = show.status.as_str();
    let feed = app::feed_state::of(&state.app, &show).await?;
    let tz = session.tz;
    let warnings = feed
        .warnings
        .iter()
        .map(|w| WarningRow {
            message: w.message.clone(),
            code: w.code,
            fix: fix_link(&slug, w),
        })
        .collect();
    let redirects = feed
        .redirects
        .iter()
        .map(|r| (r.from_url.clone(), r.to_url.clone(), display(r.since, tz)))
        .collect();
    let layout = Layout::new(&state, Some(&session), title.clone(), "shows")
        .await?
        .with_notice(q.notice.as_deref());
    render(&FeedPage {
        layout,
        published_at: feed.published_at.map(|t| display(t, tz)),
        slug,
        tab: "feed",
        title,
        status,
        feed,
        warnings,
        redirects,
    })
}

/// The feed's state, for the panel to follow while a publish is pending.
pub async fn state_json(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Json<serde_json::Value>, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    Ok(Json(json!({
        "state": show.publish_state(),
        "revision": show.revision,
    })))
}

pub async fn refresh(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    _: CsrfForm<NoFields>,
) -> Result<Response, UiError> {
    app::refresh::show(&state.app, session.user.viewer(), &slug).await?;
    Ok(see_other(&format!("/shows/{slug}?notice=queued")))
}
