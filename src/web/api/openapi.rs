//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3, generated from the handlers'
//! `#[utoipa::path]` annotations and the request and response types, so it cannot drift.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::{http::header, response::IntoResponse};
use serde::Serialize;
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi, ToSchema,
};
use uuid::Uuid;

pub use super::episodes::EpisodeList;
use super::shows::ShowView;
use crate::app::import::Summary;

#[derive(OpenApi)]
#[openapi(
    info(title = "podpub API", description = "Podcast feed static publisher: JSON API v1."),
    modifiers(&BearerAuth, &CreateRequires),
    security(("bearer" = [])),
    paths(
        crate::web::healthz,
        document,
        super::shows::list,
        super::shows::create,
        super::shows::get,
        super::shows::update,
        super::shows::delete,
        super::episodes::list,
        super::episodes::create,
        super::episodes::get,
        super::episodes::update,
        super::episodes::delete,
        super::feeds::state,
        super::feeds::refresh,
        super::feeds::job,
        super::feed_versions::list,
        super::feed_versions::get,
        super::feed_versions::xml,
        super::feed_versions::diff,
        super::admin::refresh,
        super::admin::progress,
        super::history::of_show,
        super::history::of_episode,
        super::history::revert,
        super::trash::show_trash,
        super::trash::restore_episode,
        super::trash::restore_show,
        super::trash::trashed_shows,
        super::moves::start,
        super::moves::undo,
        super::import::create,
        super::uploads::create,
        super::uploads::list,
        super::uploads::get,
        super::uploads::complete,
        super::uploads::delete,
        super::copy_media::start,
        super::copy_media::progress,
        super::tokens::list,
        super::tokens::create,
        super::tokens::revoke,
    ),
    components(schemas(ErrorBody, ErrorDetail))
)]
pub struct ApiDoc;

/// Adds the bearer scheme every `/api/v1` call but this document needs.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("an API token from `podpub token create`"))
                    .build(),
            ),
        );
    }
}

/// What each error status means, everywhere in the API; the body is always `ErrorBody`.
fn error_description(status: u16) -> &'static str {
    match status {
        400 => "malformed request",
        401 => "no valid bearer token",
        403 => "admin only; or, on a show, owners and admins only (`owner_only`)",
        404 => "no such resource, or not visible to the caller",
        409 => "conflict (e.g. slug taken, show deleted or moving)",
        413 => "request body too large",
        415 => "body is not JSON",
        422 => "invalid input; `fields` names the problems",
        503 => "the service is busy or the database is unreachable; retry",
        _ => unreachable!("no error response {status} is documented"),
    }
}

/// Sets of error responses a handler lists beside its success, as
/// `responses((status = 200, ...), Auth, Found)`.
macro_rules! error_responses {
    ($($(#[$doc:meta])* $name:ident: $($status:literal),+;)+) => {$(
        $(#[$doc])*
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
                use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
                [$($status),+]
                    .into_iter()
                    .map(|status: u16| {
                        let body = ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build();
                        let response = ResponseBuilder::new()
                            .description(error_description(status))
                            .content("application/json", body)
                            .build();
                        (status.to_string(), response.into())
                    })
                    .collect()
            }
        }
    )+};
}

error_responses! {
    /// Every call with a token: 401 without a valid one, 503 when busy.
    Auth: 401, 503;
    /// A call naming a resource in its path.
    Found: 400, 404;
    /// A call with a JSON body.
    Body: 400, 413, 415, 422;
    /// A call whose query or body can be refused field by field.
    Invalid: 422;
    /// A call that can meet another's change.
    Conflict: 409;
    /// An admin-only call.
    AdminOnly: 403;
    /// A call on a show that only its owners and admins may make.
    OwnersOnly: 403;
}

/// Creating and updating share one input type, in which every field is optional; a create
/// needs some of them. The create operations get `NewShow` and `NewEpisode`: the input type
/// with those fields required.
struct CreateRequires;

impl Modify for CreateRequires {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema};
        use utoipa::openapi::{Ref, RefOr};
        let creates = [
            (
                "/api/v1/shows",
                "NewShow",
                "ShowInput",
                &["slug", "title"][..],
            ),
            (
                "/api/v1/shows/{slug}/episodes",
                "NewEpisode",
                "EpisodeInput",
                &["title", "enclosure"][..],
            ),
        ];
        for (path, name, input, required) in creates {
            let needs = required
                .iter()
                .fold(ObjectBuilder::new(), |o, field| o.required(*field));
            let schema = AllOfBuilder::new()
                .item(Ref::from_schema_name(input))
                .item(needs)
                .description(Some(format!(
                    "{input} with {} required",
                    required.join(" and ")
                )))
                .build();
            doc.components
                .get_or_insert_with(Default::default)
                .schemas
                .insert(name.to_string(), RefOr::T(Schema::AllOf(schema)));
            let body = doc
                .paths
                .paths
                .get_mut(path)
                .and_then(|item| item.post.as_mut())
                .and_then(|post| post.request_body.as_mut())
                .and_then(|body| body.content.get_mut("application/json"))
                .expect("the create operation has a JSON body");
            body.schema = Some(RefOr::Ref(Ref::from_schema_name(name)));
        }
    }
}

/// The document as JSON, built once.
pub fn json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .expect("OpenAPI document serializes")
    })
}

/// `GET /api/v1/openapi.json`, without authentication.
#[utoipa::path(
    get,
    operation_id = "openapi_document",
    path = "/api/v1/openapi.json",
    tag = "meta",
    security(()),
    responses((status = 200, description = "this OpenAPI 3 document", content_type = "application/json")),
)]
pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json())
}

/// Every error: `{"error":{"code","message","fields"?}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong. Some errors carry more keys (an import's `line`, `column`, `owner`, …).
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine-readable code, e.g. `not_found`, `invalid`, `slug_taken`.
    pub code: String,
    pub message: String,
    /// On 422: a message per invalid field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

#[derive(Serialize, ToSchema)]
pub struct ShowList {
    pub items: Vec<ShowView>,
    /// Always null: the list is not paginated.
    pub next_cursor: Option<String>,
}

/// A show, plus what the import did.
#[derive(Serialize, ToSchema)]
pub struct ImportedShow {
    #[serde(flatten)]
    pub show: ShowView,
    /// A summary of the import.
    #[schema(value_type = Object)]
    pub import: Summary,
}

#[derive(Serialize, ToSchema)]
pub struct JobAccepted {
    pub job_id: Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct BatchAccepted {
    pub batch_id: Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}
