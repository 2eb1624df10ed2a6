//! A show's analytics prefix (OP3, Podtrac, Chartable...): put in front of every enclosure URL
//! in the feed, so that apps download through the tracker, which counts the request and
//! redirects to the media.

use std::borrow::Cow;

use crate::domain::check::Checker;
use crate::domain::HttpUrl;

/// The prefix as stored: an http(s) URL without query or fragment, ending in `/`. (An http one
/// is warned about, as `podcast_tag_not_https`.)
pub fn analytics_prefix(raw: &str) -> Result<String, String> {
    let url = HttpUrl::parse(raw).map_err(|e| format!("{e}, such as https://op3.dev/e/"))?;
    let url = url.as_str();
    if url.contains(['?', '#']) {
        return Err("must not have a query or fragment: the media URL follows it".into());
    }
    Ok(match url.ends_with('/') {
        true => url.to_string(),
        false => format!("{url}/"),
    })
}

/// Checks the prefix of a show's input.
pub fn check_analytics_prefix(c: &mut Checker, raw: Option<&str>) -> Option<String> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    analytics_prefix(raw)
        .map_err(|why| c.error("analytics_prefix", why))
        .ok()
}

/// `url` as the feed gives it: behind `prefix`, which takes the URL without its scheme (the
/// convention of OP3, Podtrac and Chartable), or as it is without one.
pub fn prefixed<'u>(prefix: Option<&str>, url: &'u str) -> Cow<'u, str> {
    let Some(prefix) = prefix.filter(|p| !p.is_empty()) else {
        return Cow::Borrowed(url);
    };
    let bare = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    Cow::Owned(format!("{prefix}{bare}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_goes_before_the_url_without_its_scheme() {
        let op3 = analytics_prefix("https://op3.dev/e").unwrap();
        assert_eq!(op3, "https://op3.dev/e/");
        assert_eq!(
            prefixed(Some(&op3), "https://cdn.example.com/ep%201.mp3?x=1"),
            "https://op3.dev/e/cdn.example.com/ep%201.mp3?x=1"
        );
        assert_eq!(
            prefixed(None, "https://cdn.example.com/1.mp3"),
            "https://cdn.example.com/1.mp3"
        );
        for bad in [
            "ftp://op3.dev/e/",
            "https://op3.dev/e/?u=",
            "op3.dev/e/",
            "javascript:x",
        ] {
            assert!(analytics_prefix(bad).is_err(), "{bad}");
        }
    }
}
