//! JSON API v1.

pub mod admin;
pub mod copy_media;
pub mod episodes;
pub mod feed_versions;
pub mod feeds;
pub mod history;
pub mod import;
pub mod moves;
pub mod openapi;
pub mod shows;
pub mod tokens;
pub mod trash;
pub mod uploads;

use axum::{routing::get, Router};

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/shows", get(shows::list).post(shows::create))
        .route(
            "/shows/{slug}",
            get(shows::get).patch(shows::update).delete(shows::delete),
        )
        .route(
            "/shows/{slug}/episodes",
            get(episodes::list).post(episodes::create),
        )
        .route(
            "/shows/{slug}/episodes/{id}",
            get(episodes::get)
                .patch(episodes::update)
                .delete(episodes::delete),
        )
        .route("/shows/{slug}/history", get(history::of_show))
        .route(
            "/shows/{slug}/episodes/{id}/history",
            get(history::of_episode),
        )
        .route(
            "/shows/{slug}/history/{id}/revert",
            axum::routing::post(history::revert),
        )
        .route("/shows/{slug}/trash", get(trash::show_trash))
        .route(
            "/shows/{slug}/episodes/{id}/restore",
            axum::routing::post(trash::restore_episode),
        )
        .route(
            "/shows/{slug}/restore",
            axum::routing::post(trash::restore_show),
        )
        .route("/trash", get(trash::trashed_shows))
        .route("/shows/{slug}/feed", get(feeds::state))
        .route("/shows/{slug}/feed/versions", get(feed_versions::list))
        .route("/shows/{slug}/feed/versions/{id}", get(feed_versions::get))
        .route(
            "/shows/{slug}/feed/versions/{id}/xml",
            get(feed_versions::xml),
        )
        .route(
            "/shows/{slug}/feed/versions/{id}/diff",
            get(feed_versions::diff),
        )
        .route("/shows/{slug}/refresh", axum::routing::post(feeds::refresh))
        .route(
            "/shows/{slug}/move",
            axum::routing::post(moves::start).delete(moves::undo),
        )
        .route(
            "/import",
            axum::routing::post(import::create)
                .layer(axum::extract::DefaultBodyLimit::max(import::MAX_BODY_BYTES)),
        )
        .route(
            "/shows/{slug}/uploads",
            get(uploads::list).post(uploads::create),
        )
        .route(
            "/shows/{slug}/uploads/{id}",
            get(uploads::get).delete(uploads::delete),
        )
        .route(
            "/shows/{slug}/uploads/{id}/complete",
            axum::routing::post(uploads::complete),
        )
        .route(
            "/shows/{slug}/copy-media",
            get(copy_media::progress).post(copy_media::start),
        )
        .route("/jobs/{id}", get(feeds::job))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}", axum::routing::delete(tokens::revoke))
        .route("/openapi.json", get(openapi::document))
        .route("/admin/refresh", axum::routing::post(admin::refresh))
        .route("/admin/refresh/{batch_id}", get(admin::progress))
        .method_not_allowed_fallback(|| async { super::error::ApiError::MethodNotAllowed })
        .fallback(|| async { super::error::ApiError::NotFound })
}
