//! A show's Media page: its uploads (what each is for, its state, size and duration), and
//! "Copy media to podpub" with live progress, for shows moved in from another host.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
    Json,
};
use serde::Serialize;

use super::{
    error::UiError,
    flash::{see_other_with, Notice},
    page::{render, Layout},
    session::{CsrfForm, NoFields, Session},
    time::duration,
};
use crate::app::media::{self, CopyItem, CopyProgress};
use crate::domain::MediaPurpose;
use crate::web::AppState;

/// One upload, as the page lists it.
pub struct UploadRow {
    pub file_name: String,
    pub purpose: &'static str,
    pub state: &'static str,
    pub size: String,
    pub duration: String,
    pub url: String,
    /// Where a copy came from.
    pub source: Option<String>,
    pub error: Option<String>,
}

/// One file to copy, as the page lists it.
pub struct CopyRow {
    pub title: String,
    pub what: &'static str,
    pub source_url: String,
    pub state: &'static str,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "ui/shows/media.html")]
struct MediaPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    uploads: Vec<UploadRow>,
    copy: CopyProgress,
    copies: Vec<CopyRow>,
    percent: usize,
}

fn purpose_name(p: MediaPurpose) -> &'static str {
    match p {
        MediaPurpose::EpisodeMedia => "episode audio or video",
        MediaPurpose::EpisodeArtwork => "episode artwork",
        MediaPurpose::ShowArtwork => "show artwork",
    }
}

/// A size in bytes as people read it.
pub(super) fn size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    match bytes {
        n if n >= 1 << 30 => format!("{:.1} GB", b / f64::from(1u32 << 30)),
        n if n >= 1 << 20 => format!("{:.1} MB", b / f64::from(1u32 << 20)),
        n if n >= 1 << 10 => format!("{:.0} KB", b / 1024.0),
        n => format!("{n} bytes"),
    }
}

fn copy_row(i: CopyItem) -> CopyRow {
    CopyRow {
        title: i.title,
        what: if i.purpose.is_artwork() {
            "artwork"
        } else {
            "enclosure"
        },
        source_url: i.source_url,
        state: i.state.as_str(),
        error: i.error.map(|(code, message)| format!("{message} ({code})")),
    }
}

fn percent(p: &CopyProgress) -> usize {
    match p.total {
        0 => 100,
        total => 100 * (p.copied + p.failed) / total,
    }
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    notice: Notice,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let show = crate::app::shows::get(&state.app, who, &slug).await?;
    let uploads = media::list(&state.app, who, &slug)
        .await?
        .into_iter()
        .map(|u| {
            let m = u.media;
            let facts = m.facts.as_ref();
            UploadRow {
                purpose: purpose_name(m.purpose),
                state: m.state.as_str(),
                size: size(facts.map_or(m.declared_length, |f| f.length)),
                duration: facts
                    .and_then(|f| f.duration_seconds)
                    .map(|d| duration(d.round() as i64))
                    .unwrap_or_default(),
                url: u.url,
                source: m.source_url,
                error: m.error.map(|(code, message)| format!("{message} ({code})")),
                file_name: m.file_name,
            }
        })
        .collect();
    let copy = media::copy_progress(&state.app, who, &slug).await?;
    let copies = copy.items.iter().cloned().map(copy_row).collect();
    let layout = Layout::new(&state, Some(&session), "Media", "shows")
        .await?
        .with_notice(notice.code());
    render(&MediaPage {
        layout,
        tab: "media",
        title: show.fields.title,
        uploads,
        percent: percent(&copy),
        copy,
        copies,
        slug,
    })
}

pub async fn start_copy(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    _: CsrfForm<NoFields>,
) -> Result<Response, UiError> {
    media::start_copy(&state.app, session.user.viewer(), &slug).await?;
    Ok(see_other_with(&format!("/shows/{slug}/media"), "copying"))
}

/// What the page's progress bar polls (the shape static/app.js reads).
#[derive(Debug, Serialize)]
pub struct CopyJson {
    total: usize,
    done: usize,
    failed: usize,
    in_progress: usize,
    to_copy: usize,
    finished: bool,
}

pub async fn progress_json(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Json<CopyJson>, UiError> {
    let p = media::copy_progress(&state.app, session.user.viewer(), &slug).await?;
    Ok(Json(CopyJson {
        finished: p.finished(),
        total: p.total,
        done: p.copied,
        failed: p.failed,
        in_progress: p.in_progress,
        to_copy: p.to_copy,
    }))
}
