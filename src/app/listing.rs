//! Lists as the UI pages through them: a show's episodes in a chosen order with their counts,
//! and the shows a user can see, searched, in natural title order. Pages are numbered, so a
//! page's URL can be bookmarked.

use chrono::Utc;

use super::{shows, App, Result};
use crate::db::{self, episode_list::EpisodeFilter};
use crate::domain::{Episode, EpisodeState, Show, Viewer};

pub use crate::db::episode_list::{EpisodeCounts, EpisodeOrder};

/// How many rows a page holds.
pub const PER_PAGE: i64 = 50;

/// Which page (from 1) of how many, after clamping the one asked for to the last.
#[derive(Debug, Clone, Copy)]
pub struct PageOf {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

impl PageOf {
    fn new(asked: i64, total: i64) -> PageOf {
        let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
        PageOf {
            page: asked.clamp(1, pages),
            pages,
            total,
        }
    }

    fn offset(&self) -> i64 {
        (self.page - 1) * PER_PAGE
    }
}

/// What to list of a show's episodes.
#[derive(Debug, Clone)]
pub struct EpisodeListQuery {
    pub query: String,
    pub state: Option<EpisodeState>,
    pub order: EpisodeOrder,
    pub descending: bool,
    pub page: i64,
}

pub struct PagedEpisodes {
    pub show: Show,
    pub items: Vec<Episode>,
    pub counts: EpisodeCounts,
    pub page: PageOf,
}

/// A page of the episodes of a show `who` may see, with the show's counts by state.
pub async fn episodes(
    app: &App,
    who: Viewer,
    slug: &str,
    q: &EpisodeListQuery,
) -> Result<PagedEpisodes> {
    let show = shows::get(app, who, slug).await?;
    let filter = EpisodeFilter {
        query: q.query.trim(),
        state: q.state,
        now: Utc::now(),
    };
    let counts = db::episode_list::counts(&app.pool, show.id, &filter).await?;
    let page = PageOf::new(q.page, counts.matching);
    let items = db::episode_list::page(
        &app.pool,
        show.id,
        &filter,
        q.order,
        q.descending,
        PER_PAGE,
        page.offset(),
    )
    .await?;
    Ok(PagedEpisodes {
        show,
        items,
        counts,
        page,
    })
}

pub struct PagedShows {
    pub items: Vec<Show>,
    pub page: PageOf,
}

/// A page of the shows `who` can see (every show for an admin) whose title or slug contains
/// `query`, in natural title order.
pub async fn shows(app: &App, who: Viewer, query: &str, page: i64) -> Result<PagedShows> {
    let query = query.trim();
    let total = db::shows::count_matching(&app.pool, who, query).await?;
    let page = PageOf::new(page, total);
    let items = db::shows::search_visible(&app.pool, who, query, PER_PAGE, page.offset()).await?;
    Ok(PagedShows { items, page })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_clamp_to_the_last_and_an_empty_list_has_one() {
        assert_eq!(PageOf::new(9, 120).page, 3);
        assert_eq!(PageOf::new(0, 120).page, 1);
        assert_eq!(PageOf::new(1, 0).pages, 1);
        assert_eq!(PageOf::new(2, 100).offset(), 50);
    }
}
