//! The item-level `podcast:` elements of the items group, and `podcast:image`.

use super::writer::{clean_len, fmt, int, opt, Body::*, W};
use crate::domain::{EpisodeExtras, Integrity, PodcastImage};

/// `podcast:season`, with its `name` when it has one.
pub(super) fn season(w: &mut W, season: Option<i32>, x: &EpisodeExtras) {
    numbered(w, "podcast:season", season, ("name", opt(&x.season_name)));
}

/// `podcast:episode`, with its `display` when it has one; a number that is not whole (100.5)
/// takes the place of `episode`.
pub(super) fn episode(w: &mut W, episode: Option<i32>, x: &EpisodeExtras) {
    let display = ("display", opt(&x.episode_display));
    match x
        .episode_number
        .filter(|n| n.is_finite() && (0.0..1e9).contains(n))
    {
        Some(n) => w.el_opt(
            "podcast:episode",
            &[display],
            Raw(fmt(&mut [0; 40], format_args!("{n}"))),
        ),
        None => numbered(w, "podcast:episode", episode, display),
    }
}

fn numbered(w: &mut W, name: &str, n: Option<i32>, attr: (&str, Option<&str>)) {
    if let Some(n) = n {
        w.el_opt(name, &[attr], Raw(int(&mut [0; 40], n.into())));
    }
}

/// Soundbites, further transcripts, content links and funding of an item.
pub(super) fn item_tags(w: &mut W, x: &EpisodeExtras, transcript: Option<&str>) {
    let repeated = |url: &str| transcript.is_some_and(|t| t.trim() == url.trim());
    for t in x
        .transcripts
        .iter()
        .filter(|t| clean_len(&t.url) > 0 && !repeated(&t.url))
    {
        let attrs = [
            ("url", Some(&*t.url)),
            ("type", Some(&*t.mime_type)),
            ("language", opt(&t.language)),
            ("rel", opt(&t.rel)),
        ];
        w.el_opt("podcast:transcript", &attrs, Empty);
    }
    let seconds = |n: f64| n.is_finite() && (0.0..1e9).contains(&n);
    for s in x
        .soundbites
        .iter()
        .filter(|s| seconds(s.start_time) && seconds(s.duration))
    {
        let (mut start, mut duration) = ([0; 40], [0; 40]);
        let attrs = [
            (
                "startTime",
                fmt(&mut start, format_args!("{:?}", s.start_time)),
            ),
            (
                "duration",
                fmt(&mut duration, format_args!("{:?}", s.duration)),
            ),
        ];
        match opt(&s.title) {
            Some(title) => w.el("podcast:soundbite", &attrs, Text(title)),
            None => w.el("podcast:soundbite", &attrs, Empty),
        }
    }
    for l in x.content_links.iter().filter(|l| clean_len(&l.href) > 0) {
        w.el("podcast:contentLink", &[("href", &l.href)], Text(&l.text));
    }
    for f in x.funding.iter().filter(|f| clean_len(&f.url) > 0) {
        w.el("podcast:funding", &[("url", &f.url)], Text(&f.label));
    }
}

/// `podcast:image`s, of a channel or an item.
pub(super) fn images(w: &mut W, images: &[PodcastImage]) {
    for i in images.iter().filter(|i| clean_len(&i.href) > 0) {
        let (mut width, mut height) = ([0; 40], [0; 40]);
        let attrs = [
            ("href", Some(&*i.href)),
            ("alt", opt(&i.alt)),
            ("aspect-ratio", opt(&i.aspect_ratio)),
            ("width", i.width.map(|n| int(&mut width, n.into()))),
            ("height", i.height.map(|n| int(&mut height, n.into()))),
            ("type", opt(&i.mime_type)),
            ("purpose", opt(&i.purpose)),
        ];
        w.el_opt("podcast:image", &attrs, Empty);
    }
}

/// The `podcast:integrity` of an alternate enclosure.
pub(super) fn integrity(w: &mut W, integrity: &Option<Integrity>) {
    if let Some(i) = integrity.as_ref().filter(|i| clean_len(&i.value) > 0) {
        w.el(
            "podcast:integrity",
            &[("type", &i.kind), ("value", &i.value)],
            Empty,
        );
    }
}
