//! Feed values made into values podpub stores: each either passes the API's own rules or is
//! dropped, shortened or corrected, and the report says so.

use std::collections::BTreeMap;

use url::Url;

use crate::domain::{check::media_type, clean_text, Email, HttpUrl};
use crate::import::report::{code, Report};
use crate::import::xml::{Element, Ns};

/// What the mapping of one feed carries along: the report, the base for relative URLs, and
/// the elements left unread.
pub struct Ctx<'r> {
    pub report: &'r mut Report,
    pub base: Option<Url>,
    /// The guid of the item being read, empty for the channel.
    pub guid: String,
    /// Unread elements, by where (`channel`/`item`) and namespace, name as written: how often.
    unread: BTreeMap<(&'static str, Ns, String), usize>,
}

impl<'r> Ctx<'r> {
    pub fn new(report: &'r mut Report, base: Option<Url>) -> Ctx<'r> {
        Ctx {
            report,
            base,
            guid: String::new(),
            unread: BTreeMap::new(),
        }
    }

    /// Records a problem, about the current item if there is one.
    pub fn note(&mut self, code: &'static str, message: impl Into<String>) {
        self.report.item(code, &self.guid, message);
    }

    /// Records an element that is not imported.
    pub fn unread(&mut self, place: &'static str, el: &Element) {
        *self
            .unread
            .entry((place, el.ns.clone(), el.qname.clone()))
            .or_default() += 1;
    }

    /// Reports the unread elements: per element name, and per unknown namespace.
    pub fn finish(self) {
        let mut namespaces: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for ((place, ns, qname), n) in self.unread {
            let times = if n > 1 {
                format!(" ({n}×)")
            } else {
                String::new()
            };
            match ns {
                Ns::Other(uri) => namespaces
                    .entry(uri.to_string())
                    .or_default()
                    .push(format!("{qname}{times}")),
                Ns::Media => namespaces
                    .entry("http://search.yahoo.com/mrss/".into())
                    .or_default()
                    .push(format!("{qname}{times}")),
                _ => {
                    let place = match (place, n) {
                        ("item", 1) => "an item".to_string(),
                        ("item", n) => format!("{n} items"),
                        (other, _) => format!("the {other}"),
                    };
                    let message = format!("<{qname}> in {place} is not imported");
                    self.report.add(code::ELEMENT_NOT_IMPORTED, message);
                }
            }
        }
        for (uri, names) in namespaces {
            let message = format!(
                "elements of the namespace {uri} are not imported: {}",
                names.join(", ")
            );
            self.report.add(code::NAMESPACE_NOT_IMPORTED, message);
        }
    }

    /// One-line text: whitespace squashed, control characters removed, at most `max`
    /// characters; empty is `None`.
    pub fn line(&mut self, field: &str, raw: &str, max: usize) -> Option<String> {
        let squashed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        self.text(field, &squashed, max, false)
    }

    /// Multi-line text or HTML, like [`Ctx::line`] but keeping line breaks; empty is `""`.
    pub fn long(&mut self, field: &str, raw: &str, max: usize) -> String {
        self.text(field, raw.trim(), max, true).unwrap_or_default()
    }

    fn text(&mut self, field: &str, raw: &str, max: usize, multiline: bool) -> Option<String> {
        let allowed = |c: char| match c {
            '\t' | '\n' | '\r' => multiline,
            '\u{FFFE}' | '\u{FFFF}' => false,
            c => !c.is_control(),
        };
        let mut text: String = raw.chars().filter(|&c| allowed(c)).collect();
        if text.len() != raw.len() {
            self.note(
                code::VALUE_CHANGED,
                format!("{field}: control characters were removed"),
            );
        }
        if text.chars().count() > max {
            text = text.chars().take(max).collect();
            self.note(
                code::VALUE_TRUNCATED,
                format!("{field}: shortened to {max} characters"),
            );
        }
        clean_text(&text, max, multiline).ok()
    }

    /// An absolute http(s) URL; relative ones are resolved against the feed's URL.
    pub fn url(&mut self, field: &str, raw: &str) -> Option<String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let joined = match &self.base {
            Some(base) => base.join(raw).map(String::from).ok(),
            None => None,
        };
        let candidate = joined.as_deref().unwrap_or(raw);
        match HttpUrl::parse(candidate) {
            Ok(url) => Some(url.as_str().to_string()),
            Err(e) => {
                self.dropped(field, raw, &e.to_string());
                None
            }
        }
    }

    /// An email address, as the API accepts it.
    pub fn email(&mut self, field: &str, raw: &str) -> Option<String> {
        let email = self.line(field, raw, 254)?;
        match Email::parse(&email) {
            Ok(email) => Some(email.into_string()),
            Err(why) => {
                self.dropped(field, &email, &why.to_string());
                None
            }
        }
    }

    /// A media type such as `audio/mpeg`, lower-cased.
    pub fn media_type(&mut self, raw: &str) -> Option<String> {
        media_type(raw)
    }

    /// A whole number in `range`.
    pub fn number(
        &mut self,
        field: &str,
        raw: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<i64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                let why = format!(
                    "must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                );
                self.dropped(field, raw, &why);
                None
            }
        }
    }

    /// A yes/no value: `yes`, `true`, `explicit` or `no`, `false`, `clean`.
    pub fn yes_no(&mut self, field: &str, raw: &str) -> Option<bool> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" | "explicit" => Some(true),
            "no" | "false" | "clean" => Some(false),
            "" => None,
            _ => {
                self.dropped(
                    field,
                    raw.trim(),
                    "must be yes/true/explicit or no/false/clean",
                );
                None
            }
        }
    }

    /// Records that an invalid value was left out.
    pub fn dropped(&mut self, field: &str, value: &str, why: &str) {
        let shown: String = value.chars().take(100).collect();
        self.note(
            code::VALUE_DROPPED,
            format!("{field}: {shown:?} dropped ({why})"),
        );
    }
}

/// A duration as `itunes:duration` writes it: seconds, `MM:SS` or `H:MM:SS`, with an optional
/// fraction, which is dropped.
pub fn duration_seconds(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let whole = raw.split_once('.').map_or(raw, |(whole, fraction)| {
        if fraction.bytes().all(|b| b.is_ascii_digit()) {
            whole
        } else {
            raw
        }
    });
    let parts: Vec<&str> = whole.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 9) {
        return None;
    }
    if !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let numbers: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if numbers.len() > 1 && numbers[1..].iter().any(|&n| n > 59) {
        return None;
    }
    Some(numbers.iter().fold(0, |total, n| total * 60 + n))
}

/// The media type a file name suggests, for an enclosure without a usable one.
pub fn guess_media_type(url: &str) -> &'static str {
    const UNKNOWN: &str = "application/octet-stream";
    let path = url.split(['?', '#']).next().unwrap_or(url);
    // The host is no file name: `https://example.com` is not a `.com` program.
    let path = path.split_once("://").map_or(path, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, path)| path)
    });
    let Some((_, ext)) = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
    else {
        return UNKNOWN;
    };
    match ext.to_ascii_lowercase().as_str() {
        // Apple's type for MP4 audio (mime_guess: audio/m4a).
        "m4a" => "audio/x-m4a",
        // MP4 audio too; mime_guess's audio/m4b is no registered type.
        "m4b" => "audio/mp4",
        // What the Podcast namespace and its apps write (mime_guess: audio/ogg).
        "opus" => "audio/opus",
        ext => mime_guess::from_ext(ext)
            .first_raw()
            // Media only: the table also maps server scripts (`.php`, `.aspx`) to types that
            // the downloads behind them never have.
            .filter(|t| {
                t.starts_with("audio/") || t.starts_with("video/") || *t == "application/pdf"
            })
            .unwrap_or(UNKNOWN),
    }
}

/// The file name of a URL without its extension, as podcastparser names untitled things.
pub fn basename(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let name = last.rsplit_once('.').map_or(last, |(stem, _)| stem);
    let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
    (!name.trim().is_empty() && !name.contains("://")).then(|| name.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_common_form() {
        for (raw, secs) in [
            ("0", Some(0)),
            ("128", Some(128)),
            ("00:20", Some(20)),
            ("01:00:00", Some(3600)),
            (" 03:02:01", Some(10921)),
            ("61:08", Some(3668)),
            ("25:3:30", Some(90210)),
            ("61.08", Some(61)),
            ("01:02:03.500", Some(3723)),
            ("", None),
            ("1:2:3:4", None),
            ("ten minutes", None),
            ("-5", None),
            ("01:75", None),
        ] {
            assert_eq!(duration_seconds(raw), secs, "{raw:?}");
        }
    }

    #[test]
    fn untitled_things_are_named_after_their_file() {
        assert_eq!(
            basename("http://example.com/test.ogg").as_deref(),
            Some("test")
        );
        assert_eq!(
            basename("http://x/a/My%20Show.mp3?x=1").as_deref(),
            Some("My Show")
        );
        assert_eq!(basename("http://x/feed/").as_deref(), Some("feed"));
        assert_eq!(
            basename("http://x/a%2Bb%zz%+f").as_deref(),
            Some("a+b%zz%+f")
        );
        assert_eq!(basename("http://x/%FF%C3%A9").as_deref(), Some("\u{FFFD}é"));
        assert_eq!(guess_media_type("https://x/ep.MP3?dl=1"), "audio/mpeg");
        assert_eq!(guess_media_type("https://x/ep"), "application/octet-stream");
    }

    #[test]
    fn enclosure_types_are_guessed_for_the_common_podcast_extensions() {
        for (ext, media_type) in [
            ("mp3", "audio/mpeg"),
            ("m4a", "audio/x-m4a"),
            ("m4b", "audio/mp4"),
            ("aac", "audio/aac"),
            ("ogg", "audio/ogg"),
            ("oga", "audio/ogg"),
            ("opus", "audio/opus"),
            ("flac", "audio/flac"),
            ("wav", "audio/wav"),
            ("aiff", "audio/aiff"),
            ("mka", "audio/x-matroska"),
            ("mp4", "video/mp4"),
            ("m4v", "video/x-m4v"),
            ("mov", "video/quicktime"),
            ("webm", "video/webm"),
            ("mkv", "video/x-matroska"),
            ("3gp", "video/3gpp"),
            ("pdf", "application/pdf"),
            ("php", "application/octet-stream"),
            ("aspx", "application/octet-stream"),
            ("jpg", "application/octet-stream"),
        ] {
            let url = format!(
                "https://cdn.example.com/show/ep.{}?dl=1",
                ext.to_uppercase()
            );
            assert_eq!(guess_media_type(&url), media_type, "{ext}");
        }
        assert_eq!(
            guess_media_type("https://example.com"),
            "application/octet-stream"
        );
        assert_eq!(
            guess_media_type("https://x/ep.mp3/"),
            "application/octet-stream"
        );
    }

    #[test]
    fn text_is_cleaned_and_reported() {
        let mut report = Report::default();
        let mut ctx = Ctx::new(&mut report, None);
        assert_eq!(
            ctx.line("title", "  a\n  b\u{1}c ", 100).as_deref(),
            Some("a bc")
        );
        assert_eq!(ctx.line("title", "éééé", 2).as_deref(), Some("éé"));
        assert_eq!(ctx.line("title", " \n ", 2), None);
        assert_eq!(
            ctx.long("description", " <p>a</p>\n<p>b</p> ", 100),
            "<p>a</p>\n<p>b</p>"
        );
        assert_eq!(ctx.url("link", "/relative"), None);
        assert_eq!(ctx.yes_no("explicit", "Clean"), Some(false));
        assert_eq!(ctx.email("owner_email", "not an email"), None);
        drop(ctx);
        assert_eq!(report.count(code::VALUE_CHANGED), 1);
        assert_eq!(report.count(code::VALUE_TRUNCATED), 1);
        assert_eq!(report.count(code::VALUE_DROPPED), 2);
    }
}
