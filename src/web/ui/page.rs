//! What every page shares: the layout's data, rendering, and security headers.

use askama::Template;
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};

use super::{
    assets,
    error::{ErrorView, UiError},
    session::{self, Session},
    summary,
};
use crate::app;
use crate::web::error::ApiError;
use crate::web::AppState;

/// The frame around every page.
pub struct Layout {
    pub title: String,
    pub instance: String,
    pub user: Option<String>,
    pub is_admin: bool,
    pub csrf: String,
    pub css: String,
    pub js: String,
    /// The section to mark in the navigation: `shows`, `import`, `admin`, `account`.
    pub section: &'static str,
    pub notice: Option<&'static str>,
}

impl Layout {
    pub async fn new(
        state: &AppState,
        session: Option<&Session>,
        title: impl Into<String>,
        section: &'static str,
    ) -> Result<Layout, UiError> {
        let settings = app::settings::get(&state.app).await?;
        Ok(Layout {
            title: title.into(),
            instance: settings.instance_name,
            user: session.map(|s| s.user.email.clone()),
            is_admin: session.is_some_and(|s| s.user.is_admin),
            csrf: session.map(|s| s.csrf.clone()).unwrap_or_default(),
            css: assets::css_url(),
            js: assets::js_url(),
            section,
            notice: None,
        })
    }

    /// A message after a redirect, by a fixed code (never text from the URL).
    pub fn with_notice(mut self, code: Option<&str>) -> Layout {
        self.notice = code.and_then(|c| {
            Some(match c {
                "saved" => "Saved.",
                "created" => "Created.",
                "draft_saved" => "Draft saved. Subscribers see it once you publish or schedule it.",
                "scheduled" => "Scheduled. It enters the feed at its publish time.",
                "published" => "Published. The feed is being updated.",
                "deleted" => "Deleted.",
                "trashed" => "Moved to the trash. You can restore it from the Trash.",
                "restored" => "Restored, exactly as it was.",
                "purged" => "Deleted for good.",
                "queued" => "Refresh queued.",
                "copying" => "Copy started. Each file switches to its copy once it is verified.",
                "moved" => "Move started.",
                "undone" => "Undone.",
                "reverted" => "Reverted: the old values are back, recorded as a new change.",
                "renamed" => "Renamed. The old feed URL now redirects to the new one.",
                "invited" => "Invitation saved.",
                "retried" => "Job queued to run again.",
                "lockout_cleared" => "Lockout cleared: they can sign in again.",
                "password_reset" => "Password set. Sign in with your new password.",
                "token_revoked" => "Token revoked. It stops working at once.",
                "password" => "Password changed. Your other sessions are signed out.",
                "password_and_tokens" => {
                    "Password changed. Your other sessions are signed out and your API tokens revoked."
                }
                _ => return None,
            })
        });
        self
    }
}

/// Renders a page with 200, or with `status` (422 for a form with errors).
pub fn render(page: &impl Template) -> Result<Response, UiError> {
    Ok(Html(summary::arrange(page.render()?)).into_response())
}

pub fn render_status(status: StatusCode, page: &impl Template) -> Result<Response, UiError> {
    Ok((status, Html(summary::arrange(page.render()?))).into_response())
}

/// Only a path on this site: the path and query of `next` resolved against this site, if it
/// names no other host and no scheme, and holds no backslash or control character (which
/// browsers strip or read as `/`); `/` otherwise.
pub fn local_path(next: Option<&str>) -> String {
    let ours = url::Url::parse("http://podpub.invalid/").expect("a valid base URL");
    let Some(next) = next else {
        return "/".into();
    };
    let plain = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    match ours.join(next) {
        Ok(url) if plain && url.origin() == ours.origin() => match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        },
        _ => "/".into(),
    }
}

/// Refuses a query string that holds a NUL (Postgres cannot store one, so a search or a filter
/// with it could only fail later), or a `next` with a control character, with 400 naming it.
pub async fn checked_query(req: Request, next: Next) -> Response {
    let query = req.uri().query().unwrap_or_default();
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let bad = value.contains('\0')
            || name.contains('\0')
            || (name == "next" && value.chars().any(char::is_control));
        if bad {
            let name = if name.contains('\0') { "query" } else { &name };
            let why = format!("{name}: must not contain control characters");
            return UiError::Api(ApiError::BadRequest(why)).into_response();
        }
    }
    next.run(req).await
}

/// Renders an error page (`ErrorView`) inside the layout, with the navigation of whoever is
/// signed in; the bare page stays when the layout cannot be had.
pub async fn styled_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let mut response = next.run(req).await;
    let Some(view) = response.extensions_mut().remove::<ErrorView>() else {
        return response;
    };
    let session = session::from_headers(&headers, &state).await.ok().flatten();
    let Ok(layout) = Layout::new(&state, session.as_ref(), view.title, "").await else {
        return response;
    };
    let Ok(body) = (ErrorPage { layout, view }).render() else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Html(body).into_response().into_body())
}

#[derive(Template)]
#[template(path = "ui/error.html")]
struct ErrorPage {
    layout: Layout,
    view: ErrorView,
}

/// Redirects after a successful POST (303: the browser GETs the page).
pub fn see_other(to: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/")),
        )],
    )
        .into_response()
}

/// The Content-Security-Policy of every UI page: only the app's own scripts and styles, and
/// requests to the app itself and to the object store (uploads go there straight).
pub fn content_security_policy(store_origin: Option<&str>) -> String {
    let store = store_origin.unwrap_or("https://*.amazonaws.com");
    format!(
        "default-src 'self'; img-src 'self' https: http: data:; script-src 'self'; \
         style-src 'self'; connect-src 'self' {store}; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'"
    )
}

/// Every UI response: no framing, no sniffing, and only the app's own scripts and styles.
pub async fn security_headers(
    State(csp): State<HeaderValue>,
    req: Request,
    next: Next,
) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn next_is_a_path_on_this_site_or_the_home_page() {
        for (next, to) in [
            ("/shows/a?notice=saved", "/shows/a?notice=saved"),
            ("/shows/a/../b", "/shows/b"),
            ("/\t/evil.example/", "/"),
            ("/\n/evil.example", "/"),
            ("//evil.example", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example/", "/"),
            ("javascript:alert(1)", "/"),
            ("evil.example", "/"),
            ("", "/"),
        ] {
            assert_eq!(local_path(Some(next)), to, "{next:?}");
        }
        assert_eq!(local_path(None), "/");
        // What comes out is one header value, with anything odd percent-encoded.
        assert_eq!(local_path(Some("/a b\u{e9}")), "/a%20b%C3%A9");
    }
}
