//! The items group's `podcast:` tags (soundbites, content links, further transcripts, item
//! funding, season names and episode displays, integrity) and `podcast:image`s, each checked with
//! the API's rules and dropped (and reported) if it fails them.

use crate::domain::check::checked;
use crate::domain::{
    check_episode_extras, check_integrity, check_show_extras, ContentLink, EpisodeExtras, Funding,
    Integrity, PodcastImage, ShowExtras, Soundbite, Transcript,
};
use crate::import::xml::{Element, Ns};

use super::values::Ctx;

/// Reads an item-level tag of the group into `x`; `false` if it is not one.
pub fn item(ctx: &mut Ctx, el: &Element, x: &mut EpisodeExtras) -> bool {
    let one = |x: EpisodeExtras| checked(|c| check_episode_extras(c, x));
    let mut keep = |ctx: &mut Ctx, field: &str, label: &str, e: EpisodeExtras| match one(e) {
        Ok(mut c) => {
            x.soundbites.append(&mut c.soundbites);
            x.content_links.append(&mut c.content_links);
            x.transcripts.append(&mut c.transcripts);
            x.funding.append(&mut c.funding);
            x.images.append(&mut c.images);
        }
        Err(why) => ctx.dropped(field, label, &why),
    };
    let text = el.text.split_whitespace().collect::<Vec<_>>().join(" ");
    match el.name.as_str() {
        "soundbite" => {
            let number = |a: &str| el.attr(a).and_then(|n| n.trim().parse::<f64>().ok());
            let s = Soundbite {
                start_time: number("startTime").unwrap_or(-1.0),
                duration: number("duration").unwrap_or(0.0),
                title: Some(text.clone()).filter(|t| !t.is_empty()),
            };
            let e = EpisodeExtras {
                soundbites: vec![s],
                ..EpisodeExtras::default()
            };
            keep(ctx, "soundbites", &text, e);
        }
        "contentLink" => {
            let href = el.attr("href").unwrap_or_default();
            let Some(url) = need_url(ctx, "content_links", href, &text) else {
                return true;
            };
            let l = ContentLink { href: url, text };
            let e = EpisodeExtras {
                content_links: vec![l],
                ..EpisodeExtras::default()
            };
            keep(ctx, "content_links", href, e);
        }
        "transcript" => {
            let url = el.attr("url").unwrap_or_default();
            let Some(checked_url) = need_url(ctx, "transcripts", url, url) else {
                return true;
            };
            let t = Transcript {
                url: checked_url,
                mime_type: el.attr("type").unwrap_or_default().trim().to_string(),
                language: trimmed(el.attr("language")),
                rel: trimmed(el.attr("rel")),
            };
            let e = EpisodeExtras {
                transcripts: vec![t],
                ..EpisodeExtras::default()
            };
            keep(ctx, "transcripts", url, e);
        }
        "funding" => {
            let url = el.attr("url").unwrap_or_default();
            let Some(checked_url) = need_url(ctx, "funding", url, &text) else {
                return true;
            };
            let f = Funding {
                url: checked_url,
                label: text,
            };
            let e = EpisodeExtras {
                funding: vec![f],
                ..EpisodeExtras::default()
            };
            keep(ctx, "funding", url, e);
        }
        "image" | "images" => {
            for (label, image) in images(ctx, el) {
                let e = EpisodeExtras {
                    images: vec![image],
                    ..EpisodeExtras::default()
                };
                keep(ctx, "images", &label, e);
            }
        }
        _ => return false,
    }
    true
}

/// Reads a channel-level `podcast:image` or `podcast:images` into `x`; `false` if it is neither.
pub fn channel(ctx: &mut Ctx, el: &Element, x: &mut ShowExtras) -> bool {
    if !matches!(el.name.as_str(), "image" | "images") {
        return false;
    }
    for (label, image) in images(ctx, el) {
        let one = ShowExtras {
            images: vec![image],
            ..ShowExtras::default()
        };
        match checked(|c| check_show_extras(c, one)) {
            Ok(mut checked) => x.images.append(&mut checked.images),
            Err(why) => ctx.dropped("images", &label, &why),
        }
    }
    true
}

/// The `name` of `podcast:season` or the `display` of `podcast:episode`, into `x`.
pub fn number_attrs(ctx: &mut Ctx, el: &Element, x: &mut EpisodeExtras) {
    let (field, raw) = match el.name.as_str() {
        "season" => ("season_name", el.attr("name")),
        _ => ("episode_display", el.attr("display")),
    };
    let Some(raw) = trimmed(raw) else { return };
    let e = match field {
        "season_name" => EpisodeExtras {
            season_name: Some(raw.clone()),
            ..EpisodeExtras::default()
        },
        _ => EpisodeExtras {
            episode_display: Some(raw.clone()),
            ..EpisodeExtras::default()
        },
    };
    match checked(|c| check_episode_extras(c, e)) {
        Ok(c) if field == "season_name" => x.season_name = c.season_name,
        Ok(c) => x.episode_display = c.episode_display,
        Err(why) => ctx.dropped(field, &raw, &why),
    }
}

/// The `podcast:integrity` of an alternate enclosure, if it has a valid one.
pub fn integrity(ctx: &mut Ctx, el: &Element) -> Option<Integrity> {
    let i = el
        .children
        .iter()
        .find(|c| c.is(&Ns::Podcast, "integrity"))?;
    let raw = Integrity {
        kind: i.attr("type").unwrap_or_default().to_string(),
        value: i.attr("value").unwrap_or_default().to_string(),
    };
    let value = raw.value.clone();
    match checked(|c| check_integrity(c, "alternate_enclosures", raw)) {
        Ok(i) => Some(i),
        Err(why) => {
            ctx.dropped("alternate_enclosures", &value, &format!("integrity: {why}"));
            None
        }
    }
}

/// A `podcast:image`, or the images of a deprecated `podcast:images` srcset, each with a label.
fn images(ctx: &mut Ctx, el: &Element) -> Vec<(String, PodcastImage)> {
    let href = |ctx: &mut Ctx, raw: &str| need_url(ctx, "images", raw, raw);
    if el.name == "images" {
        let srcset = el.attr("srcset").unwrap_or_default();
        return srcset
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .filter_map(|candidate| {
                let mut parts = candidate.split_whitespace();
                let url = parts.next().unwrap_or_default();
                let width = parts
                    .next()
                    .and_then(|w| w.strip_suffix('w'))
                    .and_then(|w| w.parse().ok());
                let image = PodcastImage {
                    href: href(ctx, url)?,
                    width,
                    ..PodcastImage::default()
                };
                Some((url.to_string(), image))
            })
            .collect();
    }
    let raw = el.attr("href").unwrap_or_default();
    let Some(url) = href(ctx, raw) else {
        return Vec::new();
    };
    let number = |a: &str| el.attr(a).and_then(|n| n.trim().parse().ok());
    let image = PodcastImage {
        href: url,
        alt: trimmed(el.attr("alt")),
        aspect_ratio: trimmed(el.attr("aspect-ratio")),
        width: number("width"),
        height: number("height"),
        mime_type: trimmed(el.attr("type")),
        purpose: trimmed(el.attr("purpose")),
    };
    vec![(raw.to_string(), image)]
}

/// The tag's URL, checked; a missing or bad one is reported as dropping the tag.
fn need_url(ctx: &mut Ctx, field: &str, raw: &str, label: &str) -> Option<String> {
    if raw.trim().is_empty() {
        ctx.dropped(field, label, "it has no URL");
        return None;
    }
    ctx.url(field, raw)
}

fn trimmed(v: Option<&str>) -> Option<String> {
    v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}
