//! The UI's own CSS and JavaScript, compiled in and served under names that carry a hash of
//! their content, so they can be cached for good and never go stale.

use std::sync::LazyLock;

use axum::{
    extract::Path,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

const CSS: &str = include_str!("../../../templates/static/app.css");
/// The page enhancements, then the upload widget and the notes editor.
const JS: &str = concat!(
    include_str!("../../../templates/static/app.js"),
    include_str!("../../../templates/static/upload.js"),
    include_str!("../../../templates/static/notes.js"),
);

struct Asset {
    name: String,
    body: &'static str,
    content_type: &'static str,
}

fn asset(stem: &str, ext: &str, body: &'static str, content_type: &'static str) -> Asset {
    let hash = hex::encode(Sha256::digest(body.as_bytes()));
    Asset {
        name: format!("{stem}.{}.{ext}", &hash[..12]),
        body,
        content_type,
    }
}

static ASSETS: LazyLock<[Asset; 2]> = LazyLock::new(|| {
    [
        asset("app", "css", CSS, "text/css; charset=utf-8"),
        asset("app", "js", JS, "text/javascript; charset=utf-8"),
    ]
});

/// `/static/app.<hash>.css`
pub fn css_url() -> String {
    format!("/static/{}", ASSETS[0].name)
}

/// `/static/app.<hash>.js`
pub fn js_url() -> String {
    format!("/static/{}", ASSETS[1].name)
}

pub async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == file) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
