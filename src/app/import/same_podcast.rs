//! Whether a feed imported into an existing show is that show's podcast: the same
//! `podcast:guid`, else the source URL recorded at the first import, else episodes in common.

use sqlx::PgConnection;

use crate::app::{Error, Result};
use crate::db;
use crate::domain::Show;
use crate::import::ParsedFeed;

/// How a feed relates to the show it is imported into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// Proven to be the same podcast.
    Same,
    /// Not proven, and the caller asked to replace the show anyway.
    Replaced,
}

/// Proves that `feed` (fetched from `source_url`, if fetched) is `show`'s podcast, or, when
/// `replace`, lets it replace the show anyway; otherwise 409 `import_mismatch`, saying what differs.
pub async fn check(
    tx: &mut PgConnection,
    show: &Show,
    feed: &ParsedFeed,
    source_url: Option<&str>,
    replace: bool,
) -> Result<Identity> {
    let differences = differences(tx, show, feed, source_url).await?;
    if differences.is_empty() {
        return Ok(Identity::Same);
    }
    if replace {
        return Ok(Identity::Replaced);
    }
    Err(Error::conflict(
        "import_mismatch",
        format!(
            "the feed does not look like the show {:?}: {}. Replacing the show with it needs \
             an explicit confirmation (\"replace\": true)",
            show.fields.slug,
            differences.join("; ")
        ),
    ))
}

/// What sets the feed apart from the show; empty when one sign proves they are the same.
async fn differences(
    tx: &mut PgConnection,
    show: &Show,
    feed: &ParsedFeed,
    source_url: Option<&str>,
) -> Result<Vec<String>> {
    let ours = show.podcast_guid;
    match feed.podcast_guid {
        Some(theirs) if theirs == ours => return Ok(Vec::new()),
        // Another podcast:guid is another podcast, whatever else they share.
        Some(theirs) => {
            return Ok(vec![format!(
                "its podcast:guid is {theirs}, the show's is {ours}"
            )])
        }
        None => {}
    }
    let mut differences = vec![format!(
        "it has no podcast:guid to compare with the show's ({ours})"
    )];
    let claimed: Vec<&str> = [source_url, feed.self_url.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    match db::shows::import_source(&mut *tx, show.id).await? {
        Some(recorded) if claimed.iter().any(|c| same_url(c, &recorded)) => return Ok(Vec::new()),
        Some(recorded) => differences.push(match claimed.first() {
            Some(url) => format!("it comes from {url}, the show was imported from {recorded}"),
            None => format!("it names no URL of its own, the show was imported from {recorded}"),
        }),
        None => differences.push("the show was not imported from a feed URL".into()),
    }
    let guids: Vec<String> = feed
        .episodes
        .iter()
        .map(|e| e.fields.guid.clone())
        .collect();
    if db::shows::shared_episodes(&mut *tx, show.id, &guids).await? > 0 {
        return Ok(Vec::new());
    }
    differences.push(format!(
        "none of its {} episodes is one of the show's",
        guids.len()
    ));
    Ok(differences)
}

/// The same feed URL, whatever the scheme, the host's case and trailing slashes.
pub fn same_url(a: &str, b: &str) -> bool {
    fn key(url: &str) -> String {
        let url = url.trim();
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        format!(
            "{}/{}",
            host.to_ascii_lowercase(),
            path.trim_end_matches('/')
        )
    }
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::same_url;

    #[test]
    fn urls_are_the_same_feed_whatever_the_scheme_host_case_and_trailing_slash() {
        assert!(same_url(
            "https://Old.example.com/feed/",
            "http://old.example.com/feed"
        ));
        assert!(!same_url(
            "https://old.example.com/feed",
            "https://old.example.com/Feed"
        ));
        assert!(!same_url(
            "https://old.example.com/a",
            "https://other.example.com/a"
        ));
    }
}
