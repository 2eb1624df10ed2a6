//! What a podcaster sends to create or change a show, and its checks.

use serde::Deserialize;

use super::{Category, Funding, ShowFields, ShowType};
use crate::domain::check::{merge, nullable, Checker, Choice, FieldErrors};
use crate::domain::limits;
use crate::domain::notes;
use crate::domain::PodcastImage;
use crate::domain::{
    check_show_extras, Chat, FeedRef, License, ListItem, Location, Medium, Person, RemoteItem,
    ServiceBlock, ShowExtras, Slug, SocialInteract, Trailer, Txt, UpdateFrequency,
};

/// The writable fields; on PATCH any subset, and `null` clears an optional one.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowInput {
    pub slug: Option<String>,
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub description: Option<Option<String>>,
    /// A description written in Markdown: `description` becomes its HTML, converted and
    /// sanitized (a `description` sent beside it is ignored); `null` keeps the HTML and drops
    /// the source.
    #[serde(default, deserialize_with = "nullable")]
    pub description_markdown: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub author: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub owner_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub owner_email: Option<Option<String>>,
    pub language: Option<String>,
    pub categories: Option<Vec<Category>>,
    pub explicit: Option<bool>,
    #[serde(rename = "type")]
    #[schema(value_type = Option<ShowType>)]
    pub show_type: Option<Choice<ShowType>>,
    #[serde(default, deserialize_with = "nullable")]
    pub image_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub link: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub copyright: Option<Option<String>>,
    pub locked: Option<bool>,
    pub complete: Option<bool>,
    pub block: Option<bool>,
    pub funding: Option<Vec<Funding>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Medium>)]
    pub medium: Option<Option<Choice<Medium>>>,
    pub persons: Option<Vec<Person>>,
    #[serde(default, deserialize_with = "nullable")]
    pub location: Option<Option<Location>>,
    /// Further locations, after `location`.
    pub locations: Option<Vec<Location>>,
    /// Live streams (`podcast:liveItem`); the list replaces the stored one.
    pub live_items: Option<Vec<crate::domain::LiveItem>>,
    /// OP3, Podtrac...: in front of every enclosure URL; `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    pub analytics_prefix: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub license: Option<Option<License>>,
    pub trailers: Option<Vec<Trailer>>,
    pub txt: Option<Vec<Txt>>,
    pub podroll: Option<Vec<RemoteItem>>,
    pub podping: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub item_limit: Option<Option<u32>>,
    #[serde(default, deserialize_with = "nullable")]
    pub archive_page_size: Option<Option<u32>>,
    // value
    pub value: Option<Vec<crate::domain::Value>>,
    // items group
    pub images: Option<Vec<PodcastImage>>,
    // Listing: block, updateFrequency, publisher, list feeds, chat, socialInteract, Apple.
    pub podcast_block: Option<Vec<ServiceBlock>>,
    #[serde(default, deserialize_with = "nullable")]
    pub update_frequency: Option<Option<UpdateFrequency>>,
    #[serde(default, deserialize_with = "nullable")]
    pub publisher: Option<Option<FeedRef>>,
    pub remote_items: Option<Vec<ListItem>>,
    #[serde(default, deserialize_with = "nullable")]
    pub chat: Option<Option<Chat>>,
    pub social_interact: Option<Vec<SocialInteract>>,
    #[serde(default, deserialize_with = "nullable")]
    pub apple_verify: Option<Option<String>>,
}

impl ShowInput {
    /// The fields a new show needs, as field errors.
    pub fn check_required(&self) -> Result<(), FieldErrors> {
        let mut c = Checker::default();
        if self.slug.is_none() {
            c.error("slug", "is required");
        }
        if self.title.is_none() {
            c.error("title", "is required");
        }
        c.finish()
    }

    /// Applies this input over `base` and checks the result.
    pub fn apply(self, base: ShowFields) -> Result<ShowFields, FieldErrors> {
        let mut c = Checker::default();
        let renamed = self.slug.as_ref().is_some_and(|s| *s != base.slug);
        let slug = self.slug.unwrap_or(base.slug);
        if let Err(e) = Slug::parse(&slug) {
            c.error("slug", e);
        } else if renamed && Slug::is_reserved(&slug) {
            c.error(
                "slug",
                "is taken by a page of the web UI (/shows/new); choose another",
            );
        }
        let title = c.text("title", &self.title.unwrap_or(base.title), limits::TITLE);
        let (description, description_markdown) = notes::apply(
            &mut c,
            self.description,
            self.description_markdown,
            &base.description,
            base.description_markdown.as_deref(),
        );
        let author = merge(self.author, base.author);
        let owner_name = merge(self.owner_name, base.owner_name);
        let owner_email = merge(self.owner_email, base.owner_email);
        let language = self
            .language
            .unwrap_or(base.language)
            .trim()
            .to_ascii_lowercase();
        if !valid_language(&language) {
            c.error("language", "must be a language tag such as en or en-us");
        }
        let categories = self.categories.unwrap_or(base.categories);
        if categories.len() > 10 {
            c.error("categories", "at most 10 categories");
        }
        let categories = categories
            .into_iter()
            .map(|cat| Category {
                name: c.text("categories", &cat.name, 100),
                sub: c.opt_text("categories", cat.sub.as_deref(), 100),
            })
            .collect();
        let funding = self.funding.unwrap_or(base.funding);
        if funding.len() > 10 {
            c.error("funding", "at most 10 funding links");
        }
        let funding = funding
            .into_iter()
            .map(|f| Funding {
                url: c.url("funding", &f.url),
                label: c
                    .long_text("funding", &f.label, limits::FUNDING_LABEL)
                    .replace(['\n', '\r', '\t'], " "),
            })
            .collect();
        let show_type = match self.show_type {
            Some(choice) => c.choice("type", &choice).unwrap_or(base.show_type),
            None => base.show_type,
        };
        let old = base.extras;
        let medium = match self.medium {
            None => old.medium,
            Some(None) => None,
            Some(Some(choice)) => c.choice("medium", &choice),
        };
        let extras = ShowExtras {
            item_limit: merge(self.item_limit, old.item_limit),
            archive_page_size: merge(self.archive_page_size, old.archive_page_size),
            medium,
            persons: self.persons.unwrap_or(old.persons),
            location: merge(self.location, old.location),
            locations: self.locations.unwrap_or(old.locations),
            license: merge(self.license, old.license),
            trailers: self.trailers.unwrap_or(old.trailers),
            txt: self.txt.unwrap_or(old.txt),
            podroll: self.podroll.unwrap_or(old.podroll),
            podping: self.podping.unwrap_or(old.podping),
            value: self.value.unwrap_or(old.value),
            images: self.images.unwrap_or(old.images),
            podcast_block: self.podcast_block.unwrap_or(old.podcast_block),
            update_frequency: merge(self.update_frequency, old.update_frequency),
            publisher: merge(self.publisher, old.publisher),
            remote_items: self.remote_items.unwrap_or(old.remote_items),
            chat: merge(self.chat, old.chat),
            social_interact: self.social_interact.unwrap_or(old.social_interact),
            apple_verify: merge(self.apple_verify, old.apple_verify),
            live_items: self.live_items.unwrap_or(old.live_items),
            analytics_prefix: merge(self.analytics_prefix, old.analytics_prefix),
        };
        let extras = check_show_extras(&mut c, extras);
        let fields = ShowFields {
            slug,
            title,
            description,
            description_markdown,
            author: c.opt_text("author", author.as_deref(), limits::NAME),
            owner_name: c.opt_text("owner_name", owner_name.as_deref(), limits::NAME),
            owner_email: c
                .opt_email("owner_email", owner_email.as_deref())
                .map(|e| e.into_string()),
            language,
            categories,
            explicit: self.explicit.unwrap_or(base.explicit),
            show_type,
            image_url: c.opt_url(
                "image_url",
                merge(self.image_url, base.image_url).as_deref(),
            ),
            link: c.opt_url("link", merge(self.link, base.link).as_deref()),
            copyright: c.opt_text(
                "copyright",
                merge(self.copyright, base.copyright).as_deref(),
                limits::NAME,
            ),
            locked: self.locked.unwrap_or(base.locked),
            complete: self.complete.unwrap_or(base.complete),
            block: self.block.unwrap_or(base.block),
            funding,
            extras,
        };
        c.finish()?;
        Ok(fields)
    }

    /// Only a new slug: a rename.
    pub fn rename(slug: &str) -> ShowInput {
        ShowInput {
            slug: Some(slug.trim().to_string()),
            ..ShowInput::default()
        }
    }
}

/// A language tag such as `en` or `en-us` (already lower-cased).
pub fn valid_language(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}
