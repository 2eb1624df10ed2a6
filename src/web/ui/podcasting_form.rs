//! The Podcasting 2.0 page's form: what it shows of a stored show, and what it sends back as
//! the use case's input. Each group is numbered rows (`persons_0_name`, ...), a row in use when
//! any of its inputs holds something.

use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;

use super::{
    form::Fields,
    podcasting::{
        Column, BLOCKS, IMAGES, LIST_ITEMS, MAX_ROWS, PERSONS, PODROLL, SOCIAL, TRAILERS, TXT,
    },
    time,
};
use crate::domain::{
    Chat, Choice, License, ListItem, Location, Medium, Person, PodcastImage, RemoteItem,
    ServiceBlock, Show, ShowInput, SocialInteract, Trailer, Txt, UpdateFrequency,
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
        let cell = |field: &str, i: usize, key: &str| self.opt(&format!("{field}_{i}_{key}"));
        let number = |f: &mut Fields, field: &str, raw: Option<String>| -> Option<i64> {
            let raw = raw?;
            raw.parse()
                .map_err(|_| f.error(field, format!("{raw:?} is not a whole number")))
                .ok()
        };
        let persons = self
            .rows("persons", PERSONS)
            .into_iter()
            .map(|i| Person {
                name: cell("persons", i, "name").unwrap_or_default(),
                role: cell("persons", i, "role"),
                group: cell("persons", i, "group"),
                img: cell("persons", i, "img"),
                href: cell("persons", i, "href"),
            })
            .collect();
        let txt = self
            .rows("txt", TXT)
            .into_iter()
            .map(|i| Txt {
                purpose: cell("txt", i, "purpose"),
                value: cell("txt", i, "value").unwrap_or_default(),
            })
            .collect();
        let podroll = self
            .rows("podroll", PODROLL)
            .into_iter()
            .map(|i| RemoteItem {
                feed_guid: cell("podroll", i, "feed_guid").unwrap_or_default(),
                feed_url: cell("podroll", i, "feed_url"),
            })
            .collect();
        let mut images = Vec::new();
        for i in self.rows("images", IMAGES) {
            let mut pixels = |key: &str| {
                number(f, "images", cell("images", i, key)).and_then(|n| u32::try_from(n).ok())
            };
            let (width, height) = (pixels("width"), pixels("height"));
            images.push(PodcastImage {
                href: cell("images", i, "href").unwrap_or_default(),
                alt: cell("images", i, "alt"),
                aspect_ratio: cell("images", i, "aspect_ratio"),
                width,
                height,
                mime_type: cell("images", i, "type"),
                purpose: cell("images", i, "purpose"),
            });
        }
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
        let mut social_interact = Vec::new();
        for i in self.rows("social_interact", SOCIAL) {
            let priority = number(f, "social_interact", cell("social_interact", i, "priority"));
            social_interact.push(SocialInteract {
                protocol: cell("social_interact", i, "protocol").unwrap_or_default(),
                uri: cell("social_interact", i, "uri"),
                account_id: cell("social_interact", i, "account_id"),
                account_url: cell("social_interact", i, "account_url"),
                priority,
            });
        }
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
        let chat = any(&[
            "chat_server",
            "chat_protocol",
            "chat_account_id",
            "chat_space",
        ])
        .then(|| Chat {
            server: self.opt("chat_server").unwrap_or_default(),
            protocol: self.opt("chat_protocol").unwrap_or_default(),
            account_id: self.opt("chat_account_id"),
            space: self.opt("chat_space"),
        });
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
        let location = (self.v("location_name").is_some()
            || self.v("location_geo").is_some()
            || self.v("location_osm").is_some())
        .then(|| Location {
            name: self.opt("location_name").unwrap_or_default(),
            geo: self.opt("location_geo"),
            osm: self.opt("location_osm"),
        });
        let license =
            (self.v("license_name").is_some() || self.v("license_url").is_some()).then(|| {
                License {
                    name: self.opt("license_name").unwrap_or_default(),
                    url: self.opt("license_url"),
                }
            });
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
            location: Some(location),
            license: Some(license),
            persons: Some(persons),
            txt: Some(txt),
            trailers: Some(trailers),
            podroll: Some(podroll),
            images: Some(images),
            podcast_block: Some(podcast_block),
            social_interact: Some(social_interact),
            remote_items: Some(remote_items),
            update_frequency: Some(update_frequency),
            chat: Some(chat),
            publisher: Some(publisher),
            apple_verify: Some(self.opt("apple_verify")),
            ..ShowInput::default()
        }
    }
}

/// The form's name for a field the use case names: group errors stay on their group.
pub fn field_name(api: &str) -> String {
    match api {
        "location" => "location_name".into(),
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
    if let Some(l) = &x.location {
        f.set("location_name", l.name.clone());
        f.set_opt("location_geo", l.geo.as_ref());
        f.set_opt("location_osm", l.osm.as_ref());
    }
    if let Some(l) = &x.license {
        f.set("license_name", l.name.clone());
        f.set_opt("license_url", l.url.as_ref());
    }
    f.set_opt("apple_verify", x.apple_verify.as_ref());
    if let Some(u) = &x.update_frequency {
        f.set("update_frequency_text", u.text.clone());
        f.set_opt("update_frequency_rrule", u.rrule.as_ref());
        f.set_opt("update_frequency_dtstart", u.dtstart.as_ref());
        f.set_flag("update_frequency_complete", u.complete);
    }
    if let Some(c) = &x.chat {
        f.set("chat_server", c.server.clone());
        f.set("chat_protocol", c.protocol.clone());
        f.set_opt("chat_account_id", c.account_id.as_ref());
        f.set_opt("chat_space", c.space.as_ref());
    }
    if let Some(p) = &x.publisher {
        f.set("publisher_feed_guid", p.feed_guid.clone());
        f.set_opt("publisher_feed_url", p.feed_url.as_ref());
    }
    let mut row = |field: &str, i: usize, values: &[(&str, Option<String>)]| {
        for (key, value) in values {
            f.set_opt(&format!("{field}_{i}_{key}"), value.as_ref());
        }
    };
    for (i, p) in x.persons.iter().enumerate() {
        row(
            "persons",
            i,
            &[
                ("name", Some(p.name.clone())),
                ("role", p.role.clone()),
                ("group", p.group.clone()),
                ("img", p.img.clone()),
                ("href", p.href.clone()),
            ],
        );
    }
    for (i, t) in x.txt.iter().enumerate() {
        row(
            "txt",
            i,
            &[
                ("purpose", t.purpose.clone()),
                ("value", Some(t.value.clone())),
            ],
        );
    }
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
    for (i, m) in x.images.iter().enumerate() {
        row(
            "images",
            i,
            &[
                ("href", Some(m.href.clone())),
                ("alt", m.alt.clone()),
                ("aspect_ratio", m.aspect_ratio.clone()),
                ("width", m.width.map(|n| n.to_string())),
                ("height", m.height.map(|n| n.to_string())),
                ("type", m.mime_type.clone()),
                ("purpose", m.purpose.clone()),
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
    for (i, s) in x.social_interact.iter().enumerate() {
        let cells = [
            ("protocol", Some(s.protocol.clone())),
            ("uri", s.uri.clone()),
            ("account_id", s.account_id.clone()),
            ("account_url", s.account_url.clone()),
            ("priority", s.priority.map(|n| n.to_string())),
        ];
        row("social_interact", i, &cells);
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
