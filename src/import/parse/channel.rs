//! The `<channel>`: the show's own fields.

use uuid::Uuid;

use crate::domain::{Category, Funding, ShowFields};
use crate::feed::categories::{self, CategoryCheck};
use crate::import::report::code;
use crate::import::xml::{Document, Element, Ns};

use super::{podcasting, values::Ctx};

const MAX_CATEGORIES: usize = 10;
const MAX_FUNDING: usize = 10;

/// What the channel says about the show.
pub struct Channel {
    pub fields: ShowFields,
    pub podcast_guid: Option<Uuid>,
    /// `atom:link rel="self"`: where the feed says it lives.
    pub self_url: Option<String>,
}

/// Reads the channel's fields; `fallback_title` names a show whose feed has no title.
pub fn read(ctx: &mut Ctx, doc: &Document, ch: &Element, fallback_title: &str) -> Channel {
    let mut f = ShowFields::default();
    let (mut title, mut itunes_title, mut description, mut summary) = (None, None, None, None);
    let (mut image, mut itunes_image, mut podcast_guid, mut self_url) = (None, None, None, None);
    let (mut payment, mut locked_owner) = (Vec::new(), None);
    for el in &ch.children {
        match (&el.ns, el.name.as_str()) {
            (Ns::Rss, "item") => {}
            (Ns::Rss, "title") => title = ctx.line("title", &el.text, 1000),
            (Ns::Rss, "link") => f.link = ctx.url("link", &el.text),
            (Ns::Rss, "description") => description = Some(doc.markup(el)),
            (Ns::Rss, "language") => f.language = language(ctx, &el.text),
            (Ns::Rss, "copyright") => f.copyright = ctx.line("copyright", &el.text, 255),
            (Ns::Rss, "image") => {
                let url = el.child(&Ns::Rss, "url").map(|u| u.text.as_str());
                image = url.and_then(|u| ctx.url("image_url", u));
            }
            (Ns::Rss, "lastBuildDate" | "pubDate" | "generator" | "docs" | "ttl") => {}
            (Ns::Itunes, "title") => itunes_title = ctx.line("title", &el.text, 1000),
            (Ns::Itunes, "summary") => summary = Some(doc.markup(el)),
            (Ns::Itunes, "author") => f.author = ctx.line("author", &el.text, 255),
            (Ns::Itunes, "owner") => {
                for c in &el.children {
                    match (&c.ns, c.name.as_str()) {
                        (Ns::Itunes, "name") => f.owner_name = ctx.line("owner_name", &c.text, 255),
                        (Ns::Itunes, "email") => f.owner_email = ctx.email("owner_email", &c.text),
                        _ => ctx.unread("channel", c),
                    }
                }
            }
            (Ns::Itunes, "image") => {
                itunes_image = el.attr("href").and_then(|h| ctx.url("image_url", h));
            }
            (Ns::Itunes, "category") => category(ctx, el, &mut f.categories),
            (Ns::Itunes, "explicit") => f.explicit = ctx.yes_no("explicit", &el.text) == Some(true),
            (Ns::Itunes, "type") => {
                let t = el.text.trim().to_ascii_lowercase();
                match t.parse() {
                    Ok(t) => f.show_type = t,
                    Err(_) => ctx.dropped("type", &t, "must be episodic or serial"),
                }
            }
            (Ns::Itunes, "new-feed-url") => {
                let url = el.text.trim();
                ctx.note(
                    code::NEW_FEED_URL_IGNORED,
                    format!("the feed says it has moved to {url}; this copy was imported, check that it is the current one"),
                );
            }
            (Ns::Itunes, "block") => f.block = is_yes(&el.text),
            (Ns::Itunes, "complete") => f.complete = is_yes(&el.text),
            (Ns::Podcast, "guid") => match Uuid::parse_str(el.text.trim()) {
                Ok(guid) => podcast_guid = Some(guid),
                Err(_) => ctx.dropped("podcast_guid", el.text.trim(), "must be a UUID"),
            },
            // The lock itself was checked before; its owner is who verifies the feed.
            (Ns::Podcast, "locked") => {
                locked_owner = el.attr("owner").and_then(|o| ctx.email("owner_email", o))
            }
            (Ns::Podcast, "funding") => {
                let url = ctx.url("funding", el.attr("url").unwrap_or_default());
                let label = ctx.line("funding", &el.text, 128).unwrap_or_default();
                f.funding.extend(url.map(|url| Funding { url, label }));
            }
            (Ns::Atom, "link") => match el.attr("rel").map(str::trim) {
                Some("self") => self_url = el.attr("href").and_then(|h| ctx.url("self", h)),
                Some("payment") => {
                    let url = el.attr("href").and_then(|h| ctx.url("funding", h));
                    let label = el.attr("title").and_then(|t| ctx.line("funding", t, 128));
                    payment.extend(url.map(|url| Funding {
                        url,
                        label: label.unwrap_or_default(),
                    }));
                }
                _ => {}
            },
            (Ns::Podcast, "liveItem") => super::live::read(ctx, doc, el, &mut f.extras),
            (Ns::Podcast, _) if podcasting::channel(ctx, el, &mut f.extras) => {}
            _ => ctx.unread("channel", el),
        }
    }
    f.title = match title.or(itunes_title) {
        Some(title) => title,
        None => {
            ctx.note(
                code::TITLE_DERIVED,
                format!("the feed has no title; the show is called {fallback_title:?}"),
            );
            fallback_title.to_string()
        }
    };
    let description = description.filter(|d| !d.trim().is_empty()).or(summary);
    f.description = ctx.long("description", &description.unwrap_or_default(), 100_000);
    f.image_url = itunes_image.or(image);
    f.owner_email = f.owner_email.or(locked_owner);
    if f.funding.is_empty() {
        f.funding = payment;
    }
    if f.funding.len() > MAX_FUNDING {
        let n = f.funding.len() - MAX_FUNDING;
        f.funding.truncate(MAX_FUNDING);
        ctx.note(
            code::VALUE_DROPPED,
            format!("funding: {n} links beyond the first {MAX_FUNDING} dropped"),
        );
    }
    Channel {
        fields: f,
        podcast_guid,
        self_url,
    }
}

fn is_yes(raw: &str) -> bool {
    matches!(raw.trim().to_ascii_lowercase().as_str(), "yes" | "true")
}

/// A language tag such as `en-us`; `en` when there is none or it is not one.
fn language(ctx: &mut Ctx, raw: &str) -> String {
    let tag = raw.trim().to_ascii_lowercase().replace('_', "-");
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let valid = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if valid {
        return tag;
    }
    if !tag.is_empty() {
        ctx.dropped(
            "language",
            raw.trim(),
            "must be a language tag such as en or en-us; en is used",
        );
    }
    "en".into()
}

/// An `itunes:category`, with its subcategories, checked against Apple's list.
fn category(ctx: &mut Ctx, el: &Element, out: &mut Vec<Category>) {
    let text = |e: &Element| {
        e.attr("text")
            .map(str::trim)
            .unwrap_or_default()
            .to_string()
    };
    let name = text(el);
    let subs: Vec<&Element> = el
        .children
        .iter()
        .filter(|c| c.is(&Ns::Itunes, "category"))
        .collect();
    for sub in &subs {
        for deeper in sub
            .children
            .iter()
            .filter(|c| c.is(&Ns::Itunes, "category"))
        {
            let path = format!("{name} > {} > {}", text(sub), text(deeper));
            ctx.dropped("categories", &path, "Apple categories have two levels");
        }
    }
    let subs: Vec<String> = subs
        .iter()
        .map(|s| text(s))
        .filter(|s| !s.is_empty())
        .collect();
    let pairs: Vec<(String, Option<String>)> = match (name.is_empty(), subs.is_empty()) {
        // An empty category around a real one: the inner one is a top-level category.
        (true, _) => subs.into_iter().map(|s| (s, None)).collect(),
        (false, true) => vec![(name, None)],
        (false, false) => subs.into_iter().map(|s| (name.clone(), Some(s))).collect(),
    };
    for (name, sub) in pairs {
        let shown = match &sub {
            Some(sub) => format!("{name} > {sub}"),
            None => name.clone(),
        };
        let category = match categories::check(&name, sub.as_deref()) {
            CategoryCheck::Valid => Category { name, sub },
            CategoryCheck::WrongCase { name, sub } => {
                ctx.note(
                    code::VALUE_CHANGED,
                    format!("categories: {shown:?} spelled as Apple does"),
                );
                Category {
                    name: name.to_string(),
                    sub: sub.map(str::to_string),
                }
            }
            CategoryCheck::UnknownSubcategory => {
                ctx.dropped(
                    "categories",
                    &shown,
                    "not a subcategory on Apple's list; the category is kept",
                );
                let name = match categories::check(&name, None) {
                    CategoryCheck::WrongCase { name, .. } => name.to_string(),
                    _ => name,
                };
                Category { name, sub: None }
            }
            CategoryCheck::UnknownCategory => {
                ctx.dropped("categories", &shown, "not on Apple's list");
                continue;
            }
        };
        if out.contains(&category) {
            continue;
        }
        if out.len() >= MAX_CATEGORIES {
            ctx.dropped("categories", &shown, "at most 10 categories");
            continue;
        }
        out.push(category);
    }
}
