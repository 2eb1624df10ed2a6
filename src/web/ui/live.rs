//! A show's Live tab: its live streams (`podcast:liveItem`) with the status apps see now, and
//! buttons to go live, end or follow the schedule again; each stream's form is in `live_form`.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use chrono::Utc;
use chrono_tz::Tz;
use serde::Deserialize;

use super::{
    error::UiError,
    flash::{see_other_with, Notice},
    page::{render, Layout},
    session::{CsrfForm, Session},
    time,
};
use crate::app::{live, shows};
use crate::domain::{LiveItem, LiveStatus};
use crate::web::AppState;

/// One live stream as the list shows it.
pub struct StreamRow {
    pub n: usize,
    pub guid: String,
    pub title: String,
    /// What apps see now: `pending`, `live`, `ended`, or `unpublished` without a start.
    pub status: &'static str,
    /// Whether the status is set by hand rather than by the schedule.
    pub by_hand: bool,
    pub start: String,
    pub end: String,
}

impl StreamRow {
    fn of(n: usize, l: &LiveItem, tz: Tz) -> StreamRow {
        let when =
            |t: Option<chrono::DateTime<Utc>>| t.map_or("—".into(), |t| time::display(t, tz));
        StreamRow {
            n,
            guid: l.guid.clone(),
            title: l.title.clone(),
            status: l
                .status_at(Utc::now())
                .map_or("unpublished", LiveStatus::as_str),
            by_hand: l.status.is_some(),
            start: when(l.start),
            end: when(l.end),
        }
    }
}

#[derive(Template)]
#[template(path = "ui/shows/live.html")]
struct LivePage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    rows: Vec<StreamRow>,
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    notice: Notice,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let layout = Layout::new(&state, Some(&session), "Live", "shows")
        .await?
        .with_notice(notice.code());
    let rows = show.fields.extras.live_items.iter().enumerate();
    render(&LivePage {
        layout,
        slug: show.fields.slug.clone(),
        tab: "live",
        title: show.fields.title.clone(),
        rows: rows
            .map(|(i, l)| StreamRow::of(i + 1, l, session.tz))
            .collect(),
    })
}

/// A status button of the list: `live`, `ended`, `pending` or `schedule`.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    guid: String,
    status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    session: Session,
    Path((slug, n)): Path<(String, usize)>,
    CsrfForm { form, .. }: CsrfForm<StatusForm>,
) -> Result<Response, UiError> {
    let status = match form.status.as_str() {
        "schedule" => None,
        other => Some(other.parse::<LiveStatus>().map_err(|_| UiError::NotFound)?),
    };
    let target = target(n, form.guid)?;
    let edit = live::Edit::Status(status);
    live::edit(&state.app, session.user.viewer(), &slug, target, edit).await?;
    Ok(see_other_with(&format!("/shows/{slug}/live"), "saved"))
}

/// The live item numbered `n` (from 1) in the page's URLs.
pub(super) fn target(n: usize, guid: String) -> Result<live::Stream, UiError> {
    match n.checked_sub(1) {
        Some(index) => Ok(live::Stream::At { index, guid }),
        None => Err(UiError::NotFound),
    }
}
