//! An episode's Podcasting 2.0 page: what the main episode form leaves out (people, place,
//! license, soundbites, links, further transcripts, funding, artwork, season name, episode
//! label, Apple's block), with the show page's repeatable rows.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use uuid::Uuid;

use super::{
    auth::NoticeQuery,
    error::UiError,
    form::Fields,
    page::{render, render_status, see_other, Layout},
    podcasting::{col, groups, Column, Group, GroupDef, IMAGES, PERSONS, TXT},
    podcasting_form::PodcastingForm,
    podcasting_shared::{set_row, show_shared},
    session::{CsrfForm, Session},
};
use crate::app::{episodes, shows};
use crate::domain::{ContentLink, Episode, EpisodeInput, Funding, Soundbite, Transcript};
use crate::web::AppState;

const SOUNDBITES: &[Column] = &[
    col("start_time", "Starts at (seconds)", "number"),
    col("duration", "Length (seconds)", "number"),
    col("title", "Title", "text"),
];
const LINKS: &[Column] = &[col("href", "URL", "url"), col("text", "Text", "text")];
const TRANSCRIPTS: &[Column] = &[
    col("url", "URL", "url"),
    col("type", "Type", "text"),
    col("language", "Language", "text"),
    col("rel", "Captions (rel)", "text"),
];
const FUNDING: &[Column] = &[col("url", "URL", "url"), col("label", "Label", "text")];

const GROUPS: &[GroupDef] = &[
    (
        "persons",
        "People",
        "Who is on this episode (podcast:person): hosts, guests and crew, shown by apps \
         with their photo and link.",
        PERSONS,
    ),
    (
        "soundbites",
        "Soundbites",
        "Moments apps can play as a preview (podcast:soundbite): where it starts and how \
         long it runs, 15 to 120 seconds.",
        SOUNDBITES,
    ),
    (
        "content_links",
        "Elsewhere",
        "Where this episode can also be found (podcast:contentLink): a video, a live \
         stream, an article.",
        LINKS,
    ),
    (
        "transcripts",
        "More transcripts",
        "Further transcripts or captions besides the one on the episode form \
         (podcast:transcript): its type such as text/vtt, its language, and captions in \
         Captions for caption files.",
        TRANSCRIPTS,
    ),
    (
        "funding",
        "Support this episode",
        "Links where listeners can support this episode (podcast:funding).",
        FUNDING,
    ),
    (
        "images",
        "Artwork",
        "Further images of this episode (podcast:image), e.g. a 16/9 one for video apps.",
        IMAGES,
    ),
    (
        "txt",
        "Texts",
        "Free text for services that read it (podcast:txt).",
        TXT,
    ),
];

#[derive(Template)]
#[template(path = "ui/episodes/podcasting.html")]
struct EpisodePodcastingPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    show_title: String,
    id: Uuid,
    title: String,
    f: Fields,
    groups: Vec<Group>,
}

/// The stored episode's details as the form shows them.
fn fields_of(e: &Episode) -> Fields {
    let x = &e.fields.extras;
    let mut f = Fields::default();
    f.set_opt("season_name", x.season_name.as_ref());
    f.set_opt("episode_display", x.episode_display.as_ref());
    f.set_flag("itunes_block", x.itunes_block);
    let (persons, txt, images) = (&x.persons, &x.txt, &x.images);
    show_shared(&mut f, &x.location, &x.license, persons, txt, images);
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
fn input_of(form: &PodcastingForm, f: &mut Fields) -> EpisodeInput {
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
    EpisodeInput {
        persons: Some(shared.persons),
        location: Some(shared.location),
        license: Some(shared.license),
        txt: Some(shared.txt),
        soundbites: Some(soundbites),
        content_links: Some(content_links),
        transcripts: Some(transcripts),
        funding: Some(funding),
        season_name: Some(form.opt("season_name")),
        episode_display: Some(form.opt("episode_display")),
        images: Some(shared.images),
        itunes_block: Some(form.v("itunes_block").is_some()),
        ..EpisodeInput::default()
    }
}

async fn page(
    state: &AppState,
    session: &Session,
    slug: &str,
    episode: &Episode,
    f: Fields,
    more: &str,
    notice: Option<&str>,
) -> Result<EpisodePodcastingPage, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), slug).await?;
    let layout = Layout::new(state, Some(session), "Episode details", "shows")
        .await?
        .with_notice(notice);
    Ok(EpisodePodcastingPage {
        layout,
        slug: slug.to_string(),
        tab: "episodes",
        show_title: show.fields.title,
        id: episode.id,
        title: episode.fields.title.clone(),
        groups: groups(GROUPS, &f, more),
        f,
    })
}

pub async fn edit_page(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let episode = episodes::get(&state.app, session.user.viewer(), &slug, id).await?;
    let f = fields_of(&episode);
    let notice = q.notice.as_deref();
    render(&page(&state, &session, &slug, &episode, f, "", notice).await?)
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
    CsrfForm { form, raw }: CsrfForm<PodcastingForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let episode = episodes::get(&state.app, who, &slug, id).await?;
    let mut f = Fields::from_form(&raw);
    if let Some(group) = form.action().strip_prefix("add_") {
        let group = group.to_string();
        return render(&page(&state, &session, &slug, &episode, f, &group, None).await?);
    }
    let input = input_of(&form, &mut f);
    if !f.has_errors() {
        match episodes::update(&state.app, who, &slug, id, input).await {
            Ok(_) => {
                let to = format!("/shows/{slug}/episodes/{id}/podcasting?notice=saved");
                return Ok(see_other(&to));
            }
            Err(err) => f.absorb(err, super::podcasting_form::field_name)?,
        }
    }
    let page = page(&state, &session, &slug, &episode, f, "", None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
