//! Synthetic shows of realistic size for the renderer benchmarks.
//!
//! Per episode: a ~60-character title with XML-special characters and non-ASCII text, a ~1.5 KB
//! HTML description, a ~100-character enclosure URL, and the optional fields a real feed has on
//! some episodes only. Publish times are a permutation of the episode numbers, so the renderers
//! sort for real. Everything is deterministic.

use chrono::{DateTime, Duration, Utc};
use podpub::domain::{
    Category, EpisodeExtras, EpisodeType, Funding, License, Location, Person, ShowExtras,
};
use uuid::Uuid;

use crate::kit::build::{self, EpisodeBuilder, Feed, ShowBuilder};

const TITLES: [&str; 4] = [
    "Tom & Jerry <live> \"quoted\" — café naïve 🎙️",
    "Q&A: «Rust» vs <C++>, über-fast código",
    "Crème brûlée & the <b> tag: ça va? 日本語",
    "R&D notes — 'smart quotes' > dumb ones, señor",
];

const PARAGRAPHS: [&str; 5] = [
    "<p>This week we dig into <strong>feed rendering</strong> &amp; why it matters for \
     podcast apps that poll every few minutes. Our guest — Zoë Ångström — explains caching, \
     ETags and the <em>If-Modified-Since</em> dance.</p>\n",
    "<p>Links: <a href=\"https://example.com/articles/feeds?utm_source=podcast&amp;utm_medium=rss\">\
     the article</a>, <a href=\"https://example.org/naïve-café\">the café</a> and the \
     <a href=\"https://example.net/spec#section-4.2\">spec, section 4.2</a>.</p>\n",
    "<ul><li>00:00 Intro &amp; housekeeping</li><li>04:12 News: “the big migration”</li>\
     <li>17:45 Interview</li><li>52:30 Listener mail — «¿Qué tal?»</li></ul>\n",
    "<p>Support the show: <a href=\"https://example.com/support?tier=2&amp;ref=notes\">become a \
     member</a>. Music by Ólafur &amp; the Kōans, licensed CC BY 4.0.</p>\n",
    "<p>Transcript and chapters are available in apps that support Podcasting 2.0; \
     otherwise see <a href=\"https://example.com/transcripts\">our site</a> — 日本語 too.</p>\n",
];

/// Builds a show with `n` episodes, as of a time at which every one is published.
pub fn feed(n: usize) -> Feed {
    let start = build::utc(2015, 3, 2, 6);
    show(start)
        .episodes((0..n).map(|i| episode(i, n, start)))
        .rendered_at(build::utc(2400, 1, 1, 0))
        .feed()
}

fn show(at: DateTime<Utc>) -> ShowBuilder {
    build::show("bench-and-friends")
        .title("Bench & Friends — café talk about <feeds>")
        .fields(|f| {
            f.description = PARAGRAPHS[..3].concat().trim_end().into();
            f.author = Some("Zoë Ångström & Co.".into());
            f.owner_name = Some("Zoë Ångström".into());
            f.owner_email = Some("zoe@example.com".into());
            f.language = "en-us".into();
            f.categories = vec![
                Category {
                    name: "Technology".into(),
                    sub: None,
                },
                Category {
                    name: "Society & Culture".into(),
                    sub: Some("Documentary".into()),
                },
            ];
            f.image_url =
                Some("https://cdn.example.com/shows/bench-and-friends/artwork-3000.jpg".into());
            f.link = Some("https://bench.example.com/".into());
            f.copyright = Some("© 2015–2026 Bench & Friends".into());
            f.funding = vec![Funding {
                url: "https://example.com/support?show=bench&tier=1".into(),
                label: "Support us <3".into(),
            }];
            f.extras = show_extras();
        })
        .with(|s| {
            s.podcast_guid = Uuid::from_u128(0x2f4e_5a1c_9b7d_4e3f_8a6b_1c2d_3e4f_5a6b);
            s.updated_at = at;
        })
}

fn show_extras() -> ShowExtras {
    ShowExtras {
        persons: vec![
            Person {
                name: "Zoë Ångström".into(),
                role: Some("host".into()),
                group: Some("cast".into()),
                img: Some("https://cdn.example.com/people/zoe-angstrom.jpg".into()),
                href: Some("https://bench.example.com/people/zoë".into()),
            },
            Person {
                name: "Ólafur & the Kōans".into(),
                role: Some("composer".into()),
                group: Some("audio post-production".into()),
                ..Default::default()
            },
        ],
        location: Some(Location {
            name: "Café Central, Wien".into(),
            geo: Some("geo:48.2104,16.3653".into()),
            osm: Some("N1234567".into()),
            ..Location::default()
        }),
        license: Some(License {
            name: "CC-BY-4.0".into(),
            url: None,
        }),
        podping: true,
        ..Default::default()
    }
}

fn episode(i: usize, n: usize, start: DateTime<Utc>) -> EpisodeBuilder {
    let hours = (i * 7919 % n.max(1)) as i64 * 24 + (i % 24) as i64;
    let at = start + Duration::hours(hours);
    let mut description = String::with_capacity(1600);
    let mut p = i;
    while description.len() < 1500 {
        description.push_str(PARAGRAPHS[p % PARAGRAPHS.len()]);
        p += 1;
    }
    description.truncate(description.trim_end().len());
    let media = format!("https://media.example-cdn.com/podcasts/bench-and-friends/{i:06}");
    let persons = (i % 4 == 1)
        .then(|| Person {
            name: format!("Guest Nº {i} — María-José <MJ> O'Neill"),
            role: Some("guest".into()),
            href: Some(format!(
                "https://bench.example.com/guests/{i}?from=feed&lang=es"
            )),
            ..Default::default()
        })
        .into_iter()
        .collect();
    build::episode(i as u32)
        .guid(&Uuid::from_u128(0x5eed_0000_0000_0000 + i as u128).to_string())
        .title(&format!("{}: {}", i + 1, TITLES[i % TITLES.len()]))
        .at(at)
        .updated_at(at + Duration::minutes((i % 90) as i64))
        .fields(|f| {
            f.description = description;
            f.enclosure_url = format!("{media}/bench-and-friends-episode-{i:06}-final.mp3?aid=rss");
            f.enclosure_length = 30_000_000 + (i as i64 * 7_654_321) % 90_000_000;
            f.enclosure_type = "audio/mpeg".into();
            f.duration_seconds = Some(1800 + (i % 3600) as i32);
            f.season = Some(1 + (i / 100) as i32);
            f.episode = Some(1 + (i % 100) as i32);
            f.episode_type = [
                EpisodeType::Full,
                EpisodeType::Full,
                EpisodeType::Full,
                EpisodeType::Bonus,
            ][i % 4];
            f.explicit = [None, Some(false), Some(true)][i % 3];
            f.image_url = (i % 5 == 0).then(|| format!("{media}/cover.jpg"));
            f.transcript_url = (i % 2 == 0).then(|| format!("{media}/transcript.vtt"));
            f.transcript_type = (i % 2 == 0).then(|| "text/vtt".into());
            f.chapters_url = (i % 3 == 0).then(|| format!("{media}/chapters.json"));
            f.extras = EpisodeExtras {
                persons,
                ..EpisodeExtras::default()
            };
        })
}
