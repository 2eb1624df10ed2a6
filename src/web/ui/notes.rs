//! The notes editor, for an episode's notes and a show's description alike: what the form
//! shows of stored notes and sends back, its live preview (a session + CSRF JSON call, the same
//! conversion and sanitizer a save uses) and the byte counter's words.

use std::collections::BTreeMap;

use axum::{extract::State, http::HeaderMap, Json};
use serde::{Deserialize, Serialize};

use super::{form::Fields, session::Session, uploads::check_csrf};
use crate::app;
use crate::domain::limits;
use crate::domain::notes::{NotesFormat, NotesPreview, NOTES_MAX_BYTES};
use crate::web::{
    error::ApiError,
    extract::{ApiJson, ApiPath},
    AppState,
};

/// The notes as the editor shows them below the text: what apps show, and the counter.
pub struct NotesView {
    pub html: String,
    pub counter: String,
    pub over: bool,
    /// The text's label: "Show notes", "Description".
    pub label: &'static str,
    /// Where the editor asks for its live preview.
    pub url: String,
}

impl NotesView {
    /// An episode's notes as the form `f` holds them (`description`, `notes_format`).
    pub fn episode(slug: &str, f: &Fields) -> NotesView {
        NotesView::of(f, "Show notes", format!("/shows/{slug}/notes/preview"))
    }

    /// A show's description as the form `f` holds them; a show not created yet (`slug` none)
    /// is previewed without one.
    pub fn show(slug: Option<&str>, f: &Fields) -> NotesView {
        let url = match slug {
            Some(slug) => format!("/shows/{slug}/notes/preview"),
            None => "/notes/preview".into(),
        };
        NotesView::of(f, "Description", url)
    }

    fn of(f: &Fields, label: &'static str, url: String) -> NotesView {
        let format = NotesFormat::parse(f.v("notes_format")).unwrap_or_default();
        let p = NotesPreview::of(format, f.v("description"));
        NotesView {
            counter: counter(&p),
            over: p.over_limit(),
            html: p.shown_html,
            label,
            url,
        }
    }
}

/// What a form's notes put in the use case's input: `(description, description_markdown)`.
pub type NotesInput = (Option<Option<String>>, Option<Option<String>>);

/// Stored notes as the editor shows them: their Markdown source when they have one.
pub fn set_fields(f: &mut Fields, html: &str, markdown: Option<&str>) {
    let (text, format) = match markdown {
        Some(markdown) => (markdown, NotesFormat::Markdown),
        None => (html, NotesFormat::Html),
    };
    f.set("description", text);
    f.set("notes_format", format.as_str());
}

/// The notes as typed (`text`, in the form's `notes_format`): Markdown goes in as its source,
/// HTML as is; left out when neither the text nor the format changed from `stored`.
pub fn typed(f: &mut Fields, format: &str, text: &str, stored: Option<&Fields>) -> NotesInput {
    let format = match format.trim() {
        "" => NotesFormat::Html,
        raw => NotesFormat::parse(raw).unwrap_or_else(|| {
            f.error("notes_format", "must be HTML or Markdown");
            NotesFormat::Html
        }),
    };
    let unchanged = stored.is_some_and(|s| {
        unix_lines(s.v("description")) == unix_lines(text) && s.v("notes_format") == format.as_str()
    });
    if unchanged {
        return (None, None);
    }
    match format {
        NotesFormat::Markdown => (None, Some(Some(unix_lines(text)))),
        NotesFormat::Html => (Some(Some(text.to_string())), None),
    }
}

/// Text as a browser sends it back: textareas end their lines with CRLF.
pub fn unix_lines(s: &str) -> String {
    s.replace("\r\n", "\n")
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1,234 of 4,000 bytes", and past the limit a warning in words.
pub fn counter(p: &NotesPreview) -> String {
    let (n, max) = (p.bytes(), NOTES_MAX_BYTES);
    if p.over_limit() {
        format!(
            "{} of {} bytes: over Apple's limit by {}. Apple Podcasts may cut this text short; shorten it.",
            thousands(n),
            thousands(max),
            thousands(n - max)
        )
    } else {
        format!("{} of {} bytes in the feed.", thousands(n), thousands(max))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewBody {
    format: String,
    text: String,
}

#[derive(Serialize)]
pub struct PreviewAnswer {
    /// What apps show, sanitized.
    html: String,
    /// Bytes of the notes the feed would carry.
    bytes: usize,
    limit: usize,
    over_limit: bool,
    /// The counter's words.
    message: String,
}

/// `POST /shows/{slug}/notes/preview`: `{"format": "html"|"markdown", "text": "..."}`.
pub async fn preview(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<PreviewBody>,
) -> Result<Json<PreviewAnswer>, ApiError> {
    answer(&state, &session, &headers, Some(&slug), body).await
}

/// `POST /notes/preview`: the same for a show not created yet (the new-show form).
pub async fn preview_new(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PreviewBody>,
) -> Result<Json<PreviewAnswer>, ApiError> {
    answer(&state, &session, &headers, None, body).await
}

async fn answer(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    slug: Option<&str>,
    body: PreviewBody,
) -> Result<Json<PreviewAnswer>, ApiError> {
    check_csrf(session, headers)?;
    let mut errors = BTreeMap::new();
    let format = NotesFormat::parse(&body.format);
    if format.is_none() {
        errors.insert("format".into(), "must be html or markdown".into());
    }
    if body.text.chars().count() > limits::NOTES {
        let message = format!("must be at most {} characters", limits::NOTES);
        errors.insert("text".into(), message);
    }
    let Some(format) = format.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    let who = session.user.viewer();
    let p = app::notes::preview(&state.app, who, slug, format, &body.text).await?;
    Ok(Json(PreviewAnswer {
        bytes: p.bytes(),
        limit: NOTES_MAX_BYTES,
        over_limit: p.over_limit(),
        message: counter(&p),
        html: p.shown_html,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counter_says_the_limit_in_words() {
        let under = NotesPreview::of(NotesFormat::Html, "abc");
        assert_eq!(counter(&under), "3 of 4,000 bytes in the feed.");
        let over = NotesPreview::of(NotesFormat::Html, &"x".repeat(4321));
        assert!(counter(&over).starts_with("4,321 of 4,000 bytes: over Apple's limit by 321."));
    }
}
