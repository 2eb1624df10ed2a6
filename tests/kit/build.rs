//! Builders of the renderer's input: a [`FeedShow`] and its [`Episode`]s with only what a feed
//! needs set, and the rest through closures. A show with two episodes, one a draft:
//!
//! ```ignore
//! let feed = show("two").episode(episode(1)).episode(episode(2).draft()).feed();
//! let xml = feed.render(); // episode 1 only
//! ```

use chrono::{DateTime, Duration, TimeZone, Utc};
use podpub::{
    domain::{Episode, EpisodeFields, EpisodeStatus, ShowFields},
    feed::{guid::podcast_guid, model::FeedShow},
};

/// Where built shows' feeds are: `<FEED_BASE>/<slug>/feed.xml`.
pub const FEED_BASE: &str = "https://feeds.example.com";

/// `year-month-day hour:00:00` UTC.
pub fn utc(year: i32, month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, 0, 0).unwrap()
}

/// 2026-01-01 00:00 UTC: when a built show was last updated, and the day before episode 1.
pub fn epoch() -> DateTime<Utc> {
    utc(2026, 1, 1, 0)
}

/// A show, its episodes, and the time to render them at.
#[derive(Debug, Clone)]
pub struct Feed {
    pub show: FeedShow,
    pub episodes: Vec<Episode>,
    pub as_of: DateTime<Utc>,
}

impl Feed {
    pub fn render(&self) -> Vec<u8> {
        podpub::feed::render::render(&self.show, &self.episodes, self.as_of)
    }
}

/// A show at `<FEED_BASE>/<slug>/feed.xml`, titled `slug`, with its podcast GUID derived from that
/// URL as podpub does, and nothing else set.
pub fn show(slug: &str) -> ShowBuilder {
    let feed_url = format!("{FEED_BASE}/{slug}/feed.xml");
    ShowBuilder {
        show: FeedShow {
            fields: ShowFields {
                slug: slug.into(),
                title: slug.into(),
                ..ShowFields::default()
            },
            podcast_guid: podcast_guid(&feed_url),
            feed_url,
            updated_at: epoch(),
            ..FeedShow::default()
        },
        episodes: Vec::new(),
        as_of: None,
    }
}

pub struct ShowBuilder {
    show: FeedShow,
    episodes: Vec<Episode>,
    as_of: Option<DateTime<Utc>>,
}

impl ShowBuilder {
    pub fn title(mut self, title: &str) -> Self {
        self.show.fields.title = title.into();
        self
    }

    /// Another feed URL, and the podcast GUID derived from it.
    pub fn feed_url(mut self, url: &str) -> Self {
        self.show.feed_url = url.into();
        self.show.podcast_guid = podcast_guid(url);
        self
    }

    /// Sets what the podcaster writes.
    pub fn fields(mut self, f: impl FnOnce(&mut ShowFields)) -> Self {
        f(&mut self.show.fields);
        self
    }

    /// Sets what publishing adds (`new_feed_url`, `hubs`, `updated_at`…).
    pub fn with(mut self, f: impl FnOnce(&mut FeedShow)) -> Self {
        f(&mut self.show);
        self
    }

    pub fn episode(mut self, episode: impl Into<Episode>) -> Self {
        self.episodes.push(episode.into());
        self
    }

    pub fn episodes<E: Into<Episode>>(mut self, episodes: impl IntoIterator<Item = E>) -> Self {
        self.episodes.extend(episodes.into_iter().map(Into::into));
        self
    }

    /// When the feed is rendered; by default when the last episode has gone out.
    pub fn rendered_at(mut self, at: DateTime<Utc>) -> Self {
        self.as_of = Some(at);
        self
    }

    pub fn build(self) -> FeedShow {
        self.show
    }

    pub fn feed(self) -> Feed {
        let last = self.episodes.iter().map(|e| e.fields.publish_at).max();
        Feed {
            as_of: self
                .as_of
                .unwrap_or_else(|| last.unwrap_or(self.show.updated_at)),
            show: self.show,
            episodes: self.episodes,
        }
    }
}

/// Episode `n`: GUID `n`, titled `Episode n`, an MP3 enclosure at
/// `https://cdn.example.com/<n>.mp3`, published `n` days after [`epoch`].
pub fn episode(n: u32) -> EpisodeBuilder {
    let at = epoch() + Duration::days(n.into());
    EpisodeBuilder(Episode {
        fields: EpisodeFields {
            guid: n.to_string(),
            title: format!("Episode {n}"),
            enclosure_url: format!("https://cdn.example.com/{n}.mp3"),
            enclosure_length: 1_000_000,
            enclosure_type: "audio/mpeg".into(),
            publish_at: at,
            ..EpisodeFields::default()
        },
        updated_at: at,
        ..Episode::default()
    })
}

pub struct EpisodeBuilder(Episode);

impl EpisodeBuilder {
    pub fn title(mut self, title: &str) -> Self {
        self.0.fields.title = title.into();
        self
    }

    pub fn guid(mut self, guid: &str) -> Self {
        self.0.fields.guid = guid.into();
        self
    }

    /// Published at `at` (and last updated then).
    pub fn at(mut self, at: DateTime<Utc>) -> Self {
        self.0.fields.publish_at = at;
        self.0.updated_at = at;
        self
    }

    pub fn updated_at(mut self, at: DateTime<Utc>) -> Self {
        self.0.updated_at = at;
        self
    }

    pub fn draft(mut self) -> Self {
        self.0.fields.status = EpisodeStatus::Draft;
        self
    }

    /// Sets what the podcaster writes.
    pub fn fields(mut self, f: impl FnOnce(&mut EpisodeFields)) -> Self {
        f(&mut self.0.fields);
        self
    }

    pub fn build(self) -> Episode {
        self.0
    }
}

impl From<EpisodeBuilder> for Episode {
    fn from(b: EpisodeBuilder) -> Episode {
        b.0
    }
}
