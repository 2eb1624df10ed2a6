//! The notes editor: its live preview (a session + CSRF JSON call, the same conversion and
//! sanitizer a save uses) and the byte counter's words.

use std::collections::BTreeMap;

use axum::{extract::State, http::HeaderMap, Json};
use serde::{Deserialize, Serialize};

use super::{session::Session, uploads::check_csrf};
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
}

impl NotesView {
    pub fn of(format: NotesFormat, text: &str) -> NotesView {
        let p = NotesPreview::of(format, text);
        NotesView {
            counter: counter(&p),
            over: p.over_limit(),
            html: p.shown_html,
        }
    }
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
            "{} of {} bytes: over Apple's limit by {}. Apple Podcasts may cut these notes short; shorten them.",
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
    check_csrf(&session, &headers)?;
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
    let p = app::notes::preview(&state.app, who, &slug, format, &body.text).await?;
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
