//! One live stream's form: its title, times, status, stream and content links. Fields the
//! form does not show (people, value, alternate enclosures...) are kept as they are.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use chrono_tz::Tz;

use super::{
    alternates,
    error::UiError,
    flash::see_other_with,
    form::Fields,
    live::target,
    page::{render, render_status, Layout},
    podcasting::PERSONS,
    podcasting_form::PodcastingForm,
    podcasting_shared::{show_chat, show_persons, CHAT_PROTOCOLS},
    rows::{col, groups, Column, Group, GroupDef},
    session::{CsrfForm, Session},
    time,
};
use crate::app::{self, live, shows};
use crate::domain::{ContentLink, FieldErrors, LiveEnclosure, LiveItem, LiveStatus, Show};
use crate::web::AppState;

const LINKS: &[Column] = &[col("href", "URL", "url"), col("text", "Text", "text")];
const GROUPS: &[GroupDef] = &[
    (
        "content_links",
        "Where to watch or listen",
        "Pages that play the stream (your site, YouTube, Twitch...): apps that cannot play it send listeners there, so give at least one.",
        LINKS,
    ),
    (
        "alternate_enclosures",
        "Other streams",
        alternates::HINT,
        alternates::COLUMNS,
    ),
    (
        "persons",
        "People on the stream",
        "Hosts and guests, as apps list them under the stream (role such as host or guest).",
        PERSONS,
    ),
];
/// Stream formats most apps play, offered as suggestions.
const STREAM_TYPES: &[&str] = &[
    "audio/mpeg",
    "audio/aac",
    "video/mp4",
    "application/x-mpegURL",
];

#[derive(Template)]
#[template(path = "ui/shows/live_form.html")]
struct LiveFormPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    /// `new`, or the stream's number.
    at: String,
    guid: String,
    f: Fields,
    groups: Vec<Group>,
    statuses: &'static [LiveStatus],
    stream_types: &'static [&'static str],
    chat_protocols: &'static [&'static str],
}

fn fields_of(l: &LiveItem, tz: Tz) -> Fields {
    let mut f = Fields::default();
    f.set("title", &l.title);
    f.set_opt("description", l.description.as_ref());
    f.set_opt("link", l.link.as_ref());
    f.set_opt("start", l.start.map(|t| time::input_value(t, tz)));
    f.set_opt("end", l.end.map(|t| time::input_value(t, tz)));
    f.set("status", l.status.map_or("schedule", LiveStatus::as_str));
    if let Some(e) = &l.enclosure {
        f.set("enclosure_url", &e.url);
        f.set("enclosure_type", &e.mime_type);
    }
    f.set_opt("image_url", l.image_url.as_ref());
    for (i, c) in l.extras.content_links.iter().enumerate() {
        f.set(&format!("content_links_{i}_href"), &c.href);
        f.set(&format!("content_links_{i}_text"), &c.text);
    }
    show_persons(&mut f, &l.extras.persons);
    show_chat(&mut f, &l.extras.chat);
    alternates::show(&mut f, &l.extras.alternate_enclosures);
    f
}

/// What the form sets, as a change of the stored live item; errors of what does not parse go
/// to `f`.
fn filler(
    form: &PodcastingForm,
    f: &mut Fields,
    tz: Tz,
) -> impl FnOnce(LiveItem) -> LiveItem + Send {
    let mut when = |name: &str| match form.v(name).map(|raw| time::parse_input(raw, tz)) {
        Some(Ok(t)) => Some(t),
        Some(Err(why)) => {
            f.error(name, why);
            None
        }
        None => None,
    };
    let (start, end) = (when("start"), when("end"));
    let status = match form.v("status").unwrap_or("schedule") {
        "schedule" => None,
        other => match other.parse() {
            Ok(s) => Some(s),
            Err(_) => {
                f.error("status", "must be one of the choices");
                None
            }
        },
    };
    let enclosure = match (form.opt("enclosure_url"), form.opt("enclosure_type")) {
        (None, None) => None,
        (url, mime_type) => Some(LiveEnclosure {
            url: url.unwrap_or_default(),
            mime_type: mime_type.unwrap_or_else(|| "audio/mpeg".into()),
            length: None,
        }),
    };
    let links = form
        .rows("content_links", LINKS)
        .into_iter()
        .map(|i| ContentLink {
            href: form.cell("content_links", i, "href").unwrap_or_default(),
            text: form.cell("content_links", i, "text").unwrap_or_default(),
        });
    let content_links: Vec<ContentLink> = links.collect();
    let persons = form.persons();
    let chat = form.chat();
    let alternate_enclosures = alternates::read(form, f);
    let (title, description) = (form.opt("title"), form.opt("description"));
    let (link, image_url) = (form.opt("link"), form.opt("image_url"));
    move |mut l: LiveItem| {
        let length = l.enclosure.as_ref().and_then(|e| e.length);
        l.title = title.unwrap_or_default();
        l.description = description;
        l.link = link;
        l.start = start;
        l.end = end;
        l.status = status;
        l.enclosure = enclosure.map(|e| LiveEnclosure { length, ..e });
        l.image_url = image_url;
        l.extras.content_links = content_links;
        l.extras.persons = persons;
        l.extras.chat = chat;
        l.extras.alternate_enclosures = alternate_enclosures;
        l
    }
}

/// Puts the use case's errors beside the form's inputs: each field of the live item comes as
/// `live_items.N.field`, beside `live_items`, which sums them up (and alone says what is not
/// about one item, such as too many).
fn show_errors(f: &mut Fields, errors: FieldErrors) {
    let detailed = errors.0.keys().any(|k| k.starts_with("live_items."));
    for (key, why) in errors.0 {
        match key
            .strip_prefix("live_items.")
            .and_then(|k| k.split_once('.'))
        {
            Some((_, field)) => f.error(form_field(field), why),
            None if detailed && key == "live_items" => {}
            None => f.error("_form", why),
        }
    }
}

/// The input of a live item's field.
fn form_field(field: &str) -> &'static str {
    match field {
        "title" => "title",
        "description" => "description",
        "link" => "link",
        "end" => "end",
        "enclosure" => "enclosure_url",
        "image_url" => "image_url",
        "content_links" => "content_links",
        "persons" => "persons",
        "alternate_enclosures" => "alternate_enclosures",
        "chat" => "chat_server",
        _ => "_form",
    }
}

async fn page(
    state: &AppState,
    session: &Session,
    show: &Show,
    (at, guid): (String, String),
    f: Fields,
    more: &str,
) -> Result<LiveFormPage, UiError> {
    let layout = Layout::new(state, Some(session), "Live stream", "shows").await?;
    Ok(LiveFormPage {
        layout,
        slug: show.fields.slug.clone(),
        tab: "live",
        title: show.fields.title.clone(),
        at,
        guid,
        groups: groups(GROUPS, &f, more),
        f,
        statuses: LiveStatus::ALL,
        stream_types: STREAM_TYPES,
        chat_protocols: CHAT_PROTOCOLS,
    })
}

pub async fn new_page(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let mut f = Fields::default();
    f.set("status", "schedule");
    let at = ("new".to_string(), String::new());
    render(&page(&state, &session, &show, at, f, "").await?)
}

pub async fn edit_page(
    State(state): State<AppState>,
    session: Session,
    Path((slug, n)): Path<(String, usize)>,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let item = n.checked_sub(1).and_then(|i| live::find(&show, i));
    let item = item.ok_or(UiError::NotFound)?;
    let (f, at) = (
        fields_of(item, session.tz),
        (n.to_string(), item.guid.clone()),
    );
    render(&page(&state, &session, &show, at, f, "").await?)
}

pub async fn create(
    state: State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    form: CsrfForm<PodcastingForm>,
) -> Result<Response, UiError> {
    save(state, session, slug, None, form).await
}

pub async fn update(
    state: State<AppState>,
    session: Session,
    Path((slug, n)): Path<(String, usize)>,
    form: CsrfForm<PodcastingForm>,
) -> Result<Response, UiError> {
    save(state, session, slug, Some(n), form).await
}

async fn save(
    State(state): State<AppState>,
    session: Session,
    slug: String,
    n: Option<usize>,
    CsrfForm { form, raw }: CsrfForm<PodcastingForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let show = shows::get(&state.app, who, &slug).await?;
    let mut f = Fields::from_form(&raw);
    let guid = form.opt("guid").unwrap_or_default();
    let at = (n.map_or("new".into(), |n| n.to_string()), guid.clone());
    let action = form.action().to_string();
    if let Some(group) = action.strip_prefix("add_") {
        return render(&page(&state, &session, &show, at, f, group).await?);
    }
    let target = match n {
        Some(n) => target(n, guid)?,
        None => live::Stream::New,
    };
    let edit = if action == "remove" {
        if !f.checked("confirm") {
            f.error("confirm", "tick the box to remove this live stream");
        }
        live::Edit::Remove
    } else {
        live::Edit::Save(Box::new(filler(&form, &mut f, session.tz)))
    };
    if f.has_errors() && action != "remove" {
        // The stored checks too, so that one submit shows every error.
        let again = live::Edit::Save(Box::new(filler(&form, &mut f, session.tz)));
        if let Err(app::Error::Invalid(errors)) = live::check(&show, target.clone(), again) {
            show_errors(&mut f, errors);
        }
    }
    if !f.has_errors() {
        match live::edit(&state.app, who, &slug, target, edit).await {
            Ok(_) => return Ok(see_other_with(&format!("/shows/{slug}/live"), "saved")),
            Err(app::Error::Invalid(errors)) => show_errors(&mut f, errors),
            Err(err) => f.absorb(err, str::to_string)?,
        }
    }
    let page = page(&state, &session, &show, at, f, "").await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
