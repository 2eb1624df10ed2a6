//! The trash pages: a show's deleted episodes (and the show, when it is deleted), and the
//! podcaster's deleted shows, with Restore and Purge.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};

use super::{
    error::UiError,
    flash::Notice,
    page::{render, Layout},
    session::Session,
    time::display,
    trash::{layout, retention_days, OWNERS_ONLY},
};
use crate::app::trash;
use crate::web::AppState;

/// One line of a trash page.
pub struct TrashRow {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub detail: String,
    pub deleted: String,
    pub purge: String,
    pub owned: bool,
}

#[derive(Template)]
#[template(path = "ui/trash/show.html")]
struct ShowTrashPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    /// The show itself is in the trash: since when, and when it is purged.
    deleted: Option<(String, String)>,
    owned: bool,
    days: u64,
    rows: Vec<TrashRow>,
    owners_only: &'static str,
}

pub async fn show_trash(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    notice: Notice,
) -> Result<Response, UiError> {
    let found = trash::of_show(&state.app, session.user.viewer(), &slug).await?;
    let tz = session.tz;
    let deleted = match found.show.is_deleted() {
        true => trash::shows_of(&state.app, session.user.viewer())
            .await?
            .into_iter()
            .find(|s| s.id == found.show.id)
            .map(|s| {
                let at = s.deleted_at;
                (display(at, tz), display(state.app.purge_at(at), tz))
            }),
        false => None,
    };
    let rows = found
        .episodes
        .into_iter()
        .map(|t| TrashRow {
            id: t.episode.id.to_string(),
            slug: slug.clone(),
            detail: format!("published {}", display(t.episode.fields.publish_at, tz)),
            title: t.episode.fields.title,
            deleted: display(t.deleted_at, tz),
            purge: display(state.app.purge_at(t.deleted_at), tz),
            owned: found.owned,
        })
        .collect();
    let layout = layout(&state, &session, "Trash")
        .await?
        .with_notice(notice.code());
    render(&ShowTrashPage {
        layout,
        tab: "trash",
        title: found.show.fields.title.clone(),
        deleted,
        owned: found.owned,
        days: retention_days(&state),
        rows,
        slug,
        owners_only: OWNERS_ONLY,
    })
}

#[derive(Template)]
#[template(path = "ui/trash/shows.html")]
struct TrashedShowsPage {
    layout: Layout,
    days: u64,
    rows: Vec<TrashRow>,
    owners_only: &'static str,
}

pub async fn trashed_shows(
    State(state): State<AppState>,
    session: Session,
    notice: Notice,
) -> Result<Response, UiError> {
    let tz = session.tz;
    let rows = trash::shows_of(&state.app, session.user.viewer())
        .await?
        .into_iter()
        .map(|s| TrashRow {
            id: s.id.to_string(),
            detail: state.app.feed_url(&s.slug),
            slug: s.slug,
            title: s.title,
            deleted: display(s.deleted_at, tz),
            purge: display(state.app.purge_at(s.deleted_at), tz),
            owned: s.owned,
        })
        .collect();
    let layout = layout(&state, &session, "Deleted shows")
        .await?
        .with_notice(notice.code());
    render(&TrashedShowsPage {
        layout,
        days: retention_days(&state),
        rows,
        owners_only: OWNERS_ONLY,
    })
}
