//! Checks of the Podcasting 2.0 details of shows and episodes.

use super::items;
use super::listing_check as listing;
use crate::domain::check::Checker;
use crate::domain::{
    AlternateEnclosure, EpisodeExtras, License, Location, Person, RemoteItem, ShowExtras, Trailer,
    Txt,
};

/// The most entries of any one list (persons, trailers, ...).
const MAX_ITEMS: usize = 50;

fn bounded<T>(c: &mut Checker, field: &str, items: Vec<T>) -> Vec<T> {
    if items.len() > MAX_ITEMS {
        c.error(field, format!("at most {MAX_ITEMS} entries"));
    }
    items
}

/// Checks a show's details; problems are recorded under each field's name.
pub fn check_show_extras(c: &mut Checker, x: ShowExtras) -> ShowExtras {
    let item_limit = x
        .item_limit
        .map(|n| c.number("item_limit", n.into(), 1..=100_000) as u32);
    let archive_page_size = x
        .archive_page_size
        .map(|n| c.number("archive_page_size", n.into(), 10..=10_000) as u32);
    ShowExtras {
        item_limit,
        archive_page_size,
        medium: x.medium,
        persons: persons(c, "persons", x.persons),
        location: x.location.map(|l| location(c, "location", l)),
        locations: bounded(c, "locations", x.locations)
            .into_iter()
            .map(|l| location(c, "locations", l))
            .collect(),
        license: x.license.map(|l| license(c, "license", l)),
        trailers: bounded(c, "trailers", x.trailers)
            .into_iter()
            .map(|t| trailer(c, t))
            .collect(),
        apple_verify: listing::apple_verify(c, x.apple_verify.as_deref(), &x.txt),
        txt: txt(c, "txt", x.txt),
        podroll: bounded(c, "podroll", x.podroll)
            .into_iter()
            .map(|r| remote_item(c, r))
            .collect(),
        podping: x.podping,
        value: super::check_values(c, x.value),
        images: items::images(c, "images", x.images),
        podcast_block: listing::blocks(c, x.podcast_block),
        update_frequency: x.update_frequency.map(|u| listing::update_frequency(c, u)),
        publisher: x.publisher.map(|p| listing::publisher(c, p)),
        remote_items: listing::remote_items(c, x.remote_items),
        chat: x.chat.map(|h| listing::chat(c, h)),
        social_interact: listing::social(c, x.social_interact),
        live_items: super::check_live_items(c, x.live_items),
        analytics_prefix: super::check_analytics_prefix(c, x.analytics_prefix.as_deref()),
    }
}

/// Checks an episode's details; problems are recorded under each field's name.
pub fn check_episode_extras(c: &mut Checker, x: EpisodeExtras) -> EpisodeExtras {
    EpisodeExtras {
        persons: persons(c, "persons", x.persons),
        location: x.location.map(|l| location(c, "location", l)),
        locations: bounded(c, "locations", x.locations)
            .into_iter()
            .map(|l| location(c, "locations", l))
            .collect(),
        license: x.license.map(|l| license(c, "license", l)),
        txt: txt(c, "txt", x.txt),
        alternate_enclosures: bounded(c, "alternate_enclosures", x.alternate_enclosures)
            .into_iter()
            .map(|a| alternate_enclosure(c, a))
            .collect(),
        value: super::check_values(c, x.value),
        soundbites: items::soundbites(c, "soundbites", x.soundbites),
        content_links: items::content_links(c, "content_links", x.content_links),
        transcripts: items::transcripts(c, "transcripts", x.transcripts),
        funding: items::funding(c, "funding", x.funding),
        season_name: c.opt_text("season_name", x.season_name.as_deref(), 128),
        episode_display: c.opt_text("episode_display", x.episode_display.as_deref(), 32),
        episode_number: x.episode_number.inspect(|n| {
            if !(n.is_finite() && (0.0..1e9).contains(n)) {
                c.error("episode_number", "must be a number from 0, such as 100.5");
            }
        }),
        images: items::images(c, "images", x.images),
        social_interact: listing::social(c, x.social_interact),
        itunes_block: x.itunes_block,
        chat: x.chat.map(|h| listing::chat(c, h)),
    }
}

fn persons(c: &mut Checker, field: &str, persons: Vec<Person>) -> Vec<Person> {
    bounded(c, field, persons)
        .into_iter()
        .map(|p| Person {
            name: c.text(field, &p.name, 128),
            role: c.opt_text(field, p.role.as_deref(), 64),
            group: c.opt_text(field, p.group.as_deref(), 64),
            img: c.opt_url(field, p.img.as_deref()),
            href: c.opt_url(field, p.href.as_deref()),
        })
        .collect()
}

fn location(c: &mut Checker, field: &str, l: Location) -> Location {
    let geo = c.opt_text(field, l.geo.as_deref(), 128);
    if let Some(Err(why)) = geo.as_deref().map(check_geo) {
        c.error(field, format!("geo {why}"));
    }
    let osm = c.opt_text(field, l.osm.as_deref(), 32);
    let valid_osm = |o: &str| {
        let (kind, rest) = o.split_at(o.chars().next().map_or(0, char::len_utf8));
        matches!(kind, "N" | "W" | "R")
            && rest
                .split_once('#')
                .map_or(rest, |(id, _)| id)
                .bytes()
                .all(|b| b.is_ascii_digit())
            && !rest.is_empty()
    };
    if osm.as_deref().is_some_and(|o| !valid_osm(o)) {
        c.error(field, "osm must be an OpenStreetMap id such as R113314");
    }
    let country = c
        .opt_text(field, l.country.as_deref(), 16)
        .map(|code| code.to_ascii_uppercase());
    if country
        .as_deref()
        .is_some_and(|code| code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()))
    {
        c.error(
            field,
            "country must be a two-letter ISO 3166-1 code such as US",
        );
    }
    Location {
        name: c.text(field, &l.name, 128),
        geo,
        osm,
        rel: l.rel,
        country,
    }
}

fn license(c: &mut Checker, field: &str, l: License) -> License {
    License {
        name: c.text(field, &l.name, 128),
        url: c.opt_url(field, l.url.as_deref()),
    }
}

fn txt(c: &mut Checker, field: &str, records: Vec<Txt>) -> Vec<Txt> {
    bounded(c, field, records)
        .into_iter()
        .map(|t| Txt {
            purpose: c.opt_text(field, t.purpose.as_deref(), 128),
            value: c.text(field, &t.value, 4000),
        })
        .collect()
}

fn trailer(c: &mut Checker, t: Trailer) -> Trailer {
    let field = "trailers";
    if !(1900..=9999).contains(&chrono::Datelike::year(&t.pubdate)) {
        c.error(field, "pubdate must be between the years 1900 and 9999");
    }
    Trailer {
        title: c.text(field, &t.title, 128),
        url: c.url(field, &t.url),
        pubdate: t.pubdate,
        length: t.length.map(|n| c.number(field, n, 0..=(1 << 50))),
        mime_type: t.mime_type.map(|m| c.media_type(field, &m)),
        season: t
            .season
            .map(|n| c.number(field, n.into(), 0..=1_000_000) as i32),
    }
}

fn remote_item(c: &mut Checker, r: RemoteItem) -> RemoteItem {
    let field = "podroll";
    if uuid::Uuid::parse_str(r.feed_guid.trim()).is_err() {
        c.error(
            field,
            "feed_guid must be the podcast:guid (a UUID) of the other show",
        );
    }
    RemoteItem {
        feed_guid: r.feed_guid.trim().to_ascii_lowercase(),
        feed_url: c.opt_url(field, r.feed_url.as_deref()),
    }
}

fn alternate_enclosure(c: &mut Checker, a: AlternateEnclosure) -> AlternateEnclosure {
    let field = "alternate_enclosures";
    if a.sources.is_empty() || a.sources.len() > 10 {
        c.error(field, "each needs 1 to 10 sources");
    }
    if a.bitrate.is_some_and(|b| !(0.0..1e12).contains(&b)) {
        c.error(
            field,
            "bitrate must be a number of bits per second below 10^12",
        );
    }
    AlternateEnclosure {
        mime_type: c.media_type(field, &a.mime_type),
        length: a.length.map(|n| c.number(field, n, 0..=(1 << 50))),
        bitrate: a.bitrate,
        height: a
            .height
            .map(|n| c.number(field, n.into(), 0..=100_000) as i32),
        lang: c.opt_text(field, a.lang.as_deref(), 35),
        title: c.opt_text(field, a.title.as_deref(), 32),
        rel: c.opt_text(field, a.rel.as_deref(), 32),
        codecs: c.opt_text(field, a.codecs.as_deref(), 128),
        default: a.default,
        content_types: content_types(c, field, &a.sources, a.content_types),
        sources: a.sources.iter().map(|s| source(c, field, s)).collect(),
        integrity: a.integrity.map(|i| items::integrity(c, field, i)),
    }
}

/// An `ipfs://` or `magnet:` URI, which the namespace allows as an alternate enclosure's source
/// and which has no http(s) form.
pub fn is_p2p(uri: &str) -> bool {
    let uri = uri.trim();
    ["ipfs://", "magnet:"].iter().any(|p| {
        uri.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    })
}

/// The URI of an alternate enclosure's source: http(s), or a peer-to-peer one ([`is_p2p`]).
fn source(c: &mut Checker, field: &str, raw: &str) -> String {
    let raw = raw.trim();
    if !is_p2p(raw) {
        return c.url(field, raw);
    }
    let clean = raw.len() <= crate::domain::limits::URL
        && raw.len() > 8
        && !raw.chars().any(|ch| ch.is_whitespace() || ch.is_control());
    if !clean {
        c.error(field, "a source must be an http(s), ipfs:// or magnet: URI");
    }
    raw.to_string()
}

/// A content type per source: each names one of `sources`, and is a media type.
fn content_types(
    c: &mut Checker,
    field: &str,
    sources: &[String],
    types: std::collections::BTreeMap<String, String>,
) -> std::collections::BTreeMap<String, String> {
    types
        .into_iter()
        .map(|(uri, kind)| {
            if !sources.iter().any(|s| s.trim() == uri.trim()) {
                c.error(
                    field,
                    format!("content_types names {uri:?}, which is not a source"),
                );
            }
            (uri.trim().to_string(), c.media_type(field, &kind))
        })
        .collect()
}

/// Checks a `geo:` URI against RFC 5870: `geo:lat,lon[,alt][;crs=wgs84][;u=meters][;name=value]`,
/// decimal numbers without exponents, the latitude within ±90 and the longitude within ±180.
pub fn check_geo(uri: &str) -> Result<(), &'static str> {
    const FORM: &str = "must be a geo: URI (RFC 5870), e.g. geo:30.2672,97.7431";
    let rest = uri
        .get(..4)
        .filter(|scheme| scheme.eq_ignore_ascii_case("geo:"))
        .map(|_| &uri[4..])
        .ok_or(FORM)?;
    let mut parts = rest.split(';');
    let coords: Vec<&str> = parts.next().unwrap_or_default().split(',').collect();
    if !(2..=3).contains(&coords.len()) || !coords.iter().all(|n| is_decimal(n)) {
        return Err(FORM);
    }
    let number = |s: &str| s.parse::<f64>().map_err(|_| FORM);
    if !(-90.0..=90.0).contains(&number(coords[0])?) {
        return Err("latitude must be between -90 and 90");
    }
    if !(-180.0..=180.0).contains(&number(coords[1])?) {
        return Err("longitude must be between -180 and 180");
    }
    for (i, param) in parts.enumerate() {
        let (name, value) = param.split_once('=').unwrap_or((param, ""));
        let ok = match name.to_ascii_lowercase().as_str() {
            "crs" => i == 0 && value.eq_ignore_ascii_case("wgs84"),
            "u" => is_decimal(value) && !value.starts_with('-'),
            _ => !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        };
        if !ok {
            return Err(FORM);
        }
    }
    Ok(())
}

/// RFC 5870's `num`: an optional minus, digits, and an optional fraction.
fn is_decimal(s: &str) -> bool {
    let digits = |d: &str| !d.is_empty() && d.len() <= 20 && d.bytes().all(|b| b.is_ascii_digit());
    let s = s.strip_prefix('-').unwrap_or(s);
    match s.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(s),
    }
}

#[cfg(test)]
mod tests {
    use super::check_geo;

    #[test]
    fn geo_uris_follow_rfc_5870() {
        for ok in [
            "geo:30.2672,97.7431",
            "geo:-27.8611449,153.3162701",
            "GEO:90,-180",
            "geo:48.2010,16.3695,183",
            "geo:48.198634,16.371648;crs=wgs84;u=40",
            "geo:0,0;u=0.5;name=value",
        ] {
            assert_eq!(check_geo(ok), Ok(()), "{ok}");
        }
        for bad in [
            "geo:999999999999999999999,1e308",
            "geo:91,0",
            "geo:0,180.5",
            "geo:30.2672",
            "geo:1,2,3,4",
            "geo:1e3,2",
            "geo:+1,2",
            "geo:1.,2",
            "geo:NaN,0",
            "geo:inf,0",
            "geo:1,2;u=-3",
            "geo:1,2;u=1;crs=wgs84",
            "geo:1,2;=x",
            "30.2672,97.7431",
            "geo:",
        ] {
            assert!(check_geo(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_geo("geo:-90.5,0"),
            Err("latitude must be between -90 and 90")
        );
    }
}
