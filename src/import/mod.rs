//! Reading a feed to move a show in: fetching it (bounded, public addresses only), parsing it
//! into show and episode fields as podcastparser would, and reporting what did not carry over.
//! Storing it is a use case (`app::import`).

pub mod fetch;
pub mod parse;
pub mod report;
mod slug;
mod xml;

use chrono::{DateTime, Utc};

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
}

impl Failure {
    /// The stable error code the API answers with.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Fetch(e) => e.code(),
            Failure::Parse(e) => e.code(),
            Failure::TooLarge(_) => "feed_too_large",
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
/// `limits.max_bytes` long.
pub async fn read(
    source: Source,
    limits: &FetchLimits,
    now: DateTime<Utc>,
) -> Result<Read, Failure> {
    let max = limits.max_bytes;
    let (feed, source_url) = match source {
        Source::Url(url) => {
            let fetched = fetch::fetch(&url, limits).await?;
            let feed = parse(&fetched.bytes, Some(&fetched.url), now)?;
            (feed, Some(fetched.url))
        }
        Source::Xml(bytes) if bytes.len() > max => return Err(Failure::TooLarge(max)),
        Source::Text(text) if text.len() > max => return Err(Failure::TooLarge(max)),
        Source::Xml(bytes) => (parse(&bytes, None, now)?, None),
        Source::Text(text) => (parse_text(text, None, now)?, None),
    };
    Ok(Read { feed, source_url })
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
