//! From stored rows to the renderer's model.

use crate::db::{episodes::Episode, shows::Show};
use crate::domain::{feed_url, License, Location, Person, Txt};
use crate::feed::model::{
    FeedAlternateEnclosure, FeedCategory, FeedEpisode, FeedFunding, FeedLicense, FeedLocation,
    FeedPerson, FeedRemoteItem, FeedShow, FeedTrailer, FeedTxt,
};

/// The feed's view of a stored show.
pub fn feed_show(show: &Show, feed_base_url: &str) -> FeedShow {
    let f = &show.fields;
    FeedShow {
        title: f.title.clone(),
        description: f.description.clone(),
        author: f.author.clone(),
        owner_name: f.owner_name.clone(),
        owner_email: f.owner_email.clone(),
        language: f.language.clone(),
        categories: f
            .categories
            .iter()
            .map(|c| FeedCategory {
                name: c.name.clone(),
                sub: c.sub.clone(),
            })
            .collect(),
        explicit: f.explicit,
        serial: f.show_type == "serial",
        image_url: f.image_url.clone(),
        link: f.link.clone(),
        copyright: f.copyright.clone(),
        locked: f.locked,
        complete: f.complete,
        block: f.block,
        funding: f
            .funding
            .iter()
            .map(|x| FeedFunding {
                url: x.url.clone(),
                label: x.label.clone(),
            })
            .collect(),
        podcast_guid: show.podcast_guid,
        feed_url: feed_url(feed_base_url, &f.slug),
        new_feed_url: show.new_feed_url.clone(),
        hubs: Vec::new(),
        updated_at: show.updated_at,
        medium: f.extras.medium.clone().unwrap_or_default(),
        persons: f.extras.persons.iter().map(feed_person).collect(),
        location: f.extras.location.as_ref().map(feed_location),
        license: f.extras.license.as_ref().map(feed_license),
        trailers: f
            .extras
            .trailers
            .iter()
            .map(|t| FeedTrailer {
                title: t.title.clone(),
                url: t.url.clone(),
                pubdate: t.pubdate,
                length: t.length,
                mime_type: t.mime_type.clone(),
                season: t.season,
            })
            .collect(),
        txt: f.extras.txt.iter().map(feed_txt).collect(),
        podroll: f
            .extras
            .podroll
            .iter()
            .map(|r| FeedRemoteItem {
                feed_guid: r.feed_guid.clone(),
                feed_url: r.feed_url.clone(),
            })
            .collect(),
        podping: f.extras.podping,
        image_size: None,
        item_limit: f.extras.item_limit.map(|n| n as usize),
        archive_page_size: f.extras.archive_page_size.map(|n| n as usize),
    }
}

fn feed_person(p: &Person) -> FeedPerson {
    FeedPerson {
        name: p.name.clone(),
        role: p.role.clone(),
        group: p.group.clone(),
        img: p.img.clone(),
        href: p.href.clone(),
    }
}

fn feed_location(l: &Location) -> FeedLocation {
    FeedLocation {
        name: l.name.clone(),
        geo: l.geo.clone(),
        osm: l.osm.clone(),
    }
}

fn feed_license(l: &License) -> FeedLicense {
    FeedLicense {
        name: l.name.clone(),
        url: l.url.clone(),
    }
}

fn feed_txt(t: &Txt) -> FeedTxt {
    FeedTxt {
        purpose: t.purpose.clone(),
        value: t.value.clone(),
    }
}

/// The feed's view of a stored episode.
pub fn feed_episode(e: &Episode) -> FeedEpisode {
    let f = &e.fields;
    FeedEpisode {
        guid: f.guid.clone(),
        title: f.title.clone(),
        description: f.description.clone(),
        enclosure_url: f.enclosure_url.clone(),
        enclosure_length: f.enclosure_length,
        enclosure_type: f.enclosure_type.clone(),
        duration_seconds: f.duration_seconds,
        season: f.season,
        episode: f.episode,
        episode_type: f.episode_type.clone(),
        explicit: f.explicit,
        image_url: f.image_url.clone(),
        transcript_url: f.transcript_url.clone(),
        transcript_type: f.transcript_type.clone(),
        chapters_url: f.chapters_url.clone(),
        draft: f.status == "draft",
        publish_at: f.publish_at,
        updated_at: e.updated_at,
        persons: f.extras.persons.iter().map(feed_person).collect(),
        location: f.extras.location.as_ref().map(feed_location),
        license: f.extras.license.as_ref().map(feed_license),
        txt: f.extras.txt.iter().map(feed_txt).collect(),
        alternate_enclosures: f
            .extras
            .alternate_enclosures
            .iter()
            .map(|a| FeedAlternateEnclosure {
                mime_type: a.mime_type.clone(),
                length: a.length,
                bitrate: a.bitrate,
                height: a.height,
                lang: a.lang.clone(),
                title: a.title.clone(),
                rel: a.rel.clone(),
                default: a.default,
                sources: a.sources.clone(),
            })
            .collect(),
    }
}
