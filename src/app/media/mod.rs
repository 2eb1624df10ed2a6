//! Uploads: a podcaster's browser (or an API client) sends audio, video and artwork straight to
//! the object store with signed URLs, never through `serve` in production. Completing an upload
//! queues a probe job, which measures the file and fills in the episode or show it is for.

mod copy;
mod local;
mod send;

use chrono::Utc;
use uuid::Uuid;

use super::shows::lock_live;
use super::{App, Error, Result};
use crate::db;
use crate::domain::media::{allowed_types, media_key, media_url};
use crate::domain::{Media, MediaPurpose, MediaState, UploadInput, UploadRefusal, Viewer};
use crate::publish::Target;

pub use self::copy::{copy_progress, start_copy, CopyItem, CopyProgress, CopyState};
pub use self::local::{receive_local, LocalPart};
pub use self::send::{complete, Sending};

/// An upload, with where its object will be served and how to send its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub media: Media,
    /// The object's public URL (on the CDN), for the enclosure or artwork.
    pub url: String,
    /// How to send the bytes; none once they arrived.
    pub sending: Option<Sending>,
}

impl App {
    /// The object store media go to (the one feeds go to), built once.
    pub async fn store(&self) -> Result<&Target> {
        self.store
            .get_or_try_init(|| Target::from_settings(&self.settings))
            .await
            .map_err(Error::Internal)
    }

    /// The public URL of `media`'s object.
    pub fn media_url(&self, media: &Media) -> String {
        media_url(self.settings.media_base_url(), &media.key)
    }
}

/// Starts an upload to a show `who` may edit: checks the type, the size and the show's quota,
/// records it, and signs the URLs its bytes go to.
pub async fn start(app: &App, who: Viewer, slug: &str, input: UploadInput) -> Result<Upload> {
    let settings = &app.settings.media;
    let request = input.check(settings.max_bytes).map_err(refusal)?;
    let store = app.store().await?;
    let now = Utc::now();
    let id = Uuid::new_v4();
    let multipart = request.length > settings.part_bytes;
    let mut tx = app.pool.begin().await?;
    let show_id = lock_live(&mut tx, who, slug).await?;
    if let Some(episode) = request.episode_id {
        db::episodes::find(&mut *tx, show_id, episode)
            .await?
            .ok_or_else(|| Error::field("episode_id", "is not an episode of this show"))?;
    }
    if let Some(quota) = settings.show_quota_bytes {
        let used = db::media::bytes_used(&mut *tx, show_id).await?.max(0) as u64;
        if used + request.length > quota {
            return Err(Error::Media {
                code: "media_quota_exceeded",
                message: format!(
                    "this show stores {used} of its {quota} bytes of media; a file of {} bytes \
                     does not fit (delete media it no longer uses, or ask an admin)",
                    request.length
                ),
                too_large: true,
            });
        }
    }
    let key = media_key(show_id, id, &request.file_stem, request.content_type);
    // The only network call, S3's CreateMultipartUpload, comes before the row exists; were the
    // insert to fail, S3's lifecycle rule aborts the orphan.
    let upload_id = match (store, multipart) {
        (Target::S3(s3), true) => Some(s3.start_multipart(&key, request.content_type).await?),
        _ => None,
    };
    let media = Media {
        id,
        show_id,
        purpose: request.purpose,
        episode_id: request.episode_id,
        key,
        file_name: request.file_name,
        declared_type: request.content_type.to_string(),
        declared_length: request.length as i64,
        state: MediaState::Uploading,
        upload_id,
        part_bytes: multipart.then_some(settings.part_bytes as i64),
        expires_at: now + settings.upload_expiry,
        source_url: None,
        facts: None,
        warnings: Vec::new(),
        error: None,
        created_at: now,
        updated_at: now,
    };
    db::media::insert(&mut *tx, &media).await?;
    super::commit(tx).await?;
    let sending = Some(send::sign(app, store, &media).await?);
    Ok(Upload {
        url: app.media_url(&media),
        media,
        sending,
    })
}

/// An upload of a show `who` may see, with fresh signed URLs while it is still uploading.
pub async fn get(app: &App, who: Viewer, slug: &str, id: Uuid) -> Result<Upload> {
    let show = super::shows::get(app, who, slug).await?;
    let media = db::media::find(&app.pool, show.id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let sending = match media.state {
        MediaState::Uploading if media.expires_at > Utc::now() => {
            Some(send::sign(app, app.store().await?, &media).await?)
        }
        _ => None,
    };
    Ok(Upload {
        url: app.media_url(&media),
        media,
        sending,
    })
}

/// A show's uploads, newest first.
pub async fn list(app: &App, who: Viewer, slug: &str) -> Result<Vec<Upload>> {
    let show = super::shows::get(app, who, slug).await?;
    let items = db::media::list(&app.pool, show.id, 200).await?;
    Ok(items
        .into_iter()
        .map(|media| Upload {
            url: app.media_url(&media),
            media,
            sending: None,
        })
        .collect())
}

/// Deletes an upload and its object, unless an episode (live or in the trash) or the show
/// still uses it.
pub async fn delete(app: &App, who: Viewer, slug: &str, id: Uuid) -> Result<()> {
    let store = app.store().await?;
    let mut tx = app.pool.begin().await?;
    let show_id = lock_live(&mut tx, who, slug).await?;
    let media = db::media::find(&mut *tx, show_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let users = db::media::users_of(&mut *tx, show_id, &app.media_url(&media)).await?;
    if !users.is_empty() {
        return Err(Error::conflict(
            "media_in_use",
            format!(
                "this file is still used by: {}; give them another file first",
                users.join(", ")
            ),
        ));
    }
    db::media::delete(&mut *tx, id).await?;
    super::commit(tx).await?;
    store.discard_media(&media).await?;
    Ok(())
}

fn refusal(refused: UploadRefusal) -> Error {
    match refused {
        UploadRefusal::Invalid(fields) => Error::Invalid(fields),
        UploadRefusal::TypeNotAllowed { purpose, given } => Error::Media {
            code: "media_type_not_allowed",
            message: format!(
                "{} takes {}; {given:?} is not one of them",
                purpose_name(purpose),
                allowed_types(purpose).join(", ")
            ),
            too_large: false,
        },
        UploadRefusal::TooLarge { length, max } => Error::Media {
            code: "media_too_large",
            message: format!("the file is {length} bytes; the limit is {max}"),
            too_large: true,
        },
    }
}

fn purpose_name(purpose: MediaPurpose) -> &'static str {
    match purpose {
        MediaPurpose::EpisodeMedia => "an episode's media",
        MediaPurpose::EpisodeArtwork => "an episode's artwork",
        MediaPurpose::ShowArtwork => "a show's artwork",
    }
}
