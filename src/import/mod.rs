//! Reading a feed to move a show in: fetching it (bounded, public addresses only), parsing it
//! into show and episode fields as podcastparser would, and reporting what did not carry over.
//! Storing it is a use case (`app::import`).

pub mod fetch;
pub mod parse;
pub mod report;
mod slug;
mod xml;

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;

pub use self::fetch::{FetchError, FetchLimits};
pub use self::parse::{parse, parse_text, ParseError, ParsedEpisode, ParsedFeed};
pub use self::report::{Report, ReportEntry};
pub use self::slug::slug_from_title;

/// Where the feed comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Fetched from this URL.
    Url(String),
    /// The feed's bytes, read from a file: its XML declaration names their encoding.
    Xml(Vec<u8>),
    /// The feed as text, posted as a JSON string.
    Text(String),
}

/// Why a feed could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("the feed is larger than {0} bytes")]
    TooLarge(usize),
    /// The parser's thread failed (a panic): not the feed's fault.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Failure {
    /// The stable error code the API answers with.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Fetch(e) => e.code(),
            Failure::Parse(e) => e.code(),
            Failure::TooLarge(_) => "feed_too_large",
            Failure::Internal(_) => "internal",
        }
    }
}

/// A feed read, and the URL it was fetched from (after redirects), if it was fetched.
#[derive(Debug)]
pub struct Read {
    pub feed: ParsedFeed,
    pub source_url: Option<String>,
}

/// Fetches (within `limits`) or takes the feed, and parses it. A given feed may be at most
/// `limits.max_bytes` long. Parsing is CPU work, so it runs on a blocking thread, a few at a
/// time, never on the async workers that answer requests.
pub async fn read(
    source: Source,
    limits: &FetchLimits,
    now: DateTime<Utc>,
) -> Result<Read, Failure> {
    let max = limits.max_bytes;
    let (input, source_url) = match source {
        Source::Url(url) => {
            let fetched = fetch::fetch(&url, limits).await?;
            (Input::Bytes(fetched.bytes), Some(fetched.url))
        }
        Source::Xml(bytes) if bytes.len() > max => return Err(Failure::TooLarge(max)),
        Source::Text(text) if text.len() > max => return Err(Failure::TooLarge(max)),
        Source::Xml(bytes) => (Input::Bytes(bytes), None),
        Source::Text(text) => (Input::Text(text), None),
    };
    let feed = off_the_runtime(input, source_url.clone(), now).await?;
    Ok(Read { feed, source_url })
}

enum Input {
    Bytes(Vec<u8>),
    Text(String),
}

/// Feeds parsed at once: half the CPUs (at least one), so that imports leave the other half
/// to the requests; others wait their turn.
static PARSERS: LazyLock<Semaphore> = LazyLock::new(|| {
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    Semaphore::new((cpus / 2).max(1))
});

async fn off_the_runtime(
    input: Input,
    url: Option<String>,
    now: DateTime<Utc>,
) -> Result<ParsedFeed, Failure> {
    let _permit = PARSERS.acquire().await.map_err(anyhow::Error::from)?;
    let job = tokio::task::spawn_blocking(move || match input {
        Input::Bytes(bytes) => parse(&bytes, url.as_deref(), now),
        Input::Text(text) => parse_text(text, url.as_deref(), now),
    });
    Ok(job.await.map_err(anyhow::Error::from)??)
}

/// What to do at the old host so that listeners follow the show to `feed_url`.
pub fn next_steps(source_url: Option<&str>, feed_url: &str) -> String {
    let old = source_url.unwrap_or("the old feed URL");
    format!(
        "Check the show and its episodes, then at the old host redirect {old} permanently \
         (HTTP 301) to {feed_url}, or put <itunes:new-feed-url>{feed_url}</itunes:new-feed-url> \
         in the old feed. Keep the redirect in place for good: apps that check rarely still \
         need it."
    )
}
