//! The `podcast:guid` of a feed, as the Podcast Namespace defines it.

use uuid::Uuid;

/// The Podcast Namespace's UUIDv5 namespace, `ead4c236-bf58-58c6-a2c6-a6b28d128cb6`.
pub const PODCAST_NAMESPACE: Uuid = Uuid::from_u128(0xead4c236_bf58_58c6_a2c6_a6b28d128cb6);

/// Computes the `podcast:guid` for a feed URL: UUIDv5 of the URL without its scheme (`xxx://`) and
/// without trailing slashes.
pub fn podcast_guid(feed_url: &str) -> Uuid {
    Uuid::new_v5(&PODCAST_NAMESPACE, strip_url(feed_url).as_bytes())
}

fn strip_url(url: &str) -> &str {
    let rest = match url.split_once("://") {
        Some((scheme, rest)) if is_scheme(scheme) => rest,
        _ => url,
    };
    rest.trim_end_matches('/')
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PODNEWS: &str = "9b024349-ccf0-5f69-a609-6b82873eab3c";

    #[test]
    fn podnews_reference_value() {
        assert_eq!(podcast_guid("https://podnews.net/rss").to_string(), PODNEWS);
    }

    #[test]
    fn scheme_and_trailing_slashes_do_not_matter() {
        for url in [
            "podnews.net/rss",
            "podnews.net/rss/",
            "http://podnews.net/rss",
            "https://podnews.net/rss//",
            "feed://podnews.net/rss",
        ] {
            assert_eq!(podcast_guid(url).to_string(), PODNEWS, "{url}");
        }
    }

    #[test]
    fn only_a_leading_scheme_is_stripped() {
        assert_eq!(
            strip_url("example.com/a?u=https://x"),
            "example.com/a?u=https://x"
        );
        assert_eq!(strip_url("https://example.com/"), "example.com");
    }
}
