//! Uploading media as a client does: ask for an upload, PUT each part to its signed URL (S3's
//! own, or `serve`'s on the local directory), complete it, and let the probe job run.

use std::path::{Path, PathBuf};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::app::{TestApp, TestUser};
use super::media::{ffmpeg_available, generate, Sample};

/// Where generated media live: one directory for every test of the run (each file is made once).
pub fn media_dir() -> PathBuf {
    assert!(
        ffmpeg_available(),
        "ffmpeg is missing: `make test` installs it (scripts/media-tools.sh)"
    );
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("media")
}

/// The bytes of a generated sample.
pub fn sample(kind: Sample) -> Vec<u8> {
    std::fs::read(generate(kind, &media_dir())).expect("the sample was generated")
}

/// An upload request: `purpose`, `file_name` and `content_type`, and `extra` fields.
pub fn asking(purpose: &str, file_name: &str, content_type: &str, extra: Value) -> Value {
    let mut ask = json!({"purpose": purpose, "file_name": file_name, "content_type": content_type});
    super::app::merge(&mut ask, extra);
    ask
}

impl TestApp {
    /// Asks for an upload; the status and the upload (or error).
    pub async fn start_upload(
        &self,
        user: &TestUser,
        slug: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let path = format!("/shows/{slug}/uploads");
        self.api(Method::POST, &path, Some(user), Some(body)).await
    }

    /// Sends `bytes` to the parts of a started `upload`; each part's status and ETag, as
    /// `…/complete` takes them.
    pub async fn send_parts(&self, upload: &Value, bytes: &[u8]) -> (Vec<StatusCode>, Value) {
        let send = &upload["send"];
        let part_bytes = send["part_bytes"].as_u64().unwrap_or(bytes.len() as u64) as usize;
        let mut statuses = Vec::new();
        let mut etags = Vec::new();
        for (i, part) in send["parts"].as_array().expect("parts").iter().enumerate() {
            let start = (i * part_bytes).min(bytes.len());
            let end = ((i + 1) * part_bytes).min(bytes.len());
            let (status, etag) = self.put_part(part, bytes[start..end].to_vec()).await;
            statuses.push(status);
            etags.push(json!({"number": part["number"], "etag": etag}));
        }
        (statuses, json!({ "parts": etags }))
    }

    /// PUTs `body` to one part's URL with its headers; the status and the ETag answered.
    pub async fn put_part(&self, part: &Value, body: Vec<u8>) -> (StatusCode, String) {
        let url = part["url"].as_str().expect("a part URL");
        let url = if url.starts_with('/') {
            format!("{}{url}", self.address)
        } else {
            url.to_string()
        };
        let mut req = self.client.put(url).body(body);
        if let Some(headers) = part["headers"].as_object() {
            for (name, value) in headers {
                req = req.header(name, value.as_str().unwrap());
            }
        }
        let resp = req.send().await.expect("the PUT is answered");
        let etag = resp
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_string());
        (resp.status(), etag.unwrap_or_default())
    }

    /// Completes an upload with the parts' ETags (`{"parts": [...]}`, or null); the status and
    /// the upload (or error).
    pub async fn complete_upload(
        &self,
        user: &TestUser,
        slug: &str,
        id: &str,
        parts: Value,
    ) -> (StatusCode, Value) {
        let path = format!("/shows/{slug}/uploads/{id}/complete");
        let body = (!parts.is_null()).then_some(parts);
        self.api(Method::POST, &path, Some(user), body).await
    }

    /// The upload as the API shows it.
    pub async fn upload_state(&self, user: &TestUser, slug: &str, id: &str) -> Value {
        let path = format!("/shows/{slug}/uploads/{id}");
        let (status, upload) = self.api(Method::GET, &path, Some(user), None).await;
        assert_eq!(status, StatusCode::OK, "{upload}");
        upload
    }

    /// Uploads `bytes` for `purpose` whole (start, send, complete, probe); the upload once
    /// probed: `ready` or `refused`.
    ///
    /// `ask` is the request ([`asking`]); its `length` is the bytes'.
    pub async fn upload(&self, user: &TestUser, slug: &str, ask: Value, bytes: &[u8]) -> Value {
        let mut body = ask;
        super::app::merge(&mut body, json!({ "length": bytes.len() }));
        let (status, upload) = self.start_upload(user, slug, body).await;
        assert_eq!(status, StatusCode::CREATED, "{upload}");
        let (statuses, parts) = self.send_parts(&upload, bytes).await;
        for status in statuses {
            assert!(status.is_success(), "a part was refused: {status}");
        }
        let id = upload["id"].as_str().unwrap();
        let (status, done) = self.complete_upload(user, slug, id, parts).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{done}");
        assert_eq!(done["state"], "probing", "{done}");
        self.run_pending_jobs().await;
        self.upload_state(user, slug, id).await
    }
}

/// An MP3 of `seconds` at 256 kb/s (about 32 KB a second), for multipart uploads.
pub fn long_mp3(seconds: u32) -> Vec<u8> {
    let dir = media_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("long-{seconds}.mp3"));
    if !path.exists() {
        let tmp = dir.join(format!(
            ".long-{seconds}.{}.mp3",
            uuid::Uuid::new_v4().simple()
        ));
        let made = std::process::Command::new("ffmpeg")
            .args(["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i"])
            .arg(format!("sine=frequency=440:duration={seconds}"))
            .args(["-ac", "1", "-b:a", "256k", "-y"])
            .arg(&tmp)
            .status()
            .expect("ffmpeg runs");
        assert!(made.success(), "ffmpeg made the MP3");
        std::fs::rename(&tmp, &path).unwrap();
    }
    std::fs::read(path).unwrap()
}

/// Every file under `dir` whose path contains `part` (`_media`, `.uploads`).
pub fn files_under(dir: &Path, part: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().contains(part) {
                found.push(path);
            }
        }
    }
    found
}
