//! The same feed data written with the `rss` crate: a [`Channel`] built with the builders, the
//! iTunes extensions, and podcast/atom elements as generic extensions.
//!
//! The `rss` crate fixes its own element order, writes the channel description as escaped text,
//! and `write_to` does not indent; the data carried is the same as podpub's.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use podpub::domain::{Episode, Person, ShowType};
use podpub::feed::model::FeedShow;
use podpub::feed::render::included;
use rss::extension::itunes::{
    ITunesCategoryBuilder, ITunesChannelExtensionBuilder, ITunesItemExtensionBuilder,
    ITunesOwnerBuilder,
};
use rss::extension::{ExtensionBuilder, ExtensionMap};
use rss::{
    Channel, ChannelBuilder, EnclosureBuilder, GuidBuilder, ImageBuilder, Item, ItemBuilder,
};

/// Builds the [`Channel`] for `show` at `as_of` and writes it into `out`, which is cleared first.
pub fn render_into(show: &FeedShow, episodes: &[Episode], as_of: DateTime<Utc>, out: &mut Vec<u8>) {
    out.clear();
    channel(show, episodes, as_of)
        .write_to(&mut *out)
        .expect("writing to a Vec cannot fail");
}

fn channel(feed: &FeedShow, episodes: &[Episode], as_of: DateTime<Utc>) -> Channel {
    let s = &feed.fields;
    let mut eps: Vec<&Episode> = episodes.iter().filter(|e| included(e, as_of)).collect();
    eps.sort_by(|a, b| {
        b.fields
            .publish_at
            .cmp(&a.fields.publish_at)
            .then_with(|| a.fields.guid.cmp(&b.fields.guid))
    });
    let built = eps.iter().fold(feed.updated_at, |m, e| {
        m.max(e.fields.publish_at).max(e.updated_at)
    });
    let link = s.link.clone().unwrap_or_else(|| feed.feed_url.clone());
    let namespaces: BTreeMap<String, String> = [
        ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
        ("podcast", "https://podcastindex.org/namespace/1.0"),
        ("content", "http://purl.org/rss/1.0/modules/content/"),
        ("atom", "http://www.w3.org/2005/Atom"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();

    let mut ext = ExtensionMap::new();
    let self_link = [
        ("href", feed.feed_url.as_str()),
        ("rel", "self"),
        ("type", "application/rss+xml"),
    ];
    add(&mut ext, "atom:link", None, &self_link);
    add(
        &mut ext,
        "podcast:guid",
        Some(feed.podcast_guid.to_string()),
        &[],
    );
    let locked = Some(if s.locked { "yes" } else { "no" }.to_string());
    match &s.owner_email {
        Some(email) => add(&mut ext, "podcast:locked", locked, &[("owner", email)]),
        None => add(&mut ext, "podcast:locked", locked, &[]),
    }
    for f in &s.funding {
        add(
            &mut ext,
            "podcast:funding",
            Some(f.label.clone()),
            &[("url", &f.url)],
        );
    }
    let medium = s.extras.medium.map_or("podcast", |m| m.as_str());
    add(&mut ext, "podcast:medium", Some(medium.into()), &[]);
    persons(&mut ext, &s.extras.persons);
    if let Some(l) = &s.extras.location {
        let attrs = present(&[("geo", &l.geo), ("osm", &l.osm)]);
        add(&mut ext, "podcast:location", Some(l.name.clone()), &attrs);
    }
    if let Some(l) = &s.extras.license {
        let attrs = present(&[("url", &l.url)]);
        add(&mut ext, "podcast:license", Some(l.name.clone()), &attrs);
    }
    if s.extras.podping {
        add(
            &mut ext,
            "podcast:podping",
            None,
            &[("usesPodping", "true")],
        );
    }

    let categories = s.categories.iter().map(|c| {
        let sub = c
            .sub
            .as_ref()
            .map(|sub| Box::new(ITunesCategoryBuilder::default().text(sub.clone()).build()));
        ITunesCategoryBuilder::default()
            .text(c.name.clone())
            .subcategory(sub)
            .build()
    });
    let owner = ITunesOwnerBuilder::default()
        .name(s.owner_name.clone())
        .email(s.owner_email.clone())
        .build();
    let itunes = ITunesChannelExtensionBuilder::default()
        .author(s.author.clone())
        .owner(Some(owner))
        .image(s.image_url.clone())
        .categories(categories.collect::<Vec<_>>())
        .explicit(Some(if s.explicit { "true" } else { "false" }.to_string()))
        .r#type(Some(
            if s.show_type == ShowType::Serial {
                "serial"
            } else {
                "episodic"
            }
            .to_string(),
        ))
        .new_feed_url(feed.new_feed_url.clone())
        .block(s.block.then(|| "Yes".to_string()))
        .complete(s.complete.then(|| "Yes".to_string()))
        .build();
    let image = s.image_url.as_ref().map(|url| {
        ImageBuilder::default()
            .url(url.clone())
            .title(s.title.clone())
            .link(link.clone())
            .build()
    });

    ChannelBuilder::default()
        .namespaces(namespaces)
        .title(s.title.clone())
        .link(link)
        .description(s.description.clone())
        .language(Some(s.language.clone()))
        .copyright(s.copyright.clone())
        .last_build_date(Some(rfc2822(built)))
        .generator(Some("podpub".to_string()))
        .image(image)
        .itunes_ext(Some(itunes))
        .extensions(ext)
        .items(eps.into_iter().map(item).collect::<Vec<_>>())
        .build()
}

fn item(episode: &Episode) -> Item {
    let e = &episode.fields;
    let mut ext = ExtensionMap::new();
    add(&mut ext, "itunes:title", Some(e.title.clone()), &[]);
    if let Some(url) = &e.transcript_url {
        let kind = e.transcript_type.as_deref().unwrap_or("text/plain");
        add(
            &mut ext,
            "podcast:transcript",
            None,
            &[("url", url), ("type", kind)],
        );
    }
    if let Some(url) = &e.chapters_url {
        let attrs = [("url", url.as_str()), ("type", "application/json+chapters")];
        add(&mut ext, "podcast:chapters", None, &attrs);
    }
    if let Some(n) = e.season {
        add(&mut ext, "podcast:season", Some(n.to_string()), &[]);
    }
    if let Some(n) = e.episode {
        add(&mut ext, "podcast:episode", Some(n.to_string()), &[]);
    }
    persons(&mut ext, &e.extras.persons);
    let itunes = ITunesItemExtensionBuilder::default()
        .duration(e.duration_seconds.map(|d| d.to_string()))
        .episode(e.episode.map(|n| n.to_string()))
        .season(e.season.map(|n| n.to_string()))
        .episode_type(Some(e.episode_type.as_str().to_string()))
        .explicit(e.explicit.map(|x| x.to_string()))
        .image(e.image_url.clone())
        .build();
    let enclosure = EnclosureBuilder::default()
        .url(e.enclosure_url.clone())
        .length(e.enclosure_length.to_string())
        .mime_type(e.enclosure_type.clone())
        .build();
    ItemBuilder::default()
        .title(Some(e.title.clone()))
        .description(Some(e.description.clone()))
        .content(Some(e.description.clone()))
        .guid(Some(
            GuidBuilder::default()
                .value(e.guid.clone())
                .permalink(false)
                .build(),
        ))
        .pub_date(Some(rfc2822(e.publish_at)))
        .enclosure(Some(enclosure))
        .itunes_ext(Some(itunes))
        .extensions(ext)
        .build()
}

fn persons(ext: &mut ExtensionMap, persons: &[Person]) {
    for p in persons {
        let attrs = [
            ("role", &p.role),
            ("group", &p.group),
            ("img", &p.img),
            ("href", &p.href),
        ];
        add(
            ext,
            "podcast:person",
            Some(p.name.clone()),
            &present(&attrs),
        );
    }
}

/// The attributes that have a value.
fn present<'a>(attrs: &[(&'a str, &'a Option<String>)]) -> Vec<(&'a str, &'a str)> {
    attrs
        .iter()
        .filter_map(|&(k, v)| Some((k, v.as_deref()?)))
        .collect()
}

/// Adds the element `qname` (`prefix:name`) to `map`.
fn add(map: &mut ExtensionMap, qname: &str, value: Option<String>, attrs: &[(&str, &str)]) {
    let (prefix, name) = qname.split_once(':').expect("a qualified name");
    let attrs = attrs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<BTreeMap<_, _>>();
    let ext = ExtensionBuilder::default()
        .name(qname)
        .value(value)
        .attrs(attrs)
        .build();
    let by_name = map.entry(prefix.to_string()).or_default();
    by_name.entry(name.to_string()).or_default().push(ext);
}

fn rfc2822(d: DateTime<Utc>) -> String {
    d.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
