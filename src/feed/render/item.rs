//! One `<item>`: an episode.

use super::items;
use super::podcasting::{alternate_enclosure, license, location, persons, txt};
use super::writer::{clean_len, int, opt, pick, Body::*, W};
use crate::domain::{prefixed, Episode, EpisodeExtras};

/// An episode's item; its enclosure goes through `prefix` (analytics) when the show has one.
pub(super) fn item(w: &mut W, episode: &Episode, prefix: Option<&str>) {
    let e = &episode.fields;
    w.el("item", &[], Open);
    w.nested(|w| {
        w.text("title", &e.title);
        w.text("itunes:title", &e.title);
        w.el("description", &[], CData(&e.description));
        if clean_len(&e.description) > 0 {
            w.el("content:encoded", &[], CData(&e.description));
        }
        w.el("guid", &[("isPermaLink", "false")], Text(&e.guid));
        w.date("pubDate", e.publish_at);
        let mut buf = [0u8; 40];
        let len = int(&mut buf, e.enclosure_length);
        let url = prefixed(prefix, &e.enclosure_url);
        let enc = [("url", &*url), ("length", len), ("type", &e.enclosure_type)];
        w.el("enclosure", &enc, Empty);
        w.num("itunes:duration", e.duration_seconds);
        w.num("itunes:episode", e.episode);
        w.num("itunes:season", e.season);
        w.text("itunes:episodeType", e.episode_type.as_str());
        if let Some(x) = e.explicit {
            w.raw("itunes:explicit", pick(x, "true", "false"));
        }
        if let Some(img) = opt(&e.image_url) {
            w.el("itunes:image", &[("href", img)], Empty);
        }
        if let Some(url) = opt(&e.transcript_url) {
            let kind = opt(&e.transcript_type).unwrap_or_else(|| transcript_type(url));
            w.el("podcast:transcript", &[("url", url), ("type", kind)], Empty);
        }
        if let Some(url) = opt(&e.chapters_url) {
            let attrs = [("url", url), ("type", "application/json+chapters")];
            w.el("podcast:chapters", &attrs, Empty);
        }
        items::season(w, e.season, &e.extras);
        items::episode(w, e.episode, &e.extras);
        extras(w, &e.extras, opt(&e.transcript_url));
    });
    w.line("</item>");
}

/// The `podcast:` children that items and live items share; `transcript` is the one already
/// written, which the further transcripts do not repeat.
pub(super) fn extras(w: &mut W, x: &EpisodeExtras, transcript: Option<&str>) {
    items::item_tags(w, x, transcript);
    persons(w, &x.persons);
    location(w, &x.location, &x.locations);
    license(w, &x.license);
    txt(w, &x.txt);
    for a in &x.alternate_enclosures {
        alternate_enclosure(w, a);
    }
    super::value::values(w, &x.value);
    items::images(w, &x.images);
    super::listing::item(w, x);
}

/// The transcript format its URL suggests, for a transcript given without a type.
fn transcript_type(url: &str) -> &'static str {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("vtt") => "text/vtt",
        Some("srt") => "application/srt",
        Some("json") => "application/json",
        Some("html" | "htm") => "text/html",
        _ => "text/plain",
    }
}
