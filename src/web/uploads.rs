//! `PUT /uploads/{id}/{part}`: the local directory's stand-in for S3's presigned URLs. The body
//! is streamed to disk as it arrives, never held in memory, so this route sits outside the
//! request body limit and deadline; a body that stalls for [`IDLE`] is cut off instead.

use std::time::Duration;

use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::put,
    Router,
};
use futures::StreamExt;
use serde::Deserialize;
use uuid::Uuid;

use super::{error::ApiError, AppState};
use crate::app::media::{receive_local, LocalPart};

/// How long a body may send nothing before the part is dropped (the client sends it again).
const IDLE: Duration = Duration::from_secs(60);

pub fn router() -> Router<AppState> {
    Router::new().route("/uploads/{id}/{part}", put(receive))
}

#[derive(Debug, Deserialize)]
struct Signature {
    expires: i64,
    sig: String,
}

async fn receive(
    State(state): State<AppState>,
    Path((id, part)): Path<(Uuid, u32)>,
    Query(signature): Query<Signature>,
    body: Body,
) -> Result<Response, ApiError> {
    let chunks = body.into_data_stream();
    let stream = futures::stream::unfold(Some(chunks), |chunks| async move {
        let mut chunks = chunks?;
        match tokio::time::timeout(IDLE, chunks.next()).await {
            Ok(Some(Ok(bytes))) => Some((Ok(bytes), Some(chunks))),
            Ok(Some(Err(err))) => Some((Err(err.to_string()), None)),
            Ok(None) => None,
            Err(_) => Some((
                Err(format!("nothing arrived for {}s", IDLE.as_secs())),
                None,
            )),
        }
    });
    let part = LocalPart {
        id,
        part,
        expires: signature.expires,
        sig: signature.sig,
    };
    let written = receive_local(&state.app, part, Box::pin(stream)).await?;
    // S3 answers each part with its ETag; so does this stand-in (the part's length is enough
    // to tell a client's retries apart, and it never needs to send it back).
    Ok((
        StatusCode::OK,
        [(header::ETAG, format!("\"{id}-{written}\""))],
    )
        .into_response())
}
