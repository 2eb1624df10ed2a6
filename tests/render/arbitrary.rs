//! proptest strategies: shows and episodes with hostile text and plausible-looking URLs.

use chrono::{DateTime, TimeZone, Utc};
use podpub::domain::{
    AlternateEnclosure, Category, Chat, ContentLink, Episode, EpisodeExtras, EpisodeFields,
    EpisodeStatus, EpisodeType, Funding, Integrity, License, Location, Medium, Person,
    PodcastImage, RemoteItem, ShowExtras, ShowFields, ShowType, SocialInteract, Soundbite, Trailer,
    Transcript, Txt, UpdateFrequency,
};
use podpub::feed::model::FeedShow;
use proptest::{collection::vec, option::of, prelude::*, sample::select};

/// Pieces of text that escaping, CDATA and the XML character rules must get right.
const TRICKY: &[&str] = &[
    "<",
    ">",
    "&",
    "\"",
    "'",
    "]]>",
    "]]",
    "]",
    "]]]>",
    "<![CDATA[",
    "<b>bold</b>",
    "</p>",
    "&amp;",
    "&#13;",
    "&lt;",
    "&#x0;",
    "-->",
    "<!--",
    "<?xml ?>",
    "\r\n",
    "\r",
    "\n",
    "\t",
    " ",
    "   ",
    "\u{a0}",
    "\u{85}",
    "\u{2028}",
    "\u{3000}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{feff}",
    "\u{7f}",
    "\u{9f}",
    "\u{fffd}",
    "\u{10ffff}",
    "😀",
    "🎙️",
    "👩‍👩‍👧",
    "e\u{301}",
    "日本語",
    "\0",
];

/// A piece of text: any Unicode scalar, plain words, a C0 control, or a [`TRICKY`] piece.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<char>().prop_map(String::from),
        2 => "[a-zA-Z0-9 ]{1,8}",
        1 => (0u8..0x20).prop_map(|b| char::from(b).to_string()),
        3 => select(TRICKY).prop_map(str::to_owned),
    ]
}

/// Arbitrary text, markup, controls, CDATA terminators and trailing spaces included.
pub fn text() -> impl Strategy<Value = String> {
    vec(piece(), 0..10).prop_map(|p| p.concat())
}

/// `https://example.com/` and an arbitrary path, query and fragment, percent-encoded or not.
pub fn url() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        3 => "[A-Za-z0-9._~-]{1,6}",
        2 => select(&[
            "/", "?", "#", "&", "=", "+", ";", ",", "'", "\"", "<", ">", "!", "*", "(", ")",
            "@", ":", "$", "[", "]", " ", "%", "é", "日本", "&amp;", "]]>",
        ][..])
        .prop_map(str::to_owned),
        1 => any::<u8>().prop_map(|b| format!("%{b:02X}")),
    ];
    vec(part, 0..10).prop_map(|p| format!("https://example.com/{}", p.concat()))
}

/// Around the fixed `as_of` of the property tests: mostly before it, some after.
pub fn date() -> impl Strategy<Value = DateTime<Utc>> {
    let as_of = as_of().timestamp();
    (as_of - 2_000_000_000..as_of + 5_000_000).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

pub fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap()
}

fn person() -> impl Strategy<Value = Person> {
    (text(), of(text()), of(text()), of(url()), of(url())).prop_map(
        |(name, role, group, img, href)| Person {
            name,
            role,
            group,
            img,
            href,
        },
    )
}

fn location() -> impl Strategy<Value = Location> {
    (text(), of(text()), of(text()), of(text())).prop_map(|(name, geo, osm, country)| Location {
        name,
        geo,
        osm,
        rel: None,
        country,
    })
}

fn license() -> impl Strategy<Value = License> {
    (text(), of(url())).prop_map(|(name, url)| License { name, url })
}

fn txt() -> impl Strategy<Value = Txt> {
    (of(text()), text()).prop_map(|(purpose, value)| Txt { purpose, value })
}

fn trailer() -> impl Strategy<Value = Trailer> {
    let nums = (of(any::<i64>()), of(any::<i32>()));
    (text(), url(), date(), nums, of(text())).prop_map(
        |(title, url, pubdate, (length, season), mime_type)| Trailer {
            title,
            url,
            pubdate,
            length,
            mime_type,
            season,
        },
    )
}

fn alternate_enclosure() -> impl Strategy<Value = AlternateEnclosure> {
    let nums = (of(any::<i64>()), of(any::<f64>()), of(any::<i32>()));
    let strings = (of(text()), of(text()), of(text()));
    (text(), nums, strings, any::<bool>(), vec(url(), 0..3)).prop_map(
        |(mime_type, (length, bitrate, height), (lang, title, rel), default, sources)| {
            let value = title.clone().unwrap_or_default();
            AlternateEnclosure {
                mime_type,
                length,
                bitrate,
                height,
                lang,
                title,
                rel,
                codecs: None,
                default,
                content_types: Default::default(),
                sources,
                integrity: Some(Integrity {
                    kind: "sri".into(),
                    value,
                }),
            }
        },
    )
}

/// The Podcasting 2.0 parts that a show and an episode share.
type Extras = (Vec<Person>, Option<Location>, Option<License>, Vec<Txt>);

fn extras() -> impl Strategy<Value = Extras> {
    (
        vec(person(), 0..3),
        of(location()),
        of(license()),
        vec(txt(), 0..3),
    )
}

/// The listing parts of a show: updateFrequency, chat, socialInteract and Apple's code.
type Listing = (
    Option<UpdateFrequency>,
    Option<Chat>,
    Vec<SocialInteract>,
    Option<String>,
);

fn listing() -> impl Strategy<Value = Listing> {
    let frequency = (text(), of(text()), any::<bool>(), of(text())).prop_map(
        |(text, rrule, complete, dtstart)| UpdateFrequency {
            text,
            rrule,
            complete,
            dtstart,
        },
    );
    let chat = (text(), text(), of(text()), of(text())).prop_map(
        |(server, protocol, account_id, space)| Chat {
            server,
            protocol,
            account_id,
            space,
        },
    );
    let social = (text(), of(url()), of(text()), of(url()), of(any::<i64>())).prop_map(
        |(protocol, uri, account_id, account_url, priority)| SocialInteract {
            protocol,
            uri,
            account_id,
            account_url,
            priority,
        },
    );
    (of(frequency), of(chat), vec(social, 0..3), of(text()))
}

/// A show with every field arbitrary but the paging ones (`item_limit`, `archive_page_size`),
/// left at their defaults: every published episode is in the feed.
pub fn show() -> impl Strategy<Value = FeedShow> {
    let texts = (text(), text(), of(text()), of(text()), of(text()), text());
    let flags = any::<[bool; 6]>();
    let links = (of(url()), of(url()), url(), of(url()), of(text()));
    let medium = of(select(Medium::ALL));
    let cats = vec((text(), of(text())), 0..3).prop_map(|c| {
        c.into_iter()
            .map(|(name, sub)| Category { name, sub })
            .collect()
    });
    let funding = vec((url(), text()), 0..3).prop_map(|f| {
        f.into_iter()
            .map(|(url, label)| Funding { url, label })
            .collect()
    });
    let podroll = vec((text(), of(url())), 0..3).prop_map(|r| {
        r.into_iter()
            .map(|(feed_guid, feed_url)| RemoteItem {
                feed_guid,
                feed_url,
            })
            .collect()
    });
    let p20 = (
        extras(),
        vec(trailer(), 0..3),
        podroll,
        any::<u128>(),
        medium,
        vec(image(), 0..3),
    );
    (
        texts,
        flags,
        links,
        (cats, funding),
        p20,
        (date(), listing()),
    )
        .prop_map(
            |(texts, flags, links, (categories, funding), p20, (updated_at, listing))| {
                let (title, description, author, owner_name, owner_email, language) = texts;
                let [explicit, serial, locked, complete, block, podping] = flags;
                let (image_url, link, feed_url, new_feed_url, copyright) = links;
                let ((persons, location, license, txt), trailers, podroll, guid, medium, images) =
                    p20;
                let extras = ShowExtras {
                    medium,
                    persons,
                    location,
                    license,
                    trailers,
                    txt,
                    podroll,
                    podping,
                    images,
                    update_frequency: listing.0,
                    chat: listing.1,
                    social_interact: listing.2,
                    apple_verify: listing.3,
                    ..ShowExtras::default()
                };
                let fields = ShowFields {
                    title,
                    description,
                    description_markdown: None,
                    author,
                    owner_name,
                    owner_email,
                    language,
                    categories,
                    explicit,
                    show_type: [ShowType::Episodic, ShowType::Serial][serial as usize],
                    image_url,
                    link,
                    copyright,
                    locked,
                    complete,
                    block,
                    funding,
                    extras,
                    ..ShowFields::default()
                };
                FeedShow {
                    fields,
                    podcast_guid: uuid::Uuid::from_u128(guid),
                    feed_url,
                    new_feed_url,
                    updated_at,
                    ..Default::default()
                }
            },
        )
}

fn image() -> impl Strategy<Value = PodcastImage> {
    let texts = (of(text()), of(text()), of(text()), of(text()));
    let sizes = (of(any::<u32>()), of(any::<u32>()));
    (url(), texts, sizes).prop_map(|(href, (alt, aspect_ratio, mime_type, purpose), sizes)| {
        PodcastImage {
            href,
            alt,
            aspect_ratio,
            width: sizes.0,
            height: sizes.1,
            mime_type,
            purpose,
        }
    })
}

/// The items group's details of an episode, with hostile text and any numbers.
fn items_extras() -> impl Strategy<Value = EpisodeExtras> {
    let soundbite =
        (any::<f64>(), any::<f64>(), of(text())).prop_map(|(start_time, duration, title)| {
            Soundbite {
                start_time,
                duration,
                title,
            }
        });
    let link = (url(), text()).prop_map(|(href, text)| ContentLink { href, text });
    let transcript =
        (url(), text(), of(text()), of(text())).prop_map(|(url, mime_type, language, rel)| {
            Transcript {
                url,
                mime_type,
                language,
                rel,
            }
        });
    let funding = (url(), text()).prop_map(|(url, label)| Funding { url, label });
    let lists = (
        vec(soundbite, 0..3),
        vec(link, 0..3),
        vec(transcript, 0..3),
        vec(funding, 0..3),
        vec(image(), 0..3),
    );
    (lists, of(text()), of(text())).prop_map(|(lists, season_name, episode_display)| {
        let (soundbites, content_links, transcripts, funding, images) = lists;
        EpisodeExtras {
            soundbites,
            content_links,
            transcripts,
            funding,
            season_name,
            episode_display,
            images,
            ..EpisodeExtras::default()
        }
    })
}

pub fn episode() -> impl Strategy<Value = Episode> {
    (episode_base(), items_extras()).prop_map(|(mut e, items)| {
        let x = &mut e.fields.extras;
        (x.soundbites, x.content_links, x.transcripts) =
            (items.soundbites, items.content_links, items.transcripts);
        (x.funding, x.images) = (items.funding, items.images);
        (x.season_name, x.episode_display) = (items.season_name, items.episode_display);
        e
    })
}

fn episode_base() -> impl Strategy<Value = Episode> {
    let texts = (text(), text(), text(), text(), of(text()));
    let nums = (
        any::<i64>(),
        of(any::<i32>()),
        of(any::<i32>()),
        of(any::<i32>()),
    );
    let links = (url(), of(url()), of(url()), of(url()));
    let flags = (of(any::<bool>()), prop::bool::weighted(0.1), date(), date());
    let episode_type = select(EpisodeType::ALL);
    let more = (extras(), vec(alternate_enclosure(), 0..3), episode_type);
    (texts, nums, links, flags, more).prop_map(|(texts, nums, links, flags, more)| {
        let (guid, title, description, enclosure_type, transcript_type) = texts;
        let (enclosure_length, duration_seconds, season, episode) = nums;
        let (enclosure_url, image_url, transcript_url, chapters_url) = links;
        let (explicit, draft, publish_at, updated_at) = flags;
        let ((persons, location, license, txt), alternate_enclosures, episode_type) = more;
        let fields = EpisodeFields {
            guid,
            title,
            description,
            description_markdown: None,
            enclosure_url,
            enclosure_length,
            enclosure_type,
            duration_seconds,
            season,
            episode,
            episode_type,
            explicit,
            image_url,
            transcript_url,
            transcript_type,
            chapters_url,
            status: [EpisodeStatus::Published, EpisodeStatus::Draft][draft as usize],
            publish_at,
            extras: EpisodeExtras {
                persons,
                location,
                license,
                txt,
                alternate_enclosures,
                ..EpisodeExtras::default()
            },
        };
        Episode {
            fields,
            updated_at,
            ..Episode::default()
        }
    })
}

pub fn feed() -> impl Strategy<Value = (FeedShow, Vec<Episode>)> {
    (show(), vec(episode(), 0..8))
}
