//! The Podcasting 2.0 details a show's page and an episode's page share (locations, license,
//! people, texts and artwork): shown and read back the same way on both.

use super::{
    form::Fields,
    podcasting::{IMAGES, PERSONS, SOCIAL, TXT},
    podcasting_form::PodcastingForm,
    rows::{col, pick, Column, Group, MAX_ROWS},
};
use crate::domain::{
    Chat, License, Location, LocationRel, Person, PodcastImage, SocialInteract, Txt,
};

/// The chat protocols the namespace's examples name; others are allowed.
pub const CHAT_PROTOCOLS: &[&str] = &["irc", "xmpp", "nostr", "matrix"];

const LOCATIONS: &[Column] = &[
    col("name", "Place", "text"),
    pick("rel", "Kind", LocationRel::WORDS, "(not said)"),
    col("geo", "Coordinates", "text"),
    col("osm", "OSM id", "text"),
    col("country", "Country", "text"),
];

/// The locations' rows: the first is `location`, the rest `locations`.
pub fn place_group(f: &Fields, more: &str) -> Group {
    let hint = "Places apps can show and search by (podcast:location): the first is the main one. \
                Its kind is subject (what the show is about) or creator (where it is made); \
                coordinates as a geo: URI such as geo:30.2672,-97.7431, an \
                OpenStreetMap id such as R113314, and a two-letter country code such as US.";
    let blank = if more == "locations" { 2 } else { 1 };
    Group::of(
        f,
        "locations".into(),
        ("Places", hint),
        LOCATIONS,
        blank,
        MAX_ROWS,
    )
}

/// Row `i` of group `field` as the form shows it, one input per cell.
pub fn set_row(f: &mut Fields, field: &str, i: usize, cells: &[(&str, Option<String>)]) {
    for (key, value) in cells {
        f.set_opt(&format!("{field}_{i}_{key}"), value.as_ref());
    }
}

/// The details both pages have, as read from a form or shown from what is stored.
pub struct Shared {
    pub location: Option<Location>,
    pub locations: Vec<Location>,
    pub license: Option<License>,
    pub persons: Vec<Person>,
    pub txt: Vec<Txt>,
    pub images: Vec<PodcastImage>,
}

/// Puts people in the form's `persons` rows.
pub fn show_persons(f: &mut Fields, persons: &[Person]) {
    for (i, p) in persons.iter().enumerate() {
        let cells = [
            ("name", Some(p.name.clone())),
            ("role", p.role.clone()),
            ("group", p.group.clone()),
            ("img", p.img.clone()),
            ("href", p.href.clone()),
        ];
        set_row(f, "persons", i, &cells);
    }
}

/// Puts the shared details in the form.
pub fn show_shared(
    f: &mut Fields,
    (location, locations): (&Option<Location>, &[Location]),
    license: &Option<License>,
    persons: &[Person],
    txt: &[Txt],
    images: &[PodcastImage],
) {
    for (i, l) in location.iter().chain(locations).enumerate() {
        let cells = [
            ("name", Some(l.name.clone())),
            ("rel", l.rel.map(|r| r.as_str().to_string())),
            ("geo", l.geo.clone()),
            ("osm", l.osm.clone()),
            ("country", l.country.clone()),
        ];
        set_row(f, "locations", i, &cells);
    }
    if let Some(l) = license {
        f.set("license_name", l.name.clone());
        f.set_opt("license_url", l.url.as_ref());
    }
    show_persons(f, persons);
    for (i, t) in txt.iter().enumerate() {
        let cells = [
            ("purpose", t.purpose.clone()),
            ("value", Some(t.value.clone())),
        ];
        set_row(f, "txt", i, &cells);
    }
    for (i, m) in images.iter().enumerate() {
        let cells = [
            ("href", Some(m.href.clone())),
            ("alt", m.alt.clone()),
            ("aspect_ratio", m.aspect_ratio.clone()),
            ("width", m.width.map(|n| n.to_string())),
            ("height", m.height.map(|n| n.to_string())),
            ("type", m.mime_type.clone()),
            ("purpose", m.purpose.clone()),
        ];
        set_row(f, "images", i, &cells);
    }
}

/// Puts a chat room in the form.
pub fn show_chat(f: &mut Fields, chat: &Option<Chat>) {
    if let Some(c) = chat {
        f.set("chat_server", c.server.clone());
        f.set("chat_protocol", c.protocol.clone());
        f.set_opt("chat_account_id", c.account_id.as_ref());
        f.set_opt("chat_space", c.space.as_ref());
    }
}

/// Puts comment threads in the form.
pub fn show_social(f: &mut Fields, threads: &[SocialInteract]) {
    for (i, s) in threads.iter().enumerate() {
        let cells = [
            ("protocol", Some(s.protocol.clone())),
            ("uri", s.uri.clone()),
            ("account_id", s.account_id.clone()),
            ("account_url", s.account_url.clone()),
            ("priority", s.priority.map(|n| n.to_string())),
        ];
        set_row(f, "social_interact", i, &cells);
    }
}

impl PodcastingForm {
    /// The chat room as sent; none when all its inputs are empty.
    /// The `persons` rows as sent.
    pub(super) fn persons(&self) -> Vec<Person> {
        let cell = |i: usize, key: &str| self.cell("persons", i, key);
        self.rows("persons", PERSONS)
            .into_iter()
            .map(|i| Person {
                name: cell(i, "name").unwrap_or_default(),
                role: cell(i, "role"),
                group: cell(i, "group"),
                img: cell(i, "img"),
                href: cell(i, "href"),
            })
            .collect()
    }

    pub(super) fn chat(&self) -> Option<Chat> {
        let names = [
            "chat_server",
            "chat_protocol",
            "chat_account_id",
            "chat_space",
        ];
        names.iter().any(|n| self.v(n).is_some()).then(|| Chat {
            server: self.opt("chat_server").unwrap_or_default(),
            protocol: self.opt("chat_protocol").unwrap_or_default(),
            account_id: self.opt("chat_account_id"),
            space: self.opt("chat_space"),
        })
    }

    /// The comment threads as sent, with the errors of what does not even parse.
    pub(super) fn social(&self, f: &mut Fields) -> Vec<SocialInteract> {
        let field = "social_interact";
        let cell = |i: usize, key: &str| self.cell(field, i, key);
        let mut threads = Vec::new();
        for i in self.rows(field, SOCIAL) {
            let priority = cell(i, "priority").and_then(|raw| {
                raw.parse()
                    .map_err(|_| f.error(field, format!("{raw:?} is not a whole number")))
                    .ok()
            });
            threads.push(SocialInteract {
                protocol: cell(i, "protocol").unwrap_or_default(),
                uri: cell(i, "uri"),
                account_id: cell(i, "account_id"),
                account_url: cell(i, "account_url"),
                priority,
            });
        }
        threads
    }

    /// Row `i`'s `key` cell of group `field`, trimmed; none when empty.
    pub(super) fn cell(&self, field: &str, i: usize, key: &str) -> Option<String> {
        self.opt(&format!("{field}_{i}_{key}"))
    }

    /// The shared details as sent, with the errors of what does not even parse.
    pub(super) fn shared(&self, f: &mut Fields) -> Shared {
        let cell = |field: &str, i: usize, key: &str| self.cell(field, i, key);
        let any = |names: &[&str]| names.iter().any(|n| self.v(n).is_some());
        let mut images = Vec::new();
        for i in self.rows("images", IMAGES) {
            let mut pixels = |key: &str| {
                let raw = cell("images", i, key)?;
                raw.parse::<u32>()
                    .map_err(|_| f.error("images", format!("{raw:?} is not a number of pixels")))
                    .ok()
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
        let mut locations = Vec::new();
        for i in self.rows("locations", LOCATIONS) {
            let rel = cell("locations", i, "rel").and_then(|r| {
                r.parse::<LocationRel>()
                    .map_err(|_| f.error("locations", "say subject or creator for each place"))
                    .ok()
            });
            locations.push(Location {
                name: cell("locations", i, "name").unwrap_or_default(),
                geo: cell("locations", i, "geo"),
                osm: cell("locations", i, "osm"),
                rel,
                country: cell("locations", i, "country"),
            });
        }
        let location = (!locations.is_empty()).then(|| locations.remove(0));
        Shared {
            location,
            locations,
            license: any(&["license_name", "license_url"]).then(|| License {
                name: self.opt("license_name").unwrap_or_default(),
                url: self.opt("license_url"),
            }),
            persons: self.persons(),
            txt: self
                .rows("txt", TXT)
                .into_iter()
                .map(|i| Txt {
                    purpose: cell("txt", i, "purpose"),
                    value: cell("txt", i, "value").unwrap_or_default(),
                })
                .collect(),
            images,
        }
    }
}
