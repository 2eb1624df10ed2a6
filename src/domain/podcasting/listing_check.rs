//! Checks of the listing details (see `listing.rs`).

use chrono::{DateTime, NaiveDate};

use super::listing::{
    Chat, FeedRef, ListItem, ServiceBlock, SocialInteract, UpdateFrequency, APPLE_VERIFY_PURPOSE,
    SERVICE_SLUGS,
};
use super::{Medium, Txt};
use crate::domain::check::Checker;

/// The most channel-level remote items: a list feed is a long list.
const MAX_LIST_ITEMS: usize = 1000;
/// The most `socialInteract` threads per show or episode.
const MAX_SOCIAL: usize = 20;

fn guid(c: &mut Checker, field: &str, raw: &str) -> String {
    if uuid::Uuid::parse_str(raw.trim()).is_err() {
        c.error(
            field,
            "feed_guid must be the podcast:guid (a UUID) of the other feed",
        );
    }
    raw.trim().to_ascii_lowercase()
}

pub(super) fn blocks(c: &mut Checker, blocks: Vec<ServiceBlock>) -> Vec<ServiceBlock> {
    let field = "podcast_block";
    let mut seen = Vec::new();
    let out: Vec<ServiceBlock> = blocks
        .into_iter()
        .map(|b| {
            let id = b.id.map(|i| i.trim().to_ascii_lowercase());
            let id = id.filter(|i| !i.is_empty());
            if let Some(i) = id.as_deref().filter(|i| !SERVICE_SLUGS.contains(i)) {
                c.error(
                    field,
                    format!("{i:?} is not on the podcast namespace's service slug list"),
                );
            }
            if seen.contains(&id) {
                c.error(field, "name each service (and \"all\") at most once");
            }
            seen.push(id.clone());
            ServiceBlock { id, block: b.block }
        })
        .collect();
    out
}

pub(super) fn update_frequency(c: &mut Checker, u: UpdateFrequency) -> UpdateFrequency {
    let field = "update_frequency";
    let rrule = c.opt_text(field, u.rrule.as_deref(), 500);
    let dtstart = c.opt_text(field, u.dtstart.as_deref(), 40);
    let date_only = match dtstart.as_deref().map(date_kind) {
        Some(Err(())) => {
            c.error(
                field,
                "dtstart must be an ISO 8601 date or date-time, e.g. 2025-01-01T00:00:00Z",
            );
            None
        }
        Some(Ok(date_only)) => Some(date_only),
        None => None,
    };
    if let Some(rule) = rrule.as_deref() {
        if let Err(why) = check_rrule(rule, dtstart.is_some(), date_only) {
            c.error(field, format!("rrule {why}"));
        }
    }
    UpdateFrequency {
        text: c.text(field, &u.text, 128),
        rrule,
        complete: u.complete,
        dtstart,
    }
}

/// `Ok(true)` for a date, `Ok(false)` for a date-time.
fn date_kind(raw: &str) -> Result<bool, ()> {
    if NaiveDate::parse_from_str(raw, "%Y-%m-%d").is_ok() {
        return Ok(true);
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|_| false)
        .map_err(|_| ())
}

/// RFC 5545's RECUR, as far as apps rely on it, plus the namespace's rule on COUNT and UNTIL.
fn check_rrule(rule: &str, has_dtstart: bool, date_only: Option<bool>) -> Result<(), String> {
    const PARTS: &[&str] = &[
        "FREQ",
        "UNTIL",
        "COUNT",
        "INTERVAL",
        "BYSECOND",
        "BYMINUTE",
        "BYHOUR",
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    ];
    const FREQS: &[&str] = &[
        "SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY",
    ];
    let mut seen = Vec::new();
    for part in rule.split(';') {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| format!("part {part:?} is not NAME=VALUE"))?;
        let name = name.to_ascii_uppercase();
        if !PARTS.contains(&&*name) {
            return Err(format!("has an unknown part {name:?}"));
        }
        if seen.contains(&name) {
            return Err(format!("names {name} twice"));
        }
        let positive = |v: &str| v.parse::<u32>().is_ok_and(|n| n > 0);
        match &*name {
            "FREQ" if !FREQS.contains(&&*value.to_ascii_uppercase()) => {
                return Err("FREQ must be one of DAILY, WEEKLY, MONTHLY, YEARLY...".into())
            }
            "COUNT" | "INTERVAL" if !positive(value) => {
                return Err(format!("{name} must be a whole number above 0"))
            }
            "UNTIL" if date_only.is_some_and(|d| d == value.contains('T')) => {
                return Err("UNTIL must be a date if dtstart is a date, a date-time if not".into())
            }
            _ if value.is_empty() => return Err(format!("{name} has no value")),
            _ => {}
        }
        seen.push(name);
    }
    let has = |n: &str| seen.iter().any(|s| s == n);
    if !has("FREQ") {
        return Err("must have a FREQ, e.g. FREQ=WEEKLY".into());
    }
    if has("COUNT") && has("UNTIL") {
        return Err("cannot have both COUNT and UNTIL".into());
    }
    if has("COUNT") && !has_dtstart {
        return Err("with a COUNT needs a dtstart".into());
    }
    Ok(())
}

pub(super) fn publisher(c: &mut Checker, p: FeedRef) -> FeedRef {
    let field = "publisher";
    FeedRef {
        feed_guid: guid(c, field, &p.feed_guid),
        feed_url: c.opt_url(field, p.feed_url.as_deref()),
    }
}

pub(super) fn remote_items(c: &mut Checker, items: Vec<ListItem>) -> Vec<ListItem> {
    let field = "remote_items";
    if items.len() > MAX_LIST_ITEMS {
        c.error(field, format!("at most {MAX_LIST_ITEMS} entries"));
    }
    items
        .into_iter()
        .map(|r| {
            let medium = c.opt_text(field, r.medium.as_deref(), 16);
            if medium
                .as_deref()
                .is_some_and(|m| m.parse::<Medium>().is_err())
            {
                c.error(field, "medium must be a podcast:medium such as music");
            }
            ListItem {
                feed_guid: guid(c, field, &r.feed_guid),
                feed_url: c.opt_url(field, r.feed_url.as_deref()),
                item_guid: c.opt_text(field, r.item_guid.as_deref(), 255),
                medium,
                title: c.opt_text(field, r.title.as_deref(), 255),
            }
        })
        .collect()
}

pub(super) fn chat(c: &mut Checker, chat: Chat) -> Chat {
    let field = "chat";
    let server = c.text(field, &chat.server, 255).to_ascii_lowercase();
    let label =
        |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let (host, port) = server.split_once(':').unwrap_or((&server, "0"));
    let valid = host.split('.').all(label) && port.parse::<u16>().is_ok();
    if !server.is_empty() && !valid {
        c.error(field, "server must be a host name such as irc.zeronode.net");
    }
    Chat {
        server,
        protocol: token(c, field, &chat.protocol),
        account_id: c.opt_text(field, chat.account_id.as_deref(), 255),
        space: c.opt_text(field, chat.space.as_deref(), 255),
    }
}

/// A protocol name: lower-case letters, digits and dashes.
fn token(c: &mut Checker, field: &str, raw: &str) -> String {
    let t = c.text(field, raw, 32).to_ascii_lowercase();
    if !t.is_empty() && !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        c.error(field, "protocol must be one word such as activitypub");
    }
    t
}

/// Checks `socialInteract` threads; `field` is where errors go.
pub(super) fn social(c: &mut Checker, items: Vec<SocialInteract>) -> Vec<SocialInteract> {
    let field = "social_interact";
    if items.len() > MAX_SOCIAL {
        c.error(field, format!("at most {MAX_SOCIAL} entries"));
    }
    items
        .into_iter()
        .map(|s| {
            let protocol = token(c, field, &s.protocol);
            let uri = c.opt_text(field, s.uri.as_deref(), 2048);
            let account_id = c.opt_text(field, s.account_id.as_deref(), 255);
            let account_url = c.opt_url(field, s.account_url.as_deref());
            let disabled = protocol == "disabled";
            if disabled && (uri.is_some() || account_id.is_some() || account_url.is_some()) {
                c.error(field, "protocol disabled takes no uri or account");
            }
            if !disabled && !uri.as_deref().is_some_and(is_uri) {
                c.error(field, "uri must be the root post's URI, such as https://…");
            }
            let priority = s.priority.map(|n| c.number(field, n, 0..=1_000_000));
            SocialInteract {
                protocol,
                uri,
                account_id,
                account_url,
                priority,
            }
        })
        .collect()
}

/// An absolute URI: a scheme, a colon and something after it, no spaces.
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut b = scheme.bytes();
    b.next().is_some_and(|f| f.is_ascii_alphabetic())
        && b.all(|x| x.is_ascii_alphanumeric() || b"+-.".contains(&x))
        && !rest.is_empty()
        && !s.contains(char::is_whitespace)
}

/// Apple's verification code, which has its own field: the `txt` list may not hold another.
pub(super) fn apple_verify(c: &mut Checker, code: Option<&str>, txt: &[Txt]) -> Option<String> {
    let code = c.opt_text("apple_verify", code, 128);
    let purpose = |t: &Txt| {
        t.purpose
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case(APPLE_VERIFY_PURPOSE))
    };
    if code.is_some() && txt.iter().any(purpose) {
        c.error(
            "txt",
            "Apple's verification code is set in apple_verify; remove the applepodcastsverify txt",
        );
    }
    code
}

#[cfg(test)]
mod tests {
    use super::check_rrule;

    #[test]
    fn recurrence_rules_follow_rfc_5545_and_the_namespace() {
        for ok in [
            "FREQ=DAILY",
            "FREQ=WEEKLY;INTERVAL=2",
            "FREQ=DAILY;INTERVAL=1;BYDAY=MO,TU,WE,TH,FR",
            "FREQ=YEARLY;BYDAY=+4TH;BYMONTH=11",
            "FREQ=WEEKLY;UNTIL=2023-12-31T00:00:00.000Z;BYDAY=MO",
            "freq=monthly",
        ] {
            assert_eq!(check_rrule(ok, false, None), Ok(()), "{ok}");
        }
        let with_start = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=10";
        assert_eq!(check_rrule(with_start, true, Some(false)), Ok(()));
        for bad in [
            "",
            "WEEKLY",
            "INTERVAL=2",
            "FREQ=FORTNIGHTLY",
            "FREQ=WEEKLY;INTERVAL=0",
            "FREQ=WEEKLY;COUNT=-1",
            "FREQ=WEEKLY;FREQ=DAILY",
            "FREQ=WEEKLY;BYDAY=",
            "FREQ=WEEKLY;SOMETIMES=YES",
            "FREQ=WEEKLY;COUNT=3;UNTIL=2023-12-31",
        ] {
            assert!(check_rrule(bad, true, None).is_err(), "{bad}");
        }
        assert!(
            check_rrule(with_start, false, None).is_err(),
            "COUNT needs dtstart"
        );
        let until = "FREQ=WEEKLY;UNTIL=2023-12-31T00:00:00Z";
        assert!(
            check_rrule(until, true, Some(true)).is_err(),
            "date vs date-time"
        );
    }
}
