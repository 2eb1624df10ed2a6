//! `podpub edge`: serves a [`DirTarget`] root the way S3 website hosting plus
//! a CDN would (metadata headers, ETag/304, HEAD, single ranges, redirect
//! stubs as 301).

use std::borrow::Cow;
use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use percent_encoding::percent_decode_str;

use crate::publish::dir::{etag_for_sha256, sha256_hex, validate_key, DirTarget, ObjectMeta};

/// Builds the edge router serving the objects under `root`.
pub fn router(root: PathBuf) -> Router {
    Router::new()
        .fallback(handle)
        .with_state(Arc::new(DirTarget::new(root)))
}

/// Serves [`router`] on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    root: PathBuf,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, router(root))
        .with_graceful_shutdown(shutdown)
        .await
}

async fn handle(
    State(target): State<Arc<DirTarget>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        tracing::debug!(%method, path = uri.path(), "edge: method not allowed");
        return Response::builder()
            .status(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, "GET, HEAD")
            .body(Body::empty())
            .unwrap_or_default();
    }
    let key = match uri.path().strip_prefix('/').and_then(percent_decode) {
        Some(key) if too_long(&key) => return status(StatusCode::BAD_REQUEST),
        Some(key) if validate_key(&key) => key,
        _ => return status(StatusCode::NOT_FOUND),
    };
    let response = match load(&target, &key).await {
        Ok(Some((meta, body))) => respond(&method, &headers, &meta, body).await,
        Ok(None) => status(StatusCode::NOT_FOUND),
        // A path through an object, as if it were a folder (`s/feed.xml/x`).
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => status(StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::debug!(key, error = %e, "edge: read failed");
            status(StatusCode::INTERNAL_SERVER_ERROR)
        }
    };
    tracing::debug!(%method, key, status = response.status().as_u16(), "edge");
    response
}

/// S3 refuses keys over 1,024 bytes (400 `KeyTooLongError`); a segment over 250 bytes could
/// not be a file name here (its metadata file adds `.json` within the 255-byte limit).
const MAX_KEY_BYTES: usize = 1024;
const MAX_SEGMENT_BYTES: usize = 250;

fn too_long(key: &str) -> bool {
    key.len() > MAX_KEY_BYTES || key.split('/').any(|seg| seg.len() > MAX_SEGMENT_BYTES)
}

/// An object's bytes: a feed, read whole (and checked against its metadata), or a media
/// file, streamed from disk.
enum Content {
    Memory(Vec<u8>),
    /// Media are written once under a key of their own, so their metadata (with no sha256)
    /// always describes the file: it is streamed, range by range, never read whole.
    File(tokio::fs::File),
}

/// Reads metadata and body, retrying briefly while a concurrent put has
/// replaced the body but not yet its metadata.
async fn load(target: &DirTarget, key: &str) -> io::Result<Option<(ObjectMeta, Content)>> {
    const ATTEMPTS: u32 = 3;
    for attempt in 1..=ATTEMPTS {
        let Some(mut meta) = target.head(key).await? else {
            return Ok(None);
        };
        if meta.sha256.is_empty() {
            return match tokio::fs::File::open(target.object_path(key)).await {
                Ok(file) => Ok(Some((meta, Content::File(file)))),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            };
        }
        let body = match tokio::fs::read(target.object_path(key)).await {
            Ok(body) => body,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let sha = sha256_hex(&body);
        if sha == meta.sha256 {
            return Ok(Some((meta, Content::Memory(body))));
        }
        if attempt == ATTEMPTS {
            meta.etag = etag_for_sha256(&sha);
            meta.sha256 = sha;
            meta.length = body.len() as u64;
            return Ok(Some((meta, Content::Memory(body))));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(None)
}

fn status(code: StatusCode) -> Response {
    Response::builder()
        .status(code)
        .body(Body::empty())
        .unwrap_or_default()
}

fn hv(s: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(s).ok()
}

async fn respond(method: &Method, req: &HeaderMap, meta: &ObjectMeta, body: Content) -> Response {
    let cache_control = hv(&meta.cache_control);
    if let Some(location) = &meta.redirect_location {
        let Some(location) = hv(location) else {
            return status(StatusCode::INTERNAL_SERVER_ERROR);
        };
        let mut res = status(StatusCode::MOVED_PERMANENTLY);
        res.headers_mut().insert(header::LOCATION, location);
        if let Some(cc) = cache_control {
            res.headers_mut().insert(header::CACHE_CONTROL, cc);
        }
        return res;
    }
    let len = match &body {
        Content::Memory(bytes) => bytes.len() as u64,
        Content::File(_) => meta.length,
    };
    let last_modified = meta.last_modified.timestamp();
    let mut common = HeaderMap::new();
    if let Some(etag) = hv(&meta.etag) {
        common.insert(header::ETAG, etag);
    }
    if let Some(cc) = cache_control {
        common.insert(header::CACHE_CONTROL, cc);
    }
    if let Some(lm) = hv(&httpdate::fmt_http_date(SystemTime::from(
        meta.last_modified,
    ))) {
        common.insert(header::LAST_MODIFIED, lm);
    }

    let not_modified = if req.contains_key(header::IF_NONE_MATCH) {
        req.get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| etag_list_matches(v, &meta.etag))
    } else {
        header_date(req, header::IF_MODIFIED_SINCE).is_some_and(|ims| last_modified <= ims)
    };
    if not_modified {
        let mut res = status(StatusCode::NOT_MODIFIED);
        res.headers_mut().extend(common);
        return res;
    }

    let range = match req.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        Some(r) if if_range_allows(req, meta) => parse_range(r, len),
        _ => RangeSpec::Full,
    };
    let (code, start, end) = match range {
        RangeSpec::Full => (StatusCode::OK, 0, len),
        RangeSpec::Partial(a, b) => (StatusCode::PARTIAL_CONTENT, a, b + 1),
        RangeSpec::Unsatisfiable => {
            let mut res = status(StatusCode::RANGE_NOT_SATISFIABLE);
            if let Some(cr) = hv(&format!("bytes */{len}")) {
                res.headers_mut().insert(header::CONTENT_RANGE, cr);
            }
            return res;
        }
    };
    let content_type =
        hv(&meta.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let payload = match body {
        _ if *method == Method::HEAD => Body::empty(),
        Content::Memory(mut body) => {
            body.truncate(end as usize);
            body.drain(..start as usize);
            Body::from(body)
        }
        Content::File(mut file) => {
            use tokio::io::{AsyncReadExt, AsyncSeekExt};
            if file.seek(io::SeekFrom::Start(start)).await.is_err() {
                return status(StatusCode::INTERNAL_SERVER_ERROR);
            }
            Body::from_stream(tokio_util::io::ReaderStream::new(file.take(end - start)))
        }
    };
    let mut res = Response::new(payload);
    *res.status_mut() = code;
    let h = res.headers_mut();
    h.extend(common);
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(end - start));
    if code == StatusCode::PARTIAL_CONTENT {
        if let Some(cr) = hv(&format!("bytes {start}-{}/{len}", end - 1)) {
            h.insert(header::CONTENT_RANGE, cr);
        }
    }
    res
}

/// Seconds since the epoch of an HTTP-date header.
fn header_date(req: &HeaderMap, name: header::HeaderName) -> Option<i64> {
    let value = req.get(name)?.to_str().ok()?;
    let t = httpdate::parse_http_date(value.trim()).ok()?;
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

/// Whether an `If-Range` precondition (if any) lets the `Range` apply.
fn if_range_allows(req: &HeaderMap, meta: &ObjectMeta) -> bool {
    let Some(value) = req.get(header::IF_RANGE).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let value = value.trim();
    if value.starts_with('"') || value.starts_with("W/") {
        return value == meta.etag && !meta.etag.starts_with("W/");
    }
    header_date(req, header::IF_RANGE) == Some(meta.last_modified.timestamp())
}

/// Weak comparison of `etag` against an `If-None-Match` value (`*` or a list).
fn etag_list_matches(list: &str, etag: &str) -> bool {
    if list.trim() == "*" {
        return true;
    }
    let ours = opaque(etag);
    let mut rest = list;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return false;
        }
        let tail = rest.strip_prefix("W/").unwrap_or(rest);
        let Some(tail) = tail.strip_prefix('"') else {
            return false;
        };
        let Some(end) = tail.find('"') else {
            return false;
        };
        if Some(&tail[..end]) == ours {
            return true;
        }
        rest = &tail[end + 1..];
    }
}

/// The opaque part of an entity tag, without `W/` and quotes.
fn opaque(etag: &str) -> Option<&str> {
    let e = etag.strip_prefix("W/").unwrap_or(etag);
    e.strip_prefix('"')?.strip_suffix('"')
}

#[derive(Debug, PartialEq)]
enum RangeSpec {
    Full,
    /// Inclusive first and last byte.
    Partial(u64, u64),
    Unsatisfiable,
}

fn digits(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses a single-range `Range` header; anything else serves the full body.
fn parse_range(value: &str, len: u64) -> RangeSpec {
    let Some((unit, spec)) = value.split_once('=') else {
        return RangeSpec::Full;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return RangeSpec::Full;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return RangeSpec::Full;
    };
    if first.trim().is_empty() {
        return match digits(last) {
            None => RangeSpec::Full,
            Some(0) => RangeSpec::Unsatisfiable,
            Some(_) if len == 0 => RangeSpec::Unsatisfiable,
            Some(n) => RangeSpec::Partial(len - n.min(len), len - 1),
        };
    }
    let Some(start) = digits(first) else {
        return RangeSpec::Full;
    };
    let end = if last.trim().is_empty() {
        None
    } else {
        match digits(last) {
            Some(e) if e >= start => Some(e),
            _ => return RangeSpec::Full,
        }
    };
    if start >= len {
        return RangeSpec::Unsatisfiable;
    }
    RangeSpec::Partial(start, end.map_or(len - 1, |e| e.min(len - 1)))
}

/// Percent-decodes a URL path into UTF-8; `None` on bad escapes or bytes.
fn percent_decode(s: &str) -> Option<String> {
    // percent-encoding keeps a malformed escape such as `%zz` as written; the edge refuses it.
    let hex = |after: &str| {
        after
            .get(..2)
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    if !s.split('%').skip(1).all(hex) {
        return None;
    }
    percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

#[cfg(test)]
mod tests;
