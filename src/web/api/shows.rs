//! `/api/v1/shows`: create, read, update and delete shows.

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::input::{merge, nullable, Checker};
use crate::db::shows::{self, Category, Funding, Show, ShowFields};
use crate::domain::{
    feed_key, feed_url, License, Location, Person, RemoteItem, ShowExtras, Slug, Trailer, Txt,
};
use crate::feed::guid::podcast_guid;
use crate::jobs::queue;
use crate::web::{
    auth::CurrentUser,
    error::{on_constraint, ApiError},
    extract::{ApiJson, ApiPath, ApiQuery},
    AppState,
};

/// A show as the API returns it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShowView {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub author: Option<String>,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    pub language: String,
    #[schema(value_type = Vec<super::openapi::CategoryDoc>)]
    pub categories: Vec<Category>,
    pub explicit: bool,
    #[serde(rename = "type")]
    #[schema(value_type = super::openapi::ShowType)]
    pub show_type: String,
    pub image_url: Option<String>,
    pub link: Option<String>,
    pub copyright: Option<String>,
    pub locked: bool,
    pub complete: bool,
    pub block: bool,
    #[schema(value_type = Vec<super::openapi::FundingDoc>)]
    pub funding: Vec<Funding>,
    #[serde(flatten)]
    pub extras: ShowExtras,
    pub podcast_guid: Uuid,
    pub feed_url: String,
    pub revision: i64,
    #[schema(value_type = super::openapi::ShowStatus)]
    pub status: String,
    /// A move out in progress or done: where to, and when the feed becomes (or became) a
    /// redirect.
    #[serde(rename = "move")]
    pub move_out: Option<MoveView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A move out, as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MoveView {
    pub new_feed_url: String,
    pub redirect_at: DateTime<Utc>,
}

impl ShowView {
    pub fn new(show: Show, base_url: &str) -> ShowView {
        let move_out = match (show.new_feed_url, show.move_redirect_at) {
            (Some(new_feed_url), Some(redirect_at)) => Some(MoveView {
                new_feed_url,
                redirect_at,
            }),
            _ => None,
        };
        // A move out's redirect is due at its time, whether or not the worker has got to it.
        let status = match &move_out {
            Some(m) if show.status == "moving" && m.redirect_at <= Utc::now() => "moved".into(),
            _ => show.status,
        };
        let f = show.fields;
        ShowView {
            id: show.id,
            feed_url: feed_url(base_url, &f.slug),
            slug: f.slug,
            title: f.title,
            description: f.description,
            author: f.author,
            owner_name: f.owner_name,
            owner_email: f.owner_email,
            language: f.language,
            categories: f.categories,
            explicit: f.explicit,
            show_type: f.show_type,
            image_url: f.image_url,
            link: f.link,
            copyright: f.copyright,
            locked: f.locked,
            complete: f.complete,
            block: f.block,
            funding: f.funding,
            extras: f.extras,
            podcast_guid: show.podcast_guid,
            revision: show.revision,
            status,
            move_out,
            created_at: show.created_at,
            updated_at: show.updated_at,
        }
    }
}

/// The writable fields; on PATCH any subset, and `null` clears an optional one.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowInput {
    pub slug: Option<String>,
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub author: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub owner_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub owner_email: Option<Option<String>>,
    pub language: Option<String>,
    #[schema(value_type = Option<Vec<super::openapi::CategoryDoc>>)]
    pub categories: Option<Vec<Category>>,
    pub explicit: Option<bool>,
    #[serde(rename = "type")]
    #[schema(value_type = Option<super::openapi::ShowType>)]
    pub show_type: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub image_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub link: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub copyright: Option<Option<String>>,
    pub locked: Option<bool>,
    pub complete: Option<bool>,
    pub block: Option<bool>,
    #[schema(value_type = Option<Vec<super::openapi::FundingDoc>>)]
    pub funding: Option<Vec<Funding>>,
    #[serde(default, deserialize_with = "nullable")]
    pub medium: Option<Option<String>>,
    pub persons: Option<Vec<Person>>,
    #[serde(default, deserialize_with = "nullable")]
    pub location: Option<Option<Location>>,
    #[serde(default, deserialize_with = "nullable")]
    pub license: Option<Option<License>>,
    pub trailers: Option<Vec<Trailer>>,
    pub txt: Option<Vec<Txt>>,
    pub podroll: Option<Vec<RemoteItem>>,
    pub podping: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub item_limit: Option<Option<u32>>,
    #[serde(default, deserialize_with = "nullable")]
    pub archive_page_size: Option<Option<u32>>,
}

impl ShowInput {
    /// Applies this input over `base` and validates the result.
    fn apply(self, base: ShowFields) -> Result<ShowFields, ApiError> {
        let mut c = Checker::default();
        let slug = self.slug.unwrap_or(base.slug);
        if let Err(e) = Slug::parse(&slug) {
            c.error("slug", e);
        }
        let title = c.text("title", &self.title.unwrap_or(base.title), 1000);
        let description = merge(self.description, Some(base.description)).unwrap_or_default();
        let description = c.long_text("description", &description, 100_000);
        let author = merge(self.author, base.author);
        let owner_name = merge(self.owner_name, base.owner_name);
        let owner_email = merge(self.owner_email, base.owner_email);
        let language = self
            .language
            .unwrap_or(base.language)
            .trim()
            .to_ascii_lowercase();
        if !valid_language(&language) {
            c.error("language", "must be a language tag such as en or en-us");
        }
        let categories = self.categories.unwrap_or(base.categories);
        if categories.len() > 10 {
            c.error("categories", "at most 10 categories");
        }
        let categories = categories
            .into_iter()
            .map(|cat| Category {
                name: c.text("categories", &cat.name, 100),
                sub: c.opt_text("categories", cat.sub.as_deref(), 100),
            })
            .collect();
        let funding = self.funding.unwrap_or(base.funding);
        if funding.len() > 10 {
            c.error("funding", "at most 10 funding links");
        }
        let funding = funding
            .into_iter()
            .map(|f| Funding {
                url: c.url("funding", &f.url),
                label: c
                    .long_text("funding", &f.label, 128)
                    .replace(['\n', '\r', '\t'], " "),
            })
            .collect();
        let show_type = self.show_type.unwrap_or(base.show_type);
        let old = base.extras;
        let extras = ShowExtras {
            item_limit: merge(self.item_limit, old.item_limit),
            archive_page_size: merge(self.archive_page_size, old.archive_page_size),
            medium: merge(self.medium, old.medium),
            persons: self.persons.unwrap_or(old.persons),
            location: merge(self.location, old.location),
            license: merge(self.license, old.license),
            trailers: self.trailers.unwrap_or(old.trailers),
            txt: self.txt.unwrap_or(old.txt),
            podroll: self.podroll.unwrap_or(old.podroll),
            podping: self.podping.unwrap_or(old.podping),
        };
        let extras = super::extras::check_show(&mut c, extras);
        let fields = ShowFields {
            slug,
            title,
            description,
            author: c.opt_text("author", author.as_deref(), 255),
            owner_name: c.opt_text("owner_name", owner_name.as_deref(), 255),
            owner_email: c.opt_email("owner_email", owner_email.as_deref()),
            language,
            categories,
            explicit: self.explicit.unwrap_or(base.explicit),
            show_type: c.one_of("type", &show_type, &["episodic", "serial"]),
            image_url: c.opt_url(
                "image_url",
                merge(self.image_url, base.image_url).as_deref(),
            ),
            link: c.opt_url("link", merge(self.link, base.link).as_deref()),
            copyright: c.opt_text(
                "copyright",
                merge(self.copyright, base.copyright).as_deref(),
                255,
            ),
            locked: self.locked.unwrap_or(base.locked),
            complete: self.complete.unwrap_or(base.complete),
            block: self.block.unwrap_or(base.block),
            funding,
            extras,
        };
        c.finish()?;
        Ok(fields)
    }
}

fn valid_language(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[utoipa::path(
    operation_id = "list_shows",
    get,
    path = "/api/v1/shows",
    tag = "shows",
    responses(
        (status = 200, description = "shows the caller can see", body = super::openapi::ShowList),
        super::openapi::Auth,
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let shows = shows::list_visible(&state.pool, user.viewer()).await?;
    let items: Vec<ShowView> = shows
        .into_iter()
        .map(|s| ShowView::new(s, &state.settings.feed_base_url))
        .collect();
    Ok(Json(json!({ "items": items, "next_cursor": null })))
}

#[utoipa::path(
    operation_id = "create_show",
    post,
    path = "/api/v1/shows",
    tag = "shows",
    request_body = ShowInput,
    responses(
        (status = 201, description = "the new show", body = ShowView),
        super::openapi::Auth, super::openapi::Body, super::openapi::Conflict,
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<ShowInput>,
) -> Result<impl IntoResponse, ApiError> {
    let show = create_show(&state, &user, input).await?;
    let view = ShowView::new(show, &state.settings.feed_base_url);
    Ok((StatusCode::CREATED, Json(view)))
}

/// Creates a show owned by `user`, and queues its first render in the same transaction.
pub async fn create_show(
    state: &AppState,
    user: &CurrentUser,
    input: ShowInput,
) -> Result<Show, ApiError> {
    let mut missing = Checker::default();
    if input.slug.is_none() {
        missing.error("slug", "is required");
    }
    if input.title.is_none() {
        missing.error("title", "is required");
    }
    missing.finish()?;
    let fields = input.apply(ShowFields::empty())?;
    let guid = podcast_guid(&feed_url(&state.settings.feed_base_url, &fields.slug));
    let mut tx = state.pool.begin().await?;
    let id = shows::insert(&mut *tx, &fields, guid)
        .await
        .map_err(slug_taken(&fields.slug))?;
    // Checked after the insert, which waits for a rename that is freeing this slug to commit.
    super::moves::ensure_not_reserved(&mut tx, &fields.slug, id).await?;
    shows::add_member(&mut *tx, id, user.id, "owner").await?;
    queue::enqueue_render(&mut *tx, id, None, state.settings.max_attempts).await?;
    let show = shows::find_by_id(&mut *tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(show)
}

pub(super) fn slug_taken<'a>(slug: &'a str) -> impl FnOnce(sqlx::Error) -> ApiError + 'a {
    on_constraint("shows_slug_key", "slug_taken", move || {
        format!("the slug {slug:?} is already taken")
    })
}

#[utoipa::path(
    operation_id = "get_show",
    get,
    path = "/api/v1/shows/{slug}",
    tag = "shows",
    params(("slug" = String, Path, description = "the show's slug")),
    responses(
        (status = 200, description = "the show", body = ShowView),
        super::openapi::Auth, super::openapi::Found,
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<ShowView>, ApiError> {
    let show = user.show(&state.pool, &slug).await?;
    Ok(Json(ShowView::new(show, &state.settings.feed_base_url)))
}

#[utoipa::path(
    operation_id = "update_show",
    patch,
    path = "/api/v1/shows/{slug}",
    tag = "shows",
    params(("slug" = String, Path, description = "the show's slug")),
    request_body = ShowInput,
    responses(
        (status = 200, description = "the updated show", body = ShowView),
        super::openapi::Auth, super::openapi::Found, super::openapi::Body, super::openapi::Conflict,
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<ShowInput>,
) -> Result<Json<ShowView>, ApiError> {
    let show = update_show(&state, &user, &slug, input).await?;
    Ok(Json(ShowView::new(show, &state.settings.feed_base_url)))
}

/// Applies `input` to a show `user` may edit; a new slug is a rename. Queues a render in the
/// same transaction.
pub async fn update_show(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    input: ShowInput,
) -> Result<Show, ApiError> {
    let _turn = state.show_turn(slug).await?;
    let mut tx = state.pool.begin().await?;
    let show = user.lock_show_row(&mut tx, slug).await?;
    let id = show.id;
    if show.status == "deleted" {
        return Err(deleted());
    }
    let fields = input.apply(show.fields.clone())?;
    let renamed = fields.slug != show.fields.slug;
    if renamed && show.new_feed_url.is_some() {
        return Err(ApiError::Conflict {
            code: "show_moving",
            message: "the show is moving out; undo the move (DELETE …/move) before renaming it"
                .into(),
        });
    }
    shows::update(&mut *tx, id, &fields)
        .await
        .map_err(slug_taken(&fields.slug))?;
    if renamed {
        let new_url = feed_url(&state.settings.feed_base_url, &fields.slug);
        super::moves::record_rename(&mut tx, id, &show.fields.slug, &fields.slug, &new_url).await?;
    }
    queue::enqueue_render(&mut *tx, id, None, state.settings.max_attempts).await?;
    let show = shows::find_by_id(&mut *tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(show)
}

pub fn deleted() -> ApiError {
    ApiError::Conflict {
        code: "show_deleted",
        message: "the show is deleted; delete it with ?purge=true to free its slug".into(),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    /// Remove the feed object too, and free the slug.
    #[serde(default)]
    purge: bool,
}

#[utoipa::path(
    operation_id = "delete_show",
    delete,
    path = "/api/v1/shows/{slug}",
    tag = "shows",
    params(("slug" = String, Path, description = "the show's slug"), DeleteQuery),
    responses(
        (status = 204, description = "deleted"),
        super::openapi::Auth, super::openapi::Found, super::openapi::Invalid,
    ),
)]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(query): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    let _turn = state.show_turn(&slug).await?;
    let mut tx = state.pool.begin().await?;
    let id = user.lock_show(&mut tx, &slug).await?;
    if query.purge {
        let mut keys = crate::db::publications::keys_of(&mut *tx, id).await?;
        if !keys.contains(&feed_key(&slug)) {
            keys.push(feed_key(&slug));
        }
        shows::purge(&mut *tx, id).await?;
        let payload = json!({ "keys": keys });
        queue::enqueue(
            &mut *tx,
            queue::kind::PURGE,
            None,
            payload,
            state.settings.max_attempts,
        )
        .await?;
    } else {
        shows::mark_deleted(&mut *tx, id).await?;
        queue::enqueue_render(&mut *tx, id, None, state.settings.max_attempts).await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
