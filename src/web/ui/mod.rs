//! The web UI: server-rendered pages (askama templates under `templates/ui`) over the same
//! logic as the JSON API. Sessions are cookies; every form carries a CSRF token.

mod admin;
mod alternates;
mod assets;
mod auth;
mod client;
mod confirm;
mod episode_form;
mod episode_list;
mod episode_podcasting;
mod episode_podcasting_form;
mod episodes;
mod error;
mod feed;
mod feed_history;
mod fix;
mod flash;
mod form;
mod history;
mod history_values;
mod import;
mod live;
mod live_form;
mod media;
mod members;
mod moves;
mod notes;
mod page;
mod paging;
mod password_reset;
mod podcasting;
mod podcasting_form;
mod podcasting_shared;
mod preview;
mod revert;
mod rows;
mod session;
mod show_form;
mod show_list;
mod shows;
mod summary;
mod time;
mod tokens;
mod trash;
mod trash_pages;
mod uploads;
mod users;
mod value_form;

use axum::{
    extract::DefaultBodyLimit,
    middleware,
    routing::{get, post},
    Router,
};

use super::AppState;

/// The pages' CSP: the configured S3-compatible endpoint (`AWS_ENDPOINT_URL`) is where
/// uploads go, else AWS itself.
fn csp(state: &AppState) -> axum::http::HeaderValue {
    let endpoint = state.app.settings.aws_endpoint_url.as_deref();
    let origin = endpoint
        .and_then(|e| url::Url::parse(e).ok())
        .map(|u| u.origin().ascii_serialization());
    let policy = page::content_security_policy(origin.as_deref());
    axum::http::HeaderValue::from_str(&policy).expect("the policy is ASCII")
}

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(auth::home))
        .route("/static/{file}", get(assets::serve))
        .route("/setup", get(auth::setup_page).post(auth::setup))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/account", get(auth::account_page).post(auth::account))
        .route("/account/tokens", post(tokens::create))
        .route(
            "/account/tokens/{id}/revoke",
            get(tokens::confirm_revoke).post(tokens::revoke),
        )
        .route(
            "/reset/{secret}",
            get(password_reset::reset_page).post(password_reset::reset),
        )
        .route("/shows", get(show_list::list))
        .route("/shows/new", get(shows::new_page).post(shows::create))
        .route("/shows/{slug}", get(feed::panel))
        .route("/shows/{slug}/feed/state.json", get(feed::state_json))
        .route(
            "/shows/{slug}/feed/versions/{id}/xml",
            get(feed_history::xml),
        )
        .route("/shows/{slug}/feed/diff", get(feed_history::diff))
        .route("/shows/{slug}/refresh", post(feed::refresh))
        .route(
            "/shows/{slug}/edit",
            get(shows::edit_page).post(shows::update),
        )
        .route(
            "/shows/{slug}/members",
            get(members::list).post(members::act),
        )
        .route(
            "/import",
            get(import::page)
                .post(import::run)
                .layer(DefaultBodyLimit::max(
                    crate::web::api::import::MAX_BODY_BYTES,
                )),
        )
        .route(
            "/shows/{slug}/members/{user_id}/remove",
            get(confirm::confirm_remove_member),
        )
        .route("/shows/{slug}/move", get(moves::wizard).post(moves::act))
        .route(
            "/shows/{slug}/episodes/{id}/podcasting",
            get(episode_podcasting::edit_page).post(episode_podcasting::update),
        )
        .route(
            "/shows/{slug}/podcasting",
            get(podcasting::edit_page).post(podcasting::update),
        )
        .route("/shows/{slug}/live", get(live::list))
        .route(
            "/shows/{slug}/live/new",
            get(live_form::new_page).post(live_form::create),
        )
        .route(
            "/shows/{slug}/live/{n}",
            get(live_form::edit_page).post(live_form::update),
        )
        .route("/shows/{slug}/live/{n}/status", post(live::set_status))
        .route("/shows/{slug}/media", get(media::page))
        .route("/shows/{slug}/media/copy", post(media::start_copy))
        .route("/shows/{slug}/media/copy.json", get(media::progress_json))
        .route("/shows/{slug}/notes/preview", post(notes::preview))
        .route("/notes/preview", post(notes::preview_new))
        .route("/shows/{slug}/preview", get(preview::page))
        .route("/shows/{slug}/uploads", post(uploads::start))
        .route("/shows/{slug}/uploads/{id}", get(uploads::get))
        .route(
            "/shows/{slug}/uploads/{id}/complete",
            post(uploads::complete),
        )
        .route("/shows/{slug}/uploads/{id}/delete", post(uploads::delete))
        .route("/shows/{slug}/episodes", get(episode_list::list))
        .route(
            "/shows/{slug}/episodes/new",
            get(episodes::new_page).post(episodes::create),
        )
        .route(
            "/shows/{slug}/episodes/{id}",
            get(episodes::edit_page).post(episodes::update),
        )
        .route(
            "/shows/{slug}/episodes/{id}/delete",
            get(trash::confirm_delete_episode).post(trash::delete_episode),
        )
        .route(
            "/shows/{slug}/delete",
            get(trash::confirm_delete_show).post(trash::delete_show),
        )
        .route(
            "/shows/{slug}/purge",
            get(trash::confirm_purge_show).post(trash::purge_show),
        )
        .route("/shows/{slug}/restore", post(trash::restore_show))
        .route("/shows/{slug}/trash", get(trash_pages::show_trash))
        .route("/shows/{slug}/history", get(history::show_history))
        .route(
            "/shows/{slug}/episodes/{id}/history",
            get(history::episode_history),
        )
        .route(
            "/shows/{slug}/history/{id}/revert",
            get(revert::confirm_revert).post(revert::revert),
        )
        .route("/admin/history", get(history::settings_history))
        .route(
            "/admin/history/{id}/revert",
            get(revert::confirm_revert_settings).post(revert::revert_settings),
        )
        .route(
            "/shows/{slug}/trash/{id}/restore",
            post(trash::restore_episode),
        )
        .route(
            "/shows/{slug}/trash/{id}/purge",
            get(trash::confirm_purge_episode).post(trash::purge_episode),
        )
        .route("/trash", get(trash_pages::trashed_shows))
        .route(
            "/admin",
            get(|| async { axum::response::Redirect::to("/admin/shows") }),
        )
        .route("/admin/shows", get(admin::shows_page))
        .route("/admin/refresh", post(admin::refresh))
        .route("/admin/refresh/{id}", get(admin::batch_page))
        .route("/admin/refresh/{id}/progress.json", get(admin::batch_json))
        .route("/admin/jobs", get(admin::jobs_page))
        .route("/admin/jobs/{id}/retry", post(admin::retry))
        .route(
            "/admin/users",
            get(users::users_page).post(users::create_user),
        )
        .route("/admin/users/{id}", post(users::change_user))
        .route(
            "/admin/users/{id}/disable",
            get(confirm::confirm_disable_user),
        )
        .route(
            "/admin/settings",
            get(users::settings_page).post(users::save_settings),
        )
        .method_not_allowed_fallback(|| async { error::UiError::MethodNotAllowed })
        .fallback(|| async { error::UiError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), flash::layer))
        .layer(middleware::from_fn(page::checked_query))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page::styled_errors,
        ))
        .layer(middleware::from_fn_with_state(
            csp(&state),
            page::security_headers,
        ))
}
