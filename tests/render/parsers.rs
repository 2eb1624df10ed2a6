//! The full-featured feed through the parsers podcast apps use: feedparser and podcastparser
//! (`tests/feedcheck.py`). Every field the show and its episodes set must come back as given.

use podpub::domain::EpisodeFields;
use serde_json::{json, Value};

use crate::{
    fixtures::{self, published},
    kit::python::feedcheck,
};

fn rfc2822(e: &EpisodeFields) -> String {
    e.publish_at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// podcastparser's episode with `guid` (it sorts a serial show oldest first).
fn by_guid<'a>(episodes: &'a Value, guid: &str) -> &'a Value {
    let all = episodes.as_array().expect("episodes");
    let found: Vec<&Value> = all.iter().filter(|e| e["guid"] == guid).collect();
    assert_eq!(found.len(), 1, "episode {guid} in {episodes:#}");
    found[0]
}

#[test]
fn feedparser_reads_every_field_of_the_full_featured_feed() {
    let (feed, episodes) = (fixtures::show(), published());
    let show = &feed.fields;
    let fp = &feedcheck(fixtures::render())["feedparser"];
    assert!(fp.get("error").is_none(), "feedparser: {fp:#}");
    assert_eq!(fp["bozo"], 0, "feedparser: {}", fp["bozo_exception"]);
    assert_eq!(fp["title"], show.title);
    assert_eq!(fp["link"], show.link.clone().unwrap());
    assert_eq!(fp["language"], show.language);
    assert_eq!(fp["image"], show.image_url.clone().unwrap());
    assert_eq!(fp["rights"], show.copyright.clone().unwrap());
    let owner = json!({"name": show.owner_name, "email": show.owner_email});
    assert_eq!(fp["publisher_detail"], owner);
    let categories = ["Society & Culture", "Documentary", "Technology"];
    assert_eq!(fp["tags"], json!(categories));
    assert_eq!(fp["podcast_guid"], feed.podcast_guid.to_string());

    let entries = fp["entries"].as_array().unwrap();
    assert_eq!(entries.len(), episodes.len(), "{fp:#}");
    for (entry, e) in entries.iter().zip(&episodes) {
        assert_eq!(entry["title"], e.title);
        assert_eq!(entry["id"], e.guid);
        assert_eq!(entry["published"], rfc2822(e));
        // Well-formed HTML, so feedparser's sanitizer gives it back unchanged.
        assert_eq!(entry["summary"], e.description);
        assert_eq!(entry["content"], e.description);
        let enclosure = json!([{
            "href": e.enclosure_url,
            "length": e.enclosure_length.to_string(),
            "type": e.enclosure_type,
        }]);
        assert_eq!(entry["enclosures"], enclosure);
        assert_eq!(
            entry["itunes_duration"],
            e.duration_seconds.unwrap().to_string()
        );
        assert_eq!(entry["itunes_episode"], e.episode.unwrap().to_string());
        assert_eq!(entry["itunes_season"], e.season.unwrap().to_string());
        assert_eq!(entry["itunes_episodetype"], e.episode_type.as_str());
        assert_eq!(entry["image"], e.image_url.clone().unwrap());
    }
}

/// feedparser 6 stores `itunes:owner`'s name as the feed's author when `itunes:owner` comes
/// after `itunes:author`, and the `itunes:author` value is then lost (kurtmckee/feedparser#316,
/// open). With `itunes:owner` written first, feedparser reads both right.
#[test]
fn feedparser_reads_the_show_author_not_the_owner_name() {
    let show = fixtures::show().fields;
    let fp = &feedcheck(fixtures::render())["feedparser"];
    assert_eq!(fp["author"], show.author.unwrap(), "{fp:#}");
}

#[test]
fn podcastparser_reads_every_field_of_the_full_featured_feed() {
    let (feed, episodes) = (fixtures::show(), published());
    let show = &feed.fields;
    let pp = &feedcheck(fixtures::render())["podcastparser"];
    assert!(pp.get("error").is_none(), "podcastparser: {pp:#}");
    assert_eq!(pp["title"], show.title);
    assert_eq!(pp["link"], show.link.clone().unwrap());
    assert_eq!(pp["description"], show.description);
    assert_eq!(pp["cover_url"], show.image_url.clone().unwrap());
    assert_eq!(pp["language"], show.language);
    assert_eq!(pp["generator"], "podpub");
    assert_eq!(pp["itunes_author"], show.author.clone().unwrap());
    let owner = json!({"name": show.owner_name, "email": show.owner_email});
    assert_eq!(pp["itunes_owner"], owner);
    let categories = json!([["Society & Culture", "Documentary"], ["Technology"]]);
    assert_eq!(pp["itunes_categories"], categories);
    assert_eq!(pp["explicit"], show.explicit);
    assert_eq!(pp["type"], "serial");
    assert_eq!(pp["new_url"], feed.new_feed_url.clone().unwrap());

    assert_eq!(pp["episodes"].as_array().unwrap().len(), episodes.len());
    for e in &episodes {
        let ep = by_guid(&pp["episodes"], &e.guid);
        assert_eq!(ep["title"], e.title);
        assert_eq!(ep["published"], e.publish_at.timestamp());
        assert_eq!(ep["total_time"], e.duration_seconds.unwrap());
        assert_eq!(ep["number"], e.episode.unwrap());
        assert_eq!(ep["season"], e.season.unwrap());
        assert_eq!(ep["type"], e.episode_type.as_str());
        assert_eq!(ep["explicit"], e.explicit.unwrap());
        assert_eq!(ep["episode_art_url"], e.image_url.clone().unwrap());
        assert_eq!(ep["description_html"], e.description);
        let enclosure = json!([{
            "url": e.enclosure_url,
            "file_size": e.enclosure_length,
            "mime_type": e.enclosure_type,
        }]);
        assert_eq!(ep["enclosures"], enclosure);
        // podcastparser 0.6 reads podcast: elements only under the namespace's GitHub URL (see
        // the next test); should it learn the canonical one, they must match too.
        if let Some(url) = ep.get("transcript_url") {
            assert_eq!(url, &json!(e.transcript_url));
        }
        if let Some(url) = ep.get("chapters_json_url") {
            assert_eq!(url, &json!(e.chapters_url));
        }
    }
}

/// podcastparser 0.6 maps `podcast:` elements only when the prefix is bound to
/// `https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md`, not to the
/// canonical `https://podcastindex.org/namespace/1.0` that podpub (rightly) declares. Bound to
/// the URL it knows, the same elements read as set.
#[test]
fn podcastparser_reads_transcripts_chapters_and_persons_under_the_namespace_url_it_knows() {
    let (feed, episodes) = (fixtures::show(), published());
    let show = &feed.fields;
    let xml = String::from_utf8(fixtures::render()).unwrap();
    let canonical = r#"xmlns:podcast="https://podcastindex.org/namespace/1.0""#;
    assert!(xml.contains(canonical));
    let known = r#"xmlns:podcast="https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md""#;
    let pp = &feedcheck(xml.replace(canonical, known).as_bytes())["podcastparser"];
    assert!(pp.get("error").is_none(), "podcastparser: {pp:#}");
    assert_eq!(pp["import_prohibited"], show.locked);
    // podcastparser keeps the last podcast:funding.
    assert_eq!(pp["funding_url"], show.funding.last().unwrap().url);
    for e in &episodes {
        let ep = by_guid(&pp["episodes"], &e.guid);
        assert_eq!(ep["transcript_url"], json!(e.transcript_url), "{ep:#}");
        assert_eq!(
            ep.get("chapters_json_url"),
            e.chapters_url.as_ref().map(|u| json!(u)).as_ref()
        );
        let persons: Vec<Value> = e
            .extras
            .persons
            .iter()
            .map(|p| json!({"name": p.name, "role": p.role, "group": p.group, "href": p.href, "img": p.img}))
            .collect();
        assert_eq!(ep["persons"], json!(persons));
    }
}
