//! A show's Podcasting 2.0 page: the details the main settings form leaves out (medium,
//! people, place, license, verification texts, trailers, the podroll, Podping and the feed's
//! size), with repeatable rows that work without JavaScript.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

use super::{
    error::UiError,
    flash::{see_other_with, Notice},
    form::Fields,
    page::{render, render_status, Layout},
    podcasting_form::{field_name, fields_of, PodcastingForm},
    podcasting_shared::{place_group, CHAT_PROTOCOLS},
    rows::{col, groups, pick, suggest, Column, Group, GroupDef},
    session::{CsrfForm, Session},
    value_form::{section, ValueSection},
};
use crate::app::shows;
use crate::domain::{Medium, Show, SERVICE_SLUGS, SOCIAL_PROTOCOLS};
use crate::web::AppState;

pub(super) const PERSONS: &[Column] = &[
    col("name", "Name", "text"),
    suggest("role", "Role", PERSON_ROLES),
    suggest("group", "Group", PERSON_GROUPS),
    col("img", "Photo URL", "url"),
    col("href", "Web page", "url"),
];
pub(super) const TXT: &[Column] = &[
    col("purpose", "Purpose", "text"),
    col("value", "Text", "text"),
];
pub(super) const TRAILERS: &[Column] = &[
    col("title", "Title", "text"),
    col("url", "Media URL", "url"),
    col("pubdate", "Date", "datetime-local"),
    col("length", "Size in bytes", "number"),
    col("type", "Media type", "text"),
    col("season", "Season", "number"),
];
pub(super) const IMAGES: &[Column] = &[
    col("href", "Image URL", "url"),
    col("alt", "Description", "text"),
    col("aspect_ratio", "Aspect ratio", "text"),
    col("width", "Width", "number"),
    col("height", "Height", "number"),
    suggest(
        "type",
        "Media type",
        &["image/jpeg", "image/png", "image/webp", "image/avif"],
    ),
    suggest("purpose", "Purpose", IMAGE_PURPOSES),
];
/// Common roles and groups of the Podcast Taxonomy Project, which has many more.
const PERSON_ROLES: &[&str] = &[
    "host",
    "co-host",
    "guest host",
    "guest",
    "producer",
    "editor",
    "audio engineer",
    "composer",
    "cover art designer",
    "writer",
];
const PERSON_GROUPS: &[&str] = &[
    "cast",
    "writing",
    "audio production",
    "audio post-production",
    "creative direction",
    "visuals",
    "community",
    "administration",
];
/// The purposes the spec suggests for `podcast:image`; apps may define others.
const IMAGE_PURPOSES: &[&str] = &[
    "artwork",
    "social",
    "canvas",
    "banner",
    "publisher",
    "circular",
    "poster",
];
pub(super) const BLOCKS: &[Column] = &[
    pick("id", "Service", SERVICE_SLUGS, "All services"),
    pick("block", "Block", &["yes", "no"], "(choose)"),
];
pub(super) const SOCIAL: &[Column] = &[
    pick("protocol", "Protocol", SOCIAL_PROTOCOLS, "(choose)"),
    col("uri", "Root post URI", "text"),
    col("account_id", "Account", "text"),
    col("account_url", "Account URL", "url"),
    col("priority", "Priority", "number"),
];
pub(super) const LIST_ITEMS: &[Column] = &[
    col("feed_guid", "Podcast GUID", "text"),
    col("feed_url", "Feed URL", "url"),
    col("item_guid", "Item guid", "text"),
    pick("medium", "Medium", Medium::WORDS, "(not said)"),
    col("title", "Title", "text"),
];
pub(super) const PODROLL: &[Column] = &[
    col("feed_guid", "Podcast GUID", "text"),
    col("feed_url", "Feed URL", "url"),
];

/// The show page's groups, in page order.
const GROUPS: &[GroupDef] = &[
    (
        "persons",
        "People",
        "Hosts, guests and crew (podcast:person). Apps show them with their photo and link; \
         the role and group come from the Podcast Index taxonomy, e.g. host, guest, producer.",
        PERSONS,
    ),
    (
        "txt",
        "Verification texts",
        "Free text for services that ask you to prove the feed is yours (podcast:txt), with a \
         purpose such as verify.",
        TXT,
    ),
    (
        "trailers",
        "Trailers",
        "Short previews apps can play before someone subscribes (podcast:trailer).",
        TRAILERS,
    ),
    (
        "images",
        "More artwork",
        "Further images (podcast:image) for apps that want another shape or size than the square \
         artwork: e.g. a 16/9 banner, with purpose banner or social. The description is read \
         aloud by screen readers.",
        IMAGES,
    ),
    (
        "podcast_block",
        "Blocked services",
        "Ask directories not to list the show (podcast:block): choose All services or one \
         service from the namespace's list, then yes to keep it out or no to let it in (e.g. all \
         services yes, then apple no: only Apple lists the show).",
        BLOCKS,
    ),
    (
        "social_interact",
        "Comments",
        "Where listeners comment on the show (podcast:socialInteract): apps such as Podverse \
         and Fountain show the replies to this root post. Choose the protocol it lives on \
         (activitypub for Mastodon, atproto for Bluesky, nostr...), or disabled alone to ask \
         apps to show no comments. With several, the lowest priority number comes first.",
        SOCIAL,
    ),
    (
        "remote_items",
        "List entries",
        "For a list feed (medium podcastL, musicL...): the feeds or items it lists \
         (podcast:remoteItem). A list feed has no episodes of its own.",
        LIST_ITEMS,
    ),
    (
        "podroll",
        "Podroll",
        "Other podcasts you recommend (podcast:podroll); apps list them beside yours.",
        PODROLL,
    ),
];

#[derive(Template)]
#[template(path = "ui/shows/podcasting.html")]
struct PodcastingPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    f: Fields,
    place: Group,
    value: ValueSection,
    value_scope: &'static str,
    groups: Vec<Group>,
    mediums: &'static [Medium],
    chat_protocols: &'static [&'static str],
}

async fn page(
    state: &AppState,
    session: &Session,
    show: &Show,
    f: Fields,
    more: &str,
    notice: Option<&str>,
) -> Result<PodcastingPage, UiError> {
    let layout = Layout::new(state, Some(session), "Podcasting 2.0", "shows")
        .await?
        .with_notice(notice);
    Ok(PodcastingPage {
        layout,
        slug: show.fields.slug.clone(),
        tab: "podcasting",
        title: show.fields.title.clone(),
        groups: groups(GROUPS, &f, more),
        place: place_group(&f, more),
        value: section(&f, more),
        value_scope:
            "Set on the show, it applies to every episode without a value block of its own.",
        f,
        mediums: Medium::ALL,
        chat_protocols: CHAT_PROTOCOLS,
    })
}

pub async fn edit_page(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    notice: Notice,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let f = fields_of(&show, session.tz);
    render(&page(&state, &session, &show, f, "", notice.code()).await?)
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm { form, raw }: CsrfForm<PodcastingForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let show = shows::get(&state.app, who, &slug).await?;
    let mut f = Fields::from_form(&raw);
    let action = form.action().to_string();
    if let Some(group) = action.strip_prefix("add_") {
        return render(&page(&state, &session, &show, f, group, None).await?);
    }
    let input = form.into_input(&mut f, session.tz);
    if f.has_errors() {
        // The stored checks too, so that one submit shows every error.
        if let Err(errors) = input.apply(show.fields.clone()) {
            f.absorb(errors.into(), field_name)?;
        }
    } else {
        match shows::update(&state.app, who, &slug, input).await {
            Ok(_) => {
                return Ok(see_other_with(
                    &format!("/shows/{slug}/podcasting"),
                    "saved",
                ))
            }
            Err(err) => f.absorb(err, field_name)?,
        }
    }
    let page = page(&state, &session, &show, f, "", None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
