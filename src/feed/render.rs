//! RSS 2.0 rendering of a show's feed: a pure function of its input, byte for byte.

use std::io::Write as _;

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::model::{
    FeedAlternateEnclosure, FeedEpisode, FeedLicense, FeedLocation, FeedPerson, FeedShow, FeedTxt,
};

const HEAD: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"",
    " xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"",
    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"",
    " xmlns:atom=\"http://www.w3.org/2005/Atom\"",
);
/// RFC 5005 feed history, declared only by shows with archive pages.
const FH_NS: &str = " xmlns:fh=\"http://purl.org/syndication/history/1.0\"";
const OPEN_CHANNEL: &str = ">\n  <channel>\n";
const MONTHS: &str = "JanFebMarAprMayJunJulAugSepOctNovDec";
const TAIL: &str = "  </channel>\n</rss>\n";
/// Indentation of channel children, and of their children (item fields, image, owner).
const C: &str = "    ";
const I: &str = "      ";

/// Whether `ep` belongs in the feed at `as_of`: not a draft, and its publish time has come.
pub fn included(ep: &FeedEpisode, as_of: DateTime<Utc>) -> bool {
    !ep.draft && ep.publish_at <= as_of
}

/// Renders the RSS feed of `show` as it stands at `as_of`.
///
/// Only [`included`] episodes appear, newest first. The output depends on the data alone:
/// `lastBuildDate` is the latest change or publish time among what is rendered.
pub fn render(show: &FeedShow, episodes: &[FeedEpisode], as_of: DateTime<Utc>) -> Vec<u8> {
    let mut out = Vec::with_capacity(size_hint(show, episodes, as_of));
    render_into(show, episodes, as_of, &mut out);
    out
}

/// An upper bound on the output size in practice: field lengths plus markup, with room for
/// escaping. Too small and `Vec` doubles; too large and the excess is peak memory.
fn size_hint(show: &FeedShow, episodes: &[FeedEpisode], as_of: DateTime<Utc>) -> usize {
    let len = |v: &Option<String>| v.as_ref().map_or(0, String::len);
    let item = |e: &FeedEpisode| {
        let persons: usize = e
            .persons
            .iter()
            .map(|p| p.name.len() + len(&p.href) + len(&p.img) + 80)
            .sum();
        2 * e.description.len()
            + 3 * e.title.len()
            + e.guid.len()
            + e.enclosure_url.len()
            + len(&e.image_url)
            + len(&e.transcript_url)
            + len(&e.chapters_url)
            + persons
            + 900
    };
    let items: usize = episodes
        .iter()
        .filter(|e| included(e, as_of))
        .map(item)
        .sum();
    8192 + 2 * show.description.len() + items + items / 16
}

/// Like [`render`], but writes into `out`, which is cleared first so its allocation is reused.
pub fn render_into(
    show: &FeedShow,
    episodes: &[FeedEpisode],
    as_of: DateTime<Utc>,
    out: &mut Vec<u8>,
) {
    render_page_into(show, episodes, as_of, Page::Main, out);
}

/// The object key of a page of the show at `slug`.
pub fn page_key(slug: &str, page: Page) -> String {
    match page {
        Page::Main => format!("{slug}/feed.xml"),
        Page::Archive(n) => format!("{slug}/archive/{n}.xml"),
    }
}

/// One document of a show's feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The subscription feed: the newest episodes (all, unless the show sets a limit).
    Main,
    /// RFC 5005 archive page `n` (from 1, oldest first); each holds a fixed run of episodes.
    Archive(usize),
}

/// The number of archive pages: only full pages are archived, so a page never changes once
/// written unless one of its episodes does.
pub fn archive_pages(show: &FeedShow, episodes: &[FeedEpisode], as_of: DateTime<Utc>) -> usize {
    match show.archive_page_size.filter(|&n| n > 0) {
        Some(size) => episodes.iter().filter(|e| included(e, as_of)).count() / size,
        None => 0,
    }
}

/// The URL of archive page `n` of the feed at `feed_url`: `…/archive/{n}.xml` beside it.
pub fn archive_url(feed_url: &str, n: usize) -> String {
    let dir = feed_url.rsplit_once('/').map_or(feed_url, |(dir, _)| dir);
    format!("{dir}/archive/{n}.xml")
}

/// Renders one document of the feed into `out` (cleared first); returns how many items it holds.
pub fn render_page_into(
    show: &FeedShow,
    episodes: &[FeedEpisode],
    as_of: DateTime<Utc>,
    page: Page,
    out: &mut Vec<u8>,
) -> usize {
    out.clear();
    let mut eps: Vec<&FeedEpisode> = episodes.iter().filter(|e| included(e, as_of)).collect();
    eps.sort_by(|a, b| (b.publish_at.cmp(&a.publish_at)).then_with(|| a.guid.cmp(&b.guid)));
    let size = show.archive_page_size.filter(|&n| n > 0);
    let pages = size.map_or(0, |size| eps.len() / size);
    let (eps, links) = match (page, size) {
        (Page::Archive(n), Some(size)) if (1..=pages).contains(&n) => {
            // Newest first: page n holds oldest-first positions (n-1)*size .. n*size.
            let end = eps.len() - (n - 1) * size;
            let links = Links::Archive { n, pages };
            (&eps[end - size..end], links)
        }
        (Page::Archive(_), _) => (&eps[..0], Links::Archive { n: 0, pages }),
        (Page::Main, _) => {
            // The main feed always keeps the episodes no full archive page holds yet.
            let unarchived = size.map_or(0, |size| eps.len() - pages * size);
            let limit = show.item_limit.unwrap_or(eps.len()).max(unarchived);
            (&eps[..limit.min(eps.len())], Links::Main { pages })
        }
    };
    let since = match page {
        // An archive page changes only with its own episodes, not with every edit of the show.
        Page::Archive(_) => DateTime::<Utc>::MIN_UTC,
        Page::Main => show.updated_at,
    };
    let built = eps
        .iter()
        .fold(since, |m, e| m.max(e.publish_at).max(e.updated_at));
    out.extend_from_slice(HEAD.as_bytes());
    if size.is_some() {
        out.extend_from_slice(FH_NS.as_bytes());
    }
    out.extend_from_slice(OPEN_CHANNEL.as_bytes());
    let w = &mut W { out, ind: C };
    channel(w, show, built, links);
    for ep in eps {
        item(w, ep);
    }
    w.out.extend_from_slice(TAIL.as_bytes());
    eps.len()
}

/// The RFC 5005 links of a document.
#[derive(Clone, Copy)]
enum Links {
    Main { pages: usize },
    Archive { n: usize, pages: usize },
}

fn channel(w: &mut W, s: &FeedShow, built: DateTime<Utc>, links: Links) {
    let link = opt(&s.link).unwrap_or(&s.feed_url);
    w.text("title", &s.title);
    w.text("link", link);
    w.el("description", &[], CData(&s.description));
    w.text("language", &s.language);
    w.opt("copyright", &s.copyright);
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
    let image = opt(&s.image_url);
    if let Some(img) = image {
        w.el("image", &[], Open);
        w.nested(|w| {
            w.text("url", img);
            w.text("title", &s.title);
            w.text("link", link);
        });
        w.line("</image>");
    }
    // Owner before author: feedparser otherwise takes the owner's name as the author.
    if opt(&s.owner_name).is_some() || opt(&s.owner_email).is_some() {
        w.el("itunes:owner", &[], Open);
        w.nested(|w| {
            w.opt("itunes:name", &s.owner_name);
            w.opt("itunes:email", &s.owner_email);
        });
        w.line("</itunes:owner>");
    }
    w.opt("itunes:author", &s.author);
    if let Some(img) = image {
        w.el("itunes:image", &[("href", img)], Empty);
    }
    for cat in s.categories.iter().filter(|c| clean_len(&c.name) > 0) {
        let text = [("text", &*cat.name)];
        let Some(sub) = opt(&cat.sub) else {
            w.el("itunes:category", &text, Empty);
            continue;
        };
        w.el("itunes:category", &text, Open);
        w.nested(|w| w.el("itunes:category", &[("text", sub)], Empty));
        w.line("</itunes:category>");
    }
    w.raw("itunes:explicit", pick(s.explicit, "true", "false"));
    w.raw("itunes:type", pick(s.serial, "serial", "episodic"));
    w.opt("itunes:new-feed-url", &s.new_feed_url);
    if s.block {
        w.raw("itunes:block", "Yes");
    }
    if s.complete {
        w.raw("itunes:complete", "Yes");
    }
    let mut guid = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let guid = s.podcast_guid.hyphenated().encode_lower(&mut guid);
    w.raw("podcast:guid", guid);
    let locked = Raw(pick(s.locked, "yes", "no"));
    match opt(&s.owner_email) {
        Some(email) => w.el("podcast:locked", &[("owner", email)], locked),
        None => w.el("podcast:locked", &[], locked),
    }
    for f in s.funding.iter().filter(|f| clean_len(&f.url) > 0) {
        w.el("podcast:funding", &[("url", &f.url)], Text(&f.label));
    }
    let medium = if clean_len(&s.medium) > 0 {
        &*s.medium
    } else {
        "podcast"
    };
    w.text("podcast:medium", medium);
    persons(w, &s.persons);
    location(w, &s.location);
    license(w, &s.license);
    for t in s
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
    txt(w, &s.txt);
    let podroll: Vec<_> = s
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
    if s.podping {
        w.el("podcast:podping", &[("usesPodping", "true")], Empty);
    }
}

fn persons(w: &mut W, persons: &[FeedPerson]) {
    for p in persons.iter().filter(|p| clean_len(&p.name) > 0) {
        let attrs = [
            ("role", opt(&p.role)),
            ("group", opt(&p.group)),
            ("img", opt(&p.img)),
            ("href", opt(&p.href)),
        ];
        w.el_opt("podcast:person", &attrs, Text(&p.name));
    }
}

fn location(w: &mut W, location: &Option<FeedLocation>) {
    if let Some(l) = location.as_ref().filter(|l| clean_len(&l.name) > 0) {
        let attrs = [("geo", opt(&l.geo)), ("osm", opt(&l.osm))];
        w.el_opt("podcast:location", &attrs, Text(&l.name));
    }
}

fn license(w: &mut W, license: &Option<FeedLicense>) {
    if let Some(l) = license.as_ref().filter(|l| clean_len(&l.name) > 0) {
        w.el_opt("podcast:license", &[("url", opt(&l.url))], Text(&l.name));
    }
}

fn txt(w: &mut W, records: &[FeedTxt]) {
    for t in records.iter().filter(|t| clean_len(&t.value) > 0) {
        w.el_opt(
            "podcast:txt",
            &[("purpose", opt(&t.purpose))],
            Text(&t.value),
        );
    }
}

fn alternate_enclosure(w: &mut W, a: &FeedAlternateEnclosure) {
    let sources: Vec<&str> = a
        .sources
        .iter()
        .map(|s| &**s)
        .filter(|s| clean_len(s) > 0)
        .collect();
    if clean_len(&a.mime_type) == 0 || sources.is_empty() {
        return;
    }
    let (mut len, mut rate, mut height) = ([0; 40], [0; 40], [0; 40]);
    let attrs = [
        ("type", Some(&*a.mime_type)),
        (
            "length",
            a.length.map(|n| fmt(&mut len, format_args!("{n}"))),
        ),
        (
            "bitrate",
            a.bitrate
                .filter(|n| n.is_finite() && (0.0..1e15).contains(n))
                .map(|n| fmt(&mut rate, format_args!("{n}"))),
        ),
        (
            "height",
            a.height.map(|n| fmt(&mut height, format_args!("{n}"))),
        ),
        ("lang", opt(&a.lang)),
        ("title", opt(&a.title)),
        ("rel", opt(&a.rel)),
        ("default", a.default.then_some("true")),
    ];
    w.el_opt("podcast:alternateEnclosure", &attrs, Open);
    w.deeper(|w| {
        for uri in sources {
            w.el("podcast:source", &[("uri", uri)], Empty);
        }
    });
    w.line("</podcast:alternateEnclosure>");
}

fn item(w: &mut W, e: &FeedEpisode) {
    w.el("item", &[], Open);
    w.nested(|w| {
        w.text("title", &e.title);
        w.text("itunes:title", &e.title);
        w.el("description", &[], CData(&e.description));
        if clean_len(&e.description) > 0 {
            w.el("content:encoded", &[], CData(&e.description));
        }
        w.el("guid", &[("isPermaLink", "false")], Text(&e.guid));
        w.date("pubDate", e.publish_at);
        let mut buf = [0u8; 40];
        let len = int(&mut buf, e.enclosure_length);
        let enc = [
            ("url", &*e.enclosure_url),
            ("length", len),
            ("type", &e.enclosure_type),
        ];
        w.el("enclosure", &enc, Empty);
        w.num("itunes:duration", e.duration_seconds);
        w.num("itunes:episode", e.episode);
        w.num("itunes:season", e.season);
        if clean_len(&e.episode_type) > 0 {
            w.text("itunes:episodeType", &e.episode_type);
        }
        if let Some(x) = e.explicit {
            w.raw("itunes:explicit", pick(x, "true", "false"));
        }
        if let Some(img) = opt(&e.image_url) {
            w.el("itunes:image", &[("href", img)], Empty);
        }
        if let Some(url) = opt(&e.transcript_url) {
            let kind = opt(&e.transcript_type).unwrap_or_else(|| transcript_type(url));
            w.el("podcast:transcript", &[("url", url), ("type", kind)], Empty);
        }
        if let Some(url) = opt(&e.chapters_url) {
            let attrs = [("url", url), ("type", "application/json+chapters")];
            w.el("podcast:chapters", &attrs, Empty);
        }
        w.num("podcast:season", e.season);
        w.num("podcast:episode", e.episode);
        persons(w, &e.persons);
        location(w, &e.location);
        license(w, &e.license);
        txt(w, &e.txt);
        for a in &e.alternate_enclosures {
            alternate_enclosure(w, a);
        }
    });
    w.line("</item>");
}

/// The transcript format its URL suggests, for a transcript given without a type.
fn transcript_type(url: &str) -> &'static str {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("vtt") => "text/vtt",
        Some("srt") => "application/srt",
        Some("json") => "application/json",
        Some("html" | "htm") => "text/html",
        _ => "text/plain",
    }
}

fn pick(b: bool, yes: &'static str, no: &'static str) -> &'static str {
    [no, yes][b as usize]
}

/// The value, unless it is absent or empty once cleaned.
fn opt(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|v| clean_len(v) > 0)
}

/// RFC 2822 in GMT, e.g. `Sat, 21 Nov 2026 10:00:00 GMT`.
fn rfc2822(buf: &mut [u8; 40], d: DateTime<Utc>) -> &str {
    let wd = 3 * d.weekday().num_days_from_monday() as usize;
    let mo = 3 * d.month0() as usize;
    let y = d.year();
    if !(0..=9999).contains(&y) {
        let (day, month) = (&"MonTueWedThuFriSatSun"[wd..wd + 3], &MONTHS[mo..mo + 3]);
        let (h, m, s) = (d.hour(), d.minute(), d.second());
        let args = format_args!(
            "{day}, {:02} {month} {y:04} {h:02}:{m:02}:{s:02} GMT",
            d.day()
        );
        return fmt(buf, args);
    }
    let two = |b: &mut [u8], n: u32| {
        b[0] = b'0' + (n / 10) as u8;
        b[1] = b'0' + (n % 10) as u8;
    };
    buf[..29].copy_from_slice(b"Mon, 00 Jan 0000 00:00:00 GMT");
    buf[..3].copy_from_slice(&b"MonTueWedThuFriSatSun"[wd..wd + 3]);
    two(&mut buf[5..7], d.day());
    buf[8..11].copy_from_slice(&MONTHS.as_bytes()[mo..mo + 3]);
    two(&mut buf[12..14], y as u32 / 100);
    two(&mut buf[14..16], y as u32 % 100);
    two(&mut buf[17..19], d.hour());
    two(&mut buf[20..22], d.minute());
    two(&mut buf[23..25], d.second());
    std::str::from_utf8(&buf[..29]).unwrap_or_default()
}

/// `n` in decimal, written into the end of `buf`.
fn int(buf: &mut [u8; 40], n: i64) -> &str {
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

/// Formats into `buf` without allocating.
fn fmt<'b>(buf: &'b mut [u8; 40], args: std::fmt::Arguments) -> &'b str {
    let mut rest = &mut buf[..];
    let _ = rest.write_fmt(args);
    let n = 40 - rest.len();
    std::str::from_utf8(&buf[..n]).unwrap_or_default()
}

/// What follows an element's start tag.
enum Body<'b> {
    /// Self-closing.
    Empty,
    /// Children follow, on their own lines.
    Open,
    /// Content that needs no escaping.
    Raw(&'b str),
    Text(&'b str),
    CData(&'b str),
}
use Body::{CData, Empty, Open, Raw, Text};

/// Writes indented elements, one a line.
struct W<'a> {
    out: &'a mut Vec<u8>,
    ind: &'static str,
}

impl W<'_> {
    fn el(&mut self, name: &str, attrs: &[(&str, &str)], body: Body) {
        let out = &mut *self.out;
        out.extend_from_slice(self.ind.as_bytes());
        out.push(b'<');
        out.extend_from_slice(name.as_bytes());
        for (k, v) in attrs {
            out.push(b' ');
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b"=\"");
            escape(out, v, Mode::Attr);
            out.push(b'"');
        }
        match body {
            Empty => return out.extend_from_slice(b"/>\n"),
            Open => return out.extend_from_slice(b">\n"),
            Raw(s) => {
                out.push(b'>');
                out.extend_from_slice(s.as_bytes());
            }
            Text(s) => {
                out.push(b'>');
                escape(out, s, Mode::Text);
            }
            CData(s) if clean_len(s) == 0 => out.push(b'>'),
            CData(s) => {
                out.extend_from_slice(b"><![CDATA[");
                escape(out, s, Mode::CData);
                out.extend_from_slice(b"]]>");
            }
        }
        out.extend_from_slice(b"</");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b">\n");
    }

    /// Like [`W::el`], leaving out the attributes that are `None`.
    fn el_opt(&mut self, name: &str, attrs: &[(&str, Option<&str>)], body: Body) {
        let mut present = [("", ""); 8];
        let mut n = 0;
        for (k, v) in attrs {
            if let Some(v) = v {
                present[n] = (k, v);
                n += 1;
            }
        }
        self.el(name, &present[..n], body);
    }

    fn raw(&mut self, name: &str, content: &str) {
        self.el(name, &[], Raw(content));
    }

    fn text(&mut self, name: &str, text: &str) {
        self.el(name, &[], Text(text));
    }

    fn opt(&mut self, name: &str, value: &Option<String>) {
        if let Some(v) = opt(value) {
            self.text(name, v);
        }
    }

    fn num(&mut self, name: &str, n: Option<i32>) {
        if let Some(n) = n {
            self.raw(name, int(&mut [0; 40], n.into()));
        }
    }

    fn date(&mut self, name: &str, d: DateTime<Utc>) {
        self.raw(name, rfc2822(&mut [0; 40], d));
    }

    fn line(&mut self, s: &str) {
        self.out.extend_from_slice(self.ind.as_bytes());
        self.out.extend_from_slice(s.as_bytes());
        self.out.push(b'\n');
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.ind, I);
        f(self);
        self.ind = outer;
    }

    /// One level below item children (the sources of an alternate enclosure).
    fn deeper(&mut self, f: impl FnOnce(&mut Self)) {
        let outer = std::mem::replace(&mut self.ind, "        ");
        f(self);
        self.ind = outer;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text = 0,
    Attr = 1,
    CData = 2,
}

/// Per mode, the bytes [`escape`] must look at; all others are copied as they are.
static SPECIAL: [[bool; 256]; 3] = [
    special(Mode::Text),
    special(Mode::Attr),
    special(Mode::CData),
];

const fn special(mode: Mode) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[0xef] = true;
    match mode {
        Mode::Text => {
            (t[b'\t' as usize], t[b'\n' as usize]) = (false, false);
            (t[b'&' as usize], t[b'<' as usize], t[b'>' as usize]) = (true, true, true);
        }
        Mode::Attr => {
            (t[b'&' as usize], t[b'<' as usize], t[b'>' as usize]) = (true, true, true);
            t[b'"' as usize] = true;
        }
        Mode::CData => {
            (t[b'\t' as usize], t[b'\n' as usize]) = (false, false);
            t[b'>' as usize] = true;
        }
    }
    t
}

fn forbidden(c: char) -> bool {
    matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{fffe}' | '\u{ffff}')
}

/// Length in bytes of the prefix of `s` left once trailing whitespace and characters XML forbids
/// are trimmed. Forbidden characters inside that prefix are skipped by [`escape`].
fn clean_len(s: &str) -> usize {
    s.char_indices()
        .rev()
        .find(|&(_, c)| !c.is_whitespace() && !forbidden(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Whether `escape` would copy `b` unchanged: a branch-free pass the compiler vectorizes.
fn verbatim(b: &[u8], mode: Mode) -> bool {
    let special = match mode {
        Mode::Text => b.iter().fold(false, |acc, &c| {
            acc | ((c < 0x20) & (c != b'\t') & (c != b'\n'))
                | (c == b'&')
                | (c == b'<')
                | (c == b'>')
                | (c == 0xef)
        }),
        Mode::Attr => b.iter().fold(false, |acc, &c| {
            acc | (c < 0x20) | (c == b'&') | (c == b'<') | (c == b'>') | (c == b'"') | (c == 0xef)
        }),
        Mode::CData => b.iter().fold(false, |acc, &c| {
            acc | ((c < 0x20) & (c != b'\t') & (c != b'\n')) | (c == b']') | (c == 0xef)
        }),
    };
    !special
}

/// Writes `s` cleaned (see [`clean_len`]) and escaped for `mode`. Inside CDATA, `]]>` and `\r`
/// (which parsers would turn into `\n`) are written by closing and reopening the section.
fn escape(out: &mut Vec<u8>, s: &str, mode: Mode) {
    let b = &s.as_bytes()[..clean_len(s)];
    if verbatim(b, mode) {
        return out.extend_from_slice(b);
    }
    let special = &SPECIAL[mode as usize];
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        let c = b[i];
        if !special[c as usize] {
            i += 1;
            continue;
        }
        // A `>` in CDATA matters only after `]]`; a plain byte before it rules that out.
        let after_plain_byte = i > 0 && !matches!(b[i - 1], b']' | 0..=0x1f | 0xbe | 0xbf);
        if c == b'>' && mode == Mode::CData && after_plain_byte {
            i += 1;
            continue;
        }
        let (rep, skip): (&[u8], usize) = match (c, mode) {
            (b'\t' | b'\n', Mode::Text | Mode::CData) => (b"", 0),
            (b'\t', Mode::Attr) => (b"&#9;", 1),
            (b'\n', Mode::Attr) => (b"&#10;", 1),
            (b'\r', Mode::CData) => (b"]]>&#13;<![CDATA[", 1),
            (b'\r', _) => (b"&#13;", 1),
            (0..=0x1f, _) => (b"", 1),
            (b'&' | b'<', Mode::CData) | (b'"', Mode::Text | Mode::CData) => (b"", 0),
            (b'&', _) => (b"&amp;", 1),
            (b'<', _) => (b"&lt;", 1),
            (b'>', Mode::CData) => {
                out.extend_from_slice(&b[start..i]);
                start = i;
                match out.ends_with(b"]]") {
                    true => (b"]]><![CDATA[>", 1),
                    false => (b"", 0),
                }
            }
            (b'>', _) => (b"&gt;", 1),
            (b'"', _) => (b"&quot;", 1),
            (0xef, _) if matches!(b.get(i + 1..i + 3), Some([0xbf, 0xbe | 0xbf])) => (b"", 3),
            _ => (b"", 0),
        };
        if skip == 0 {
            i += 1;
            continue;
        }
        out.extend_from_slice(&b[start..i]);
        out.extend_from_slice(rep);
        i += skip;
        start = i;
    }
    out.extend_from_slice(&b[start..]);
}

#[cfg(test)]
mod tests;
