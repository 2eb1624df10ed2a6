//! `podcast:value`: how listeners' apps pay the show (the value block), its recipients and its
//! time splits (`podcast:valueTimeSplit`, with a `podcast:remoteItem` or recipients of its own).

use serde::{Deserialize, Serialize};

/// The payment layers of the value slug list (`docs/examples/value/valueslugs.txt`).
pub const VALUE_TYPES: &[&str] = &["lightning", "bitcoin"];
/// The transport methods of the value slug list.
pub const VALUE_METHODS: &[&str] = &["keysend", "amp", "lnaddress", "wallet"];
/// The recipient address types of the value slug list.
pub const VALUE_RECIPIENT_TYPES: &[&str] = &["node", "lnaddress", "wallet"];

/// A `podcast:value` block: on a show for all its episodes, on an episode in place of the show's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Value {
    /// The payment layer, from [`VALUE_TYPES`], e.g. `lightning`.
    #[serde(rename = "type")]
    #[schema(example = "lightning")]
    pub value_type: String,
    /// The transport, from [`VALUE_METHODS`], e.g. `keysend`.
    #[schema(example = "keysend")]
    pub method: String,
    /// A suggested amount per minute in the payment layer's unit, as a decimal
    /// (`0.00000005000` BTC is 5 sats); kept as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "0.00000005000")]
    pub suggested: Option<String>,
    #[serde(default)]
    pub recipients: Vec<ValueRecipient>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_splits: Vec<ValueTimeSplit>,
}

/// A `podcast:valueRecipient`: who gets `split` shares of each payment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueRecipient {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// From [`VALUE_RECIPIENT_TYPES`], e.g. `node` (a Lightning node's public key).
    #[serde(rename = "type")]
    #[schema(example = "node")]
    pub recipient_type: String,
    /// The receiving address; a recipient without one is kept (with a warning) but not published.
    #[serde(default)]
    pub address: String,
    /// Shares of each payment.
    pub split: i64,
    /// A fee is taken off the top of each payment, before the other splits.
    #[serde(default)]
    pub fee: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_value: Option<String>,
}

/// A `podcast:valueTimeSplit`: other recipients for a stretch of the episode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueTimeSplit {
    /// Seconds into the episode.
    pub start_time: f64,
    /// Seconds.
    pub duration: f64,
    /// Where the split begins in the remote item, in seconds (apps assume 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_start_time: Option<f64>,
    /// The remote item's recipients' share of each payment, 0 to 100 (apps assume 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_percentage: Option<i64>,
    /// Either recipients of its own...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<ValueRecipient>,
    /// ...or the value block of another feed's item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The other feed's item paid for this stretch (its `title` is not used here).
    pub remote_item: Option<super::ListItem>,
}
