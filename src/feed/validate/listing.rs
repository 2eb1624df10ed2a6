//! Warnings about the listing tags: list feeds, `socialInteract` protocols and their URLs.

use super::{code, present, Out};
use crate::domain::{Medium, ShowExtras, SocialInteract, SOCIAL_PROTOCOLS};

/// A feed of other feeds' entries, with no episodes of its own: a list medium (`podcastL`,
/// `musicL`..., and `mixed`) or a `publisher` feed (docs/tags/medium.md).
pub(super) fn is_list(x: &ShowExtras) -> bool {
    x.medium.is_some_and(|m| {
        m.as_str().ends_with('L') || matches!(m, Medium::Mixed | Medium::Publisher)
    })
}

/// The show-level warnings of a list feed, and of the listing tags.
pub(super) fn show(x: &ShowExtras, has_episodes: bool, out: &mut Out) {
    if is_list(x) {
        let medium = x.medium.map_or("", Medium::as_str);
        out.add_if(x.remote_items.is_empty(), code::LIST_WITHOUT_ITEMS, || {
            format!(
                "Add the feeds this list points to (remote items): a {medium} feed lists other \
                 feeds and has no episodes of its own."
            )
        });
        out.add_if(has_episodes, code::LIST_WITH_EPISODES, || {
            format!(
                "Move the episodes to a show of their own, or change the medium: a {medium} \
                 feed is a list of other feeds, and apps ignore its episodes."
            )
        });
    }
    protocols(&x.social_interact, out);
    let no_url = x
        .publisher
        .as_ref()
        .is_some_and(|p| present(&p.feed_url).is_none());
    out.add_if(no_url, code::PUBLISHER_FEED_URL_MISSING, || {
        "Add the publisher feed's URL: apps that cannot look up its podcast:guid find the \
         publisher by its feedUrl."
    });
}

/// Warnings about an episode's listing tags.
pub(super) fn episode(threads: &[SocialInteract], out: &mut Out) {
    protocols(threads, out);
}

fn protocols(threads: &[SocialInteract], out: &mut Out) {
    let unordered = threads.len() > 1 && threads.iter().any(|s| s.priority.is_none());
    out.add_if(unordered, code::SOCIAL_PRIORITY_MISSING, || {
        "Give each comment thread (socialInteract) a priority: with several, apps show the \
         lowest number first and otherwise pick one."
    });
    for s in threads {
        let p = s.protocol.trim();
        let known = p.is_empty() || SOCIAL_PROTOCOLS.contains(&p);
        out.add_if(!known, code::SOCIAL_PROTOCOL_UNKNOWN, || {
            format!(
                "Use a protocol from the podcast namespace's list in socialInteract ({}): apps \
                 do not know \"{p}\".",
                SOCIAL_PROTOCOLS.join(", ")
            )
        });
    }
}

/// The URLs apps follow from the show's listing tags.
pub(super) fn show_urls<'a>(x: &'a ShowExtras, tags: &mut Vec<(&'static str, &'a str)>) {
    if let Some(p) = &x.publisher {
        tags.extend(present(&p.feed_url).map(|u| ("podcast:publisher feedUrl", u)));
    }
    let items = x.remote_items.iter().filter_map(|r| present(&r.feed_url));
    tags.extend(items.map(|u| ("podcast:remoteItem feedUrl", u)));
    social_urls(&x.social_interact, tags);
}

/// The web URLs of `socialInteract` threads; other schemes (`at://`, `nostr:`) have no https form.
pub(super) fn social_urls<'a>(
    threads: &'a [SocialInteract],
    tags: &mut Vec<(&'static str, &'a str)>,
) {
    for s in threads {
        let web =
            present(&s.uri).filter(|u| u.get(..5).is_some_and(|h| h.eq_ignore_ascii_case("http:")));
        tags.extend(web.map(|u| ("podcast:socialInteract uri", u)));
        tags.extend(present(&s.account_url).map(|u| ("podcast:socialInteract accountUrl", u)));
    }
}
