//! An episode's Podcasting 2.0 form: what it shows of a stored episode, and what it sends back
//! as the use case's input.

use super::{
    alternates,
    form::Fields,
    podcasting_form::PodcastingForm,
    podcasting_shared::{set_row, show_chat, show_shared, show_social},
    rows::{col, pick, suggest, Column},
    value_form::{show_values, values_of},
};
use crate::domain::{ContentLink, Episode, EpisodeInput, Funding, Soundbite, Transcript};

pub(super) const SOUNDBITES: &[Column] = &[
    col("start_time", "Starts at (seconds)", "number"),
    col("duration", "Length (seconds)", "number"),
    col("title", "Title", "text"),
];
pub(super) const LINKS: &[Column] = &[col("href", "URL", "url"), col("text", "Text", "text")];
pub(super) const TRANSCRIPTS: &[Column] = &[
    col("url", "URL", "url"),
    suggest("type", "Type", TRANSCRIPT_TYPES),
    col("language", "Language", "text"),
    pick("rel", "Kind", &["captions"], "transcript"),
];
pub(super) const FUNDING: &[Column] = &[col("url", "URL", "url"), col("label", "Label", "text")];

/// The transcript types the spec names.
const TRANSCRIPT_TYPES: &[&str] = &[
    "text/plain",
    "text/html",
    "text/vtt",
    "application/json",
    "application/x-subrip",
];

/// The stored episode's details as the form shows them.
pub(super) fn fields_of(e: &Episode) -> Fields {
    let x = &e.fields.extras;
    let mut f = Fields::default();
    f.set_opt("season_name", x.season_name.as_ref());
    f.set_opt("episode_display", x.episode_display.as_ref());
    f.set_opt("episode_number", x.episode_number);
    f.set_flag("itunes_block", x.itunes_block);
    let (persons, txt, images) = (&x.persons, &x.txt, &x.images);
    let place = (&x.location, &x.locations[..]);
    show_shared(&mut f, place, &x.license, persons, txt, images);
    show_values(&mut f, &x.value);
    show_chat(&mut f, &x.chat);
    let mut row =
        |field: &str, i: usize, cells: &[(&str, Option<String>)]| set_row(&mut f, field, i, cells);
    for (i, s) in x.soundbites.iter().enumerate() {
        let cells = [
            ("start_time", Some(s.start_time.to_string())),
            ("duration", Some(s.duration.to_string())),
            ("title", s.title.clone()),
        ];
        row("soundbites", i, &cells);
    }
    for (i, l) in x.content_links.iter().enumerate() {
        let cells = [
            ("href", Some(l.href.clone())),
            ("text", Some(l.text.clone())),
        ];
        row("content_links", i, &cells);
    }
    for (i, t) in x.transcripts.iter().enumerate() {
        let cells = [
            ("url", Some(t.url.clone())),
            ("type", Some(t.mime_type.clone())),
            ("language", t.language.clone()),
            ("rel", t.rel.clone()),
        ];
        row("transcripts", i, &cells);
    }
    alternates::show(&mut f, &x.alternate_enclosures);
    show_social(&mut f, &x.social_interact);
    let mut row =
        |field: &str, i: usize, cells: &[(&str, Option<String>)]| set_row(&mut f, field, i, cells);
    for (i, u) in x.funding.iter().enumerate() {
        let cells = [
            ("url", Some(u.url.clone())),
            ("label", Some(u.label.clone())),
        ];
        row("funding", i, &cells);
    }
    f
}

/// The form as the use case's input, with the errors of what does not even parse.
pub(super) fn input_of(form: &PodcastingForm, f: &mut Fields) -> EpisodeInput {
    let shared = form.shared(f);
    let cell = |field: &str, i: usize, key: &str| form.cell(field, i, key);
    let seconds = |f: &mut Fields, i: usize, key: &str| -> f64 {
        let raw = cell("soundbites", i, key).unwrap_or_default();
        raw.parse::<f64>()
            .ok()
            .filter(|s| s.is_finite())
            .unwrap_or_else(|| {
                f.error("soundbites", format!("{raw:?} is not a number of seconds"));
                0.0
            })
    };
    let mut soundbites = Vec::new();
    for i in form.rows("soundbites", SOUNDBITES) {
        let (start_time, duration) = (seconds(f, i, "start_time"), seconds(f, i, "duration"));
        let title = cell("soundbites", i, "title");
        soundbites.push(Soundbite {
            start_time,
            duration,
            title,
        });
    }
    let rows = |field: &str, columns: &[Column]| form.rows(field, columns);
    let content_links = rows("content_links", LINKS)
        .into_iter()
        .map(|i| ContentLink {
            href: cell("content_links", i, "href").unwrap_or_default(),
            text: cell("content_links", i, "text").unwrap_or_default(),
        })
        .collect();
    let transcripts = rows("transcripts", TRANSCRIPTS)
        .into_iter()
        .map(|i| Transcript {
            url: cell("transcripts", i, "url").unwrap_or_default(),
            mime_type: cell("transcripts", i, "type").unwrap_or_default(),
            language: cell("transcripts", i, "language"),
            rel: cell("transcripts", i, "rel"),
        })
        .collect();
    let funding = rows("funding", FUNDING)
        .into_iter()
        .map(|i| Funding {
            url: cell("funding", i, "url").unwrap_or_default(),
            label: cell("funding", i, "label").unwrap_or_default(),
        })
        .collect();
    let value = values_of(form, f);
    let alternate_enclosures = alternates::read(form, f);
    let episode_number = form
        .v("episode_number")
        .and_then(|raw| match raw.parse::<f64>() {
            Ok(n) => Some(n),
            Err(_) => {
                f.error("episode_number", "must be a number such as 100.5");
                None
            }
        });
    let social_interact = form.social(f);
    EpisodeInput {
        persons: Some(shared.persons),
        location: Some(shared.location),
        locations: Some(shared.locations),
        alternate_enclosures: Some(alternate_enclosures),
        value: Some(value),
        social_interact: Some(social_interact),
        chat: Some(form.chat()),
        license: Some(shared.license),
        txt: Some(shared.txt),
        soundbites: Some(soundbites),
        content_links: Some(content_links),
        transcripts: Some(transcripts),
        funding: Some(funding),
        season_name: Some(form.opt("season_name")),
        episode_display: Some(form.opt("episode_display")),
        episode_number: Some(episode_number),
        images: Some(shared.images),
        itunes_block: Some(form.v("itunes_block").is_some()),
        ..EpisodeInput::default()
    }
}
