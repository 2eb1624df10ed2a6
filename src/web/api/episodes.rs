//! `/api/v1/shows/{slug}/episodes`: a show's episodes.

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::input::{merge, nullable, Checker};
use crate::db::{
    episodes::{self, Episode, EpisodeFields, EpisodePage},
    shows,
};
use crate::domain::{AlternateEnclosure, EpisodeExtras, License, Location, Person, Slug, Txt};
use crate::jobs::queue;
use crate::web::{
    api::shows::deleted,
    auth::CurrentUser,
    error::{on_constraint, ApiError},
    extract::{ApiJson, ApiPath, ApiQuery},
    AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Enclosure {
    pub url: String,
    pub length: i64,
    #[serde(rename = "type")]
    pub mime_type: String,
}

/// An episode as the API returns it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EpisodeView {
    id: Uuid,
    guid: String,
    title: String,
    description: String,
    enclosure: Enclosure,
    duration_seconds: Option<i32>,
    season: Option<i32>,
    episode: Option<i32>,
    #[schema(value_type = super::openapi::EpisodeType)]
    episode_type: String,
    explicit: Option<bool>,
    image_url: Option<String>,
    transcript_url: Option<String>,
    transcript_type: Option<String>,
    chapters_url: Option<String>,
    publish_at: DateTime<Utc>,
    #[schema(value_type = super::openapi::EpisodeStatus)]
    status: String,
    #[schema(value_type = super::openapi::EpisodeState)]
    state: &'static str,
    #[serde(flatten)]
    extras: EpisodeExtras,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl EpisodeView {
    fn new(e: Episode, now: DateTime<Utc>) -> EpisodeView {
        let state = e.state(now);
        let f = e.fields;
        EpisodeView {
            id: e.id,
            guid: f.guid,
            title: f.title,
            description: f.description,
            enclosure: Enclosure {
                url: f.enclosure_url,
                length: f.enclosure_length,
                mime_type: f.enclosure_type,
            },
            duration_seconds: f.duration_seconds,
            season: f.season,
            episode: f.episode,
            episode_type: f.episode_type,
            explicit: f.explicit,
            image_url: f.image_url,
            transcript_url: f.transcript_url,
            transcript_type: f.transcript_type,
            chapters_url: f.chapters_url,
            publish_at: f.publish_at,
            status: f.status,
            state,
            extras: f.extras,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// A page of episodes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EpisodeList {
    pub items: Vec<EpisodeView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// The writable fields; on PATCH any subset, and `null` clears an optional one.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EpisodeInput {
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub description: Option<Option<String>>,
    pub guid: Option<String>,
    pub enclosure: Option<Enclosure>,
    #[serde(default, deserialize_with = "nullable")]
    pub duration_seconds: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub season: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub episode: Option<Option<i64>>,
    #[schema(value_type = Option<super::openapi::EpisodeType>)]
    pub episode_type: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub explicit: Option<Option<bool>>,
    #[serde(default, deserialize_with = "nullable")]
    pub image_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub transcript_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub transcript_type: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub chapters_url: Option<Option<String>>,
    pub publish_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<super::openapi::EpisodeStatus>)]
    pub status: Option<String>,
    pub persons: Option<Vec<Person>>,
    #[serde(default, deserialize_with = "nullable")]
    pub location: Option<Option<Location>>,
    #[serde(default, deserialize_with = "nullable")]
    pub license: Option<Option<License>>,
    pub txt: Option<Vec<Txt>>,
    pub alternate_enclosures: Option<Vec<AlternateEnclosure>>,
}

impl EpisodeInput {
    /// Applies this input over `base` and validates the result.
    fn apply(self, base: EpisodeFields) -> Result<EpisodeFields, ApiError> {
        let mut c = Checker::default();
        let guid = match self.guid {
            Some(guid) if !base.guid.is_empty() && guid != base.guid => {
                c.error("guid", "never changes once set");
                base.guid
            }
            Some(guid) => c.text("guid", &guid, 255),
            None if base.guid.is_empty() => Uuid::new_v4().to_string(),
            None => base.guid,
        };
        let enclosure = self.enclosure.unwrap_or(Enclosure {
            url: base.enclosure_url,
            length: base.enclosure_length,
            mime_type: base.enclosure_type,
        });
        let mime_type = c.media_type("enclosure.type", &enclosure.mime_type);
        let small = |c: &mut Checker, field: &str, v: Option<i64>, max: i64| {
            v.map(|v| c.number(field, v, 0..=max) as i32)
        };
        let duration = merge(self.duration_seconds, base.duration_seconds.map(i64::from));
        let season = merge(self.season, base.season.map(i64::from));
        let episode = merge(self.episode, base.episode.map(i64::from));
        let description = merge(self.description, Some(base.description)).unwrap_or_default();
        let old = base.extras;
        let extras = EpisodeExtras {
            persons: self.persons.unwrap_or(old.persons),
            location: merge(self.location, old.location),
            license: merge(self.license, old.license),
            txt: self.txt.unwrap_or(old.txt),
            alternate_enclosures: self
                .alternate_enclosures
                .unwrap_or(old.alternate_enclosures),
        };
        let extras = super::extras::check_episode(&mut c, extras);
        let fields = EpisodeFields {
            title: c.text("title", &self.title.unwrap_or(base.title), 1000),
            description: c.long_text("description", &description, 100_000),
            enclosure_url: c.url("enclosure.url", &enclosure.url),
            enclosure_length: c.number("enclosure.length", enclosure.length, 0..=(1 << 50)),
            enclosure_type: mime_type,
            duration_seconds: small(&mut c, "duration_seconds", duration, 100 * 24 * 3600),
            season: small(&mut c, "season", season, 1_000_000),
            episode: small(&mut c, "episode", episode, 1_000_000),
            episode_type: c.one_of(
                "episode_type",
                &self.episode_type.unwrap_or(base.episode_type),
                &["full", "trailer", "bonus"],
            ),
            explicit: merge(self.explicit, base.explicit),
            image_url: c.opt_url(
                "image_url",
                merge(self.image_url, base.image_url).as_deref(),
            ),
            transcript_url: c.opt_url(
                "transcript_url",
                merge(self.transcript_url, base.transcript_url).as_deref(),
            ),
            transcript_type: c.opt_text(
                "transcript_type",
                merge(self.transcript_type, base.transcript_type).as_deref(),
                100,
            ),
            chapters_url: c.opt_url(
                "chapters_url",
                merge(self.chapters_url, base.chapters_url).as_deref(),
            ),
            status: c.one_of(
                "status",
                &self.status.unwrap_or(base.status),
                &["draft", "published"],
            ),
            publish_at: self.publish_at.unwrap_or(base.publish_at),
            guid,
            extras,
        };
        if !in_database_range(fields.publish_at) {
            c.error("publish_at", "must be between the years 1900 and 9999");
        }
        c.finish()?;
        Ok(fields)
    }
}

/// Years Postgres stores and podcast apps make sense of.
fn in_database_range(at: DateTime<Utc>) -> bool {
    (1900..=9999).contains(&at.year())
}

fn new_fields(now: DateTime<Utc>) -> EpisodeFields {
    EpisodeFields {
        guid: String::new(),
        title: String::new(),
        description: String::new(),
        enclosure_url: String::new(),
        enclosure_length: 0,
        enclosure_type: String::new(),
        duration_seconds: None,
        season: None,
        episode: None,
        episode_type: "full".into(),
        explicit: None,
        image_url: None,
        transcript_url: None,
        transcript_type: None,
        chapters_url: None,
        status: "published".into(),
        publish_at: now,
        extras: EpisodeExtras::default(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// `draft`, `scheduled` or `published`.
    #[param(value_type = Option<super::openapi::EpisodeState>)]
    status: Option<String>,
    limit: Option<i64>,
    cursor: Option<String>,
}

fn parse_cursor(raw: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let (micros, id) = raw.split_once('_')?;
    let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    in_database_range(at).then_some(())?;
    Some((at, id.parse().ok()?))
}

#[utoipa::path(
    operation_id = "list_episodes",
    get,
    path = "/api/v1/shows/{slug}/episodes",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug"), ListQuery),
    responses(
        (status = 200, description = "episodes, newest first", body = super::openapi::EpisodeList),
        super::openapi::Auth, super::openapi::Found, super::openapi::Invalid,
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<EpisodeList>, ApiError> {
    Slug::parse(&slug).map_err(|_| ApiError::NotFound)?;
    let mut c = Checker::default();
    if let Some(status) = &query.status {
        c.one_of("status", status, &["draft", "scheduled", "published"]);
    }
    let limit = c.number("limit", query.limit.unwrap_or(50), 1..=500);
    let after = match query.cursor.as_deref() {
        None => None,
        Some(raw) => parse_cursor(raw).or_else(|| {
            c.error("cursor", "is not a cursor this API returned");
            None
        }),
    };
    c.finish()?;
    let now = Utc::now();
    let page = EpisodePage {
        state: query.status,
        limit: limit + 1,
        after,
        now,
    };
    let mut rows = episodes::list_visible(&state.pool, user.viewer(), &slug, &page).await?;
    if rows.is_empty()
        && shows::find_visible_id(&state.pool, user.viewer(), &slug)
            .await?
            .is_none()
    {
        return Err(ApiError::NotFound);
    }
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|e| format!("{}_{}", e.fields.publish_at.timestamp_micros(), e.id))
    } else {
        None
    };
    let items = rows.into_iter().map(|e| EpisodeView::new(e, now)).collect();
    Ok(Json(EpisodeList { items, next_cursor }))
}

#[utoipa::path(
    operation_id = "get_episode",
    get,
    path = "/api/v1/shows/{slug}/episodes/{id}",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = uuid::Uuid, Path, description = "episode id")),
    responses(
        (status = 200, description = "the episode", body = EpisodeView),
        super::openapi::Auth, super::openapi::Found,
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> Result<Json<EpisodeView>, ApiError> {
    let show = user.show(&state.pool, &slug).await?;
    let episode = episodes::find(&state.pool, show.id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(EpisodeView::new(episode, Utc::now())))
}

/// Bumps the show's revision and queues the renders the change needs, in the caller's
/// transaction: one now, and one at the episode's release if that is still ahead.
async fn changed(
    tx: &mut sqlx::PgConnection,
    state: &AppState,
    show_id: Uuid,
    release: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    let attempts = state.settings.max_attempts;
    shows::bump_revision(&mut *tx, show_id).await?;
    queue::enqueue_render(&mut *tx, show_id, None, attempts).await?;
    if let Some(at) = release.filter(|at| *at > Utc::now()) {
        queue::enqueue_render(&mut *tx, show_id, Some(at), attempts).await?;
    }
    Ok(())
}

/// Locks a show `user` may edit, by slug, and refuses a deleted one: one statement, because
/// every other writer of the show waits from here to the commit.
async fn lock_live_show(
    tx: &mut sqlx::PgConnection,
    user: &CurrentUser,
    slug: &str,
) -> Result<Uuid, ApiError> {
    Slug::parse(slug).map_err(|_| ApiError::NotFound)?;
    let (id, status) = shows::lock_visible(&mut *tx, user.viewer(), slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    if status == "deleted" {
        return Err(deleted());
    }
    Ok(id)
}

fn guid_taken(err: sqlx::Error) -> ApiError {
    on_constraint("episodes_show_guid_key", "guid_taken", || {
        "another episode of this show has that guid".into()
    })(err)
}

#[utoipa::path(
    operation_id = "create_episode",
    post,
    path = "/api/v1/shows/{slug}/episodes",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug")),
    request_body = EpisodeInput,
    responses(
        (status = 201, description = "the new episode", body = EpisodeView),
        super::openapi::Auth, super::openapi::Found, super::openapi::Body, super::openapi::Conflict,
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<EpisodeInput>,
) -> Result<impl IntoResponse, ApiError> {
    let episode = create_episode(&state, &user, &slug, input).await?;
    // As of after the insert: an episode without a publish time is published at creation.
    let view = EpisodeView::new(episode, Utc::now());
    Ok((StatusCode::CREATED, Json(view)))
}

/// Adds an episode to a show `user` may edit, and queues the renders it needs in the same
/// transaction.
pub async fn create_episode(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    input: EpisodeInput,
) -> Result<Episode, ApiError> {
    let mut missing = Checker::default();
    if input.title.is_none() {
        missing.error("title", "is required");
    }
    if input.enclosure.is_none() {
        missing.error("enclosure", "is required");
    }
    missing.finish()?;
    let now = Utc::now();
    let fields = input.apply(new_fields(now))?;
    let _turn = state.show_turn(slug).await?;
    let mut tx = state.pool.begin().await?;
    let show_id = lock_live_show(&mut tx, user, slug).await?;
    let episode = episodes::insert(&mut *tx, show_id, &fields)
        .await
        .map_err(guid_taken)?;
    changed(&mut tx, state, show_id, Some(fields.publish_at)).await?;
    tx.commit().await?;
    Ok(episode)
}

#[utoipa::path(
    operation_id = "update_episode",
    patch,
    path = "/api/v1/shows/{slug}/episodes/{id}",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = uuid::Uuid, Path, description = "episode id")),
    request_body = EpisodeInput,
    responses(
        (status = 200, description = "the updated episode", body = EpisodeView),
        super::openapi::Auth, super::openapi::Found, super::openapi::Body, super::openapi::Conflict,
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(input): ApiJson<EpisodeInput>,
) -> Result<Json<EpisodeView>, ApiError> {
    let episode = update_episode(&state, &user, &slug, id, input).await?;
    Ok(Json(EpisodeView::new(episode, Utc::now())))
}

/// Applies `input` to an episode of a show `user` may edit, and queues the renders it needs
/// in the same transaction.
pub async fn update_episode(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: Uuid,
    input: EpisodeInput,
) -> Result<Episode, ApiError> {
    let _turn = state.show_turn(slug).await?;
    let mut tx = state.pool.begin().await?;
    let show_id = lock_live_show(&mut tx, user, slug).await?;
    let episode = episodes::find(&mut *tx, show_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let fields = input.apply(episode.fields)?;
    let episode = episodes::update(&mut *tx, id, &fields).await?;
    changed(&mut tx, state, show_id, Some(fields.publish_at)).await?;
    tx.commit().await?;
    Ok(episode)
}

#[utoipa::path(
    operation_id = "delete_episode",
    delete,
    path = "/api/v1/shows/{slug}/episodes/{id}",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = uuid::Uuid, Path, description = "episode id")),
    responses(
        (status = 204, description = "deleted"),
        super::openapi::Auth, super::openapi::Found, super::openapi::Conflict,
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> Result<StatusCode, ApiError> {
    delete_episode(&state, &user, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes an episode of a show `user` may edit, and queues a render in the same transaction.
pub async fn delete_episode(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    id: Uuid,
) -> Result<(), ApiError> {
    let _turn = state.show_turn(slug).await?;
    let mut tx = state.pool.begin().await?;
    let show_id = lock_live_show(&mut tx, user, slug).await?;
    episodes::find(&mut *tx, show_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    episodes::delete(&mut *tx, id).await?;
    changed(&mut tx, state, show_id, None).await?;
    tx.commit().await?;
    Ok(())
}
