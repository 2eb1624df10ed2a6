//! Warnings about value blocks (`podcast:value`): payments that would go nowhere, recipients
//! that are not published, and time splits past the episode's end.

use super::{blank, code, not_https, present, Out};
use crate::domain::{Value, ValueRecipient};

/// A value block's (or time split's) non-fee recipients all have 0 shares, so apps have
/// nothing to split among them (per block or time split).
pub const VALUE_SPLITS_ZERO: &str = "value_splits_zero";
/// A value recipient has no address: it is left out of the feed (per recipient).
pub const VALUE_RECIPIENT_NO_ADDRESS: &str = "value_recipient_no_address";
/// A value time split ends after the episode does (per time split).
pub const VALUE_TIME_SPLIT_PAST_END: &str = "value_time_split_past_end";

/// Warnings for a show's value blocks (`duration` is `None`) or an episode's.
pub(super) fn warnings(out: &mut Out, blocks: &[Value], duration: Option<i32>) {
    for (i, v) in blocks.iter().enumerate() {
        let block = format!("value block {}", i + 1);
        recipients(out, &block, &v.recipients);
        for (j, t) in v.time_splits.iter().enumerate() {
            let at = format!("{block}, time split {}", j + 1);
            if t.remote_item.is_none() {
                recipients(out, &at, &t.recipients);
            }
            let end = t.start_time + t.duration;
            if let Some(d) = duration.filter(|d| end > f64::from(*d)) {
                out.add_if(true, code::VALUE_TIME_SPLIT_PAST_END, || {
                    format!(
                        "Move or shorten {at}: it runs to {end} s, past the episode's end at {d} s, \
                         so its recipients are not paid for all of it."
                    )
                });
            }
            let url = t.remote_item.as_ref().and_then(|r| present(&r.feed_url));
            not_https(
                out,
                url.map(|u| ("podcast:remoteItem feedUrl", u))
                    .into_iter()
                    .collect(),
            );
        }
    }
}

fn recipients(out: &mut Out, at: &str, list: &[ValueRecipient]) {
    for (k, r) in list.iter().enumerate() {
        out.add_if(blank(&r.address), code::VALUE_RECIPIENT_NO_ADDRESS, || {
            let who = present(&r.name).map_or(format!("recipient {}", k + 1), |n| format!("{n:?}"));
            format!("Give {who} of {at} an address: without one it is left out of the feed and paid nothing.")
        });
    }
    let paid: Vec<_> = list.iter().filter(|r| !blank(&r.address)).collect();
    let shares: i64 = paid.iter().filter(|r| !r.fee).map(|r| r.split.max(0)).sum();
    out.add_if(
        !paid.is_empty() && shares == 0,
        code::VALUE_SPLITS_ZERO,
        || {
            format!(
            "Give the recipients of {at} some shares: apart from fees their splits add up to 0, \
             so apps have nobody to pay."
        )
        },
    );
}
