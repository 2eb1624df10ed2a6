//! Show notes as podcast apps will show them, for the editor's live preview: the same
//! conversion and sanitizer a save uses.

use super::{shows, App, Result};
use crate::domain::notes::{NotesFormat, NotesPreview};
use crate::domain::Viewer;

/// What notes typed in `format` would put in the feed of the show at `slug`, and what apps
/// show of them; only for someone who may see the show. Without a slug (a show not created
/// yet, which anyone signed in may create), for anyone.
pub async fn preview(
    app: &App,
    who: Viewer,
    slug: Option<&str>,
    format: NotesFormat,
    text: &str,
) -> Result<NotesPreview> {
    if let Some(slug) = slug {
        shows::get(app, who, slug).await?;
    }
    Ok(NotesPreview::of(format, text))
}
