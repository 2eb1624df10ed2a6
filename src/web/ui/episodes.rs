//! A show's episodes: the list (state badges, search) and the editor (over `api::episodes`).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use chrono::Utc;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    error::UiError,
    form::Fields,
    page::{render, render_status, see_other, Layout},
    session::{CsrfForm, Session},
    time,
};
use crate::app::{episodes, shows};
use crate::domain::{
    Choice, Enclosure, Episode, EpisodeInput, EpisodeState, EpisodeStatus, EpisodeType,
};
use crate::web::AppState;

/// Show notes as the UI displays them: only allow-listed HTML (no scripts, event handlers or
/// `javascript:` links).
pub fn sanitize_notes(html: &str) -> String {
    ammonia::clean(html)
}

pub struct EpisodeRow {
    pub id: Uuid,
    pub title: String,
    pub state: &'static str,
    pub when: String,
    pub duration: String,
}

#[derive(Template)]
#[template(path = "ui/episodes/list.html")]
struct ListPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    q: String,
    state: String,
    episodes: Vec<EpisodeRow>,
    limit: usize,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    state: Option<String>,
    notice: Option<String>,
}

const LIST_LIMIT: usize = 200;

pub async fn list(
    State(app): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    Query(query): Query<SearchQuery>,
) -> Result<Response, UiError> {
    let q = query.q.unwrap_or_default();
    let filter: Option<EpisodeState> = query.state.as_deref().and_then(|s| s.parse().ok());
    let state = filter
        .map(EpisodeState::as_str)
        .unwrap_or_default()
        .to_string();
    let who = session.user.viewer();
    let limit = LIST_LIMIT as i64;
    let (show, found) = episodes::search(&app.app, who, &slug, &q, filter, limit).await?;
    let now = Utc::now();
    let episodes = found
        .iter()
        .map(|e| EpisodeRow {
            id: e.id,
            title: e.fields.title.clone(),
            state: e.state(now).as_str(),
            when: time::display(e.fields.publish_at, session.tz),
            duration: e
                .fields
                .duration_seconds
                .map(|d| time::duration(d.into()))
                .unwrap_or_default(),
        })
        .collect();
    let layout = Layout::new(
        &app,
        Some(&session),
        format!("Episodes of {}", show.fields.title),
        "shows",
    )
    .await?
    .with_notice(query.notice.as_deref());
    render(&ListPage {
        layout,
        slug,
        tab: "episodes",
        title: show.fields.title,
        q,
        state,
        episodes,
        limit: LIST_LIMIT,
    })
}

#[derive(Template)]
#[template(path = "ui/episodes/form.html")]
struct FormPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    show_title: String,
    id: Option<Uuid>,
    f: Fields,
    preview: String,
    tz: String,
    media_types: &'static [&'static str],
}

async fn form_page(
    app: &AppState,
    session: &Session,
    slug: &str,
    show_title: String,
    id: Option<Uuid>,
    f: Fields,
    notice: Option<&str>,
) -> Result<FormPage, UiError> {
    let title = if id.is_some() {
        "Edit episode"
    } else {
        "New episode"
    };
    let layout = Layout::new(app, Some(session), title, "shows")
        .await?
        .with_notice(notice);
    Ok(FormPage {
        layout,
        slug: slug.to_string(),
        tab: "episodes",
        show_title,
        id,
        preview: sanitize_notes(f.v("description")),
        f,
        tz: session.tz.name().to_string(),
        media_types: crate::feed::validate::APPLE_ENCLOSURE_TYPES,
    })
}

fn fields_of(e: &Episode, tz: chrono_tz::Tz) -> Fields {
    let x = &e.fields;
    let mut f = Fields::default();
    f.set("title", x.title.clone());
    f.set("description", x.description.clone());
    f.set("enclosure_url", x.enclosure_url.clone());
    f.set("enclosure_length", x.enclosure_length.to_string());
    f.set("enclosure_type", x.enclosure_type.clone());
    f.set_opt(
        "duration",
        x.duration_seconds.map(|d| time::duration(d.into())),
    );
    f.set_opt("season", x.season);
    f.set_opt("episode", x.episode);
    f.set("episode_type", x.episode_type.as_str());
    f.set(
        "explicit",
        match x.explicit {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        },
    );
    f.set_opt("image_url", x.image_url.as_ref());
    f.set_opt("transcript_url", x.transcript_url.as_ref());
    f.set_opt("transcript_type", x.transcript_type.as_ref());
    f.set_opt("chapters_url", x.chapters_url.as_ref());
    f.set("publish_at", time::input_value(x.publish_at, tz));
    f.set("status", x.status.as_str());
    f.set("guid", x.guid.clone());
    f
}

/// The episode form: what a browser sends, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EpisodeForm {
    title: String,
    description: String,
    enclosure_url: String,
    enclosure_length: String,
    enclosure_type: String,
    duration: String,
    season: String,
    episode: String,
    episode_type: String,
    explicit: String,
    image_url: String,
    transcript_url: String,
    transcript_type: String,
    chapters_url: String,
    publish_at: String,
    status: String,
    /// `preview` only shows the notes.
    action: String,
}

impl EpisodeForm {
    /// The form as the API's input, with the errors of what does not even parse.
    fn into_input(self, f: &mut Fields, tz: chrono_tz::Tz, creating: bool) -> EpisodeInput {
        let mut number = |name: &str, raw: &str| -> Option<Option<i64>> {
            let raw = raw.trim();
            if raw.is_empty() {
                return Some(None);
            }
            match raw.parse::<i64>() {
                Ok(n) => Some(Some(n)),
                Err(_) => {
                    f.error(name, "must be a whole number");
                    Some(None)
                }
            }
        };
        let length = number("enclosure_length", &self.enclosure_length)
            .flatten()
            .unwrap_or(0);
        let season = number("season", &self.season);
        let episode = number("episode", &self.episode);
        let duration = match time::parse_duration(&self.duration) {
            Ok(d) => Some(d),
            Err(e) => {
                f.error("duration", e);
                None
            }
        };
        let publish_at = match self.publish_at.trim() {
            "" if creating => None,
            "" => {
                f.error("publish_at", "is required");
                None
            }
            raw => time::parse_input(raw, tz)
                .map_err(|e| f.error("publish_at", e))
                .ok(),
        };
        EpisodeInput {
            title: Some(self.title),
            description: Some(Some(self.description)),
            enclosure: Some(Enclosure {
                url: self.enclosure_url.trim().to_string(),
                length,
                mime_type: self.enclosure_type,
            }),
            duration_seconds: duration,
            season,
            episode,
            episode_type: Some(Choice::parse(&self.episode_type)),
            explicit: Some(match self.explicit.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            }),
            image_url: Some(Some(self.image_url)),
            transcript_url: Some(Some(self.transcript_url)),
            transcript_type: Some(Some(self.transcript_type)),
            chapters_url: Some(Some(self.chapters_url)),
            publish_at,
            status: Some(Choice::parse(&self.status)),
            ..EpisodeInput::default()
        }
    }
}

fn field_name(api: &str) -> String {
    match api {
        "duration_seconds" => "duration".into(),
        "enclosure" => "enclosure_url".into(),
        other => other.replace('.', "_"),
    }
}

pub async fn new_page(
    State(app): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, UiError> {
    let show = shows::get(&app.app, session.user.viewer(), &slug).await?;
    let mut f = Fields::default();
    f.set("enclosure_type", "audio/mpeg");
    f.set("episode_type", EpisodeType::Full.as_str());
    f.set("status", EpisodeStatus::Published.as_str());
    let page = form_page(&app, &session, &slug, show.fields.title, None, f, None).await?;
    render(&page)
}

pub async fn edit_page(
    State(app): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
    Query(q): Query<super::auth::NoticeQuery>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let show = shows::get(&app.app, who, &slug).await?;
    let episode = episodes::get(&app.app, who, &slug, id).await?;
    let f = fields_of(&episode, session.tz);
    let page = form_page(
        &app,
        &session,
        &slug,
        show.fields.title,
        Some(id),
        f,
        q.notice.as_deref(),
    )
    .await?;
    render(&page)
}

/// Saves a new episode (`id` none) or an edit; `action=preview` only shows the notes.
async fn save(
    app: AppState,
    session: Session,
    slug: String,
    id: Option<Uuid>,
    CsrfForm { form, raw }: CsrfForm<EpisodeForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let show = shows::get(&app.app, who, &slug).await?;
    if let Some(id) = id {
        episodes::get(&app.app, who, &slug, id).await?;
    }
    let mut f = Fields::from_form(&raw);
    let preview = form.action == "preview";
    let input = form.into_input(&mut f, session.tz, id.is_none());
    if !f.has_errors() && !preview {
        let saved = match id {
            None => episodes::create(&app.app, who, &slug, input).await,
            Some(id) => episodes::update(&app.app, who, &slug, id, input).await,
        };
        match saved {
            Ok(_) => {
                let notice = if id.is_some() { "saved" } else { "created" };
                return Ok(see_other(&format!(
                    "/shows/{slug}/episodes?notice={notice}"
                )));
            }
            Err(err) => f.absorb(err, field_name)?,
        }
    }
    let page = form_page(&app, &session, &slug, show.fields.title, id, f, None).await?;
    let status = if preview {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(status, &page)
}

pub async fn create(
    State(app): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    form: CsrfForm<EpisodeForm>,
) -> Result<Response, UiError> {
    save(app, session, slug, None, form).await
}

pub async fn update(
    State(app): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
    form: CsrfForm<EpisodeForm>,
) -> Result<Response, UiError> {
    save(app, session, slug, Some(id), form).await
}
