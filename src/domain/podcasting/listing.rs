//! Where a show is listed and talked about: `podcast:block`, `updateFrequency`, `publisher`,
//! channel-level `remoteItem` (list feeds), `chat` and `socialInteract`.

use serde::{Deserialize, Serialize};

/// The service slugs a `podcast:block` may name (the namespace's serviceslugs.txt).
pub const SERVICE_SLUGS: &[&str] = &[
    "acast",
    "amazon",
    "anchor",
    "apple",
    "audible",
    "audioboom",
    "backtracks",
    "bitcoin",
    "blubrry",
    "buzzsprout",
    "captivate",
    "castos",
    "castopod",
    "facebook",
    "fireside",
    "fyyd",
    "google",
    "gpodder",
    "hypercatcher",
    "kasts",
    "libsyn",
    "mastodon",
    "megafono",
    "megaphone",
    "omnystudio",
    "overcast",
    "paypal",
    "pinecast",
    "podbean",
    "podcastaddict",
    "podcastguru",
    "podcastindex",
    "podcasts",
    "podchaser",
    "podcloud",
    "podfriend",
    "podiant",
    "podigee",
    "podnews",
    "podomatic",
    "podserve",
    "podverse",
    "redcircle",
    "relay",
    "resonaterecordings",
    "rss",
    "shoutengine",
    "simplecast",
    "slack",
    "soundcloud",
    "spotify",
    "spreaker",
    "tiktok",
    "transistor",
    "twitter",
    "whooshkaa",
    "youtube",
    "zencast",
];

/// The protocols a `podcast:socialInteract` names (the namespace's socialprotocols.txt).
pub const SOCIAL_PROTOCOLS: &[&str] = &[
    "disabled",
    "activitypub",
    "twitter",
    "lightning",
    "atproto",
    "hive",
    "matrix",
    "nostr",
];

/// The `txt` purpose Apple reads its ownership-verification code from.
pub const APPLE_VERIFY_PURPOSE: &str = "applepodcastsverify";

/// `podcast:block`: whether one service (`id`, from [`SERVICE_SLUGS`]) or, without an id, every
/// service may list the show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceBlock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `yes` in the feed: the service must not list the show.
    pub block: bool,
}

/// `podcast:updateFrequency`: the intended release schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFrequency {
    /// What apps show, such as "Every other Monday".
    pub text: String,
    /// An RFC 5545 recurrence rule, such as `FREQ=WEEKLY;BYDAY=MO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rrule: Option<String>,
    /// No further episodes are planned.
    #[serde(default)]
    pub complete: bool,
    /// When the rule begins: an ISO 8601 date or date-time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtstart: Option<String>,
}

/// A feed this one points to: the `podcast:remoteItem` of `podcast:publisher`, shaped like a
/// podroll's.
pub type FeedRef = super::RemoteItem;

/// A channel-level `podcast:remoteItem`: an entry of a list feed (medium `podcastL`, `musicL`...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListItem {
    pub feed_guid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
    /// The `<guid>` of one item of that feed, when the entry is an episode or a song.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_guid: Option<String>,
    /// The other feed's `podcast:medium`, when it is not `podcast`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// `podcast:chat`: the show's official chat room.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Chat {
    /// The chat server's host name, such as `irc.zeronode.net`.
    pub server: String,
    /// Such as `irc`, `xmpp`, `nostr` or `matrix`.
    pub protocol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The room, channel or topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space: Option<String>,
}

/// `podcast:socialInteract`: the root post of the comment thread about a show or an episode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SocialInteract {
    /// One of [`SOCIAL_PROTOCOLS`]; `disabled` asks apps to show no comments.
    pub protocol: String,
    /// The root post; required unless the protocol is `disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_url: Option<String>,
    /// Lower numbers are shown first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
}
