//! The local directory's upload URLs: `serve` itself stands in for S3's presigned URLs. Each
//! URL names one part and is signed (HMAC-SHA256 under the installation's key) with its
//! expiry, so, as on S3, only the holder of a URL can send that part, and only until then.

use bytes::Bytes;
use chrono::Utc;
use futures::Stream;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::app::{App, Error, Result};
use crate::db;
use crate::domain::{Media, MediaState};
use crate::publish::dir_media::PartError;
use crate::publish::media::SignedUrl;
use crate::publish::Target;

/// The path local uploads are sent to: `/uploads/{id}/{part}`.
pub const UPLOAD_PATH: &str = "/uploads";

/// The key upload URLs are signed with.
pub(super) struct SigningKey(Vec<u8>);

pub(super) async fn signing_key(app: &App) -> Result<SigningKey> {
    Ok(SigningKey(
        db::instance::csrf_key(&app.pool).await?.into_bytes(),
    ))
}

impl SigningKey {
    fn mac(&self, id: Uuid, part: u32, expires: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(format!("podpub-upload:{id}:{part}:{expires}").as_bytes());
        mac
    }

    fn tag(&self, id: Uuid, part: u32, expires: i64) -> String {
        hex::encode(self.mac(id, part, expires).finalize().into_bytes())
    }

    /// Checks `sig` in constant time.
    fn verify(&self, id: Uuid, part: u32, expires: i64, sig: &str) -> bool {
        let mac = self.mac(id, part, expires);
        hex::decode(sig).is_ok_and(|sig| mac.verify_slice(&sig).is_ok())
    }
}

/// The URL part `part` of `media` is sent to (relative to `serve`'s address).
pub(super) fn sign_url(key: &SigningKey, media: &Media, part: u32) -> SignedUrl {
    let expires = media.expires_at.timestamp();
    SignedUrl {
        url: format!(
            "{UPLOAD_PATH}/{}/{part}?expires={expires}&sig={}",
            media.id,
            key.tag(media.id, part, expires)
        ),
        headers: vec![("Content-Type".into(), media.declared_type.clone())],
    }
}

/// What a local upload request names.
#[derive(Debug, Clone)]
pub struct LocalPart {
    pub id: Uuid,
    pub part: u32,
    pub expires: i64,
    pub sig: String,
}

/// Writes one part of a local upload from its body, streamed to disk. Refused: a bad or
/// expired signature (403 / 409 `upload_expired`), an upload no longer under way, a body longer
/// than the part (413 `media_too_large`) or cut off (409 `upload_incomplete`).
pub async fn receive_local<S, E>(app: &App, part: LocalPart, body: S) -> Result<u64>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let Target::Dir(dir) = app.store().await? else {
        return Err(Error::NotFound);
    };
    let key = signing_key(app).await?;
    if !key.verify(part.id, part.part, part.expires, &part.sig) {
        return Err(Error::Forbidden("this upload URL is not valid"));
    }
    if part.expires <= Utc::now().timestamp() {
        return Err(Error::conflict(
            "upload_expired",
            "this upload URL expired; start the upload again",
        ));
    }
    let media = db::media::find_by_id(&app.pool, part.id)
        .await?
        .filter(|m| m.state == MediaState::Uploading)
        .ok_or(Error::NotFound)?;
    let count = media.part_count();
    if part.part == 0 || part.part > count {
        return Err(Error::NotFound);
    }
    let declared = media.declared_length as u64;
    let max = match media.part_bytes {
        Some(size) if part.part < count => size as u64,
        Some(size) => declared - u64::from(count - 1) * size as u64,
        None => declared,
    };
    let upload = media.id.simple().to_string();
    match dir.receive_part(&upload, part.part, body, max).await {
        Ok(n) => Ok(n),
        Err(PartError::TooLong(max)) => Err(Error::Media {
            code: "media_too_large",
            message: format!("this part may be at most {max} bytes, as the upload declared"),
            too_large: true,
        }),
        Err(PartError::CutOff(why)) => Err(Error::conflict(
            "upload_incomplete",
            format!("the body was cut off ({why}); send the part again"),
        )),
        Err(PartError::Io(err)) => Err(Error::Internal(err.into())),
    }
}
