//! The Podcasting 2.0 details a show's page and an episode's page share (location, license,
//! people, texts and artwork): shown and read back the same way on both.

use super::{
    form::Fields,
    podcasting::{IMAGES, PERSONS, TXT},
    podcasting_form::PodcastingForm,
};
use crate::domain::{License, Location, Person, PodcastImage, Txt};

/// Row `i` of group `field` as the form shows it, one input per cell.
pub fn set_row(f: &mut Fields, field: &str, i: usize, cells: &[(&str, Option<String>)]) {
    for (key, value) in cells {
        f.set_opt(&format!("{field}_{i}_{key}"), value.as_ref());
    }
}

/// The details both pages have, as read from a form or shown from what is stored.
pub struct Shared {
    pub location: Option<Location>,
    pub license: Option<License>,
    pub persons: Vec<Person>,
    pub txt: Vec<Txt>,
    pub images: Vec<PodcastImage>,
}

/// Puts the shared details in the form.
pub fn show_shared(
    f: &mut Fields,
    location: &Option<Location>,
    license: &Option<License>,
    persons: &[Person],
    txt: &[Txt],
    images: &[PodcastImage],
) {
    if let Some(l) = location {
        f.set("location_name", l.name.clone());
        f.set_opt("location_geo", l.geo.as_ref());
        f.set_opt("location_osm", l.osm.as_ref());
    }
    if let Some(l) = license {
        f.set("license_name", l.name.clone());
        f.set_opt("license_url", l.url.as_ref());
    }
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

impl PodcastingForm {
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
        Shared {
            location: any(&["location_name", "location_geo", "location_osm"]).then(|| Location {
                name: self.opt("location_name").unwrap_or_default(),
                geo: self.opt("location_geo"),
                osm: self.opt("location_osm"),
                ..Location::default()
            }),
            license: any(&["license_name", "license_url"]).then(|| License {
                name: self.opt("license_name").unwrap_or_default(),
                url: self.opt("license_url"),
            }),
            persons: self
                .rows("persons", PERSONS)
                .into_iter()
                .map(|i| Person {
                    name: cell("persons", i, "name").unwrap_or_default(),
                    role: cell("persons", i, "role"),
                    group: cell("persons", i, "group"),
                    img: cell("persons", i, "img"),
                    href: cell("persons", i, "href"),
                })
                .collect(),
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
