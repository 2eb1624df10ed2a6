//! The items group's `podcast:` tags as rendered: soundbites, content links, transcripts, item
//! funding, season names, episode displays, integrity and images, valid against the schema.

use podpub::domain::{
    AlternateEnclosure, ContentLink, Funding, Integrity, PodcastImage, Soundbite, Transcript,
};

use crate::kit::{build, python::xsdcheck};

const SRI: &str = "sha384-ExVqijgYHm15PqQqdXfW95x+Rs6C+d6E/ICxyQOeFevnxNLR/wtJNrNYTjIysUBo";

fn image(href: &str) -> PodcastImage {
    PodcastImage {
        href: href.into(),
        alt: Some("Art & more".into()),
        aspect_ratio: Some("16/9".into()),
        width: Some(1920),
        height: Some(1080),
        mime_type: Some("image/jpeg".into()),
        purpose: Some("social banner".into()),
    }
}

fn feed() -> Vec<u8> {
    let episode = build::episode(1).fields(|f| {
        (f.season, f.episode, f.duration_seconds) = (Some(3), Some(204), Some(1800));
        f.transcript_url = Some("https://example.com/1.vtt".into());
        f.transcript_type = Some("text/vtt".into());
        let x = &mut f.extras;
        x.season_name = Some("Egyptology: The 19th Century".into());
        x.episode_display = Some("Ch.3".into());
        x.transcripts = vec![Transcript {
            url: "https://example.com/1.es.json".into(),
            mime_type: "application/json".into(),
            language: Some("es".into()),
            rel: Some("captions".into()),
        }];
        x.soundbites = vec![
            Soundbite {
                start_time: 73.0,
                duration: 60.0,
                title: None,
            },
            Soundbite {
                start_time: 1234.5,
                duration: 42.25,
                title: Some("Why the Podcast Namespace Matters".into()),
            },
        ];
        x.content_links = vec![ContentLink {
            href: "https://www.youtube.com/watch?v=example".into(),
            text: "Watch this episode on YouTube!".into(),
        }];
        x.funding = vec![Funding {
            url: "https://example.com/ep1/donate".into(),
            label: "Support this episode".into(),
        }];
        x.images = vec![image("https://example.com/ep1-wide.jpg")];
        x.alternate_enclosures = vec![AlternateEnclosure {
            mime_type: "video/mp4".into(),
            length: Some(7924786),
            sources: vec!["https://example.com/file-720.mp4".into()],
            integrity: Some(Integrity {
                kind: "sri".into(),
                value: SRI.into(),
            }),
            ..AlternateEnclosure::default()
        }];
    });
    build::show("items")
        .title("Items")
        .fields(|f| f.extras.images = vec![image("https://example.com/show-wide.jpg")])
        .episode(episode)
        .feed()
        .render()
}

#[test]
fn items_group_tags_render_as_the_spec_shows_them() {
    let xml = String::from_utf8(feed()).unwrap();
    for expected in [
        r#"<podcast:season name="Egyptology: The 19th Century">3</podcast:season>"#,
        r#"<podcast:episode display="Ch.3">204</podcast:episode>"#,
        r#"<podcast:transcript url="https://example.com/1.vtt" type="text/vtt"/>"#,
        r#"<podcast:transcript url="https://example.com/1.es.json" type="application/json" language="es" rel="captions"/>"#,
        r#"<podcast:soundbite startTime="73.0" duration="60.0"/>"#,
        r#"<podcast:soundbite startTime="1234.5" duration="42.25">Why the Podcast Namespace Matters</podcast:soundbite>"#,
        r#"<podcast:contentLink href="https://www.youtube.com/watch?v=example">Watch this episode on YouTube!</podcast:contentLink>"#,
        r#"<podcast:funding url="https://example.com/ep1/donate">Support this episode</podcast:funding>"#,
        r#"<podcast:image href="https://example.com/ep1-wide.jpg" alt="Art &amp; more" aspect-ratio="16/9" width="1920" height="1080" type="image/jpeg" purpose="social banner"/>"#,
        r#"<podcast:image href="https://example.com/show-wide.jpg" alt="Art &amp; more""#,
        &format!(r#"<podcast:integrity type="sri" value="{SRI}"/>"#),
    ] {
        assert!(xml.contains(expected), "missing {expected} in\n{xml}");
    }
    let show_image = xml.find("show-wide.jpg").unwrap();
    assert!(
        show_image < xml.find("<item>").unwrap(),
        "the show's image is in the channel"
    );
}

#[test]
fn items_group_tags_are_valid_against_the_namespace_schema() {
    let report = xsdcheck(&feed());
    assert_eq!(report["valid"], true, "{report:#}");
    let checked = report["checked"].as_object().unwrap();
    for name in [
        "season",
        "episode",
        "transcript",
        "soundbite",
        "contentLink",
        "funding",
        "image",
        "alternateEnclosure",
    ] {
        assert!(checked.contains_key(name), "{name} not checked: {report:#}");
    }
    let unchecked = report["unchecked"].as_object().unwrap();
    assert!(unchecked.is_empty(), "no schema for {unchecked:?}");
}

#[test]
fn a_further_transcript_that_repeats_the_first_is_written_once() {
    let episode = build::episode(1).fields(|f| {
        f.transcript_url = Some("https://example.com/1.vtt".into());
        f.extras.transcripts = vec![Transcript {
            url: "https://example.com/1.vtt".into(),
            mime_type: "text/vtt".into(),
            language: None,
            rel: None,
        }];
    });
    let xml = build::show("once").episode(episode).feed().render();
    let xml = String::from_utf8(xml).unwrap();
    assert_eq!(xml.matches("https://example.com/1.vtt").count(), 1, "{xml}");
}
