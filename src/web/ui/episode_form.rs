//! The episode form: what it shows of a stored episode, and what a browser sends back, as the
//! use case's input. Only what the podcaster changed goes into the input, so a save never
//! rewrites a field they did not touch (a publish time's seconds, an imported URL's spelling,
//! the line ends of the notes).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::notes::{self, unix_lines};
use super::{form::Fields, time};
use crate::domain::{Choice, Enclosure, Episode, EpisodeInput, EpisodeStatus};

/// The form's fields for a stored episode, as they are shown.
pub fn fields_of(e: &Episode, tz: Tz) -> Fields {
    let x = &e.fields;
    let mut f = Fields::default();
    f.set("title", x.title.clone());
    notes::set_fields(&mut f, &x.description, x.description_markdown.as_deref());
    f.set("enclosure_url", x.enclosure_url.clone());
    f.set("enclosure_length", x.enclosure_length.to_string());
    f.set("enclosure_type", x.enclosure_type.clone());
    f.set_opt(
        "duration",
        x.duration_seconds.map(|d| time::duration(d.into())),
    );
    f.set_opt("season", x.season);
    f.set_opt("episode", x.episode);
    f.set("episode_type", x.episode_type.as_str());
    f.set(
        "explicit",
        match x.explicit {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        },
    );
    f.set_opt("image_url", x.image_url.as_ref());
    f.set_opt("transcript_url", x.transcript_url.as_ref());
    f.set_opt("transcript_type", x.transcript_type.as_ref());
    f.set_opt("chapters_url", x.chapters_url.as_ref());
    f.set("publish_at", time::input_value(x.publish_at, tz));
    f.set("status", x.status.as_str());
    f.set("guid", x.guid.clone());
    f
}

/// What the form's submit button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Keep the episode out of the feed.
    Draft,
    /// Into the feed at once, dated now.
    Publish,
    /// Into the feed at the time given, which must be ahead.
    Schedule,
    /// Save the changes and keep the state (a new episode without a status is a draft).
    Save,
    /// Only show the notes as apps will.
    Preview,
}

impl Action {
    fn of(raw: &str) -> Action {
        match raw {
            "draft" => Action::Draft,
            "publish" => Action::Publish,
            "schedule" => Action::Schedule,
            "preview" => Action::Preview,
            _ => Action::Save,
        }
    }
}

/// The episode form: what a browser sends, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EpisodeForm {
    title: String,
    description: String,
    /// `html` (also when absent) or `markdown`: how `description` is written.
    notes_format: String,
    enclosure_url: String,
    enclosure_length: String,
    enclosure_type: String,
    duration: String,
    season: String,
    episode: String,
    episode_type: String,
    explicit: String,
    image_url: String,
    transcript_url: String,
    transcript_type: String,
    chapters_url: String,
    publish_at: String,
    /// Only read by `save`: the other actions say the state themselves.
    status: String,
    action: String,
}

impl EpisodeForm {
    pub fn action(&self) -> Action {
        Action::of(&self.action)
    }

    /// The form as the use case's input, with the errors of what does not even parse.
    /// `stored` is what the form showed of the episode being edited (none for a new one): a
    /// field sent back as it was shown is left out of the input, and so stays as stored.
    pub fn into_input(
        self,
        f: &mut Fields,
        tz: Tz,
        stored: Option<&Fields>,
        now: DateTime<Utc>,
    ) -> EpisodeInput {
        let action = self.action();
        let same = |name: &str, value: &str| {
            stored.is_some_and(|s| unix_lines(s.v(name)) == unix_lines(value))
        };
        let text = |name: &str, value: String| (!same(name, &value)).then_some(value);
        let optional = |name: &str, value: String| text(name, value).map(Some);
        let number = |f: &mut Fields, name: &str, raw: &str| -> Option<Option<i64>> {
            if same(name, raw) {
                return None;
            }
            let raw = raw.trim();
            if raw.is_empty() {
                return Some(None);
            }
            match raw.parse::<i64>() {
                Ok(n) => Some(Some(n)),
                Err(_) => {
                    f.error(name, "must be a whole number");
                    Some(None)
                }
            }
        };
        let (status, publish_at) = self.publishing(f, tz, stored, now, action);
        let (description, description_markdown) =
            notes::typed(f, &self.notes_format, &self.description, stored);
        let season = number(f, "season", &self.season);
        let episode = number(f, "episode", &self.episode);
        let enclosure_same = same("enclosure_url", &self.enclosure_url)
            && same("enclosure_length", &self.enclosure_length)
            && same("enclosure_type", &self.enclosure_type);
        let enclosure = if enclosure_same {
            None
        } else {
            let length = self.enclosure_length.trim();
            let length = if length.is_empty() {
                0
            } else {
                length.parse::<i64>().unwrap_or_else(|_| {
                    f.error("enclosure_length", "must be a whole number");
                    0
                })
            };
            Some(Enclosure {
                url: self.enclosure_url.trim().to_string(),
                length,
                mime_type: self.enclosure_type,
            })
        };
        let duration = if same("duration", &self.duration) {
            None
        } else {
            match time::parse_duration(&self.duration) {
                Ok(d) => Some(d),
                Err(e) => {
                    f.error("duration", e);
                    None
                }
            }
        };
        EpisodeInput {
            title: text("title", self.title),
            description,
            description_markdown,
            enclosure,
            duration_seconds: duration,
            season,
            episode,
            episode_type: text("episode_type", self.episode_type).map(|t| Choice::parse(&t)),
            explicit: text("explicit", self.explicit).map(|e| match e.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            }),
            image_url: optional("image_url", self.image_url),
            transcript_url: optional("transcript_url", self.transcript_url),
            transcript_type: optional("transcript_type", self.transcript_type),
            chapters_url: optional("chapters_url", self.chapters_url),
            publish_at,
            status,
            ..EpisodeInput::default()
        }
    }

    /// The status and publish time the action asks for.
    fn publishing(
        &self,
        f: &mut Fields,
        tz: Tz,
        stored: Option<&Fields>,
        now: DateTime<Utc>,
        action: Action,
    ) -> (Option<Choice<EpisodeStatus>>, Option<DateTime<Utc>>) {
        let raw = self.publish_at.trim();
        let untouched = stored.is_some_and(|s| s.v("publish_at") == raw);
        let typed = |f: &mut Fields| -> Option<DateTime<Utc>> {
            if raw.is_empty() || untouched {
                return None;
            }
            time::parse_input(raw, tz)
                .map_err(|e| f.error("publish_at", e))
                .ok()
        };
        let status = |s: EpisodeStatus| Some(Choice(Ok(s)));
        match action {
            Action::Publish => (status(EpisodeStatus::Published), Some(now)),
            Action::Draft => (status(EpisodeStatus::Draft), typed(f)),
            Action::Schedule => {
                let at = match time::parse_input(raw, tz) {
                    _ if raw.is_empty() => {
                        f.error("publish_at", "is required to schedule the episode");
                        None
                    }
                    Ok(at) if at <= now => {
                        f.error(
                            "publish_at",
                            "must be ahead to schedule the episode (Publish now publishes it at once)",
                        );
                        None
                    }
                    Ok(at) => Some(at),
                    Err(e) => {
                        f.error("publish_at", e);
                        None
                    }
                };
                (status(EpisodeStatus::Published), at)
            }
            Action::Save | Action::Preview => {
                if stored.is_some() && raw.is_empty() {
                    f.error("publish_at", "is required");
                }
                let status = match self.status.trim() {
                    "" if stored.is_none() => status(EpisodeStatus::Draft),
                    "" => None,
                    s if stored.is_some_and(|st| st.v("status") == s) => None,
                    s => Some(Choice::parse(s)),
                };
                (status, typed(f))
            }
        }
    }
}

/// The form's name for a field the use case names.
pub fn field_name(api: &str) -> String {
    match api {
        "duration_seconds" => "duration".into(),
        "enclosure" => "enclosure_url".into(),
        "description_markdown" => "description".into(),
        other => other.replace('.', "_"),
    }
}
