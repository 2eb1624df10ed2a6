//! An episode's Podcasting 2.0 page: what the main episode form leaves out (people, place,
//! license, soundbites, links, further transcripts, funding, artwork, season name, episode
//! label, Apple's block), with the show page's repeatable rows.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use chrono::Utc;
use uuid::Uuid;

use super::{
    alternates,
    episode_podcasting_form::{fields_of, input_of, FUNDING, LINKS, SOUNDBITES, TRANSCRIPTS},
    error::UiError,
    flash::{see_other_with, Notice},
    form::Fields,
    page::{render, render_status, Layout},
    podcasting::{IMAGES, PERSONS, SOCIAL, TXT},
    podcasting_form::PodcastingForm,
    podcasting_shared::{place_group, CHAT_PROTOCOLS},
    rows::{groups, Group, GroupDef},
    session::{CsrfForm, Session},
    value_form::{section, ValueSection},
};
use crate::app::{episodes, shows};
use crate::domain::Episode;
use crate::web::AppState;

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
         (podcast:transcript): apps show a transcript as text beside the player, and \
         captions (with time codes) as subtitles. Give its type such as text/vtt and its \
         language, such as es.",
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
        "alternate_enclosures",
        "Other versions of the media",
        alternates::HINT,
        alternates::COLUMNS,
    ),
    (
        "social_interact",
        "Comments",
        "Where listeners comment on this episode (podcast:socialInteract): apps such as \
         Podverse and Fountain show the replies to this post beside the episode. Choose \
         disabled, with nothing else, to ask apps to show no comments.",
        SOCIAL,
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
    place: Group,
    value: ValueSection,
    value_scope: &'static str,
    groups: Vec<Group>,
    chat_protocols: &'static [&'static str],
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
        place: place_group(&f, more),
        value: section(&f, more),
        value_scope: "Set here, it replaces the show's value block for this episode (a guest's \
                      share, say).",
        chat_protocols: CHAT_PROTOCOLS,
        f,
    })
}

pub async fn edit_page(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
    notice: Notice,
) -> Result<Response, UiError> {
    let episode = episodes::get(&state.app, session.user.viewer(), &slug, id).await?;
    let f = fields_of(&episode);
    let notice = notice.code();
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
    if f.has_errors() {
        // The stored checks too, so that one submit shows every error.
        if let Err(errors) = input.apply(episode.fields.clone(), Utc::now()) {
            f.absorb(errors.into(), super::podcasting_form::field_name)?;
        }
    } else {
        match episodes::update(&state.app, who, &slug, id, input).await {
            Ok(_) => {
                let to = format!("/shows/{slug}/episodes/{id}/podcasting");
                return Ok(see_other_with(&to, "saved"));
            }
            Err(err) => f.absorb(err, super::podcasting_form::field_name)?,
        }
    }
    let page = page(&state, &session, &slug, &episode, f, "", None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
