//! `podcast:liveItem`: a live stream announced in the feed. Its status follows the clock (pending
//! before its start, live until its end, ended after), unless the podcaster sets one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::check_episode_extras;
use super::EpisodeExtras;
use crate::domain::check::Checker;
use crate::domain::{limits, text_enum};

text_enum! {
    /// `podcast:liveItem`'s `status`.
    pub enum LiveStatus {
        Pending = "pending",
        Live = "live",
        Ended = "ended",
    }
}

/// The stream of a live item, as `<enclosure>`: the fallback of apps that read no
/// `podcast:alternateEnclosure`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiveEnclosure {
    pub url: String,
    #[serde(rename = "type")]
    pub mime_type: String,
    /// A stream has no length; RSS wants one all the same, so `0` is written without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<i64>,
}

/// One `podcast:liveItem` of a show.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LiveItem {
    /// Apps take a new guid for a new stream; left empty, podpub makes one.
    #[serde(default)]
    pub guid: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// When the stream is meant to start. Without it the item stays out of the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime<Utc>>,
    /// When it is meant to end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTime<Utc>>,
    /// A status set by hand (started early, ended early, postponed). Without it the status
    /// follows `start` and `end`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LiveStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enclosure: Option<LiveEnclosure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Every item tag a live item may carry as well: content links (the fallback for apps
    /// that can't play the stream), alternate enclosures, persons, chat, value...
    #[serde(flatten)]
    pub extras: EpisodeExtras,
}

impl LiveItem {
    /// The status at `as_of`; `None` while there is no start, since the item is not published.
    pub fn status_at(&self, as_of: DateTime<Utc>) -> Option<LiveStatus> {
        let start = self.start?;
        Some(match self.status {
            Some(status) => status,
            None if as_of < start => LiveStatus::Pending,
            None if self.end.is_some_and(|end| as_of >= end) => LiveStatus::Ended,
            None => LiveStatus::Live,
        })
    }

    /// The times, at or before `as_of`, at which its status changed by the clock.
    fn transitions(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        let by_clock = self.status.is_none() && self.start.is_some();
        [self.start, self.end]
            .into_iter()
            .flatten()
            .filter(move |_| by_clock)
    }
}

/// The next time, after `as_of`, that one of `items` changes status by the clock: when the
/// feed must be rendered again.
pub fn next_live_change(items: &[LiveItem], as_of: DateTime<Utc>) -> Option<DateTime<Utc>> {
    items
        .iter()
        .flat_map(LiveItem::transitions)
        .filter(|t| *t > as_of)
        .min()
}

/// The latest clock change at or before `as_of`: part of the feed's `lastBuildDate`.
pub fn last_live_change(items: &[LiveItem], as_of: DateTime<Utc>) -> Option<DateTime<Utc>> {
    items
        .iter()
        .flat_map(LiveItem::transitions)
        .filter(|t| *t <= as_of)
        .max()
}

/// The most live items a show keeps.
const MAX_LIVE_ITEMS: usize = 20;

/// Checks a show's live items; problems are recorded under `live_items`, naming the item.
pub fn check_live_items(c: &mut Checker, items: Vec<LiveItem>) -> Vec<LiveItem> {
    const FIELD: &str = "live_items";
    if items.len() > MAX_LIVE_ITEMS {
        c.error(FIELD, format!("at most {MAX_LIVE_ITEMS} live items"));
    }
    let mut guids = std::collections::HashSet::new();
    let mut checked = Vec::with_capacity(items.len());
    for (i, l) in items.into_iter().enumerate() {
        let n = i + 1;
        let mut item = Checker::default();
        let guid = match l.guid.trim() {
            "" => uuid::Uuid::new_v4().to_string(),
            guid => item.text("guid", guid, 2048),
        };
        if !guids.insert(guid.clone()) {
            item.error("guid", "is the guid of another live item");
        }
        let title = item.text("title", &l.title, limits::TITLE);
        let description = item.opt_text("description", l.description.as_deref(), limits::NOTES);
        let link = item.opt_url("link", l.link.as_deref());
        if let (Some(start), Some(end)) = (l.start, l.end) {
            if end <= start {
                item.error("end", "must be after the start");
            }
        }
        let enclosure = l.enclosure.map(|e| LiveEnclosure {
            url: item.url("enclosure", &e.url),
            mime_type: item.media_type("enclosure", &e.mime_type),
            length: e.length.map(|n| item.number("enclosure", n, 0..=(1 << 50))),
        });
        let image_url = item.opt_url("image_url", l.image_url.as_deref());
        let extras = check_episode_extras(&mut item, l.extras);
        // One message under `live_items` for the API, and each field under
        // `live_items.N.field` for a form to show beside its input.
        if let Err(errors) = item.finish() {
            let each: Vec<String> = errors
                .0
                .iter()
                .map(|(k, why)| format!("{k} {why}"))
                .collect();
            c.error(FIELD, format!("live item {n}: {}", each.join("; ")));
            for (field, why) in errors.0 {
                c.error(&format!("{FIELD}.{n}.{field}"), why);
            }
        }
        checked.push(LiveItem {
            guid,
            title,
            description,
            link,
            start: l.start,
            end: l.end,
            status: l.status,
            enclosure,
            image_url,
            extras,
        });
    }
    checked
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap()
    }

    fn stream(start: Option<u32>, end: Option<u32>) -> LiveItem {
        LiveItem {
            title: "Live".into(),
            start: start.map(at),
            end: end.map(at),
            ..LiveItem::default()
        }
    }

    #[test]
    fn the_status_follows_the_clock_unless_it_is_set_by_hand() {
        let l = stream(Some(10), Some(12));
        assert_eq!(l.status_at(at(9)), Some(LiveStatus::Pending));
        assert_eq!(l.status_at(at(10)), Some(LiveStatus::Live));
        assert_eq!(l.status_at(at(11)), Some(LiveStatus::Live));
        assert_eq!(l.status_at(at(12)), Some(LiveStatus::Ended));
        let open = stream(Some(10), None);
        assert_eq!(open.status_at(at(23)), Some(LiveStatus::Live));
        let ended_early = LiveItem {
            status: Some(LiveStatus::Ended),
            ..l.clone()
        };
        assert_eq!(ended_early.status_at(at(11)), Some(LiveStatus::Ended));
        assert_eq!(stream(None, Some(12)).status_at(at(11)), None);
    }

    #[test]
    fn the_next_change_is_the_next_start_or_end_that_follows_the_clock() {
        let items = [stream(Some(10), Some(12)), stream(Some(11), None)];
        assert_eq!(next_live_change(&items, at(9)), Some(at(10)));
        assert_eq!(next_live_change(&items, at(10)), Some(at(11)));
        assert_eq!(next_live_change(&items, at(11)), Some(at(12)));
        assert_eq!(next_live_change(&items, at(12)), None);
        assert_eq!(
            last_live_change(&items, at(11) + Duration::minutes(5)),
            Some(at(11))
        );
        let by_hand = LiveItem {
            status: Some(LiveStatus::Live),
            ..stream(Some(10), Some(12))
        };
        assert_eq!(next_live_change(&[by_hand], at(9)), None);
    }

    #[test]
    fn checks_name_the_live_item_and_fill_in_a_guid() {
        let mut c = Checker::default();
        let items = check_live_items(&mut c, vec![stream(Some(10), Some(12))]);
        assert!(c.finish().is_ok());
        assert_eq!(items[0].guid.len(), 36, "a new uuid");

        let mut c = Checker::default();
        check_live_items(
            &mut c,
            vec![stream(Some(10), Some(12)), stream(Some(12), Some(11))],
        );
        let errors = c.finish().unwrap_err();
        assert_eq!(
            errors.0["live_items"],
            "live item 2: end must be after the start"
        );
        assert_eq!(errors.0["live_items.2.end"], "must be after the start");
    }
}
