//! Alternate enclosures (`podcast:alternateEnclosure`) as repeatable rows, on an episode's
//! Podcasting 2.0 page and on a live stream's form: what a row shows, and what it sends back.

use super::{
    form::Fields,
    podcasting_form::PodcastingForm,
    podcasting_shared::set_row,
    rows::{col, pick, suggest, Column},
};
use crate::domain::{AlternateEnclosure, Integrity};

/// What the group says to the podcaster.
pub(super) const HINT: &str = "Other files or streams of the same media \
    (podcast:alternateEnclosure): a smaller or better encoding, a video, another language. Apps \
    let listeners pick one, or pick the best for their connection. Tick Default on the one that \
    matches the main media file. Each needs its media type and at least one source URL, one a \
    line: https, or ipfs:// or magnet: followed by a space and the file's type (e.g. \
    magnet:?xt=... audio/opus). Codecs such as opus or avc1.4d401e,mp4a.40.2 help apps pick one \
    they can play; the integrity value (an SRI hash such as sha384-..., or a PGP signature) lets \
    apps check the download.";

pub(super) const COLUMNS: &[Column] = &[
    suggest("type", "Media type", MEDIA_TYPES),
    col("length", "Size in bytes", "number"),
    col("bitrate", "Bitrate (bit/s)", "number"),
    col("height", "Height (px)", "number"),
    col("lang", "Language", "text"),
    col("title", "Title", "text"),
    col("rel", "Group (rel)", "text"),
    col("codecs", "Codecs", "text"),
    col("default", "Default", "checkbox"),
    col("sources", "Sources (a URL a line)", "lines"),
    pick(
        "integrity_type",
        "Integrity",
        &["sri", "pgp-signature"],
        "none",
    ),
    col("integrity_value", "Integrity value", "text"),
];

/// Common media types of alternate enclosures.
const MEDIA_TYPES: &[&str] = &[
    "audio/mpeg",
    "audio/mp4",
    "audio/aac",
    "audio/opus",
    "audio/ogg",
    "audio/flac",
    "video/mp4",
    "video/webm",
    "application/x-mpegURL",
];

/// Puts the alternate enclosures in the form, a row each.
pub(super) fn show(f: &mut Fields, list: &[AlternateEnclosure]) {
    for (i, a) in list.iter().enumerate() {
        let integrity = a.integrity.as_ref();
        let cells = [
            ("type", Some(a.mime_type.clone())),
            ("length", a.length.map(|n| n.to_string())),
            ("bitrate", a.bitrate.map(|n| n.to_string())),
            ("height", a.height.map(|n| n.to_string())),
            ("lang", a.lang.clone()),
            ("title", a.title.clone()),
            ("rel", a.rel.clone()),
            ("codecs", a.codecs.clone()),
            ("default", a.default.then(|| "on".to_string())),
            ("sources", Some(source_lines(a))),
            ("integrity_type", integrity.map(|i| i.kind.clone())),
            ("integrity_value", integrity.map(|i| i.value.clone())),
        ];
        set_row(f, "alternate_enclosures", i, &cells);
    }
}

/// The alternate enclosures as sent, with the errors of what does not even parse.
pub(super) fn read(form: &PodcastingForm, f: &mut Fields) -> Vec<AlternateEnclosure> {
    let field = "alternate_enclosures";
    let cell = |i: usize, key: &str| form.cell(field, i, key);
    let mut list = Vec::new();
    for i in form.rows(field, COLUMNS) {
        let whole = |f: &mut Fields, key: &str, what: &str| -> Option<i64> {
            let raw = cell(i, key)?;
            raw.parse::<i64>()
                .map_err(|_| f.error(field, format!("{what} {raw:?} is not a whole number")))
                .ok()
        };
        let length = whole(f, "length", "the size");
        let height = whole(f, "height", "the height").map(|n| n.clamp(-1, 1 << 30) as i32);
        let bitrate = cell(i, "bitrate").and_then(|raw| {
            raw.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .or_else(|| {
                    f.error(field, format!("the bitrate {raw:?} is not a number"));
                    None
                })
        });
        let (mut sources, mut content_types) = (Vec::new(), std::collections::BTreeMap::new());
        for line in cell(i, "sources").unwrap_or_default().lines() {
            let (uri, kind) = line
                .trim()
                .split_once(char::is_whitespace)
                .unwrap_or((line.trim(), ""));
            if uri.is_empty() {
                continue;
            }
            if !kind.trim().is_empty() {
                content_types.insert(uri.to_string(), kind.trim().to_string());
            }
            sources.push(uri.to_string());
        }
        let (kind, value) = (cell(i, "integrity_type"), cell(i, "integrity_value"));
        let integrity = (kind.is_some() || value.is_some()).then(|| Integrity {
            kind: kind.unwrap_or_default(),
            value: value.unwrap_or_default(),
        });
        list.push(AlternateEnclosure {
            mime_type: cell(i, "type").unwrap_or_default(),
            length,
            bitrate,
            height,
            lang: cell(i, "lang"),
            title: cell(i, "title"),
            rel: cell(i, "rel"),
            codecs: cell(i, "codecs"),
            default: cell(i, "default").is_some(),
            sources,
            content_types,
            integrity,
        });
    }
    list
}

/// An alternate enclosure's sources, one a line, each followed by its content type if it has one.
fn source_lines(a: &AlternateEnclosure) -> String {
    let line = |uri: &String| match a.content_types.get(uri) {
        Some(kind) => format!("{uri} {kind}"),
        None => uri.clone(),
    };
    a.sources.iter().map(line).collect::<Vec<_>>().join("\n")
}
