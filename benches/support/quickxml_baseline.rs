//! The feed of `podpub::feed::render`, written the straightforward way with `quick_xml::Writer`.
//!
//! Same elements, attributes, CDATA sections and order for the main feed; only whitespace and the
//! choice of escapes differ (quick-xml also escapes `"` and `'` in text). Empty optional values
//! are skipped like podpub does, but characters XML forbids and trailing whitespace are not
//! stripped, and the fields the synthetic data leaves empty (item limit, archive pages,
//! trailers, `podcast:txt`, podroll, alternate enclosures) are not written.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use podpub::domain::{Episode, Person, ShowType};
use podpub::feed::model::FeedShow;
use podpub::feed::render::included;
use quick_xml::events::{BytesCData, BytesDecl, BytesText, Event};
use quick_xml::Writer;

const NAMESPACES: [(&str, &str); 5] = [
    ("version", "2.0"),
    ("xmlns:itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
    ("xmlns:podcast", "https://podcastindex.org/namespace/1.0"),
    ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
    ("xmlns:atom", "http://www.w3.org/2005/Atom"),
];

/// Renders into a new `Vec`, as most callers of `quick_xml::Writer` would.
pub fn render(show: &FeedShow, episodes: &[Episode], as_of: DateTime<Utc>) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    write_feed(&mut writer, show, episodes, as_of).expect("writing to a Vec cannot fail");
    writer.into_inner()
}

/// Like [`render`], but clears `out` and writes into it, reusing its allocation.
pub fn render_into(show: &FeedShow, episodes: &[Episode], as_of: DateTime<Utc>, out: &mut Vec<u8>) {
    out.clear();
    let mut writer = Writer::new_with_indent(out, b' ', 2);
    write_feed(&mut writer, show, episodes, as_of).expect("writing to a Vec cannot fail");
}

fn write_feed<W: Write>(
    w: &mut Writer<W>,
    show: &FeedShow,
    episodes: &[Episode],
    as_of: DateTime<Utc>,
) -> io::Result<()> {
    let mut eps: Vec<&Episode> = episodes.iter().filter(|e| included(e, as_of)).collect();
    eps.sort_by(|a, b| {
        b.fields
            .publish_at
            .cmp(&a.fields.publish_at)
            .then_with(|| a.fields.guid.cmp(&b.fields.guid))
    });
    let built = eps.iter().fold(show.updated_at, |m, e| {
        m.max(e.fields.publish_at).max(e.updated_at)
    });
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("rss")
        .with_attributes(NAMESPACES)
        .write_inner_content(|w| {
            w.create_element("channel").write_inner_content(|w| {
                channel(w, show, built)?;
                eps.iter().try_for_each(|e| item(w, e))
            })?;
            Ok(())
        })?;
    Ok(())
}

fn channel<W: Write>(w: &mut Writer<W>, feed: &FeedShow, built: DateTime<Utc>) -> io::Result<()> {
    let s = &feed.fields;
    let link = nonempty(&s.link).unwrap_or(&feed.feed_url);
    text(w, "title", &s.title)?;
    text(w, "link", link)?;
    cdata(w, "description", &s.description)?;
    text(w, "language", &s.language)?;
    opt_text(w, "copyright", &s.copyright)?;
    text(w, "lastBuildDate", &rfc2822(built))?;
    text(w, "generator", "podpub")?;
    w.create_element("atom:link")
        .with_attribute(("href", feed.feed_url.as_str()))
        .with_attribute(("rel", "self"))
        .with_attribute(("type", "application/rss+xml"))
        .write_empty()?;
    let image = nonempty(&s.image_url);
    if let Some(img) = image {
        w.create_element("image").write_inner_content(|w| {
            text(w, "url", img)?;
            text(w, "title", &s.title)?;
            text(w, "link", link)
        })?;
    }
    if nonempty(&s.owner_name).is_some() || nonempty(&s.owner_email).is_some() {
        w.create_element("itunes:owner").write_inner_content(|w| {
            opt_text(w, "itunes:name", &s.owner_name)?;
            opt_text(w, "itunes:email", &s.owner_email)
        })?;
    }
    opt_text(w, "itunes:author", &s.author)?;
    if let Some(img) = image {
        href(w, "itunes:image", img)?;
    }
    for cat in s.categories.iter().filter(|c| !c.name.is_empty()) {
        let el = w
            .create_element("itunes:category")
            .with_attribute(("text", cat.name.as_str()));
        match nonempty(&cat.sub) {
            Some(sub) => el.write_inner_content(|w| {
                w.create_element("itunes:category")
                    .with_attribute(("text", sub))
                    .write_empty()?;
                Ok(())
            })?,
            None => el.write_empty()?,
        };
    }
    text(
        w,
        "itunes:explicit",
        if s.explicit { "true" } else { "false" },
    )?;
    text(
        w,
        "itunes:type",
        if s.show_type == ShowType::Serial {
            "serial"
        } else {
            "episodic"
        },
    )?;
    opt_text(w, "itunes:new-feed-url", &feed.new_feed_url)?;
    if s.block {
        text(w, "itunes:block", "Yes")?;
    }
    if s.complete {
        text(w, "itunes:complete", "Yes")?;
    }
    text(w, "podcast:guid", &feed.podcast_guid.to_string())?;
    let mut locked = w.create_element("podcast:locked");
    if let Some(email) = nonempty(&s.owner_email) {
        locked = locked.with_attribute(("owner", email));
    }
    locked.write_text_content(BytesText::new(if s.locked { "yes" } else { "no" }))?;
    for f in s.funding.iter().filter(|f| !f.url.is_empty()) {
        w.create_element("podcast:funding")
            .with_attribute(("url", f.url.as_str()))
            .write_text_content(BytesText::new(&f.label))?;
    }
    let medium = s.extras.medium.map_or("podcast", |m| m.as_str());
    text(w, "podcast:medium", medium)?;
    persons(w, &s.extras.persons)?;
    if let Some(l) = s.extras.location.as_ref().filter(|l| !l.name.is_empty()) {
        let attrs = [("geo", nonempty(&l.geo)), ("osm", nonempty(&l.osm))];
        text_attrs(w, "podcast:location", &attrs, &l.name)?;
    }
    if let Some(l) = s.extras.license.as_ref().filter(|l| !l.name.is_empty()) {
        text_attrs(w, "podcast:license", &[("url", nonempty(&l.url))], &l.name)?;
    }
    if s.extras.podping {
        w.create_element("podcast:podping")
            .with_attribute(("usesPodping", "true"))
            .write_empty()?;
    }
    Ok(())
}

fn item<W: Write>(w: &mut Writer<W>, episode: &Episode) -> io::Result<()> {
    let e = &episode.fields;
    w.create_element("item").write_inner_content(|w| {
        text(w, "title", &e.title)?;
        text(w, "itunes:title", &e.title)?;
        cdata(w, "description", &e.description)?;
        if !e.description.is_empty() {
            cdata(w, "content:encoded", &e.description)?;
        }
        w.create_element("guid")
            .with_attribute(("isPermaLink", "false"))
            .write_text_content(BytesText::new(&e.guid))?;
        text(w, "pubDate", &rfc2822(e.publish_at))?;
        w.create_element("enclosure")
            .with_attribute(("url", e.enclosure_url.as_str()))
            .with_attribute(("length", e.enclosure_length.to_string().as_str()))
            .with_attribute(("type", e.enclosure_type.as_str()))
            .write_empty()?;
        opt_num(w, "itunes:duration", e.duration_seconds)?;
        opt_num(w, "itunes:episode", e.episode)?;
        opt_num(w, "itunes:season", e.season)?;
        text(w, "itunes:episodeType", e.episode_type.as_str())?;
        if let Some(x) = e.explicit {
            text(w, "itunes:explicit", if x { "true" } else { "false" })?;
        }
        if let Some(img) = nonempty(&e.image_url) {
            href(w, "itunes:image", img)?;
        }
        if let Some(url) = nonempty(&e.transcript_url) {
            let kind = nonempty(&e.transcript_type).unwrap_or("text/plain");
            w.create_element("podcast:transcript")
                .with_attributes([("url", url), ("type", kind)])
                .write_empty()?;
        }
        if let Some(url) = nonempty(&e.chapters_url) {
            w.create_element("podcast:chapters")
                .with_attributes([("url", url), ("type", "application/json+chapters")])
                .write_empty()?;
        }
        opt_num(w, "podcast:season", e.season)?;
        opt_num(w, "podcast:episode", e.episode)?;
        persons(w, &e.extras.persons)
    })?;
    Ok(())
}

fn text<W: Write>(w: &mut Writer<W>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// An element with text content and those of `attrs` that are present.
fn text_attrs<W: Write>(
    w: &mut Writer<W>,
    name: &str,
    attrs: &[(&str, Option<&str>)],
    value: &str,
) -> io::Result<()> {
    w.create_element(name)
        .with_attributes(attrs.iter().filter_map(|&(k, v)| Some((k, v?))))
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn persons<W: Write>(w: &mut Writer<W>, persons: &[Person]) -> io::Result<()> {
    for p in persons.iter().filter(|p| !p.name.is_empty()) {
        let attrs = [
            ("role", nonempty(&p.role)),
            ("group", nonempty(&p.group)),
            ("img", nonempty(&p.img)),
            ("href", nonempty(&p.href)),
        ];
        text_attrs(w, "podcast:person", &attrs, &p.name)?;
    }
    Ok(())
}

fn opt_text<W: Write>(w: &mut Writer<W>, name: &str, value: &Option<String>) -> io::Result<()> {
    match nonempty(value) {
        Some(v) => text(w, name, v),
        None => Ok(()),
    }
}

fn opt_num<W: Write>(w: &mut Writer<W>, name: &str, value: Option<i32>) -> io::Result<()> {
    match value {
        Some(n) => text(w, name, &n.to_string()),
        None => Ok(()),
    }
}

/// A CDATA section, split where the content contains `]]>`.
fn cdata<W: Write>(w: &mut Writer<W>, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name).write_inner_content(|w| {
        BytesCData::escaped(value).try_for_each(|c| w.write_event(Event::CData(c)))
    })?;
    Ok(())
}

fn href<W: Write>(w: &mut Writer<W>, name: &str, url: &str) -> io::Result<()> {
    w.create_element(name)
        .with_attribute(("href", url))
        .write_empty()?;
    Ok(())
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|v| !v.is_empty())
}

/// RFC 2822 in GMT, as podpub writes it.
fn rfc2822(d: DateTime<Utc>) -> String {
    d.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
