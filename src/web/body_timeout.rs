//! A request body must arrive in full within PODPUB_BODY_READ_TIMEOUT_SECS: a client trickling
//! one byte at a time cannot hold a connection (and what it holds) for as long as it likes.

use std::{
    io,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use axum::{
    body::{Body, HttpBody},
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use futures::StreamExt;
use serde_json::json;

/// Wraps the body so that reading past the deadline fails; a request whose body did is then
/// answered 408 (whatever the handler made of the failed read), and the connection closed.
pub async fn cut_off(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    if req.body().is_end_stream() {
        return next.run(req).await;
    }
    let deadline = tokio::time::Instant::now() + limit;
    let expired = Arc::new(AtomicBool::new(false));
    let (parts, body) = req.into_parts();
    let flag = expired.clone();
    let chunks = futures::stream::unfold(Some(body.into_data_stream()), move |stream| {
        let flag = flag.clone();
        async move {
            let mut stream = stream?;
            match tokio::time::timeout_at(deadline, stream.next()).await {
                Ok(Some(Ok(bytes))) => Some((Ok(bytes), Some(stream))),
                Ok(Some(Err(err))) => Some((Err(io::Error::other(err)), None)),
                Ok(None) => None,
                Err(_) => {
                    flag.store(true, Ordering::Relaxed);
                    let err = io::Error::new(io::ErrorKind::TimedOut, "request body read timeout");
                    Some((Err(err), None))
                }
            }
        }
    });
    let response = next
        .run(Request::from_parts(parts, Body::from_stream(chunks)))
        .await;
    if !expired.load(Ordering::Relaxed) {
        return response;
    }
    tracing::info!(?limit, "request body not received in time");
    let body = json!({ "error": {
        "code": "request_timeout",
        "message": "the request body did not arrive in time",
    }});
    let mut response = (StatusCode::REQUEST_TIMEOUT, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
