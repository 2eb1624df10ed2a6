//! The Podcasting 2.0 page's form: what it shows of a stored show, and what it sends back as
//! the use case's input. Each group is numbered rows (`persons_0_name`, ...), a row in use when
//! any of its inputs holds something.

use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;

use super::{
    form::Fields,
    podcasting::{BLOCKS, LIST_ITEMS, PODROLL, TRAILERS},
    podcasting_shared::{set_row, show_chat, show_shared, show_social},
    rows::{Column, MAX_ROWS},
    time,
    value_form::{show_values, values_of},
};
use crate::domain::{
    Choice, ListItem, Medium, RemoteItem, ServiceBlock, Show, ShowInput, Trailer, UpdateFrequency,
};

/// The page's form: `action` is `save`, or `add_<group>` for one more blank row.
#[derive(Debug, Deserialize)]
pub struct PodcastingForm {
    #[serde(default)]
    action: String,
    #[serde(flatten)]
    values: BTreeMap<String, String>,
}

impl PodcastingForm {
    pub fn action(&self) -> &str {
        &self.action
    }

    pub(super) fn v(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The names under `prefix` that hold something.
    pub(super) fn filled<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, _)| k.as_str())
    }

    pub(super) fn opt(&self, name: &str) -> Option<String> {
        self.v(name).map(str::to_string)
    }

    /// The rows of a group that hold anything, as (row, column value) lookups.
    pub(super) fn rows(&self, field: &str, columns: &[Column]) -> Vec<usize> {
        (0..MAX_ROWS)
            .filter(|i| {
                columns
                    .iter()
                    .any(|c| self.v(&format!("{field}_{i}_{}", c.key)).is_some())
            })
            .collect()
    }

    /// The form as the use case's input, with the errors of what does not even parse.
    pub fn into_input(self, f: &mut Fields, tz: Tz) -> ShowInput {
        let shared = self.shared(f);
        let value = values_of(&self, f);
        let cell = |field: &str, i: usize, key: &str| self.cell(field, i, key);
        let number = |f: &mut Fields, field: &str, raw: Option<String>| -> Option<i64> {
            let raw = raw?;
            raw.parse()
                .map_err(|_| f.error(field, format!("{raw:?} is not a whole number")))
                .ok()
        };
        let podroll = self
            .rows("podroll", PODROLL)
            .into_iter()
            .map(|i| RemoteItem {
                feed_guid: cell("podroll", i, "feed_guid").unwrap_or_default(),
                feed_url: cell("podroll", i, "feed_url"),
            })
            .collect();
        let mut podcast_block = Vec::new();
        for i in self.rows("podcast_block", BLOCKS) {
            let block = match cell("podcast_block", i, "block")
                .as_deref()
                .map(str::to_ascii_lowercase)
            {
                Some(w) if w == "yes" => true,
                Some(w) if w == "no" => false,
                _ => {
                    f.error("podcast_block", "say yes or no for each blocked service");
                    true
                }
            };
            podcast_block.push(ServiceBlock {
                id: cell("podcast_block", i, "id"),
                block,
            });
        }
        let social_interact = self.social(f);
        let remote_items = self
            .rows("remote_items", LIST_ITEMS)
            .into_iter()
            .map(|i| ListItem {
                feed_guid: cell("remote_items", i, "feed_guid").unwrap_or_default(),
                feed_url: cell("remote_items", i, "feed_url"),
                item_guid: cell("remote_items", i, "item_guid"),
                medium: cell("remote_items", i, "medium"),
                title: cell("remote_items", i, "title"),
            })
            .collect();
        let any = |names: &[&str]| names.iter().any(|n| self.v(n).is_some());
        let update_frequency = any(&[
            "update_frequency_text",
            "update_frequency_rrule",
            "update_frequency_dtstart",
        ])
        .then(|| UpdateFrequency {
            text: self.opt("update_frequency_text").unwrap_or_default(),
            rrule: self.opt("update_frequency_rrule"),
            complete: self.v("update_frequency_complete").is_some(),
            dtstart: self.opt("update_frequency_dtstart"),
        });
        let chat = self.chat();
        let publisher = any(&["publisher_feed_guid", "publisher_feed_url"]).then(|| RemoteItem {
            feed_guid: self.opt("publisher_feed_guid").unwrap_or_default(),
            feed_url: self.opt("publisher_feed_url"),
        });
        let mut trailers = Vec::new();
        for i in self.rows("trailers", TRAILERS) {
            let pubdate = match cell("trailers", i, "pubdate") {
                Some(raw) => time::parse_input(&raw, tz)
                    .map_err(|e| f.error("trailers", format!("date {e}")))
                    .ok(),
                None => {
                    f.error("trailers", "each trailer needs a date");
                    None
                }
            };
            let length = number(f, "trailers", cell("trailers", i, "length"));
            let season = number(f, "trailers", cell("trailers", i, "season"));
            trailers.push(Trailer {
                title: cell("trailers", i, "title").unwrap_or_default(),
                url: cell("trailers", i, "url").unwrap_or_default(),
                pubdate: pubdate.unwrap_or_default(),
                length,
                mime_type: cell("trailers", i, "type"),
                season: season.and_then(|s| i32::try_from(s).ok()),
            });
        }
        let size = |f: &mut Fields, field: &str| -> Option<u32> {
            let raw = self.v(field)?;
            raw.parse()
                .map_err(|_| f.error(field, "must be a whole number"))
                .ok()
        };
        ShowInput {
            medium: Some(self.v("medium").map(Choice::parse)),
            podping: Some(self.v("podping").is_some()),
            item_limit: Some(size(f, "item_limit")),
            archive_page_size: Some(size(f, "archive_page_size")),
            location: Some(shared.location),
            locations: Some(shared.locations),
            license: Some(shared.license),
            persons: Some(shared.persons),
            txt: Some(shared.txt),
            trailers: Some(trailers),
            podroll: Some(podroll),
            images: Some(shared.images),
            podcast_block: Some(podcast_block),
            social_interact: Some(social_interact),
            remote_items: Some(remote_items),
            update_frequency: Some(update_frequency),
            chat: Some(chat),
            publisher: Some(publisher),
            apple_verify: Some(self.opt("apple_verify")),
            value: Some(value),
            ..ShowInput::default()
        }
    }
}

/// The form's name for a field the use case names: group errors stay on their group.
pub fn field_name(api: &str) -> String {
    match api {
        "location" => "locations".into(),
        "license" => "license_name".into(),
        "update_frequency" => "update_frequency_text".into(),
        "chat" => "chat_server".into(),
        "publisher" => "publisher_feed_guid".into(),
        other => other.into(),
    }
}

/// The stored show's details as the form shows them.
pub fn fields_of(show: &Show, tz: Tz) -> Fields {
    let x = &show.fields.extras;
    let mut f = Fields::default();
    f.set_opt("medium", x.medium.map(Medium::as_str));
    f.set_flag("podping", x.podping);
    f.set_opt("item_limit", x.item_limit);
    f.set_opt("archive_page_size", x.archive_page_size);
    f.set_opt("apple_verify", x.apple_verify.as_ref());
    if let Some(u) = &x.update_frequency {
        f.set("update_frequency_text", u.text.clone());
        f.set_opt("update_frequency_rrule", u.rrule.as_ref());
        f.set_opt("update_frequency_dtstart", u.dtstart.as_ref());
        f.set_flag("update_frequency_complete", u.complete);
    }
    show_chat(&mut f, &x.chat);
    if let Some(p) = &x.publisher {
        f.set("publisher_feed_guid", p.feed_guid.clone());
        f.set_opt("publisher_feed_url", p.feed_url.as_ref());
    }
    let (persons, txt, images) = (&x.persons, &x.txt, &x.images);
    let place = (&x.location, &x.locations[..]);
    show_shared(&mut f, place, &x.license, persons, txt, images);
    show_values(&mut f, &x.value);
    show_social(&mut f, &x.social_interact);
    let mut row =
        |field: &str, i: usize, cells: &[(&str, Option<String>)]| set_row(&mut f, field, i, cells);
    for (i, t) in x.trailers.iter().enumerate() {
        row(
            "trailers",
            i,
            &[
                ("title", Some(t.title.clone())),
                ("url", Some(t.url.clone())),
                ("pubdate", Some(time::input_value(t.pubdate, tz))),
                ("length", t.length.map(|n| n.to_string())),
                ("type", t.mime_type.clone()),
                ("season", t.season.map(|n| n.to_string())),
            ],
        );
    }
    for (i, b) in x.podcast_block.iter().enumerate() {
        let block = Some(if b.block { "yes" } else { "no" }.to_string());
        row(
            "podcast_block",
            i,
            &[("id", b.id.clone()), ("block", block)],
        );
    }
    for (i, r) in x.remote_items.iter().enumerate() {
        let cells = [
            ("feed_guid", Some(r.feed_guid.clone())),
            ("feed_url", r.feed_url.clone()),
            ("item_guid", r.item_guid.clone()),
            ("medium", r.medium.clone()),
            ("title", r.title.clone()),
        ];
        row("remote_items", i, &cells);
    }
    for (i, r) in x.podroll.iter().enumerate() {
        row(
            "podroll",
            i,
            &[
                ("feed_guid", Some(r.feed_guid.clone())),
                ("feed_url", r.feed_url.clone()),
            ],
        );
    }
    f
}
