//! Episodes: what a podcaster writes about one, and when it is in the feed.

mod input;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use self::input::{in_database_range, Enclosure, EpisodeInput};
use super::{text_enum, EpisodeExtras};

text_enum! {
    /// `episode_type`.
    #[derive(Default)]
    pub enum EpisodeType {
        #[default]
        Full = "full",
        Trailer = "trailer",
        Bonus = "bonus",
    }
}

text_enum! {
    /// An episode's stored `status`; `state` adds `scheduled` for one published in the future.
    #[derive(Default)]
    pub enum EpisodeStatus {
        Draft = "draft",
        #[default]
        Published = "published",
    }
}

text_enum! {
    /// Where an episode stands at a moment: a draft, scheduled for later, or in the feed.
    pub enum EpisodeState {
        Draft = "draft",
        Scheduled = "scheduled",
        Published = "published",
    }
}

/// The fields a podcaster writes, once checked. Serialized for the edit history.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct EpisodeFields {
    /// Never changes once set.
    pub guid: String,
    pub title: String,
    /// The notes as the feed carries them; HTML allowed.
    pub description: String,
    /// The Markdown `description` was made from, when the notes are written in Markdown.
    pub description_markdown: Option<String>,
    pub enclosure_url: String,
    pub enclosure_length: i64,
    pub enclosure_type: String,
    pub duration_seconds: Option<i32>,
    pub season: Option<i32>,
    pub episode: Option<i32>,
    pub episode_type: EpisodeType,
    pub explicit: Option<bool>,
    pub image_url: Option<String>,
    pub transcript_url: Option<String>,
    pub transcript_type: Option<String>,
    pub chapters_url: Option<String>,
    pub status: EpisodeStatus,
    pub publish_at: DateTime<Utc>,
    pub extras: EpisodeExtras,
}

impl EpisodeFields {
    /// No values yet, published at `now` unless the input says otherwise: what a new
    /// episode's input is applied to.
    pub fn new_at(now: DateTime<Utc>) -> EpisodeFields {
        EpisodeFields {
            publish_at: now,
            ..EpisodeFields::default()
        }
    }
}

/// A stored episode.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Episode {
    pub id: Uuid,
    pub show_id: Uuid,
    pub fields: EpisodeFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Episode {
    /// Where the episode stands at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> EpisodeState {
        match self.fields.status {
            EpisodeStatus::Draft => EpisodeState::Draft,
            EpisodeStatus::Published if self.fields.publish_at > now => EpisodeState::Scheduled,
            EpisodeStatus::Published => EpisodeState::Published,
        }
    }

    /// Whether the episode is in the feed at `as_of`: not a draft, and its time has come.
    pub fn included(&self, as_of: DateTime<Utc>) -> bool {
        self.fields.status == EpisodeStatus::Published && self.fields.publish_at <= as_of
    }
}

/// The next time one of `episodes` (a show's) goes live after `as_of`: the earliest future
/// `publish_at` of a published episode.
pub fn next_release_among(episodes: &[Episode], as_of: DateTime<Utc>) -> Option<DateTime<Utc>> {
    episodes
        .iter()
        .filter(|e| e.fields.status == EpisodeStatus::Published && e.fields.publish_at > as_of)
        .map(|e| e.fields.publish_at)
        .min()
}
