//! Listing tags: `podcast:block`, `updateFrequency`, `publisher`, the `remoteItem`s of a list
//! feed, `chat`, `socialInteract`, and Apple's `itunes:block` and verification `txt`.

use super::writer::{clean_len, fmt, opt, pick, Body::*, W};
use crate::domain::{Chat, EpisodeExtras, ShowExtras, SocialInteract, APPLE_VERIFY_PURPOSE};

/// The channel's listing tags, after its other `podcast:` tags.
pub(super) fn channel(w: &mut W, x: &ShowExtras) {
    if let Some(code) = opt(&x.apple_verify) {
        w.el(
            "podcast:txt",
            &[("purpose", APPLE_VERIFY_PURPOSE)],
            Text(code),
        );
    }
    for b in &x.podcast_block {
        let body = Raw(pick(b.block, "yes", "no"));
        w.el_opt("podcast:block", &[("id", opt(&b.id))], body);
    }
    if let Some(u) = x
        .update_frequency
        .as_ref()
        .filter(|u| clean_len(&u.text) > 0)
    {
        let attrs = [
            ("rrule", opt(&u.rrule)),
            ("complete", u.complete.then_some("true")),
            ("dtstart", opt(&u.dtstart)),
        ];
        w.el_opt("podcast:updateFrequency", &attrs, Text(&u.text));
    }
    if let Some(p) = x.publisher.as_ref().filter(|p| clean_len(&p.feed_guid) > 0) {
        w.el("podcast:publisher", &[], Open);
        w.nested(|w| {
            let attrs = [
                ("medium", Some("publisher")),
                ("feedGuid", Some(&*p.feed_guid)),
                ("feedUrl", opt(&p.feed_url)),
            ];
            w.el_opt("podcast:remoteItem", &attrs, Empty);
        });
        w.line("</podcast:publisher>");
    }
    for r in x
        .remote_items
        .iter()
        .filter(|r| clean_len(&r.feed_guid) > 0)
    {
        let attrs = [
            ("feedGuid", Some(&*r.feed_guid)),
            ("feedUrl", opt(&r.feed_url)),
            ("itemGuid", opt(&r.item_guid)),
            ("medium", opt(&r.medium)),
            ("title", opt(&r.title)),
        ];
        w.el_opt("podcast:remoteItem", &attrs, Empty);
    }
    chat(w, &x.chat);
    social(w, &x.social_interact);
}

fn chat(w: &mut W, chat: &Option<Chat>) {
    if let Some(c) = chat
        .as_ref()
        .filter(|c| clean_len(&c.server) > 0 && clean_len(&c.protocol) > 0)
    {
        let attrs = [
            ("server", Some(&*c.server)),
            ("protocol", Some(&*c.protocol)),
            ("accountId", opt(&c.account_id)),
            ("space", opt(&c.space)),
        ];
        w.el_opt("podcast:chat", &attrs, Empty);
    }
}

/// An item's listing tags, after its other `podcast:` tags.
pub(super) fn item(w: &mut W, x: &EpisodeExtras) {
    chat(w, &x.chat);
    social(w, &x.social_interact);
    if x.itunes_block {
        w.raw("itunes:block", "Yes");
    }
}

fn social(w: &mut W, threads: &[SocialInteract]) {
    for s in threads.iter().filter(|s| clean_len(&s.protocol) > 0) {
        let mut buf = [0; 40];
        let attrs = [
            ("protocol", Some(&*s.protocol)),
            ("uri", opt(&s.uri)),
            ("accountId", opt(&s.account_id)),
            ("accountUrl", opt(&s.account_url)),
            (
                "priority",
                s.priority.map(|n| fmt(&mut buf, format_args!("{n}"))),
            ),
        ];
        w.el_opt("podcast:socialInteract", &attrs, Empty);
    }
}
