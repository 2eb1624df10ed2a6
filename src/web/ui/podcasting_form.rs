//! What the Podcasting 2.0 page's form sends, as the use case's input: the numbered rows of
//! each group (`persons_0_name`, ...), a row in use when any of its inputs holds something.

use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;

use super::{
    form::Fields,
    podcasting::{Column, MAX_ROWS, PERSONS, PODROLL, TRAILERS, TXT},
    time,
};
use crate::domain::{Choice, License, Location, Person, RemoteItem, ShowInput, Trailer, Txt};

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

    fn v(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn opt(&self, name: &str) -> Option<String> {
        self.v(name).map(str::to_string)
    }

    /// The rows of a group that hold anything, as (row, column value) lookups.
    fn rows(&self, field: &str, columns: &[Column]) -> Vec<usize> {
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
            ..ShowInput::default()
        }
    }
}

/// The form's name for a field the use case names: group errors stay on their group.
pub fn field_name(api: &str) -> String {
    match api {
        "location" => "location_name".into(),
        "license" => "license_name".into(),
        other => other.into(),
    }
}
