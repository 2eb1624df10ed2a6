//! The item-level Podcasting 2.0 details (soundbites, content links, transcripts, funding,
//! integrity) and `podcast:image`, with their checks.

use serde::{Deserialize, Serialize};

use crate::domain::check::{media_type, Checker};
use crate::domain::{limits, Funding};

/// The most entries of any one of these lists.
const MAX_ITEMS: usize = 50;
/// The longest soundbite start or duration, in seconds (as long as an episode may be).
const MAX_SECONDS: f64 = 100.0 * 24.0 * 3600.0;

/// `podcast:soundbite`: a part of the episode worth sharing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Soundbite {
    /// Seconds from the start of the episode.
    pub start_time: f64,
    /// Seconds; 15 to 120 are recommended.
    pub duration: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// `podcast:contentLink`: the episode's content elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContentLink {
    pub href: String,
    #[serde(default)]
    pub text: String,
}

/// A further `podcast:transcript`, after the one of `transcript_url`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transcript {
    pub url: String,
    #[serde(rename = "type")]
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Only `captions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
}

/// `podcast:integrity` of an alternate enclosure: `sri` or `pgp-signature`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Integrity {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// `podcast:image`, of a show or an episode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PodcastImage {
    pub href: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    /// A CSS ratio such as `16/9`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// Space-separated tokens such as `artwork social`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

fn bounded<T>(c: &mut Checker, field: &str, items: Vec<T>) -> Vec<T> {
    if items.len() > MAX_ITEMS {
        c.error(field, format!("at most {MAX_ITEMS} entries"));
    }
    items
}

/// Checks soundbites: times in seconds, not negative, a duration above 0.
pub fn soundbites(c: &mut Checker, field: &str, list: Vec<Soundbite>) -> Vec<Soundbite> {
    let seconds = |n: f64| n.is_finite() && (0.0..=MAX_SECONDS).contains(&n);
    bounded(c, field, list)
        .into_iter()
        .map(|s| {
            if !seconds(s.start_time) {
                c.error(
                    field,
                    "start_time must be seconds from the start, 0 or more",
                );
            }
            if !seconds(s.duration) || s.duration <= 0.0 {
                c.error(field, "duration must be a number of seconds above 0");
            }
            Soundbite {
                title: c.opt_text(field, s.title.as_deref(), 128),
                ..s
            }
        })
        .collect()
}

/// Checks content links: an http(s) URL and a line of text.
pub fn content_links(c: &mut Checker, field: &str, list: Vec<ContentLink>) -> Vec<ContentLink> {
    bounded(c, field, list)
        .into_iter()
        .map(|l| ContentLink {
            href: c.url(field, &l.href),
            text: c.long_text(field, &l.text, 256).replace(['\n', '\r'], " "),
        })
        .collect()
}

/// Checks further transcripts: a URL, a media type, a language tag, and `rel` only `captions`.
pub fn transcripts(c: &mut Checker, field: &str, list: Vec<Transcript>) -> Vec<Transcript> {
    bounded(c, field, list)
        .into_iter()
        .map(|t| {
            let language = c.opt_text(field, t.language.as_deref(), 35);
            let tag = |l: &str| {
                l.split('-').all(|p| {
                    (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
                })
            };
            if language.as_deref().is_some_and(|l| !tag(l)) {
                c.error(field, "language must be a language tag such as en or pt-BR");
            }
            let rel = c.opt_text(field, t.rel.as_deref(), 32);
            if rel.as_deref().is_some_and(|r| r != "captions") {
                c.error(field, "rel can only be captions");
            }
            Transcript {
                url: c.url(field, &t.url),
                mime_type: c.media_type(field, &t.mime_type),
                language,
                rel,
            }
        })
        .collect()
}

/// Checks an episode's funding links like a show's: a URL and a label of up to 128 characters.
pub fn funding(c: &mut Checker, field: &str, list: Vec<Funding>) -> Vec<Funding> {
    if list.len() > 10 {
        c.error(field, "at most 10 funding links");
    }
    list.into_iter()
        .map(|f| Funding {
            url: c.url(field, &f.url),
            label: c
                .long_text(field, &f.label, limits::FUNDING_LABEL)
                .replace(['\n', '\r'], " "),
        })
        .collect()
}

/// Checks an alternate enclosure's integrity: an SRI string or a base64 PGP signature.
pub fn integrity(c: &mut Checker, field: &str, i: Integrity) -> Integrity {
    let kind = i.kind.trim().to_ascii_lowercase();
    let value = i.value.trim().to_string();
    let base64 = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\n' | b'\r')
            })
    };
    let sri = |s: &str| {
        s.split_whitespace().next().is_some()
            && s.split_whitespace().all(|h| {
                let (alg, hash) = h.split_once('-').unwrap_or(("", ""));
                matches!(alg, "sha256" | "sha384" | "sha512")
                    && base64(hash.split('?').next().unwrap_or(""))
            })
    };
    let ok = match kind.as_str() {
        "sri" => sri(&value),
        "pgp-signature" => base64(&value),
        _ => {
            c.error(field, "integrity type must be sri or pgp-signature");
            true
        }
    };
    if !ok || value.len() > 16_384 {
        c.error(
            field,
            format!("integrity value is not a valid {kind} value"),
        );
    }
    Integrity { kind, value }
}

/// Checks images: a URL, and what the spec allows for each attribute.
pub fn images(c: &mut Checker, field: &str, list: Vec<PodcastImage>) -> Vec<PodcastImage> {
    let ratio = |r: &str| {
        let positive = |n: &str| {
            n.trim()
                .parse::<f64>()
                .is_ok_and(|n| n.is_finite() && n > 0.0)
        };
        match r.split_once('/') {
            Some((a, b)) => positive(a) && positive(b),
            None => positive(r),
        }
    };
    bounded(c, field, list)
        .into_iter()
        .map(|i| {
            let aspect_ratio = c.opt_text(field, i.aspect_ratio.as_deref(), 32);
            if aspect_ratio.as_deref().is_some_and(|r| !ratio(r)) {
                c.error(field, "aspect_ratio must be a ratio such as 1/1 or 16/9");
            }
            let mut size =
                |n: Option<u32>| n.map(|n| c.number(field, n.into(), 1..=100_000) as u32);
            let (width, height) = (size(i.width), size(i.height));
            let mime_type = i
                .mime_type
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty());
            if mime_type.is_some_and(|t| media_type(t).is_none()) {
                c.error(field, "type must be a media type such as image/jpeg");
            }
            PodcastImage {
                href: c.url(field, &i.href),
                alt: c.opt_text(field, i.alt.as_deref(), 512),
                aspect_ratio,
                width,
                height,
                mime_type: mime_type.and_then(media_type),
                purpose: c
                    .opt_text(field, i.purpose.as_deref(), 128)
                    .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")),
            }
        })
        .collect()
}
