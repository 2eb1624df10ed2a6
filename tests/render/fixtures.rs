//! The full-featured show: every field of `FeedShow` and `Episode` set, with text that needs
//! escaping, plus a draft and a future episode that must stay out of the feed.

use chrono::{DateTime, Utc};
use podpub::domain::{
    AlternateEnclosure, Category, Episode, EpisodeExtras, EpisodeFields, EpisodeType, Funding,
    License, Location, LocationRel, Medium, Person, RemoteItem, ShowExtras, ShowType, Trailer, Txt,
};
use podpub::feed::model::FeedShow;

use crate::kit::build::{self, EpisodeBuilder};

pub const SHOW_TITLE: &str = "Tom & Jerry's <Show> \"Live\" — café 🎙️";
pub const SHOW_DESCRIPTION: &str =
    "<p>Cats &amp; mice, <b>weekly</b>. See <a href=\"https://example.com/about\">about</a> ]]> 日本語</p>";
pub const FEED_URL: &str = "https://feeds.example.com/tom-and-jerry/feed.xml";
pub const IMAGE_URL: &str = "https://cdn.example.com/art/show-3000.jpg?v=2&size=3000";

/// 2026-11-21 10:00:00 UTC, after every published episode and before the future one.
pub fn as_of() -> DateTime<Utc> {
    at(21, 10)
}

/// 2026-11-`day` `hour`:00:00 UTC.
pub fn at(day: u32, hour: u32) -> DateTime<Utc> {
    build::utc(2026, 11, day, hour)
}

fn person(name: &str, role: &str, group: &str, slug: &str) -> Person {
    Person {
        name: name.into(),
        role: Some(role.into()),
        group: Some(group.into()),
        img: Some(format!("https://cdn.example.com/people/{slug}.jpg")),
        href: Some(format!("https://example.com/people/{slug}?ref=feed&x=1")),
    }
}

/// The show, at [`FEED_URL`].
pub fn show() -> FeedShow {
    build::show("tom-and-jerry")
        .feed_url(FEED_URL)
        .title(SHOW_TITLE)
        .fields(|f| {
            f.description = SHOW_DESCRIPTION.into();
            f.author = Some("Ann & Bob <studio>".into());
            f.owner_name = Some("Ann Owner".into());
            f.owner_email = Some("owner@example.com".into());
            f.language = "en-us".into();
            f.categories = vec![
                Category {
                    name: "Society & Culture".into(),
                    sub: Some("Documentary".into()),
                },
                Category {
                    name: "Technology".into(),
                    sub: None,
                },
            ];
            f.explicit = true;
            f.show_type = ShowType::Serial;
            f.image_url = Some(IMAGE_URL.into());
            f.link = Some("https://example.com/tom-and-jerry?utm=feed&lang=en".into());
            f.copyright = Some("© 2026 Ann & Bob".into());
            f.locked = true;
            f.complete = true;
            f.block = true;
            f.funding = vec![
                Funding {
                    url: "https://example.com/donate?show=tj&tier=1".into(),
                    label: "Support the show!".into(),
                },
                Funding {
                    url: "https://patreon.example.com/tj".into(),
                    label: "Become a member & get bonus episodes".into(),
                },
            ];
            f.extras = extras();
        })
        .with(|s| {
            s.new_feed_url = Some("https://new.example.com/tom-and-jerry/feed.xml".into());
            s.hubs = vec!["https://pubsubhubbub.appspot.com/".into()];
            s.updated_at = at(1, 9);
            s.image_size = Some((3000, 3000));
        })
        .build()
}

/// The show's Podcasting 2.0 details.
#[allow(clippy::needless_update)]
fn extras() -> ShowExtras {
    ShowExtras {
        medium: Some(Medium::Podcast),
        persons: vec![
            person("Ann Host", "host", "cast", "ann"),
            person(
                "Bob <the> Producer & Co",
                "producer",
                "creative direction",
                "bob",
            ),
        ],
        location: Some(Location {
            name: "Austin, TX".into(),
            geo: Some("geo:30.2672,-97.7431".into()),
            osm: Some("R113314".into()),
            rel: Some(LocationRel::Creator),
            country: Some("US".into()),
        }),
        locations: vec![Location {
            name: "Dreamworld".into(),
            geo: Some("geo:-27.8611449,153.3162701".into()),
            osm: Some("R16317988".into()),
            rel: Some(LocationRel::Subject),
            country: Some("AU".into()),
        }],
        license: Some(License {
            name: "cc-by-4.0".into(),
            url: None,
        }),
        trailers: vec![
            Trailer {
                title: "Season 2: the chase & the cheese".into(),
                url: "https://cdn.example.com/trailers/s2.mp3".into(),
                pubdate: at(2, 8),
                length: Some(1_234_567),
                mime_type: Some("audio/mpeg".into()),
                season: Some(2),
            },
            Trailer {
                title: "Coming soon".into(),
                url: "https://cdn.example.com/trailers/first.m4a".into(),
                pubdate: at(1, 8),
                length: None,
                mime_type: None,
                season: None,
            },
        ],
        txt: vec![
            Txt {
                purpose: Some("verify".into()),
                value: "S6lpp-7ZCn8-dZfGc-OoyaG".into(),
            },
            Txt {
                purpose: None,
                value: "naj3eEZaWVVY9a38uhX8FekACyhtqP4JN".into(),
            },
        ],
        podroll: vec![
            RemoteItem {
                feed_guid: "917393e3-1b1e-5cef-ace4-edaa54e1f810".into(),
                feed_url: Some("https://mp3s.nashownotes.com/pc20rss.xml".into()),
            },
            RemoteItem {
                feed_guid: "9b024349-ccf0-5f69-a609-6b82873eab3c".into(),
                feed_url: None,
            },
        ],
        podping: true,
        ..Default::default()
    }
}

/// One fully described episode.
fn episode(n: i32, day: u32, episode_type: EpisodeType) -> EpisodeBuilder {
    let publish_at = at(day, 10);
    build::episode(n as u32)
        .guid(&format!("tag:example.com,2026:tom-and-jerry/{n}"))
        .title(&format!("Episode {n}: Tom & Jerry <live>"))
        .at(publish_at)
        .updated_at(publish_at + chrono::Duration::hours(1))
        .fields(|f| {
            f.description = format!(
                "<p>Notes for episode {n}: <a href=\"https://example.com/ep/{n}?a=1&amp;b=2\">link</a> &amp; more ]]> 🐭</p>"
            );
            f.enclosure_url = format!("https://cdn.example.com/ep/{n}.mp3?token=a&b=c");
            f.enclosure_length = 10_000_000 + i64::from(n);
            f.enclosure_type = "audio/mpeg".into();
            f.duration_seconds = Some(1800 + n);
            f.season = Some(if n == 1 { 1 } else { 2 });
            f.episode = Some(n);
            f.episode_type = episode_type;
            f.explicit = Some(n % 2 == 1);
            f.image_url = Some(format!("https://cdn.example.com/ep/{n}.jpg"));
            f.transcript_url = Some(format!("https://cdn.example.com/ep/{n}.vtt"));
            f.transcript_type = Some("text/vtt".into());
            f.chapters_url = Some(format!("https://cdn.example.com/ep/{n}.chapters.json"));
            f.extras = episode_extras(n);
        })
}

/// Episode `n`'s Podcasting 2.0 details.
#[allow(clippy::needless_update)]
fn episode_extras(n: i32) -> EpisodeExtras {
    EpisodeExtras {
        persons: vec![person(
            &format!("Guest {n} \"the Cat\""),
            "guest",
            "cast",
            &format!("guest{n}"),
        )],
        location: Some(Location {
            name: "Studio 6 & Lounge".into(),
            geo: Some("geo:51.5072,-0.1276".into()),
            osm: Some("R65606".into()),
            ..Location::default()
        }),
        license: Some(License {
            name: "my-podcast-license-v1".into(),
            url: Some("https://example.com/license.pdf".into()),
        }),
        txt: vec![Txt {
            purpose: Some("release".into()),
            value: "2026-11-20T10:00:00Z".into(),
        }],
        alternate_enclosures: vec![
            AlternateEnclosure {
                mime_type: "audio/opus".into(),
                length: Some(5_400_000 + i64::from(n)),
                bitrate: Some(96000.0),
                height: None,
                lang: Some("en-US".into()),
                title: Some("High quality".into()),
                rel: Some("default".into()),
                codecs: Some("opus".into()),
                default: true,
                content_types: [(format!("ipfs://QmHighOpus{n}"), "audio/opus".to_string())].into(),
                sources: vec![
                    format!("https://cdn.example.com/ep/{n}.opus"),
                    format!("ipfs://QmHighOpus{n}"),
                ],
                integrity: None,
            },
            AlternateEnclosure {
                mime_type: "video/mp4".into(),
                length: Some(105_629_950),
                bitrate: Some(681483.55),
                height: Some(1080),
                lang: None,
                title: None,
                rel: Some("video".into()),
                codecs: None,
                content_types: Default::default(),
                default: false,
                sources: vec![format!("https://cdn.example.com/ep/{n}-1080.mp4")],
                integrity: None,
            },
        ],
        ..Default::default()
    }
}

/// Three published episodes (trailer, bonus, full), a draft and a future one.
pub fn episodes() -> Vec<Episode> {
    let bonus = episode(2, 12, EpisodeType::Bonus).fields(|f| {
        f.transcript_type = None; // rendered as text/plain
        f.chapters_url = None;
    });
    [
        episode(1, 5, EpisodeType::Trailer),
        bonus,
        episode(3, 19, EpisodeType::Full),
        episode(4, 19, EpisodeType::Full).draft(),
        episode(5, 28, EpisodeType::Full),
    ]
    .into_iter()
    .map(EpisodeBuilder::build)
    .collect()
}

/// The episodes that appear in the feed at [`as_of`], in feed order (newest first).
pub fn published() -> Vec<EpisodeFields> {
    let mut eps: Vec<EpisodeFields> = episodes()
        .into_iter()
        .filter(|e| e.included(as_of()))
        .map(|e| e.fields)
        .collect();
    eps.sort_by_key(|e| std::cmp::Reverse(e.publish_at));
    eps
}

/// The full-featured feed at [`as_of`].
pub fn render() -> Vec<u8> {
    podpub::feed::render::render(&show(), &episodes(), as_of())
}
