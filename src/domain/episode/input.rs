//! What a podcaster sends to create or change an episode, and its checks.

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{EpisodeFields, EpisodeStatus, EpisodeType};
use crate::domain::check::{merge, nullable, Checker, Choice, FieldErrors};
use crate::domain::limits;
use crate::domain::notes;
use crate::domain::{
    check_episode_extras, AlternateEnclosure, Chat, EpisodeExtras, License, Location, Person,
    SocialInteract, Txt,
};
use crate::domain::{ContentLink, Funding, PodcastImage, Soundbite, Transcript};

/// The media file of an episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Enclosure {
    pub url: String,
    pub length: i64,
    #[serde(rename = "type")]
    pub mime_type: String,
}

/// The writable fields; on PATCH any subset, and `null` clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EpisodeInput {
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub description: Option<Option<String>>,
    /// Notes written in Markdown: `description` becomes their HTML, converted and sanitized
    /// (a `description` sent beside it is ignored); `null` keeps the HTML and drops the source.
    #[serde(default, deserialize_with = "nullable")]
    pub description_markdown: Option<Option<String>>,
    pub guid: Option<String>,
    pub enclosure: Option<Enclosure>,
    #[serde(default, deserialize_with = "nullable")]
    pub duration_seconds: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub season: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub episode: Option<Option<i64>>,
    #[schema(value_type = Option<EpisodeType>)]
    pub episode_type: Option<Choice<EpisodeType>>,
    #[serde(default, deserialize_with = "nullable")]
    pub explicit: Option<Option<bool>>,
    #[serde(default, deserialize_with = "nullable")]
    pub image_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub transcript_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub transcript_type: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub chapters_url: Option<Option<String>>,
    pub publish_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<EpisodeStatus>)]
    pub status: Option<Choice<EpisodeStatus>>,
    pub persons: Option<Vec<Person>>,
    #[serde(default, deserialize_with = "nullable")]
    pub location: Option<Option<Location>>,
    /// Further locations, after `location`.
    pub locations: Option<Vec<Location>>,
    #[serde(default, deserialize_with = "nullable")]
    pub license: Option<Option<License>>,
    pub txt: Option<Vec<Txt>>,
    pub alternate_enclosures: Option<Vec<AlternateEnclosure>>,
    // value
    pub value: Option<Vec<crate::domain::Value>>,
    // items group
    pub soundbites: Option<Vec<Soundbite>>,
    pub content_links: Option<Vec<ContentLink>>,
    pub transcripts: Option<Vec<Transcript>>,
    pub funding: Option<Vec<Funding>>,
    #[serde(default, deserialize_with = "nullable")]
    pub season_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub episode_display: Option<Option<String>>,
    /// `podcast:episode` when it is not whole, such as 100.5.
    #[serde(default, deserialize_with = "nullable")]
    pub episode_number: Option<Option<f64>>,
    pub images: Option<Vec<PodcastImage>>,
    // Listing: socialInteract, Apple, chat.
    pub social_interact: Option<Vec<SocialInteract>>,
    pub itunes_block: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub chat: Option<Option<Chat>>,
}

impl EpisodeInput {
    /// The fields a new episode needs, as field errors.
    pub fn check_required(&self) -> Result<(), FieldErrors> {
        let mut c = Checker::default();
        if self.title.is_none() {
            c.error("title", "is required");
        }
        if self.enclosure.is_none() {
            c.error("enclosure", "is required");
        }
        c.finish()
    }

    /// Applies this input over `base` and checks the result, at `now`. A new episode (empty
    /// guid) gets a random guid unless it brings its own. A draft that is published without a
    /// time is dated `now`, not when it was drafted, unless its date is still ahead (then it is
    /// scheduled for that date).
    pub fn apply(
        self,
        base: EpisodeFields,
        now: DateTime<Utc>,
    ) -> Result<EpisodeFields, FieldErrors> {
        let mut c = Checker::default();
        let (description, description_markdown) = notes::apply(
            &mut c,
            self.description,
            self.description_markdown,
            &base.description,
            base.description_markdown.as_deref(),
        );
        let guid = match self.guid {
            Some(guid) if !base.guid.is_empty() && guid != base.guid => {
                c.error("guid", "never changes once set");
                base.guid
            }
            Some(guid) => c.text("guid", &guid, limits::NAME),
            None if base.guid.is_empty() => Uuid::new_v4().to_string(),
            None => base.guid,
        };
        let enclosure = self.enclosure.unwrap_or(Enclosure {
            url: base.enclosure_url,
            length: base.enclosure_length,
            mime_type: base.enclosure_type,
        });
        let mime_type = c.media_type("enclosure.type", &enclosure.mime_type);
        let small = |c: &mut Checker, field: &str, v: Option<i64>, max: i64| {
            v.map(|v| c.number(field, v, 0..=max) as i32)
        };
        let duration = merge(self.duration_seconds, base.duration_seconds.map(i64::from));
        let season = merge(self.season, base.season.map(i64::from));
        let episode = merge(self.episode, base.episode.map(i64::from));
        let old = base.extras;
        let extras = EpisodeExtras {
            persons: self.persons.unwrap_or(old.persons),
            location: merge(self.location, old.location),
            locations: self.locations.unwrap_or(old.locations),
            license: merge(self.license, old.license),
            txt: self.txt.unwrap_or(old.txt),
            alternate_enclosures: self
                .alternate_enclosures
                .unwrap_or(old.alternate_enclosures),
            value: self.value.unwrap_or(old.value),
            soundbites: self.soundbites.unwrap_or(old.soundbites),
            content_links: self.content_links.unwrap_or(old.content_links),
            transcripts: self.transcripts.unwrap_or(old.transcripts),
            funding: self.funding.unwrap_or(old.funding),
            season_name: merge(self.season_name, old.season_name),
            episode_display: merge(self.episode_display, old.episode_display),
            episode_number: merge(self.episode_number, old.episode_number),
            images: self.images.unwrap_or(old.images),
            social_interact: self.social_interact.unwrap_or(old.social_interact),
            itunes_block: self.itunes_block.unwrap_or(old.itunes_block),
            chat: merge(self.chat, old.chat),
        };
        let extras = check_episode_extras(&mut c, extras);
        let episode_type = match self.episode_type {
            Some(choice) => c.choice("episode_type", &choice),
            None => Some(base.episode_type),
        };
        let status = match self.status {
            Some(choice) => c.choice("status", &choice),
            None => Some(base.status),
        };
        let fields = EpisodeFields {
            title: c.text("title", &self.title.unwrap_or(base.title), limits::TITLE),
            description,
            description_markdown,
            enclosure_url: c.url("enclosure.url", &enclosure.url),
            enclosure_length: c.number("enclosure.length", enclosure.length, 0..=(1 << 50)),
            enclosure_type: mime_type,
            duration_seconds: small(&mut c, "duration_seconds", duration, 100 * 24 * 3600),
            season: small(&mut c, "season", season, 1_000_000),
            episode: small(&mut c, "episode", episode, 1_000_000),
            episode_type: episode_type.unwrap_or(base.episode_type),
            explicit: merge(self.explicit, base.explicit),
            image_url: c.opt_url(
                "image_url",
                merge(self.image_url, base.image_url).as_deref(),
            ),
            transcript_url: c.opt_url(
                "transcript_url",
                merge(self.transcript_url, base.transcript_url).as_deref(),
            ),
            transcript_type: c.opt_text(
                "transcript_type",
                merge(self.transcript_type, base.transcript_type).as_deref(),
                limits::TRANSCRIPT_TYPE,
            ),
            chapters_url: c.opt_url(
                "chapters_url",
                merge(self.chapters_url, base.chapters_url).as_deref(),
            ),
            publish_at: match self.publish_at {
                Some(at) => at,
                None if base.status == EpisodeStatus::Draft
                    && status == Some(EpisodeStatus::Published) =>
                {
                    base.publish_at.max(now)
                }
                None => base.publish_at,
            },
            status: status.unwrap_or(base.status),
            guid,
            extras,
        };
        if fields.extras.season_name.is_some() && fields.season.is_none() {
            c.error("season_name", "needs a season number (season)");
        }
        if !in_database_range(fields.publish_at) {
            c.error("publish_at", "must be between the years 1900 and 9999");
        }
        c.finish()?;
        Ok(fields)
    }
}

/// Years Postgres stores and podcast apps make sense of.
pub fn in_database_range(at: DateTime<Utc>) -> bool {
    (1900..=9999).contains(&at.year())
}
