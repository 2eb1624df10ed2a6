//! A show's episodes: a page of them in the order asked for (date, number or title), searched
//! and filtered by state, with the show's counts. Sort, filter and page are in the URL.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use chrono::Utc;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    error::UiError,
    flash::Notice,
    page::{render, Layout},
    paging::{bad, href, page_number, Pager},
    session::Session,
    time,
};
use crate::app::listing::{self, EpisodeCounts, EpisodeListQuery, EpisodeOrder};
use crate::domain::EpisodeState;
use crate::web::AppState;

pub struct ListedEpisode {
    pub id: Uuid,
    pub title: String,
    pub state: &'static str,
    pub when: String,
    pub duration: String,
    /// `S2 E10`, `E3`, `S1`, or empty.
    pub number: String,
    pub image: Option<String>,
}

/// A sortable column's header: its link and, when the list is sorted by it, which way.
pub struct SortLink {
    pub label: &'static str,
    pub href: String,
    /// `ascending` or `descending` (for `aria-sort`), or empty.
    pub sorted: &'static str,
}

#[derive(Template)]
#[template(path = "ui/episodes/list.html")]
struct ListPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    q: String,
    state: String,
    episodes: Vec<ListedEpisode>,
    counts: EpisodeCounts,
    by_date: SortLink,
    by_number: SortLink,
    by_title: SortLink,
    pager: Pager,
    pager_label: &'static str,
}

#[derive(Deserialize)]
pub struct EpisodeListParams {
    q: Option<String>,
    state: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
}

/// The order asked for, and whether reversed; each order's natural way by default (newest
/// first for dates, 1 upwards and A to Z otherwise).
fn order_of(p: &EpisodeListParams) -> Result<(EpisodeOrder, bool), UiError> {
    EpisodeOrder::parse(p.sort.as_deref(), p.dir.as_deref())
        .map_err(|(param, must)| bad(param, must))
}

fn number(season: Option<i32>, episode: Option<i32>) -> String {
    match (season, episode) {
        (Some(s), Some(e)) => format!("S{s} E{e}"),
        (None, Some(e)) => format!("E{e}"),
        (Some(s), None) => format!("S{s}"),
        (None, None) => String::new(),
    }
}

pub async fn list(
    State(app): State<AppState>,
    session: Session,
    notice: Notice,
    Path(slug): Path<String>,
    Query(p): Query<EpisodeListParams>,
) -> Result<Response, UiError> {
    let (order, descending) = order_of(&p)?;
    let q = p.q.clone().unwrap_or_default();
    let filter = match p.state.as_deref().unwrap_or_default() {
        "" => None,
        s => Some(
            s.parse::<EpisodeState>()
                .map_err(|_| bad("state", "must be published, scheduled or draft"))?,
        ),
    };
    let state = filter.map(EpisodeState::as_str).unwrap_or_default();
    let query = EpisodeListQuery {
        query: q.clone(),
        state: filter,
        order,
        descending,
        page: page_number(p.page.as_deref())?,
    };
    let found = listing::episodes(&app.app, session.user.viewer(), &slug, &query).await?;
    let now = Utc::now();
    let show_image = found.show.fields.image_url.clone();
    let episodes = found
        .items
        .iter()
        .map(|e| ListedEpisode {
            id: e.id,
            title: e.fields.title.clone(),
            state: e.state(now).as_str(),
            when: time::display(e.fields.publish_at, session.tz),
            duration: e
                .fields
                .duration_seconds
                .map(|d| time::duration(d.into()))
                .unwrap_or_default(),
            number: number(e.fields.season, e.fields.episode),
            image: e.fields.image_url.clone().or_else(|| show_image.clone()),
        })
        .collect();
    let path = format!("/shows/{slug}/episodes");
    // The defaults (newest first; otherwise ascending) stay out of the URL.
    let link = |sort: &str, dir: &str, page: i64| {
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        let default_dir = if sort == "date" { "desc" } else { "asc" };
        let dir = if dir == default_dir { "" } else { dir };
        let sort = if sort == "date" { "" } else { sort };
        href(
            &path,
            &[
                ("q", &q),
                ("state", state),
                ("sort", sort),
                ("dir", dir),
                ("page", &page),
            ],
        )
    };
    let (sort, dir) = (order.as_str(), if descending { "desc" } else { "asc" });
    let column = |label, by: EpisodeOrder, first_dir: &str| {
        let on = by == order;
        let next = match (on, descending) {
            (true, true) => "asc",
            (true, false) => "desc",
            (false, _) => first_dir,
        };
        SortLink {
            label,
            href: link(by.as_str(), next, 1),
            sorted: match (on, descending) {
                (false, _) => "",
                (true, true) => "descending",
                (true, false) => "ascending",
            },
        }
    };
    let page = ListPage {
        by_date: column("Publish time", EpisodeOrder::Date, "desc"),
        by_number: column("Number", EpisodeOrder::Number, "asc"),
        by_title: column("Episode", EpisodeOrder::Title, "asc"),
        pager: Pager::new(found.page, |n| link(sort, dir, n)),
        pager_label: "Episode pages",
        layout: Layout::new(
            &app,
            Some(&session),
            format!("Episodes of {}", found.show.fields.title),
            "shows",
        )
        .await?
        .with_notice(notice.code()),
        slug,
        tab: "episodes",
        title: found.show.fields.title,
        q,
        state: state.to_string(),
        episodes,
        counts: found.counts,
    };
    render(&page)
}
