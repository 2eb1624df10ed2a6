//! `podcast:liveItem`s: a show's live streams, at the top of its main feed.

use chrono::{DateTime, SecondsFormat, Utc};

use super::writer::{clean_len, int, opt, Body::*, W};
use crate::domain::LiveItem;

/// The live items that have a start, with their status at `as_of`.
pub(super) fn live_items(w: &mut W, items: &[LiveItem], as_of: DateTime<Utc>) {
    for l in items.iter().filter(|l| clean_len(&l.title) > 0) {
        let Some(status) = l.status_at(as_of) else {
            continue;
        };
        let iso = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
        let start = l.start.map(iso);
        let end = l.end.map(iso);
        let attrs = [
            ("status", Some(status.as_str())),
            ("start", start.as_deref()),
            ("end", end.as_deref()),
        ];
        w.el_opt("podcast:liveItem", &attrs, Open);
        w.nested(|w| {
            w.text("title", &l.title);
            if let Some(d) = opt(&l.description) {
                w.el("description", &[], CData(d));
            }
            w.opt("link", &l.link);
            w.el("guid", &[("isPermaLink", "false")], Text(&l.guid));
            if let Some(e) = l.enclosure.as_ref().filter(|e| clean_len(&e.url) > 0) {
                let mut buf = [0u8; 40];
                let len = int(&mut buf, e.length.unwrap_or(0));
                let attrs = [("url", &*e.url), ("length", len), ("type", &e.mime_type)];
                w.el("enclosure", &attrs, Empty);
            }
            if let Some(img) = opt(&l.image_url) {
                w.el("itunes:image", &[("href", img)], Empty);
            }
            super::item::extras(w, &l.extras, None);
        });
        w.line("</podcast:liveItem>");
    }
}
