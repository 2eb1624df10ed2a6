//! Downloading one file for "copy media": streamed to a local file a chunk at a time, under the
//! importer's guard (public addresses only, bounded redirects), with a size limit and a stall
//! timeout for the answer and between chunks.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::import::fetch::{self, FetchError, FetchLimits};

/// Why a file could not be copied: a stable code (`copy_*`, or the probe's) and a message for
/// the podcaster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    pub fn new(code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            message: message.into(),
        }
    }
}

/// What went wrong with a download: the source's fault (recorded on the copy), or ours
/// (the job is retried).
#[derive(Debug)]
pub enum Failed {
    Refused(Refusal),
    Local(std::io::Error),
}

/// A local file removed when dropped.
pub struct TempFile(pub PathBuf);

impl TempFile {
    pub fn new(name: &str) -> TempFile {
        TempFile(std::env::temp_dir().join(format!("podpub-copy-{name}.part")))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Downloads `url` into `dest`, at most `max` bytes, waiting at most `stall` for the answer or
/// for any chunk; the number of bytes written.
pub async fn download(
    url: &str,
    allow_private: bool,
    stall: Duration,
    max: u64,
    dest: &Path,
) -> Result<u64, Failed> {
    let limits = FetchLimits {
        max_bytes: 0,
        timeout: stall,
        allow_private,
    };
    let secs = stall.as_secs();
    let stalled = || {
        Failed::Refused(Refusal::new(
            "copy_stalled",
            format!("the source sent nothing for {secs} s; start the copy again to retry"),
        ))
    };
    let mut response = match fetch::open(url, &limits, "copy media").await {
        Ok(response) => response,
        Err(FetchError::Timeout(_)) => return Err(stalled()),
        Err(err) => return Err(Failed::Refused(source_failed(&err))),
    };
    let too_large = || {
        Failed::Refused(Refusal::new(
            "copy_too_large",
            format!("the file is larger than {max} bytes, the most podpub stores"),
        ))
    };
    if response.content_length().is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let mut file = tokio::fs::File::create(dest).await.map_err(Failed::Local)?;
    let mut written = 0u64;
    loop {
        let chunk = match tokio::time::timeout(stall, response.chunk()).await {
            Err(_) => return Err(stalled()),
            Ok(Err(err)) => {
                return Err(Failed::Refused(Refusal::new(
                    "copy_source_failed",
                    format!("the download broke off after {written} bytes: {err}"),
                )))
            }
            Ok(Ok(None)) => break,
            Ok(Ok(Some(chunk))) => chunk,
        };
        written += chunk.len() as u64;
        if written > max {
            return Err(too_large());
        }
        file.write_all(&chunk).await.map_err(Failed::Local)?;
    }
    file.flush().await.map_err(Failed::Local)?;
    Ok(written)
}

fn source_failed(err: &FetchError) -> Refusal {
    let message = match err {
        FetchError::Status(status) => format!("the source answered {status}"),
        FetchError::InvalidUrl(why) => format!("the URL {why}"),
        FetchError::PrivateAddress(host) => {
            format!("{host} is a private address; podpub does not fetch from those")
        }
        FetchError::TooManyRedirects => {
            format!("the URL redirects more than {} times", fetch::MAX_REDIRECTS)
        }
        FetchError::Unreachable(why) => format!("the source could not be reached: {why}"),
        other => other.to_string(),
    };
    Refusal::new("copy_source_failed", message)
}
