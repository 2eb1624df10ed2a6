//! The value blocks (`podcast:value`) of a show's or an episode's Podcasting 2.0 page: every
//! stored block is shown and sent back, so none is lost. Block `b` is `value_{b}_type`, `_method`,
//! `_suggested`, its recipients `value_{b}_recipients_{i}_{key}`, and its time splits
//! `value_{b}_splits_{j}_{key}`, each with recipients `value_{b}_splits_{j}_recipients_{k}_{key}`.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    form::Fields,
    podcasting_form::PodcastingForm,
    podcasting_shared::set_row,
    rows::{col, pick, Column, Group},
};
use crate::domain::{
    ListItem, Medium, Value, ValueRecipient, ValueTimeSplit, VALUE_METHODS, VALUE_RECIPIENT_TYPES,
    VALUE_TYPES,
};

/// The most value blocks the checks allow, and recipients or time splits of one.
const MAX_BLOCKS: usize = 10;
const MAX_ENTRIES: usize = 100;

const RECIPIENTS: &[Column] = &[
    col("name", "Name", "text"),
    pick("type", "Address type", VALUE_RECIPIENT_TYPES, "(choose)"),
    col("address", "Address", "text"),
    col("split", "Split (shares)", "number"),
    col("fee", "Fee", "checkbox"),
    col("custom_key", "Custom key", "text"),
    col("custom_value", "Custom value", "text"),
];
const RECIPIENTS_HINT: (&str, &str) = (
    "Recipients",
    "Who is paid, and how many shares of each payment (e.g. 90 for you and 10 for a guest). \
     The type says what the address is: node for a Lightning node's public key, lnaddress for an \
     address like you@getalby.com. A fee comes off the top before the others' shares. Custom \
     key and value route the payment inside a shared node (e.g. 696969 and your wallet id).",
);
const SPLIT_RECIPIENTS_HINT: (&str, &str) = (
    "Recipients of this stretch",
    "Paid instead of the block's recipients while this stretch plays, each with its shares; \
     leave them empty when the stretch pays the other feed's item above.",
);

/// A value block as the page shows it.
pub struct BlockView {
    pub prefix: String,
    /// Its number, from 1.
    pub n: usize,
    /// Nothing typed or stored yet: offered to start a new block.
    pub blank: bool,
    /// A blank block shown opened, after "Add" in it.
    pub open: bool,
    /// The error about this block, shown in it.
    pub error: Option<String>,
    pub recipients: Group,
    pub splits: Vec<SplitView>,
}

/// A time split (`podcast:valueTimeSplit`) of a block, as shown.
pub struct SplitView {
    pub prefix: String,
    pub n: usize,
    pub recipients: Group,
}

/// The form name of `key` under `prefix`.
fn under(prefix: &str, key: &str) -> String {
    format!("{prefix}_{key}")
}

impl BlockView {
    pub fn name(&self, key: &str) -> String {
        under(&self.prefix, key)
    }
}

impl SplitView {
    pub fn name(&self, key: &str) -> String {
        under(&self.prefix, key)
    }
}

/// The page's value section: the blocks, the errors of them all, and the choices.
pub struct ValueSection {
    pub blocks: Vec<BlockView>,
    pub error: Option<String>,
    pub types: &'static [&'static str],
    pub methods: &'static [&'static str],
    pub mediums: &'static [&'static str],
}

impl ValueSection {
    /// Whether a block has an error.
    pub fn erring(&self) -> bool {
        self.blocks.iter().any(|b| b.error.is_some())
    }
}

/// Which blocks, recipients and time splits hold anything (their type and method aside, which
/// always hold a choice): block -> (recipient rows, time split -> its recipient rows).
type Usage = BTreeMap<usize, (BTreeSet<usize>, BTreeMap<usize, BTreeSet<usize>>)>;

fn index(s: &str, max: usize) -> Option<(usize, &str)> {
    let (n, rest) = s.split_once('_')?;
    let n: usize = n.parse().ok().filter(|n| *n < max)?;
    Some((n, rest))
}

/// The usage of the names that hold something.
fn usage<'a>(names: impl Iterator<Item = &'a str>) -> Usage {
    let mut usage = Usage::new();
    for name in names {
        let Some((b, rest)) = name
            .strip_prefix("value_")
            .and_then(|s| index(s, MAX_BLOCKS))
        else {
            continue;
        };
        if matches!(rest, "type" | "method") {
            continue;
        }
        let (recipients, splits) = usage.entry(b).or_default();
        if let Some((i, _)) = rest
            .strip_prefix("recipients_")
            .and_then(|s| index(s, MAX_ENTRIES))
        {
            recipients.insert(i);
        } else if let Some((j, rest)) = rest
            .strip_prefix("splits_")
            .and_then(|s| index(s, MAX_ENTRIES))
        {
            let rows = splits.entry(j).or_default();
            if let Some((k, _)) = rest
                .strip_prefix("recipients_")
                .and_then(|s| index(s, MAX_ENTRIES))
            {
                rows.insert(k);
            }
        }
    }
    usage
}

/// The value blocks as the page shows them: each in use, then a blank one to start another
/// (two when `more` is `value`), with "Add" for recipients and time splits.
pub fn section(f: &Fields, more: &str) -> ValueSection {
    let usage = usage(f.filled("value_"));
    let used = usage.keys().next_back().map_or(0, |b| b + 1);
    // The checks number the blocks in use from 1; the form's blocks may have gaps.
    let error = f.err("value").map(str::to_string);
    let erring = error.as_deref().and_then(|m| {
        let rest = &m[m.find("value block ")? + "value block ".len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let n = digits.parse::<usize>().ok()?.checked_sub(1)?;
        usage.keys().nth(n).copied()
    });
    let extra = if more == "value" { 2 } else { 1 };
    let recipients = |field: String, hint| {
        let blank = if more == field { 2 } else { 1 };
        Group::of(f, field, hint, RECIPIENTS, blank, MAX_ENTRIES)
    };
    let blocks = (0..(used + extra).min(MAX_BLOCKS))
        .map(|b| {
            let prefix = format!("value_{b}");
            let splits = usage
                .get(&b)
                .map_or(0, |(_, s)| s.keys().next_back().map_or(0, |j| j + 1));
            let splits = splits + usize::from(more == under(&prefix, "splits"));
            let blank = !usage.contains_key(&b);
            BlockView {
                n: b + 1,
                blank,
                open: blank && (more == "value" || more.starts_with(&format!("{prefix}_"))),
                error: error.clone().filter(|_| erring == Some(b)),
                recipients: recipients(under(&prefix, "recipients"), RECIPIENTS_HINT),
                splits: (0..splits.min(MAX_ENTRIES))
                    .map(|j| {
                        let prefix = format!("{prefix}_splits_{j}");
                        SplitView {
                            n: j + 1,
                            recipients: recipients(
                                under(&prefix, "recipients"),
                                SPLIT_RECIPIENTS_HINT,
                            ),
                            prefix,
                        }
                    })
                    .collect(),
                prefix,
            }
        })
        .collect();
    ValueSection {
        blocks,
        error: error.filter(|_| erring.is_none()),
        types: VALUE_TYPES,
        methods: VALUE_METHODS,
        mediums: Medium::WORDS,
    }
}

/// Puts stored value blocks in the form.
pub fn show_values(f: &mut Fields, blocks: &[Value]) {
    for (b, v) in blocks.iter().enumerate() {
        let p = format!("value_{b}");
        f.set(&under(&p, "type"), v.value_type.clone());
        f.set(&under(&p, "method"), v.method.clone());
        f.set_opt(&under(&p, "suggested"), v.suggested.as_ref());
        show_recipients(f, &under(&p, "recipients"), &v.recipients);
        for (j, t) in v.time_splits.iter().enumerate() {
            let p = format!("{p}_splits_{j}");
            f.set(&under(&p, "start_time"), t.start_time.to_string());
            f.set(&under(&p, "duration"), t.duration.to_string());
            f.set_opt(&under(&p, "remote_start_time"), t.remote_start_time);
            f.set_opt(&under(&p, "remote_percentage"), t.remote_percentage);
            if let Some(r) = &t.remote_item {
                f.set(&under(&p, "feed_guid"), r.feed_guid.clone());
                f.set_opt(&under(&p, "item_guid"), r.item_guid.as_ref());
                f.set_opt(&under(&p, "feed_url"), r.feed_url.as_ref());
                f.set_opt(&under(&p, "medium"), r.medium.as_ref());
            }
            show_recipients(f, &under(&p, "recipients"), &t.recipients);
        }
    }
}

fn show_recipients(f: &mut Fields, field: &str, list: &[ValueRecipient]) {
    for (i, r) in list.iter().enumerate() {
        let cells = [
            ("name", r.name.clone()),
            ("type", Some(r.recipient_type.clone())),
            ("address", Some(r.address.clone())),
            ("split", Some(r.split.to_string())),
            ("fee", r.fee.then(|| "on".to_string())),
            ("custom_key", r.custom_key.clone()),
            ("custom_value", r.custom_value.clone()),
        ];
        set_row(f, field, i, &cells);
    }
}

/// The value blocks as sent, with the errors of what does not even parse (under `value`).
pub fn values_of(form: &PodcastingForm, f: &mut Fields) -> Vec<Value> {
    let usage = usage(form.filled("value_"));
    let mut blocks = Vec::new();
    for (n, (b, (recipients, splits))) in usage.iter().enumerate() {
        let p = format!("value_{b}");
        let at = format!("value block {}", n + 1);
        let mut time_splits = Vec::new();
        for (m, (j, rows)) in splits.iter().enumerate() {
            let p = format!("{p}_splits_{j}");
            let at = format!("{at}, time split {}", m + 1);
            time_splits.push(time_split(form, f, &p, &at, rows));
        }
        blocks.push(Value {
            value_type: form.opt(&under(&p, "type")).unwrap_or_default(),
            method: form.opt(&under(&p, "method")).unwrap_or_default(),
            suggested: form.opt(&under(&p, "suggested")),
            recipients: recipients_of(form, f, &under(&p, "recipients"), &at, recipients),
            time_splits,
        });
    }
    blocks
}

fn time_split(
    form: &PodcastingForm,
    f: &mut Fields,
    p: &str,
    at: &str,
    rows: &BTreeSet<usize>,
) -> ValueTimeSplit {
    let mut number = |key: &str, what: &str| -> Option<f64> {
        let raw = form.opt(&under(p, key))?;
        raw.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .or_else(|| {
                f.error(
                    "value",
                    format!("{at}: {what} {raw:?} is not a number of seconds"),
                );
                None
            })
    };
    let start_time = number("start_time", "the start");
    let duration = number("duration", "the length");
    let remote_start_time = number("remote_start_time", "the remote start");
    if start_time.is_none() || duration.is_none() {
        f.error("value", format!("{at} needs a start and a length"));
    }
    let remote_percentage = form.opt(&under(p, "remote_percentage")).and_then(|raw| {
        raw.parse::<i64>()
            .map_err(|_| {
                f.error(
                    "value",
                    format!("{at}: the remote percentage {raw:?} is not a whole number"),
                )
            })
            .ok()
    });
    let remote = ["feed_guid", "item_guid", "feed_url", "medium"];
    let remote_item = remote
        .iter()
        .any(|k| form.v(&under(p, k)).is_some())
        .then(|| ListItem {
            feed_guid: form.opt(&under(p, "feed_guid")).unwrap_or_default(),
            feed_url: form.opt(&under(p, "feed_url")),
            item_guid: form.opt(&under(p, "item_guid")),
            medium: form.opt(&under(p, "medium")),
            title: None,
        });
    ValueTimeSplit {
        start_time: start_time.unwrap_or_default(),
        duration: duration.unwrap_or_default(),
        remote_start_time,
        remote_percentage,
        recipients: recipients_of(form, f, &under(p, "recipients"), at, rows),
        remote_item,
    }
}

fn recipients_of(
    form: &PodcastingForm,
    f: &mut Fields,
    field: &str,
    at: &str,
    rows: &BTreeSet<usize>,
) -> Vec<ValueRecipient> {
    let cell = |i: usize, key: &str| form.cell(field, i, key);
    let mut list = Vec::new();
    for (n, &i) in rows.iter().enumerate() {
        let split = match cell(i, "split") {
            Some(raw) => raw.parse::<i64>().unwrap_or_else(|_| {
                let why = format!("{raw:?} is not a whole number of shares");
                f.error("value", format!("{at}, recipient {}: split {why}", n + 1));
                0
            }),
            None => {
                let why = "needs a split (a number of shares)";
                f.error("value", format!("{at}, recipient {}: {why}", n + 1));
                0
            }
        };
        list.push(ValueRecipient {
            name: cell(i, "name"),
            recipient_type: cell(i, "type").unwrap_or_default(),
            address: cell(i, "address").unwrap_or_default(),
            split,
            fee: cell(i, "fee").is_some(),
            custom_key: cell(i, "custom_key"),
            custom_value: cell(i, "custom_value"),
        });
    }
    list
}

#[cfg(test)]
mod tests {
    use super::usage;

    #[test]
    fn only_what_holds_something_puts_a_block_in_use() {
        let names = [
            "value_0_type",
            "value_1_method",
            "value_2_recipients_3_name",
            "value_2_splits_1_start_time",
            "value_2_splits_4_recipients_0_split",
            "value_10_suggested",
            "value_x_suggested",
        ];
        let u = usage(names.into_iter());
        assert_eq!(u.keys().copied().collect::<Vec<_>>(), [2]);
        let (recipients, splits) = &u[&2];
        assert_eq!(recipients.iter().copied().collect::<Vec<_>>(), [3]);
        assert_eq!(splits.keys().copied().collect::<Vec<_>>(), [1, 4]);
        assert!(splits[&1].is_empty());
        assert_eq!(splits[&4].iter().copied().collect::<Vec<_>>(), [0]);
    }
}
