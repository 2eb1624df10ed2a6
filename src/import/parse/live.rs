//! `podcast:liveItem`: a live stream, kept on the show with the API's own checks.

use crate::domain::check::Checker;
use crate::domain::{check_live_items, LiveEnclosure, LiveItem, LiveStatus, ShowExtras};
use crate::import::xml::{Document, Element, Ns};

use super::{dates::parse_date, podcasting, values::Ctx};

/// Reads a channel's `podcast:liveItem` into `x.live_items`, or reports why it was dropped.
pub fn read(ctx: &mut Ctx, doc: &Document, el: &Element, x: &mut ShowExtras) {
    let mut l = LiveItem {
        start: el.attr("start").and_then(parse_date),
        end: el.attr("end").and_then(parse_date),
        // A feed's status is a snapshot: pending and live follow the clock from now on, but a
        // stream that ended stays ended whatever its times say.
        status: el
            .attr("status")
            .and_then(|s| s.trim().to_ascii_lowercase().parse().ok())
            .filter(|s| *s == LiveStatus::Ended),
        ..LiveItem::default()
    };
    let guid = el
        .child(&Ns::Rss, "guid")
        .map(|g| g.text.trim().to_string());
    let previous = std::mem::replace(&mut ctx.guid, guid.clone().unwrap_or_default());
    for c in &el.children {
        match (&c.ns, c.name.as_str()) {
            (Ns::Rss, "title") => {
                l.title = ctx.line("live_items", &c.text, 1000).unwrap_or_default()
            }
            (Ns::Rss, "description") => l.description = Some(doc.markup(c)),
            (Ns::Rss, "link") => l.link = ctx.url("live_items", &c.text),
            (Ns::Rss, "guid") => l.guid = c.text.trim().to_string(),
            (Ns::Rss, "enclosure") => {
                l.enclosure = c
                    .attr("url")
                    .and_then(|u| ctx.url("live_items", u))
                    .map(|url| LiveEnclosure {
                        url,
                        mime_type: c.attr("type").unwrap_or_default().trim().to_string(),
                        length: c.attr("length").and_then(|n| n.trim().parse().ok()),
                    })
            }
            (Ns::Itunes, "image") => {
                l.image_url = c.attr("href").and_then(|h| ctx.url("live_items", h))
            }
            (Ns::Podcast, _) if podcasting::item(ctx, c, &mut l.extras) => {}
            _ => ctx.unread("liveItem", c),
        }
    }
    if el.attr("start").is_some() && l.start.is_none() {
        ctx.dropped(
            "live_items",
            el.attr("start").unwrap_or_default(),
            "start is not a date",
        );
    }
    let title = l.title.clone();
    let mut c = Checker::default();
    let mut checked = check_live_items(&mut c, vec![l]);
    match c.finish() {
        Ok(()) => x.live_items.append(&mut checked),
        Err(errors) => ctx.dropped(
            "live_items",
            &title,
            errors.first_message().unwrap_or_default(),
        ),
    }
    ctx.guid = previous;
}
