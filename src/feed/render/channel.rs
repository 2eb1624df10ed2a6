//! The `<channel>` head: the show's own elements, before its items.

use chrono::{DateTime, Utc};

use super::podcasting::{license, location, persons, txt};
use super::writer::{clean_len, fmt, opt, pick, rfc2822, Body::*, W};
use super::{archive_url, Links};
use crate::feed::model::FeedShow;

pub(super) fn channel(w: &mut W, s: &FeedShow, built: DateTime<Utc>, links: Links) {
    let f = &s.fields;
    let x = &f.extras;
    let link = opt(&f.link).unwrap_or(&s.feed_url);
    w.text("title", &f.title);
    w.text("link", link);
    w.el("description", &[], CData(&f.description));
    w.text("language", &f.language);
    w.opt("copyright", &f.copyright);
    w.date("lastBuildDate", built);
    w.raw("generator", "podpub");
    let rss = "application/rss+xml";
    match links {
        Links::Main { pages } => {
            w.el(
                "atom:link",
                &[("href", &s.feed_url), ("rel", "self"), ("type", rss)],
                Empty,
            );
            for hub in &s.hubs {
                w.el("atom:link", &[("href", hub), ("rel", "hub")], Empty);
            }
            if pages > 0 {
                let prev = archive_url(&s.feed_url, pages);
                w.el(
                    "atom:link",
                    &[("href", &prev), ("rel", "prev-archive"), ("type", rss)],
                    Empty,
                );
            }
        }
        Links::Archive { n, pages } => {
            let here = archive_url(&s.feed_url, n);
            w.el(
                "atom:link",
                &[("href", &here), ("rel", "self"), ("type", rss)],
                Empty,
            );
            w.el(
                "atom:link",
                &[("href", &s.feed_url), ("rel", "current"), ("type", rss)],
                Empty,
            );
            if n > 1 {
                let prev = archive_url(&s.feed_url, n - 1);
                w.el(
                    "atom:link",
                    &[("href", &prev), ("rel", "prev-archive"), ("type", rss)],
                    Empty,
                );
            }
            if n < pages {
                let next = archive_url(&s.feed_url, n + 1);
                w.el(
                    "atom:link",
                    &[("href", &next), ("rel", "next-archive"), ("type", rss)],
                    Empty,
                );
            }
            w.el("fh:archive", &[], Empty);
        }
    }
    let image = opt(&f.image_url);
    if let Some(img) = image {
        w.el("image", &[], Open);
        w.nested(|w| {
            w.text("url", img);
            w.text("title", &f.title);
            w.text("link", link);
        });
        w.line("</image>");
    }
    // Owner before author: feedparser otherwise takes the owner's name as the author.
    if opt(&f.owner_name).is_some() || opt(&f.owner_email).is_some() {
        w.el("itunes:owner", &[], Open);
        w.nested(|w| {
            w.opt("itunes:name", &f.owner_name);
            w.opt("itunes:email", &f.owner_email);
        });
        w.line("</itunes:owner>");
    }
    w.opt("itunes:author", &f.author);
    if let Some(img) = image {
        w.el("itunes:image", &[("href", img)], Empty);
    }
    for cat in f.categories.iter().filter(|c| clean_len(&c.name) > 0) {
        let text = [("text", &*cat.name)];
        let Some(sub) = opt(&cat.sub) else {
            w.el("itunes:category", &text, Empty);
            continue;
        };
        w.el("itunes:category", &text, Open);
        w.nested(|w| w.el("itunes:category", &[("text", sub)], Empty));
        w.line("</itunes:category>");
    }
    w.raw("itunes:explicit", pick(f.explicit, "true", "false"));
    w.raw("itunes:type", f.show_type.as_str());
    w.opt("itunes:new-feed-url", &s.new_feed_url);
    if f.block {
        w.raw("itunes:block", "Yes");
    }
    if f.complete {
        w.raw("itunes:complete", "Yes");
    }
    let mut guid = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let guid = s.podcast_guid.hyphenated().encode_lower(&mut guid);
    w.raw("podcast:guid", guid);
    let locked = Raw(pick(f.locked, "yes", "no"));
    match opt(&f.owner_email) {
        Some(email) => w.el("podcast:locked", &[("owner", email)], locked),
        None => w.el("podcast:locked", &[], locked),
    }
    for fund in f.funding.iter().filter(|x| clean_len(&x.url) > 0) {
        w.el("podcast:funding", &[("url", &fund.url)], Text(&fund.label));
    }
    let medium = x.medium.map_or("podcast", |m| m.as_str());
    w.text("podcast:medium", medium);
    persons(w, &x.persons);
    location(w, &x.location, &x.locations);
    license(w, &x.license);
    for t in x
        .trailers
        .iter()
        .filter(|t| clean_len(&t.url) > 0 && clean_len(&t.title) > 0)
    {
        let (mut date, mut len, mut season) = ([0; 40], [0; 40], [0; 40]);
        let attrs = [
            ("pubdate", Some(rfc2822(&mut date, t.pubdate))),
            ("url", Some(&*t.url)),
            (
                "length",
                t.length.map(|n| fmt(&mut len, format_args!("{n}"))),
            ),
            ("type", opt(&t.mime_type)),
            (
                "season",
                t.season.map(|n| fmt(&mut season, format_args!("{n}"))),
            ),
        ];
        w.el_opt("podcast:trailer", &attrs, Text(&t.title));
    }
    txt(w, &x.txt);
    let podroll: Vec<_> = x
        .podroll
        .iter()
        .filter(|r| clean_len(&r.feed_guid) > 0)
        .collect();
    if !podroll.is_empty() {
        w.el("podcast:podroll", &[], Open);
        w.nested(|w| {
            for r in podroll {
                let attrs = [
                    ("feedGuid", Some(&*r.feed_guid)),
                    ("feedUrl", opt(&r.feed_url)),
                ];
                w.el_opt("podcast:remoteItem", &attrs, Empty);
            }
        });
        w.line("</podcast:podroll>");
    }
    if x.podping {
        w.el("podcast:podping", &[("usesPodping", "true")], Empty);
    }
    super::value::values(w, &x.value);
    super::items::images(w, &x.images);
    super::listing::channel(w, x);
}
