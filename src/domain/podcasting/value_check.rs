//! Checks of value blocks (`podcast:value`), with every problem under the field `value`.

use crate::domain::check::Checker;
use crate::domain::{
    ListItem, Value, ValueRecipient, ValueTimeSplit, VALUE_METHODS, VALUE_RECIPIENT_TYPES,
    VALUE_TYPES,
};

const FIELD: &str = "value";
/// The most value blocks a show or episode has, and recipients or time splits a block has.
const MAX_BLOCKS: usize = 10;
const MAX_ENTRIES: usize = 100;
/// The most shares one recipient may have.
const MAX_SPLIT: i64 = 1_000_000_000;
/// Times and durations: at most 100 days, in seconds.
const MAX_SECONDS: f64 = 100.0 * 24.0 * 3600.0;

/// Checks a show's or episode's value blocks.
pub fn check_values(c: &mut Checker, blocks: Vec<Value>) -> Vec<Value> {
    if blocks.len() > MAX_BLOCKS {
        c.error(FIELD, format!("at most {MAX_BLOCKS} value blocks"));
    }
    blocks
        .into_iter()
        .enumerate()
        .map(|(i, v)| block(c, &format!("value block {}", i + 1), v))
        .collect()
}

fn block(c: &mut Checker, at: &str, v: Value) -> Value {
    let value_type = slug(c, at, "type", &v.value_type, VALUE_TYPES);
    let method = slug(c, at, "method", &v.method, VALUE_METHODS);
    let suggested = v.suggested.map(|s| s.trim().to_string());
    if suggested.as_deref().is_some_and(|s| !is_amount(s)) {
        c.error(
            FIELD,
            format!("{at}: suggested must be a decimal amount such as 0.00000005000"),
        );
    }
    if v.recipients.is_empty() {
        c.error(FIELD, format!("{at} needs at least one recipient"));
    }
    let recipients = recipients(c, at, v.recipients);
    if v.time_splits.len() > MAX_ENTRIES {
        c.error(FIELD, format!("{at}: at most {MAX_ENTRIES} time splits"));
    }
    let time_splits = v
        .time_splits
        .into_iter()
        .enumerate()
        .map(|(i, t)| time_split(c, &format!("{at}, time split {}", i + 1), t))
        .collect();
    Value {
        value_type,
        method,
        suggested,
        recipients,
        time_splits,
    }
}

fn recipients(c: &mut Checker, at: &str, list: Vec<ValueRecipient>) -> Vec<ValueRecipient> {
    if list.len() > MAX_ENTRIES {
        c.error(FIELD, format!("{at}: at most {MAX_ENTRIES} recipients"));
    }
    list.into_iter()
        .enumerate()
        .map(|(i, r)| recipient(c, &format!("{at}, recipient {}", i + 1), r))
        .collect()
}

fn recipient(c: &mut Checker, at: &str, r: ValueRecipient) -> ValueRecipient {
    if !(0..=MAX_SPLIT).contains(&r.split) {
        c.error(
            FIELD,
            format!("{at}: split must be a number of shares from 0 to {MAX_SPLIT}"),
        );
    }
    let custom_key = c.opt_text(FIELD, r.custom_key.as_deref(), 128);
    let custom_value = c.opt_text(FIELD, r.custom_value.as_deref(), 1000);
    if custom_value.is_some() && custom_key.is_none() {
        c.error(FIELD, format!("{at}: custom_value needs a custom_key"));
    }
    ValueRecipient {
        name: c.opt_text(FIELD, r.name.as_deref(), 128),
        recipient_type: slug(c, at, "type", &r.recipient_type, VALUE_RECIPIENT_TYPES),
        address: c.opt_text(FIELD, Some(&r.address), 512).unwrap_or_default(),
        split: r.split,
        fee: r.fee,
        custom_key,
        custom_value,
    }
}

fn time_split(c: &mut Checker, at: &str, t: ValueTimeSplit) -> ValueTimeSplit {
    let seconds = |c: &mut Checker, what: &str, n: f64, positive: bool| {
        let ok = n.is_finite() && n <= MAX_SECONDS && if positive { n > 0.0 } else { n >= 0.0 };
        if !ok {
            let least = if positive { "above 0" } else { "0 or more" };
            c.error(
                FIELD,
                format!("{at}: {what} must be seconds, {least}, at most {MAX_SECONDS}"),
            );
        }
    };
    seconds(c, "start_time", t.start_time, false);
    seconds(c, "duration", t.duration, true);
    if let Some(n) = t.remote_start_time {
        seconds(c, "remote_start_time", n, false);
    }
    if t.remote_percentage.is_some_and(|p| !(0..=100).contains(&p)) {
        c.error(
            FIELD,
            format!("{at}: remote_percentage must be from 0 to 100"),
        );
    }
    match (t.recipients.is_empty(), &t.remote_item) {
        (true, None) | (false, Some(_)) => c.error(
            FIELD,
            format!("{at} needs either recipients or a remote_item (exactly one of them)"),
        ),
        _ => {}
    }
    if t.remote_item.is_none() && t.remote_percentage.is_some() {
        c.error(
            FIELD,
            format!("{at}: remote_percentage needs a remote_item"),
        );
    }
    ValueTimeSplit {
        start_time: t.start_time,
        duration: t.duration,
        remote_start_time: t.remote_start_time,
        remote_percentage: t.remote_percentage,
        recipients: recipients(c, at, t.recipients),
        remote_item: t.remote_item.map(|r| remote_item(c, at, r)),
    }
}

fn remote_item(c: &mut Checker, at: &str, r: ListItem) -> ListItem {
    if uuid::Uuid::parse_str(r.feed_guid.trim()).is_err() {
        c.error(
            FIELD,
            format!("{at}: feed_guid must be the podcast:guid (a UUID) of the other feed"),
        );
    }
    let medium = c.opt_text(FIELD, r.medium.as_deref(), 16);
    if medium
        .as_deref()
        .is_some_and(|m| m.parse::<super::Medium>().is_err())
    {
        c.error(
            FIELD,
            format!("{at}: medium must be a podcast:medium such as music"),
        );
    }
    if r.title.is_some() {
        c.error(
            FIELD,
            format!("{at}: a time split's remote_item has no title"),
        );
    }
    ListItem {
        feed_guid: r.feed_guid.trim().to_ascii_lowercase(),
        feed_url: c.opt_url(FIELD, r.feed_url.as_deref()),
        item_guid: c.opt_text(FIELD, r.item_guid.as_deref(), 1000),
        medium,
        title: None,
    }
}

fn slug(c: &mut Checker, at: &str, what: &str, raw: &str, allowed: &[&str]) -> String {
    let word = raw.trim();
    if !allowed.contains(&word) {
        let list = allowed.join(", ");
        c.error(
            FIELD,
            format!("{at}: {what} must be one of {list}, not {word:?}"),
        );
    }
    word.to_string()
}

/// A decimal number without sign or exponent, as `podcast:value@suggested` is.
fn is_amount(s: &str) -> bool {
    let digits = |d: &str| !d.is_empty() && d.len() <= 24 && d.bytes().all(|b| b.is_ascii_digit());
    match s.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(s),
    }
}

#[cfg(test)]
mod tests {
    use super::is_amount;

    #[test]
    fn suggested_amounts_are_plain_decimals() {
        for ok in ["0.00000005000", "5", "0.1"] {
            assert!(is_amount(ok), "{ok}");
        }
        for bad in ["", "-1", "1e-8", ".5", "5.", "NaN", "0,5"] {
            assert!(!is_amount(bad), "{bad}");
        }
    }
}
