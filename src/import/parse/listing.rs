//! Listing tags of the channel and items (`podcast:block`, `updateFrequency`, `publisher`,
//! `remoteItem`, `chat`, `socialInteract`, Apple's verification `txt`), each checked with the
//! API's rules and dropped (and reported) if it fails them.

use crate::domain::check::checked;
use crate::domain::{
    check_episode_extras, check_show_extras, Chat, EpisodeExtras, FeedRef, ListItem, ServiceBlock,
    ShowExtras, SocialInteract, UpdateFrequency, APPLE_VERIFY_PURPOSE,
};
use crate::import::xml::{Element, Ns};

use super::values::Ctx;

fn attr(el: &Element, name: &str) -> Option<String> {
    el.attr(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A `podcast:txt` that holds Apple's verification code.
pub fn is_apple_verify(el: &Element) -> bool {
    el.name == "txt"
        && el
            .attr("purpose")
            .is_some_and(|p| p.trim().eq_ignore_ascii_case(APPLE_VERIFY_PURPOSE))
}

/// Reads a channel-level listing tag into `x`; `false` if it is not one.
pub fn channel(ctx: &mut Ctx, el: &Element, x: &mut ShowExtras) -> bool {
    let one = |x: ShowExtras| checked(|c| check_show_extras(c, x));
    let text = el.text.trim().to_string();
    let (field, label, result) = match el.name.as_str() {
        "txt" if is_apple_verify(el) => {
            let candidate = ShowExtras {
                apple_verify: Some(text.clone()),
                ..ShowExtras::default()
            };
            ("apple_verify", text, one(candidate))
        }
        "block" => {
            let block = match text.to_ascii_lowercase().as_str() {
                "yes" => true,
                "no" => false,
                _ => {
                    ctx.dropped("podcast_block", &text, "must be yes or no");
                    return true;
                }
            };
            let b = ServiceBlock {
                id: attr(el, "id"),
                block,
            };
            let mut all = x.podcast_block.clone();
            all.push(b);
            let label = attr(el, "id").unwrap_or_else(|| "all services".into());
            let candidate = ShowExtras {
                podcast_block: all,
                ..ShowExtras::default()
            };
            ("podcast_block", label, one(candidate))
        }
        "updateFrequency" => {
            let u = UpdateFrequency {
                text: text.clone(),
                rrule: attr(el, "rrule"),
                complete: attr(el, "complete").is_some_and(|v| v == "true"),
                dtstart: attr(el, "dtstart"),
            };
            let candidate = ShowExtras {
                update_frequency: Some(u),
                ..ShowExtras::default()
            };
            ("update_frequency", text, one(candidate))
        }
        "publisher" => {
            let Some(r) = el
                .children
                .iter()
                .find(|c| c.is(&Ns::Podcast, "remoteItem"))
            else {
                ctx.dropped("publisher", "", "holds no podcast:remoteItem");
                return true;
            };
            let p = FeedRef {
                feed_guid: attr(r, "feedGuid").unwrap_or_default(),
                feed_url: attr(r, "feedUrl"),
            };
            let label = p.feed_guid.clone();
            let candidate = ShowExtras {
                publisher: Some(p),
                ..ShowExtras::default()
            };
            ("publisher", label, one(candidate))
        }
        "remoteItem" => {
            let r = ListItem {
                feed_guid: attr(el, "feedGuid").unwrap_or_default(),
                feed_url: attr(el, "feedUrl"),
                item_guid: attr(el, "itemGuid"),
                medium: attr(el, "medium"),
                title: attr(el, "title"),
            };
            let label = r.feed_guid.clone();
            let candidate = ShowExtras {
                remote_items: vec![r],
                ..ShowExtras::default()
            };
            ("remote_items", label, one(candidate))
        }
        "chat" => {
            let h = chat(el);
            let label = h.server.clone();
            let candidate = ShowExtras {
                chat: Some(h),
                ..ShowExtras::default()
            };
            ("chat", label, one(candidate))
        }
        "socialInteract" => {
            let s = social(el);
            let label = s.uri.clone().unwrap_or_else(|| s.protocol.clone());
            let candidate = ShowExtras {
                social_interact: vec![s],
                ..ShowExtras::default()
            };
            ("social_interact", label, one(candidate))
        }
        _ => return false,
    };
    match result {
        Ok(mut c) => match field {
            "apple_verify" => x.apple_verify = c.apple_verify,
            "podcast_block" => x.podcast_block = c.podcast_block,
            "update_frequency" => x.update_frequency = c.update_frequency,
            "publisher" => x.publisher = c.publisher,
            "remote_items" => x.remote_items.append(&mut c.remote_items),
            "chat" => x.chat = c.chat,
            _ => x.social_interact.append(&mut c.social_interact),
        },
        Err(why) => ctx.dropped(field, &label, &why),
    }
    true
}

/// Reads an item-level listing tag into `x`; `false` if it is not one.
pub fn item(ctx: &mut Ctx, el: &Element, x: &mut EpisodeExtras) -> bool {
    let one = |x: EpisodeExtras| checked(|c| check_episode_extras(c, x));
    match el.name.as_str() {
        "socialInteract" => {
            let s = social(el);
            let label = s.uri.clone().unwrap_or_else(|| s.protocol.clone());
            let candidate = EpisodeExtras {
                social_interact: vec![s],
                ..EpisodeExtras::default()
            };
            match one(candidate) {
                Ok(mut c) => x.social_interact.append(&mut c.social_interact),
                Err(why) => ctx.dropped("social_interact", &label, &why),
            }
        }
        "chat" => {
            let h = chat(el);
            let label = h.server.clone();
            let candidate = EpisodeExtras {
                chat: Some(h),
                ..EpisodeExtras::default()
            };
            match one(candidate) {
                Ok(c) => x.chat = c.chat,
                Err(why) => ctx.dropped("chat", &label, &why),
            }
        }
        _ => return false,
    }
    true
}

fn chat(el: &Element) -> Chat {
    Chat {
        server: attr(el, "server").unwrap_or_default(),
        protocol: attr(el, "protocol").unwrap_or_default(),
        account_id: attr(el, "accountId"),
        space: attr(el, "space"),
    }
}

fn social(el: &Element) -> SocialInteract {
    SocialInteract {
        protocol: attr(el, "protocol").unwrap_or_default(),
        uri: attr(el, "uri"),
        account_id: attr(el, "accountId"),
        account_url: attr(el, "accountUrl"),
        priority: attr(el, "priority").and_then(|p| p.parse().ok()),
    }
}
