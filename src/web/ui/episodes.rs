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
    episode_form::{field_name, fields_of, Action, EpisodeForm},
    error::UiError,
    form::Fields,
    notes::NotesView,
    page::{render, render_status, see_other, Layout},
    session::{CsrfForm, Session},
    time,
};
use crate::app::{episodes, shows};
use crate::domain::notes::NotesFormat;
use crate::domain::{EpisodeState, EpisodeType};
use crate::web::AppState;

fn notes_format(f: &Fields) -> NotesFormat {
    NotesFormat::parse(f.v("notes_format")).unwrap_or_default()
}

pub struct ListedEpisode {
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
    episodes: Vec<ListedEpisode>,
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
        .map(|e| ListedEpisode {
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
    /// The stored episode's state: which publishing actions the form offers (none when new).
    state: Option<EpisodeState>,
    f: Fields,
    notes: NotesView,
    tz: String,
    media_types: &'static [&'static str],
}

impl FormPage {
    /// `new`, `draft`, `scheduled` or `published`: which publishing buttons the form shows.
    fn phase(&self) -> &'static str {
        self.state.map_or("new", EpisodeState::as_str)
    }
}

async fn form_page(
    app: &AppState,
    session: &Session,
    slug: &str,
    show_title: String,
    editing: Option<(Uuid, EpisodeState)>,
    f: Fields,
    notice: Option<&str>,
) -> Result<FormPage, UiError> {
    let (id, state) = (editing.map(|e| e.0), editing.map(|e| e.1));
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
        state,
        notes: NotesView::of(notes_format(&f), f.v("description")),
        f,
        tz: session.tz.name().to_string(),
        media_types: crate::feed::validate::APPLE_ENCLOSURE_TYPES,
    })
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
        Some((id, episode.state(Utc::now()))),
        f,
        q.notice.as_deref(),
    )
    .await?;
    render(&page)
}

/// Saves a new episode (`id` none) or an edit, as the button pressed asks: save a draft,
/// publish now, schedule, or save and keep the state; `preview` only shows the notes.
async fn save(
    app: AppState,
    session: Session,
    slug: String,
    id: Option<Uuid>,
    CsrfForm { form, raw }: CsrfForm<EpisodeForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let show = shows::get(&app.app, who, &slug).await?;
    let now = Utc::now();
    let stored = match id {
        Some(id) => Some(episodes::get(&app.app, who, &slug, id).await?),
        None => None,
    };
    let editing = stored.as_ref().map(|e| (e.id, e.state(now)));
    let shown = stored.as_ref().map(|e| fields_of(e, session.tz));
    let mut f = Fields::from_form(&raw);
    let action = form.action();
    let input = form.into_input(&mut f, session.tz, shown.as_ref(), now);
    if !f.has_errors() && action != Action::Preview {
        let saved = match id {
            None => episodes::create(&app.app, who, &slug, input).await,
            Some(id) => episodes::update(&app.app, who, &slug, id, input).await,
        };
        match saved {
            Ok(episode) => {
                let notice = match (id, episode.state(Utc::now())) {
                    (_, EpisodeState::Draft) if id.is_none() => "draft_saved",
                    (_, EpisodeState::Scheduled) if action == Action::Schedule => "scheduled",
                    (_, EpisodeState::Published) if action == Action::Publish => "published",
                    (Some(_), _) => "saved",
                    (None, _) => "created",
                };
                return Ok(see_other(&format!(
                    "/shows/{slug}/episodes?notice={notice}"
                )));
            }
            Err(err) => f.absorb(err, field_name)?,
        }
    }
    let page = form_page(&app, &session, &slug, show.fields.title, editing, f, None).await?;
    let status = if action == Action::Preview {
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
