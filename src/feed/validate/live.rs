//! Warnings about live items (`podcast:liveItem`): streams apps could not find, play or fall
//! back from.

use chrono::{DateTime, Utc};

use super::{blank, not_https, present, Out};
use crate::domain::{is_p2p, LiveItem, LiveStatus};

/// A live item has no start time, so it is left out of the feed (per live item).
pub const LIVE_ITEM_START_MISSING: &str = "live_item_start_missing";
/// A live item has no end time, which the spec recommends (per live item).
pub const LIVE_ITEM_END_MISSING: &str = "live_item_end_missing";
/// A live item has no `podcast:contentLink`, which the spec requires as the fallback of apps
/// that cannot play the stream (per live item).
pub const LIVE_ITEM_CONTENT_LINK_MISSING: &str = "live_item_content_link_missing";
/// A live item has no `<enclosure>`, the one stream most apps can play (per live item).
pub const LIVE_ITEM_ENCLOSURE_MISSING: &str = "live_item_enclosure_missing";
/// A live item is marked live by hand, and its end time has passed (per live item).
pub const LIVE_ITEM_OVERDUE: &str = "live_item_overdue";

/// The warnings of a show's live items, as the feed stands at `as_of`.
pub(super) fn warnings(out: &mut Out, items: &[LiveItem], as_of: DateTime<Utc>) {
    for l in items {
        let name = &l.title;
        out.add_if(l.start.is_none(), LIVE_ITEM_START_MISSING, || {
            format!("Give the live stream \"{name}\" a start time: until it has one, it stays out of the feed.")
        });
        out.add_if(l.end.is_none(), LIVE_ITEM_END_MISSING, || {
            format!(
                "Give the live stream \"{name}\" an end time: apps show listeners how long it \
                 runs, and without one it stays live until you end it."
            )
        });
        let links = l.extras.content_links.iter().filter(|c| !blank(&c.href));
        out.add_if(links.count() == 0, LIVE_ITEM_CONTENT_LINK_MISSING, || {
            format!(
                "Add a content link to the live stream \"{name}\" (a page where it plays): apps \
                 that cannot play the stream send listeners there."
            )
        });
        let enclosure = l.enclosure.as_ref().filter(|e| !blank(&e.url));
        out.add_if(enclosure.is_none(), LIVE_ITEM_ENCLOSURE_MISSING, || {
            format!(
                "Add the stream's URL and type as the enclosure of \"{name}\": most apps play \
                 only that, not the alternate enclosures."
            )
        });
        let overdue = l.status == Some(LiveStatus::Live) && l.end.is_some_and(|end| end <= as_of);
        out.add_if(overdue, LIVE_ITEM_OVERDUE, || {
            format!(
                "End the live stream \"{name}\", or follow the schedule again: it is marked live, \
                 and its end time has passed."
            )
        });
        let mut tags = Vec::new();
        tags.extend(enclosure.map(|e| ("podcast:liveItem enclosure", &*e.url)));
        tags.extend(present(&l.link).map(|u| ("podcast:liveItem link", u)));
        let links = l.extras.content_links.iter();
        tags.extend(links.map(|c| ("podcast:contentLink", &*c.href)));
        let sources = l
            .extras
            .alternate_enclosures
            .iter()
            .flat_map(|a| &a.sources);
        let sources = sources.filter(|u| !is_p2p(u));
        tags.extend(sources.map(|u| ("podcast:alternateEnclosure source", &**u)));
        not_https(out, tags);
    }
}
