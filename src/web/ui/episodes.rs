//! A show's episode editor (over `api::episodes`); the list is in `episode_list`.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    episode_form::{field_name, fields_of, Action, EpisodeForm},
    error::UiError,
    flash::{see_other_with, Notice},
    form::Fields,
    notes::NotesView,
    page::{render, render_status, Layout},
    session::{CsrfForm, Session},
};
use crate::app::{episodes, shows};
use crate::domain::{Episode, EpisodeFields, EpisodeInput, EpisodeState, EpisodeType};
use crate::web::AppState;

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
        notes: NotesView::episode(slug, &f),
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
    notice: Notice,
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
        notice.code(),
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
    if action != Action::Preview {
        check_all(&mut f, input.clone(), stored.as_ref(), now)?;
    }
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
                return Ok(see_other_with(&format!("/shows/{slug}/episodes"), notice));
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

/// What the checks say about `input` beside the form's own errors (a number that is not
/// one): every error of a submit at once, not the next one after each fix.
fn check_all(
    f: &mut Fields,
    input: EpisodeInput,
    stored: Option<&Episode>,
    now: DateTime<Utc>,
) -> Result<(), UiError> {
    if stored.is_none() {
        if let Err(errors) = input.check_required() {
            f.absorb(errors.into(), field_name)?;
        }
    }
    let base = stored.map_or_else(|| EpisodeFields::new_at(now), |e| e.fields.clone());
    if let Err(errors) = input.apply(base, now) {
        f.absorb(errors.into(), field_name)?;
    }
    Ok(())
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
