//! `podcast:value` blocks of the channel and items. A recipient or time split the feed gets
//! wrong is dropped (and reported); then each block passes the API's own checks or is dropped.

use crate::domain::check::checked;
use crate::domain::{check_values, ListItem, Value, ValueRecipient, ValueTimeSplit};
use crate::import::xml::{Element, Ns};

use super::values::Ctx;

const FIELD: &str = "value";
/// The API's limit on value blocks per show or episode.
const MAX_BLOCKS: usize = 10;

/// Reads one `podcast:value` element into `blocks`.
pub fn read(ctx: &mut Ctx, el: &Element, blocks: &mut Vec<Value>) {
    let v = Value {
        value_type: slug(el, "type"),
        method: slug(el, "method"),
        suggested: attr(el, "suggested"),
        recipients: recipients(ctx, el),
        time_splits: podcast(el, "valueTimeSplit")
            .filter_map(|t| time_split(ctx, t))
            .collect(),
    };
    let label = format!("{} {}", v.value_type, v.method);
    if blocks.len() >= MAX_BLOCKS {
        return ctx.dropped(FIELD, &label, &format!("at most {MAX_BLOCKS} value blocks"));
    }
    match checked(|c| check_values(c, vec![v])) {
        Ok(mut checked) => blocks.extend(checked.pop()),
        Err(why) => ctx.dropped(FIELD, &label, &why),
    }
}

fn podcast<'e>(el: &'e Element, name: &'static str) -> impl Iterator<Item = &'e Element> {
    el.children.iter().filter(move |c| c.is(&Ns::Podcast, name))
}

fn attr(el: &Element, name: &str) -> Option<String> {
    el.attr(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Slugs are lower case; feeds sometimes capitalise them.
fn slug(el: &Element, name: &str) -> String {
    attr(el, name).unwrap_or_default().to_ascii_lowercase()
}

fn recipients(ctx: &mut Ctx, el: &Element) -> Vec<ValueRecipient> {
    let mut out = Vec::new();
    for r in podcast(el, "valueRecipient") {
        let name = attr(r, "name");
        let split = attr(r, "split").unwrap_or_default();
        let Ok(shares) = split.parse::<i64>() else {
            let who = name.as_deref().unwrap_or("a recipient");
            ctx.dropped(
                FIELD,
                who,
                &format!("split {split:?} is not a number of shares"),
            );
            continue;
        };
        out.push(ValueRecipient {
            name,
            recipient_type: slug(r, "type"),
            address: attr(r, "address").unwrap_or_default(),
            split: shares,
            fee: attr(r, "fee").is_some_and(|f| f.eq_ignore_ascii_case("true")),
            custom_key: attr(r, "customKey"),
            custom_value: attr(r, "customValue"),
        });
    }
    out
}

fn time_split(ctx: &mut Ctx, el: &Element) -> Option<ValueTimeSplit> {
    let seconds = |name| attr(el, name).and_then(|n| n.parse::<f64>().ok());
    let (Some(start_time), Some(duration)) = (seconds("startTime"), seconds("duration")) else {
        let start = attr(el, "startTime").unwrap_or_default();
        let why = "startTime and duration must be numbers of seconds";
        ctx.dropped("value time split", &start, why);
        return None;
    };
    let remote_item = podcast(el, "remoteItem").next().map(|r| ListItem {
        feed_guid: attr(r, "feedGuid").unwrap_or_default(),
        feed_url: attr(r, "feedUrl").and_then(|u| ctx.url(FIELD, &u)),
        item_guid: attr(r, "itemGuid"),
        medium: attr(r, "medium").filter(|m| m.parse::<crate::domain::Medium>().is_ok()),
        title: None,
    });
    // The namespace says a percentage outside 0..=100 counts as the nearest bound.
    let remote_percentage = attr(el, "remotePercentage")
        .and_then(|p| p.parse::<f64>().ok())
        .filter(|p| p.is_finite())
        .map(|p| p.clamp(0.0, 100.0).round() as i64)
        .filter(|_| remote_item.is_some());
    Some(ValueTimeSplit {
        start_time,
        duration,
        remote_start_time: seconds("remoteStartTime"),
        remote_percentage,
        recipients: match remote_item {
            Some(_) => Vec::new(),
            None => recipients(ctx, el),
        },
        remote_item,
    })
}
