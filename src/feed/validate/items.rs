//! Warnings about the items group's tags: soundbites against the episode's length, and the URLs
//! of content links, transcripts, funding and images.

use super::{code, Out};
use crate::domain::EpisodeFields;

/// The soundbite length the spec recommends, in seconds.
const SOUNDBITE_SECONDS: std::ops::RangeInclusive<f64> = 15.0..=120.0;

/// Soundbites that end after the episode does, or are shorter or longer than recommended.
pub(super) fn episode_warnings(e: &EpisodeFields, out: &mut Out) {
    for s in &e.extras.soundbites {
        let end = s.start_time + s.duration;
        let past_end = e.duration_seconds.is_some_and(|d| end > f64::from(d));
        out.add_if(past_end, code::SOUNDBITE_PAST_END, || {
            format!(
                "Move or shorten the soundbite at {}s: it ends at {end}s, after the episode's {}s.",
                s.start_time,
                e.duration_seconds.unwrap_or_default()
            )
        });
        out.add_if(
            !SOUNDBITE_SECONDS.contains(&s.duration),
            code::SOUNDBITE_LENGTH,
            || {
                format!(
                    "Make the soundbite at {}s 15 to 120 seconds long, as the Podcasting 2.0 spec \
                     recommends: it is {}s.",
                    s.start_time, s.duration
                )
            },
        );
    }
}

/// The URLs apps follow from the group's tags of an episode, for the https check.
pub(super) fn urls(e: &EpisodeFields) -> Vec<(&'static str, &str)> {
    let x = &e.extras;
    let mut urls: Vec<(&'static str, &str)> = Vec::new();
    urls.extend(
        x.transcripts
            .iter()
            .map(|t| ("podcast:transcript", &*t.url)),
    );
    urls.extend(
        x.content_links
            .iter()
            .map(|l| ("podcast:contentLink", &*l.href)),
    );
    urls.extend(x.funding.iter().map(|f| ("podcast:funding", &*f.url)));
    urls.extend(x.images.iter().map(|i| ("podcast:image", &*i.href)));
    urls
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::domain::{Episode, EpisodeFields, Soundbite};
    use crate::feed::model::FeedShow;
    use crate::feed::validate::{code, warnings};

    fn episode(duration: Option<i32>, soundbites: Vec<Soundbite>) -> Episode {
        let mut fields = EpisodeFields {
            guid: "g1".into(),
            title: "E".into(),
            enclosure_url: "https://cdn.example.com/1.mp3".into(),
            enclosure_length: 1,
            enclosure_type: "audio/mpeg".into(),
            duration_seconds: duration,
            publish_at: Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap(),
            ..EpisodeFields::default()
        };
        fields.extras.soundbites = soundbites;
        Episode {
            fields,
            ..Episode::default()
        }
    }

    fn bite(start_time: f64, duration: f64) -> Soundbite {
        Soundbite {
            start_time,
            duration,
            title: None,
        }
    }

    fn count(e: Episode, code: &str) -> usize {
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
        let ws = warnings(&FeedShow::default(), &[e], now);
        ws.iter().filter(|w| w.code == code).count()
    }

    #[test]
    fn a_soundbite_past_the_end_of_the_episode_is_warned_about() {
        let past = vec![bite(10.0, 30.0), bite(590.0, 30.0), bite(700.0, 20.0)];
        assert_eq!(count(episode(Some(600), past), code::SOUNDBITE_PAST_END), 2);
        let within = vec![bite(570.0, 30.0)];
        assert_eq!(
            count(episode(Some(600), within), code::SOUNDBITE_PAST_END),
            0
        );
        let unknown = vec![bite(5000.0, 30.0)];
        assert_eq!(count(episode(None, unknown), code::SOUNDBITE_PAST_END), 0);
    }

    #[test]
    fn a_soundbite_outside_15_to_120_seconds_is_warned_about() {
        let bites = vec![
            bite(0.0, 14.5),
            bite(0.0, 15.0),
            bite(0.0, 120.0),
            bite(0.0, 121.0),
        ];
        assert_eq!(count(episode(Some(600), bites), code::SOUNDBITE_LENGTH), 2);
    }
}
