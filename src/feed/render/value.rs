//! `podcast:value` blocks, with their recipients and time splits.

use super::writer::{clean_len, fmt, opt, Body::*, W};
use crate::domain::{Value, ValueRecipient, ValueTimeSplit};

/// The value blocks that can be published: a payment layer, a method and at least one
/// recipient with an address (the namespace requires all three).
pub(super) fn values(w: &mut W, blocks: &[Value]) {
    for v in blocks {
        let recipients = payable(&v.recipients);
        if clean_len(&v.value_type) == 0 || clean_len(&v.method) == 0 || recipients.is_empty() {
            continue;
        }
        let attrs = [
            ("type", Some(&*v.value_type)),
            ("method", Some(&*v.method)),
            ("suggested", opt(&v.suggested)),
        ];
        w.el_opt("podcast:value", &attrs, Open);
        w.indented(|w| {
            for r in recipients {
                recipient(w, r);
            }
            for t in &v.time_splits {
                time_split(w, t);
            }
        });
        w.line("</podcast:value>");
    }
}

fn payable(recipients: &[ValueRecipient]) -> Vec<&ValueRecipient> {
    let ok = |r: &&ValueRecipient| clean_len(&r.address) > 0 && clean_len(&r.recipient_type) > 0;
    recipients.iter().filter(ok).collect()
}

fn recipient(w: &mut W, r: &ValueRecipient) {
    let mut split = [0; 40];
    let attrs = [
        ("name", opt(&r.name)),
        ("type", Some(&*r.recipient_type)),
        ("address", Some(&*r.address)),
        ("split", Some(fmt(&mut split, format_args!("{}", r.split)))),
        ("fee", r.fee.then_some("true")),
        ("customKey", opt(&r.custom_key)),
        ("customValue", opt(&r.custom_value)),
    ];
    w.el_opt("podcast:valueRecipient", &attrs, Empty);
}

fn time_split(w: &mut W, t: &ValueTimeSplit) {
    let recipients = payable(&t.recipients);
    let remote = t
        .remote_item
        .as_ref()
        .filter(|r| clean_len(&r.feed_guid) > 0);
    if recipients.is_empty() && remote.is_none() {
        return;
    }
    let seconds = |n: f64| n.is_finite() && (0.0..1e12).contains(&n);
    let (mut start, mut duration, mut remote_start, mut percent) =
        ([0; 40], [0; 40], [0; 40], [0; 40]);
    let attrs = [
        (
            "startTime",
            Some(t.start_time)
                .filter(|n| seconds(*n))
                .map(|n| fmt(&mut start, format_args!("{n}"))),
        ),
        (
            "duration",
            Some(t.duration)
                .filter(|n| seconds(*n))
                .map(|n| fmt(&mut duration, format_args!("{n}"))),
        ),
        (
            "remoteStartTime",
            t.remote_start_time
                .filter(|n| seconds(*n))
                .map(|n| fmt(&mut remote_start, format_args!("{n}"))),
        ),
        (
            "remotePercentage",
            t.remote_percentage
                .filter(|_| remote.is_some())
                .map(|n| fmt(&mut percent, format_args!("{}", n.clamp(0, 100)))),
        ),
    ];
    w.el_opt("podcast:valueTimeSplit", &attrs, Open);
    w.indented(|w| match remote {
        Some(r) => {
            let attrs = [
                ("feedGuid", Some(&*r.feed_guid)),
                ("feedUrl", opt(&r.feed_url)),
                ("itemGuid", opt(&r.item_guid)),
                ("medium", opt(&r.medium)),
            ];
            w.el_opt("podcast:remoteItem", &attrs, Empty);
        }
        None => {
            for r in recipients {
                recipient(w, r);
            }
        }
    });
    w.line("</podcast:valueTimeSplit>");
}
