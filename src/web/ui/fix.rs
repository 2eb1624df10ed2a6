//! Where each validation warning is fixed: the page (the show's settings or Podcasting 2.0
//! page, the episode's form or its Podcasting 2.0 page, the move page) and the field's anchor
//! (`#f-<field>`) on it.

use uuid::Uuid;

use crate::app::feed_state::WarningView;
use crate::domain::{Show, ShowExtras};

/// A page a warning is fixed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixPage {
    Settings,
    Podcasting,
    Move,
    NewEpisode,
    Episode,
    EpisodePodcasting,
    /// The form of the show's `n`th live stream (from 0).
    Live(usize),
    /// The list of live streams, when the stream is not found.
    LiveList,
}

/// What a warning is about, beyond its code.
pub struct Subject<'a> {
    /// The show's details, and whether it is moving out.
    pub show: (&'a ShowExtras, bool),
    pub episode: Option<Uuid>,
    pub message: &'a str,
    /// The episode's main transcript URL, for a transcript warning (it may be a further one).
    pub main_transcript: Option<&'a str>,
}

/// The tag and the URL of a `podcast_tag_not_https` warning's message.
pub fn not_https(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("Use an https URL in ")?;
    let (tag, rest) = rest.split_once(": \"")?;
    let (url, _) = rest.rsplit_once("\" is not https")?;
    Some((tag, url))
}

/// The value block (and time split) a value warning names, as the form's anchor.
fn value_anchor(message: &str) -> String {
    let number = |after: &str| -> Option<usize> {
        let rest = &message[message.find(after)? + after.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<usize>().ok()?.checked_sub(1)
    };
    match (number("value block "), number("time split ")) {
        (Some(b), Some(j)) => format!("value_{b}_splits_{j}"),
        (Some(b), None) => format!("value_{b}"),
        _ => "value".into(),
    }
}

/// The page and field that fix a warning, or `None` for a code this table does not know.
pub fn target(code: &str, s: &Subject) -> Option<(FixPage, String)> {
    use FixPage::*;
    let on_episode = s.episode.is_some();
    let podcasting = if on_episode {
        EpisodePodcasting
    } else {
        Podcasting
    };
    let field = |page: FixPage, f: &str| Some((page, f.to_string()));
    match code {
        "artwork_missing" | "artwork_size" | "artwork_not_rgb" => field(Settings, "image_url"),
        "category_missing" | "category_unknown" => field(Settings, "category_0"),
        "author_missing" => field(Settings, "author"),
        "owner_email_missing" => field(Settings, "owner_email"),
        "description_too_long" if on_episode => field(Episode, "description"),
        "description_too_long" => field(Settings, "description"),
        "title_too_long" if on_episode => field(Episode, "title"),
        "title_too_long" => field(Settings, "title"),
        "enclosure_type_rejected" => field(Episode, "enclosure_type"),
        "enclosure_length_missing" => field(Episode, "enclosure_length"),
        "duplicate_enclosure_url" => field(Episode, "enclosure_url"),
        "duplicate_guid" => field(Episode, "title"),
        "serial_without_episode_numbers" => field(Episode, "episode"),
        "empty_show" => field(NewEpisode, "title"),
        "value_splits_zero" | "value_recipient_no_address" | "value_time_split_past_end" => {
            Some((podcasting, value_anchor(s.message)))
        }
        "soundbite_past_end" | "soundbite_length" => field(EpisodePodcasting, "soundbites"),
        "list_without_items" => field(Podcasting, "remote_items"),
        "list_with_episodes" => field(Podcasting, "medium"),
        "social_protocol_unknown" | "social_priority_missing" => {
            field(podcasting, "social_interact")
        }
        "publisher_feed_url_missing" => field(Podcasting, "publisher_feed_url"),
        "live_item_start_missing" => live(s, "start"),
        "live_item_end_missing" => live(s, "end"),
        "live_item_content_link_missing" => live(s, "content_links"),
        "live_item_enclosure_missing" => live(s, "enclosure_url"),
        "live_item_overdue" => live(s, "status"),
        "podcast_tag_not_https" => {
            let (tag, url) = not_https(s.message)?;
            https_target(tag, url, s)
        }
        _ => None,
    }
}

/// The field of the live stream a live warning names (in quotes, by its title).
fn live(s: &Subject, field: &str) -> Option<(FixPage, String)> {
    let items = &s.show.0.live_items;
    let n = items
        .iter()
        .position(|l| s.message.contains(&format!("\"{}\"", l.title)));
    let page = n.map_or(FixPage::LiveList, FixPage::Live);
    Some((page, field.to_string()))
}

/// The live stream that has `url` (its stream, page, content links or alternate sources).
fn live_with_url(s: &Subject, url: &str) -> Option<usize> {
    s.show.0.live_items.iter().position(|l| {
        let x = &l.extras;
        l.enclosure.as_ref().is_some_and(|e| e.url.trim() == url)
            || l.link.as_deref().map(str::trim) == Some(url)
            || x.content_links.iter().any(|c| c.href.trim() == url)
            || x.alternate_enclosures
                .iter()
                .any(|a| a.sources.iter().any(|u| u.trim() == url))
    })
}

/// Where the URL of `tag` is typed, for a warning that it is not https.
fn https_target(tag: &str, url: &str, s: &Subject) -> Option<(FixPage, String)> {
    use FixPage::*;
    let on_episode = s.episode.is_some();
    let podcasting = if on_episode {
        EpisodePodcasting
    } else {
        Podcasting
    };
    let field = |page: FixPage, f: &str| Some((page, f.to_string()));
    if !on_episode {
        if let Some(n) = live_with_url(s, url) {
            let f = match tag {
                "podcast:liveItem enclosure" => "enclosure_url",
                "podcast:liveItem link" => "link",
                "podcast:contentLink" => "content_links",
                "podcast:alternateEnclosure source" => "alternate_enclosures",
                _ => "title",
            };
            return field(Live(n), f);
        }
    }
    if tag == "the analytics prefix" {
        return field(Settings, "analytics_prefix");
    }
    let tag = tag.split(' ').next().unwrap_or(tag);
    match tag {
        "podcast:liveItem" => field(LiveList, "live"),
        // A move out's new home is fixed by undoing the move; a rename's is the feed itself.
        "itunes:new-feed-url" if s.show.1 => field(Move, "moving"),
        "itunes:new-feed-url" => field(Move, "new_slug"),
        "podcast:funding" if on_episode => field(EpisodePodcasting, "funding"),
        "podcast:funding" => field(Settings, "funding_0_url"),
        "podcast:person" => field(podcasting, "persons"),
        "podcast:license" => field(podcasting, "license_url"),
        "podcast:image" => field(podcasting, "images"),
        "podcast:socialInteract" => field(podcasting, "social_interact"),
        "podcast:trailer" => field(Podcasting, "trailers"),
        "podcast:publisher" => field(Podcasting, "publisher_feed_url"),
        "podcast:chapters" => field(Episode, "chapters_url"),
        "podcast:contentLink" => field(EpisodePodcasting, "content_links"),
        "podcast:alternateEnclosure" => field(EpisodePodcasting, "alternate_enclosures"),
        "podcast:transcript" if s.main_transcript == Some(url) => field(Episode, "transcript_url"),
        "podcast:transcript" => field(EpisodePodcasting, "transcripts"),
        // A podroll entry, a list feed's entry, or a value time split's remote item.
        "podcast:remoteItem" if on_episode => field(EpisodePodcasting, "value"),
        "podcast:remoteItem" => {
            let x = s.show.0;
            let is = |u: &Option<String>| u.as_deref().map(str::trim) == Some(url);
            if x.podroll.iter().any(|r| is(&r.feed_url)) {
                field(Podcasting, "podroll")
            } else if x.remote_items.iter().any(|r| is(&r.feed_url)) {
                field(Podcasting, "remote_items")
            } else {
                field(Podcasting, "value")
            }
        }
        _ => None,
    }
}

/// The link that fixes a warning of show `slug`.
pub fn link(show: &Show, w: &WarningView, main_transcript: Option<&str>) -> String {
    let slug = &show.fields.slug;
    let subject = Subject {
        show: (&show.fields.extras, show.new_feed_url.is_some()),
        episode: w.episode_id,
        message: &w.message,
        main_transcript,
    };
    let episode = |rest: &str| match w.episode_id {
        Some(id) => format!("/shows/{slug}/episodes/{id}{rest}"),
        None => format!("/shows/{slug}/episodes"),
    };
    let Some((page, field)) = target(w.code, &subject) else {
        return match w.episode_id {
            Some(_) => episode("#f-title"),
            None => format!("/shows/{slug}/edit#f-title"),
        };
    };
    let anchor = format!("#f-{field}");
    match page {
        FixPage::Settings => format!("/shows/{slug}/edit{anchor}"),
        FixPage::Podcasting => format!("/shows/{slug}/podcasting{anchor}"),
        FixPage::Move => format!("/shows/{slug}/move{anchor}"),
        FixPage::NewEpisode => format!("/shows/{slug}/episodes/new{anchor}"),
        FixPage::Episode => episode(&anchor),
        FixPage::EpisodePodcasting => episode(&format!("/podcasting{anchor}")),
        FixPage::Live(n) => format!("/shows/{slug}/live/{n}{anchor}"),
        FixPage::LiveList => format!("/shows/{slug}/live"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every warning code the validator declares (`pub const NAME: &str = "code";` in
    /// src/feed/validate.rs and src/feed/validate/), read from the source so that a new code
    /// fails here until it has a field to link to.
    fn codes_and_tags() -> (Vec<String>, Vec<String>) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/feed");
        let mut files = vec![root.join("validate.rs")];
        for entry in std::fs::read_dir(root.join("validate")).unwrap() {
            files.push(entry.unwrap().path());
        }
        let (mut codes, mut tags) = (Vec::new(), Vec::new());
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for line in text.lines().map(str::trim) {
                if let Some(rest) = line.strip_prefix("pub const ") {
                    if let Some((_, code)) = rest.split_once(": &str = \"") {
                        codes.push(code.trim_end_matches("\";").to_string());
                    }
                }
                for prefix in ["(\"podcast:", "(\"itunes:new-feed-url"] {
                    let mut rest = line;
                    while let Some(at) = rest.find(prefix) {
                        let tag = &rest[at + 2..];
                        let end = tag.find('"').unwrap_or(tag.len());
                        tags.push(tag[..end].to_string());
                        rest = &tag[end..];
                    }
                }
            }
        }
        codes.sort();
        codes.dedup();
        tags.sort();
        tags.dedup();
        (codes, tags)
    }

    #[test]
    fn every_warning_code_links_to_a_field() {
        let (codes, tags) = codes_and_tags();
        assert!(codes.len() >= 25, "{codes:?}");
        assert!(codes.contains(&"value_splits_zero".to_string()));
        let x = ShowExtras::default();
        for episode in [None, Some(Uuid::nil())] {
            for code in &codes {
                let messages: Vec<String> = if code == "podcast_tag_not_https" {
                    tags.iter()
                        .map(|t| format!("Use an https URL in {t}: \"http://x.example/a\" is not https, and apps may refuse it."))
                        .collect()
                } else {
                    vec![String::new()]
                };
                for message in messages {
                    let s = Subject {
                        show: (&x, false),
                        episode,
                        message: &message,
                        main_transcript: None,
                    };
                    assert!(
                        target(code, &s).is_some(),
                        "{code} {message:?} (episode: {episode:?})"
                    );
                }
            }
        }
        assert!(
            tags.contains(&"podcast:alternateEnclosure source".to_string()),
            "{tags:?}"
        );
    }

    #[test]
    fn value_warnings_link_to_their_block_and_time_split() {
        let x = ShowExtras::default();
        let s = |message| Subject {
            show: (&x, false),
            episode: Some(Uuid::nil()),
            message,
            main_transcript: None,
        };
        let at = |m| target("value_time_split_past_end", &s(m)).unwrap();
        assert_eq!(
            at("Move or shorten value block 2, time split 3: it runs to 700 s"),
            (FixPage::EpisodePodcasting, "value_1_splits_2".to_string())
        );
        assert_eq!(
            target(
                "value_splits_zero",
                &s("Give the recipients of value block 1 some shares")
            )
            .unwrap()
            .1,
            "value_0"
        );
        let transcript = "Use an https URL in podcast:transcript: \"http://a/t.vtt\" is not https, and apps may refuse it.";
        let main = Subject {
            main_transcript: Some("http://a/t.vtt"),
            ..s(transcript)
        };
        assert_eq!(
            target("podcast_tag_not_https", &main).unwrap(),
            (FixPage::Episode, "transcript_url".to_string())
        );
        assert_eq!(
            target("podcast_tag_not_https", &s(transcript)).unwrap().1,
            "transcripts"
        );
    }
}
