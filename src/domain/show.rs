//! Shows: what a podcaster writes about one, and what podpub keeps beside it.

mod input;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use self::input::{valid_language, ShowInput};
use super::{text_enum, ShowExtras};

text_enum! {
    /// `itunes:type`: episodes listed newest first, or in order.
    #[derive(Default)]
    pub enum ShowType {
        #[default]
        Episodic = "episodic",
        Serial = "serial",
    }
}

text_enum! {
    /// Where a show is in its life: publishing, moving out, moved out, or deleted.
    pub enum ShowStatus {
        Active = "active",
        Moving = "moving",
        Moved = "moved",
        Deleted = "deleted",
    }
}

text_enum! {
    /// How the show's feed stands against its latest revision.
    pub enum PublishState {
        UpToDate = "up_to_date",
        Pending = "pending",
        Failed = "failed",
        Conflict = "conflict",
    }
}

/// An Apple category, optionally with a subcategory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CategoryDoc)]
pub struct Category {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
}

/// A `podcast:funding` link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FundingDoc)]
pub struct Funding {
    pub url: String,
    #[serde(default)]
    pub label: String,
}

/// The fields a podcaster writes, once checked. Serialized for the edit history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShowFields {
    pub slug: String,
    pub title: String,
    /// The description as the feed carries it; HTML allowed.
    pub description: String,
    /// The Markdown `description` was made from, when it is written in Markdown.
    pub description_markdown: Option<String>,
    pub author: Option<String>,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    /// e.g. `en-us`
    pub language: String,
    pub categories: Vec<Category>,
    pub explicit: bool,
    pub show_type: ShowType,
    pub image_url: Option<String>,
    pub link: Option<String>,
    pub copyright: Option<String>,
    pub locked: bool,
    pub complete: bool,
    pub block: bool,
    pub funding: Vec<Funding>,
    pub extras: ShowExtras,
}

impl Default for ShowFields {
    /// No values yet: what a new show's input is applied to. The defaults are those of the
    /// `shows` table (`language` en, episodic).
    fn default() -> ShowFields {
        ShowFields {
            slug: String::new(),
            title: String::new(),
            description: String::new(),
            description_markdown: None,
            author: None,
            owner_name: None,
            owner_email: None,
            language: "en".into(),
            categories: Vec::new(),
            explicit: false,
            show_type: ShowType::Episodic,
            image_url: None,
            link: None,
            copyright: None,
            locked: false,
            complete: false,
            block: false,
            funding: Vec::new(),
            extras: ShowExtras::default(),
        }
    }
}

/// A stored show.
#[derive(Debug, Clone, PartialEq)]
pub struct Show {
    pub id: Uuid,
    pub fields: ShowFields,
    pub podcast_guid: Uuid,
    pub status: ShowStatus,
    /// During a move out: the show's new home, announced in `<itunes:new-feed-url>` ...
    pub new_feed_url: Option<String>,
    /// ... until this time, when the feed becomes a redirect stub to it.
    pub move_redirect_at: Option<DateTime<Utc>>,
    /// The last rename, which starts a grace period of `<itunes:new-feed-url>` to itself.
    pub renamed_at: Option<DateTime<Utc>>,
    pub revision: i64,
    pub published_revision: Option<i64>,
    pub publish_error: Option<String>,
    pub publish_conflict: bool,
    /// The key of the inputs of the last complete render (see `jobs::inputs`), and until when
    /// that render holds.
    pub rendered_inputs: Option<String>,
    pub rendered_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Show {
    /// How the feed stands: a conflict or a failed last attempt first, then whether the latest
    /// revision is published.
    pub fn publish_state(&self) -> PublishState {
        // A successful publish clears the error, so an error means the last attempt failed.
        if self.publish_conflict {
            PublishState::Conflict
        } else if self.publish_error.is_some() {
            PublishState::Failed
        } else if self.published_revision.is_some_and(|p| p >= self.revision) {
            PublishState::UpToDate
        } else {
            PublishState::Pending
        }
    }

    /// The status as of `now`: a move out's redirect is due at its time, whether or not a
    /// worker has got to it.
    pub fn status_at(&self, now: DateTime<Utc>) -> ShowStatus {
        let due = self.new_feed_url.is_some() && self.move_redirect_at.is_some_and(|at| at <= now);
        match self.status {
            ShowStatus::Moving if due => ShowStatus::Moved,
            status => status,
        }
    }

    pub fn is_deleted(&self) -> bool {
        self.status == ShowStatus::Deleted
    }
}
