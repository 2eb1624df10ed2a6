//! Writing an imported feed: a new show, or an update of the show being re-imported, in one
//! transaction with its render job.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{
    parse::ParsedFeed,
    report::{code, Report},
    ImportError,
};
use crate::config::Settings;
use crate::db::{
    episodes, redirects,
    shows::{self, Show, Viewer},
};
use crate::domain::{feed_url, Slug};
use crate::feed::guid::podcast_guid;
use crate::jobs::queue;

/// What was written.
pub struct Stored {
    pub show: Show,
    pub created: bool,
    pub episodes_created: usize,
    pub episodes_updated: usize,
    pub report: Report,
}

pub async fn store(
    pool: &PgPool,
    settings: &Settings,
    owner: Viewer,
    mut feed: ParsedFeed,
    slug: Option<Slug>,
    source_url: Option<&str>,
) -> Result<Stored, ImportError> {
    let mut tx = pool.begin().await?;
    let existing = match &slug {
        Some(slug) => existing_show(&mut tx, owner, slug, feed.podcast_guid).await?,
        None => None,
    };
    let created = existing.is_none();
    let show_id = match existing {
        Some(show) => {
            let mut fields = std::mem::replace(&mut feed.show, show.fields.clone());
            fields.slug = show.fields.slug;
            fields.locked = show.fields.locked;
            fields.extras.item_limit = show.fields.extras.item_limit;
            fields.extras.archive_page_size = show.fields.extras.archive_page_size;
            shows::update(&mut *tx, show.id, &fields).await?;
            show.id
        }
        None => {
            let slug = match slug {
                Some(slug) => slug.to_string(),
                None => free_slug(&mut tx, &feed.show.title).await?,
            };
            feed.show.slug = slug.clone();
            let guid = match feed.podcast_guid {
                Some(guid) => guid,
                None => {
                    let own = feed_url(&settings.feed_base_url, &slug);
                    let from = feed
                        .self_url
                        .as_deref()
                        .or(source_url)
                        .unwrap_or(&own)
                        .to_string();
                    let message =
                        format!("the feed has no podcast:guid; it was computed from {from}");
                    feed.report.add(code::PODCAST_GUID_DERIVED, message);
                    podcast_guid(&from)
                }
            };
            let id = shows::insert(&mut *tx, &feed.show, guid)
                .await
                .map_err(|e| slug_taken(e, &slug))?;
            // After the insert, which waits for a rename that is freeing this slug to commit.
            if redirects::holder(&mut *tx, &slug)
                .await?
                .is_some_and(|h| h != id)
            {
                return Err(ImportError::SlugTaken(slug));
            }
            shows::add_member(&mut *tx, id, owner.user_id, "owner").await?;
            id
        }
    };
    let (episodes_created, episodes_updated) = write_episodes(&mut tx, show_id, &feed).await?;
    let attempts = settings.max_attempts;
    queue::enqueue_render(&mut *tx, show_id, None, attempts).await?;
    let now = Utc::now();
    let next = feed
        .episodes
        .iter()
        .map(|e| e.fields.publish_at)
        .filter(|at| *at > now)
        .min();
    if let Some(at) = next {
        queue::enqueue_render(&mut *tx, show_id, Some(at), attempts).await?;
    }
    let show = shows::find_by_id(&mut *tx, show_id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Stored {
        show,
        created,
        episodes_created,
        episodes_updated,
        report: feed.report,
    })
}

/// The show a re-import updates: taken by `slug`, editable by `owner`, of the same podcast.
async fn existing_show(
    tx: &mut PgConnection,
    owner: Viewer,
    slug: &Slug,
    feed_guid: Option<Uuid>,
) -> Result<Option<Show>, ImportError> {
    if shows::id_by_slug(&mut *tx, slug.as_str()).await?.is_none() {
        return Ok(None);
    }
    let Some((id, _)) = shows::lock_visible(&mut *tx, owner, slug.as_str()).await? else {
        return Err(ImportError::SlugTaken(slug.to_string()));
    };
    let show = shows::find_by_id(&mut *tx, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    if show.status == "deleted" {
        return Err(ImportError::ShowDeleted(slug.to_string()));
    }
    match feed_guid {
        Some(feed) if feed != show.podcast_guid => Err(ImportError::DifferentPodcast {
            feed,
            show: show.podcast_guid,
        }),
        _ => Ok(Some(show)),
    }
}

/// Inserts new episodes and updates those whose guid the show already has. An update keeps
/// the episode's status, and its date when the feed gave none.
async fn write_episodes(
    tx: &mut PgConnection,
    show_id: Uuid,
    feed: &ParsedFeed,
) -> Result<(usize, usize), ImportError> {
    let stored: HashMap<String, episodes::Episode> = episodes::all_for_show(&mut *tx, show_id)
        .await?
        .into_iter()
        .map(|e| (e.fields.guid.clone(), e))
        .collect();
    let (mut created, mut updated) = (0, 0);
    for episode in &feed.episodes {
        match stored.get(&episode.fields.guid) {
            Some(old) => {
                let mut fields = episode.fields.clone();
                fields.status = old.fields.status.clone();
                if !episode.dated {
                    fields.publish_at = old.fields.publish_at;
                }
                episodes::update(&mut *tx, old.id, &fields).await?;
                updated += 1;
            }
            None => {
                episodes::insert(&mut *tx, show_id, &episode.fields).await?;
                created += 1;
            }
        }
    }
    Ok((created, updated))
}

fn slug_taken(err: sqlx::Error, slug: &str) -> ImportError {
    match &err {
        sqlx::Error::Database(db) if db.constraint() == Some("shows_slug_key") => {
            ImportError::SlugTaken(slug.to_string())
        }
        _ => ImportError::Database(err),
    }
}

/// A slug made from the title that no show has or reserves yet: `my-show`, else `my-show-2`, and so on.
async fn free_slug(tx: &mut PgConnection, title: &str) -> Result<String, ImportError> {
    let base = slug_from_title(title);
    for n in 1..=50 {
        let candidate = match n {
            1 => base.clone(),
            n => format!("{base}-{n}"),
        };
        let taken = shows::id_by_slug(&mut *tx, &candidate).await?.is_some()
            || redirects::holder(&mut *tx, &candidate).await?.is_some();
        if !taken {
            return Ok(candidate);
        }
    }
    Ok(format!(
        "{base}-{}",
        &Uuid::new_v4().simple().to_string()[..8]
    ))
}

/// `Café Society: Episode Notes!` → `cafe-society-episode-notes`; at most 54 characters, so a
/// suffix still fits in a slug.
pub fn slug_from_title(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let ascii = match c {
            'a'..='z' | '0'..='9' => c.to_string(),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a".into(),
            'ç' => "c".into(),
            'è' | 'é' | 'ê' | 'ë' => "e".into(),
            'ì' | 'í' | 'î' | 'ï' => "i".into(),
            'ñ' => "n".into(),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o".into(),
            'ù' | 'ú' | 'û' | 'ü' => "u".into(),
            'ý' | 'ÿ' => "y".into(),
            'ß' => "ss".into(),
            'æ' => "ae".into(),
            'œ' => "oe".into(),
            '\'' | '’' => String::new(),
            _ => "-".into(),
        };
        for a in ascii.chars() {
            if a != '-' || !(slug.is_empty() || slug.ends_with('-')) {
                slug.push(a);
            }
        }
    }
    let mut slug = slug.trim_end_matches('-').to_string();
    if slug.len() > 54 {
        slug.truncate(54);
        slug = slug.trim_end_matches('-').to_string();
    }
    if slug.is_empty() {
        slug = "show".into();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slug_from_title;
    use crate::domain::Slug;

    #[test]
    fn slugs_come_from_titles() {
        assert_eq!(
            slug_from_title("Café Society: Episode Notes!"),
            "cafe-society-episode-notes"
        );
        assert_eq!(slug_from_title("  Tom's  --  Show  "), "toms-show");
        assert_eq!(slug_from_title("日本語"), "show");
        let long = slug_from_title(&"word ".repeat(40));
        assert!(long.len() <= 54 && !long.ends_with('-'), "{long}");
        for title in ["Café Society", "日本語", "---", &"x".repeat(100)] {
            assert!(Slug::parse(&slug_from_title(title)).is_ok(), "{title}");
        }
    }
}
