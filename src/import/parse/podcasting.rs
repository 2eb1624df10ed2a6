//! `podcast:` tags of the channel and items, into the Podcasting 2.0 extras podpub keeps; each
//! one is checked with the API's own rules and dropped (and reported) if it fails them.

use crate::domain::check::checked;
use crate::domain::{
    check_episode_extras, check_show_extras, is_p2p, AlternateEnclosure, EpisodeExtras, License,
    Location, Medium, Person, RemoteItem, ShowExtras, Trailer, Txt,
};
use crate::import::xml::{Element, Ns};

use super::{dates::parse_date, values::Ctx};

/// Reads a channel-level `podcast:` tag into `x`; `false` if podpub does not keep it.
pub fn channel(ctx: &mut Ctx, el: &Element, x: &mut ShowExtras) -> bool {
    let one = |x: ShowExtras| checked(|c| check_show_extras(c, x));
    match el.name.as_str() {
        "txt" if super::listing::is_apple_verify(el) => return super::listing::channel(ctx, el, x),
        "medium" => {
            let medium = el.text.trim();
            match medium.parse::<Medium>() {
                Ok(medium) => x.medium = Some(medium),
                Err(why) => ctx.dropped("medium", medium, &why.to_string()),
            }
        }
        "person" => {
            let p = person(ctx, el);
            let name = p.name.clone();
            match one(ShowExtras {
                persons: vec![p],
                ..ShowExtras::default()
            }) {
                Ok(mut checked) => x.persons.extend(checked.persons.pop()),
                Err(why) => ctx.dropped("persons", &name, &why),
            }
        }
        "location" => {
            let check = |l| {
                let x = ShowExtras {
                    location: Some(l),
                    ..ShowExtras::default()
                };
                one(x).map(|c| c.location)
            };
            if let Some(l) = kept_location(ctx, location(el), check) {
                match x.location {
                    None => x.location = Some(l),
                    Some(_) => x.locations.push(l),
                }
            }
        }
        "license" => {
            let l = license(ctx, el);
            let name = l.name.clone();
            match one(ShowExtras {
                license: Some(l),
                ..ShowExtras::default()
            }) {
                Ok(checked) => x.license = checked.license,
                Err(why) => ctx.dropped("license", &name, &why),
            }
        }
        "txt" => {
            let t = txt(el);
            let value = t.value.clone();
            match one(ShowExtras {
                txt: vec![t],
                ..ShowExtras::default()
            }) {
                Ok(mut checked) => x.txt.extend(checked.txt.pop()),
                Err(why) => ctx.dropped("txt", &value, &why),
            }
        }
        "trailer" => {
            let Some(t) = trailer(ctx, el) else {
                return true;
            };
            let title = t.title.clone();
            match one(ShowExtras {
                trailers: vec![t],
                ..ShowExtras::default()
            }) {
                Ok(mut checked) => x.trailers.extend(checked.trailers.pop()),
                Err(why) => ctx.dropped("trailers", &title, &why),
            }
        }
        "podroll" => {
            for item in el
                .children
                .iter()
                .filter(|c| c.is(&Ns::Podcast, "remoteItem"))
            {
                let r = RemoteItem {
                    feed_guid: item.attr("feedGuid").unwrap_or_default().to_string(),
                    feed_url: item.attr("feedUrl").and_then(|u| ctx.url("podroll", u)),
                };
                let guid = r.feed_guid.clone();
                match one(ShowExtras {
                    podroll: vec![r],
                    ..ShowExtras::default()
                }) {
                    Ok(mut checked) => x.podroll.extend(checked.podroll.pop()),
                    Err(why) => ctx.dropped("podroll", &guid, &why),
                }
            }
        }
        "podping" => x.podping = el.attr("usesPodping").is_some_and(|v| v.trim() == "true"),
        "value" => super::value::read(ctx, el, &mut x.value),
        _ => return super::items::channel(ctx, el, x) || super::listing::channel(ctx, el, x),
    }
    true
}

/// Reads an item-level `podcast:` tag into `x`; `false` if podpub does not keep it.
pub fn item(ctx: &mut Ctx, el: &Element, x: &mut EpisodeExtras) -> bool {
    let one = |x: EpisodeExtras| checked(|c| check_episode_extras(c, x));
    if el.name == "value" {
        super::value::read(ctx, el, &mut x.value);
        return true;
    }
    if el.name == "location" {
        let check = |l| {
            let x = EpisodeExtras {
                location: Some(l),
                ..EpisodeExtras::default()
            };
            one(x).map(|c| c.location)
        };
        if let Some(l) = kept_location(ctx, location(el), check) {
            match x.location {
                None => x.location = Some(l),
                Some(_) => x.locations.push(l),
            }
        }
        return true;
    }
    let (field, label, result) = match el.name.as_str() {
        "person" => {
            let p = person(ctx, el);
            let label = p.name.clone();
            let result = one(EpisodeExtras {
                persons: vec![p],
                ..EpisodeExtras::default()
            });
            ("persons", label, result)
        }
        "license" => {
            let l = license(ctx, el);
            let label = l.name.clone();
            let result = one(EpisodeExtras {
                license: Some(l),
                ..EpisodeExtras::default()
            });
            ("license", label, result)
        }
        "txt" => {
            let t = txt(el);
            let label = t.value.clone();
            let result = one(EpisodeExtras {
                txt: vec![t],
                ..EpisodeExtras::default()
            });
            ("txt", label, result)
        }
        "alternateEnclosure" => {
            let a = alternate_enclosure(ctx, el);
            let label = a.mime_type.clone();
            let result = one(EpisodeExtras {
                alternate_enclosures: vec![a],
                ..EpisodeExtras::default()
            });
            ("alternate_enclosures", label, result)
        }
        _ => return super::items::item(ctx, el, x) || super::listing::item(ctx, el, x),
    };
    match result {
        Ok(mut checked) => {
            x.persons.append(&mut checked.persons);
            x.txt.append(&mut checked.txt);
            x.alternate_enclosures
                .append(&mut checked.alternate_enclosures);
            if checked.license.is_some() {
                x.license = checked.license;
            }
        }
        Err(why) => ctx.dropped(field, &label, &why),
    }
    true
}

fn lower(v: Option<&str>) -> Option<String> {
    v.map(|v| v.trim().to_lowercase()).filter(|v| !v.is_empty())
}

fn trimmed(v: Option<&str>) -> Option<String> {
    v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn person(ctx: &mut Ctx, el: &Element) -> Person {
    Person {
        name: el.text.trim().to_string(),
        role: lower(el.attr("role")),
        group: lower(el.attr("group")),
        img: el.attr("img").and_then(|u| ctx.url("persons", u)),
        href: el.attr("href").and_then(|u| ctx.url("persons", u)),
    }
}

/// A location the checks refuse is kept by its name (and rel) alone when that passes: a bad
/// `geo`, `osm` or `country` is reported and left out, not the place.
fn kept_location(
    ctx: &mut Ctx,
    l: Location,
    check: impl Fn(Location) -> Result<Option<Location>, String>,
) -> Option<Location> {
    let name = l.name.clone();
    let bare = Location {
        name: l.name.clone(),
        rel: l.rel,
        ..Location::default()
    };
    let why = match check(l) {
        Ok(kept) => return kept,
        Err(why) => why,
    };
    match check(bare) {
        Ok(kept) => {
            ctx.dropped(
                "location",
                &name,
                &format!("{why}; kept without its geo, osm and country"),
            );
            kept
        }
        Err(why) => {
            ctx.dropped("location", &name, &why);
            None
        }
    }
}

fn location(el: &Element) -> Location {
    Location {
        name: el.text.trim().to_string(),
        geo: trimmed(el.attr("geo")),
        osm: trimmed(el.attr("osm")),
        // An unknown rel is read as the default, subject.
        rel: el
            .attr("rel")
            .and_then(|r| r.trim().to_lowercase().parse().ok()),
        country: trimmed(el.attr("country")),
    }
}

fn license(ctx: &mut Ctx, el: &Element) -> License {
    License {
        name: el.text.trim().to_string(),
        url: el.attr("url").and_then(|u| ctx.url("license", u)),
    }
}

fn txt(el: &Element) -> Txt {
    Txt {
        purpose: trimmed(el.attr("purpose")),
        value: el.text.trim().to_string(),
    }
}

fn trailer(ctx: &mut Ctx, el: &Element) -> Option<Trailer> {
    let title = el.text.trim().to_string();
    let url = ctx.url("trailers", el.attr("url").unwrap_or_default())?;
    let Some(pubdate) = el.attr("pubdate").and_then(parse_date) else {
        ctx.dropped("trailers", &title, "pubdate is not a date");
        return None;
    };
    Some(Trailer {
        title,
        url,
        pubdate,
        length: el.attr("length").and_then(|n| n.trim().parse().ok()),
        mime_type: trimmed(el.attr("type")),
        season: el.attr("season").and_then(|n| n.trim().parse().ok()),
    })
}

fn alternate_enclosure(ctx: &mut Ctx, el: &Element) -> AlternateEnclosure {
    let mut content_types = std::collections::BTreeMap::new();
    let mut sources = Vec::new();
    for s in el.children.iter().filter(|c| c.is(&Ns::Podcast, "source")) {
        let raw = s.attr("uri").unwrap_or_default().trim();
        let uri = if is_p2p(raw) {
            Some(raw.to_string())
        } else {
            ctx.url("alternate_enclosures", raw)
        };
        let Some(uri) = uri else {
            continue;
        };
        match s.attr("contentType").and_then(|t| ctx.media_type(t)) {
            Some(kind) => {
                content_types.insert(uri.clone(), kind);
            }
            None if s.attr("contentType").is_some() => {
                let raw = s.attr("contentType").unwrap_or_default();
                ctx.dropped(
                    "alternate_enclosures",
                    raw,
                    "contentType is not a media type",
                );
            }
            None => {}
        }
        sources.push(uri);
    }
    AlternateEnclosure {
        mime_type: el.attr("type").unwrap_or_default().trim().to_string(),
        length: el.attr("length").and_then(|n| n.trim().parse().ok()),
        bitrate: el.attr("bitrate").and_then(|n| n.trim().parse().ok()),
        height: el.attr("height").and_then(|n| n.trim().parse().ok()),
        lang: trimmed(el.attr("lang")),
        title: trimmed(el.attr("title")),
        rel: trimmed(el.attr("rel")),
        codecs: trimmed(el.attr("codecs")),
        default: el.attr("default").is_some_and(|v| v.trim() == "true"),
        sources,
        content_types,
        integrity: super::items::integrity(ctx, el),
    }
}
