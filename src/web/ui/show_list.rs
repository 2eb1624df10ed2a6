//! The shows lists: the podcaster's (`/shows`) and, through `listed`, the admin's: searched
//! by title or slug, in natural title order, a page at a time.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;

use super::{
    error::UiError,
    flash::Notice,
    page::{render, Layout},
    paging::{href, page_number, Pager},
    session::Session,
    shows::ShowRow,
};
use crate::app::listing;
use crate::web::AppState;

#[derive(Template)]
#[template(path = "ui/shows/list.html")]
struct ListPage {
    layout: Layout,
    list: ShowsListed,
}

/// A searched page of shows, as both the podcaster's and the admin's lists show it.
pub struct ShowsListed {
    pub shows: Vec<ShowRow>,
    pub q: String,
    pub pager: Pager,
    pub pager_label: &'static str,
}

#[derive(Deserialize)]
pub struct ShowsParams {
    q: Option<String>,
    page: Option<String>,
}

/// The page of shows `p` asks for, of those `session`'s user can see, linked from `path`.
pub async fn listed(
    state: &AppState,
    session: &Session,
    path: &str,
    p: &ShowsParams,
) -> Result<ShowsListed, UiError> {
    let q = p.q.clone().unwrap_or_default();
    let page = page_number(p.page.as_deref())?;
    let found = listing::shows(&state.app, session.user.viewer(), &q, page).await?;
    let pager = Pager::new(found.page, |n| {
        let page = if n > 1 { n.to_string() } else { String::new() };
        href(path, &[("q", &q), ("page", &page)])
    });
    Ok(ShowsListed {
        shows: found.items.iter().map(|s| ShowRow::new(s, state)).collect(),
        q,
        pager,
        pager_label: "Show pages",
    })
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    notice: Notice,
    Query(p): Query<ShowsParams>,
) -> Result<Response, UiError> {
    let list = listed(&state, &session, "/shows", &p).await?;
    let layout = Layout::new(&state, Some(&session), "Your shows", "shows")
        .await?
        .with_notice(notice.code());
    render(&ListPage { layout, list })
}
