//! A show's live streams, one at a time: the UI adds, edits, ends and removes one live item
//! while the API replaces the whole list.

use super::{shows, App, Error, Result};
use crate::domain::{LiveItem, LiveStatus, Show, ShowInput, Viewer};

/// Which live item an edit is about.
#[derive(Clone)]
pub enum Stream {
    New,
    /// The one at `index` (from 0), which had `guid` when the form was shown.
    At {
        index: usize,
        guid: String,
    },
}

/// What to do to it.
pub enum Edit {
    /// Store these fields. The ones a form does not show (persons, value, ...) are kept.
    Save(Box<dyn FnOnce(LiveItem) -> LiveItem + Send>),
    /// Set the status by hand, or (`None`) let it follow the schedule again.
    Status(Option<LiveStatus>),
    Remove,
}

/// Applies `edit` to a live item of the show at `slug`; the list is changed under the show's
/// lock, so two edits of different live items never undo each other.
pub async fn edit(app: &App, who: Viewer, slug: &str, target: Stream, edit: Edit) -> Result<Show> {
    shows::update_with(app, who, slug, move |show| change(show, target, edit)).await
}

/// The errors `edit` would meet on `show` as it stands, without storing anything: for a form
/// that already has errors of its own, so that it shows every error at once.
pub fn check(show: &Show, target: Stream, edit: Edit) -> Result<()> {
    let input = change(show, target, edit)?;
    input.apply(show.fields.clone())?;
    Ok(())
}

/// The show's live list with `edit` made, as the input that replaces it.
fn change(show: &Show, target: Stream, edit: Edit) -> Result<ShowInput> {
    let mut items = show.fields.extras.live_items.clone();
    match (target, edit) {
        (Stream::New, Edit::Save(fill)) => items.push(fill(LiveItem::default())),
        (Stream::New, _) => return Err(Error::NotFound),
        (Stream::At { index, guid }, edit) => {
            let Some(item) = items.get(index).filter(|l| l.guid == guid) else {
                return Err(Error::conflict(
                    "live_item_changed",
                    "this live stream was changed or removed meanwhile; reload the page",
                ));
            };
            match edit {
                Edit::Save(fill) => items[index] = fill(item.clone()),
                Edit::Status(status) => items[index].status = status,
                Edit::Remove => {
                    items.remove(index);
                }
            }
        }
    }
    Ok(ShowInput {
        live_items: Some(items),
        ..ShowInput::default()
    })
}

/// The live item at `index` of `show`, if it has one.
pub fn find(show: &Show, index: usize) -> Option<&LiveItem> {
    show.fields.extras.live_items.get(index)
}
