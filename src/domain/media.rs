//! Uploaded media: what an upload is for, the types each purpose takes, and where an upload
//! stands between its signed URL and the probe's verdict.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{text_enum, Checker};

text_enum! {
    /// What an upload is for.
    pub enum MediaPurpose {
        /// An episode's audio or video: its enclosure.
        EpisodeMedia = "episode_media",
        /// An episode's own artwork (`itunes:image` on the item).
        EpisodeArtwork = "episode_artwork",
        /// The show's artwork.
        ShowArtwork = "show_artwork",
    }
}

text_enum! {
    /// Where an upload stands.
    pub enum MediaState {
        /// Signed URLs issued; the bytes are on their way.
        Uploading = "uploading",
        /// Every byte arrived; the probe job reads what they are.
        Probing = "probing",
        /// Probed and usable: its URL may be an enclosure or artwork.
        Ready = "ready",
        /// Probed and refused (`error_code` says why); its object is gone.
        Refused = "refused",
    }
}

impl MediaPurpose {
    /// Whether an upload for this purpose is artwork (JPEG or PNG).
    pub fn is_artwork(self) -> bool {
        !matches!(self, MediaPurpose::EpisodeMedia)
    }

    /// The largest file this purpose takes: `media_max` for episode media, [`ARTWORK_MAX_BYTES`]
    /// for artwork.
    pub fn max_bytes(self, media_max: u64) -> u64 {
        if self.is_artwork() {
            ARTWORK_MAX_BYTES
        } else {
            media_max
        }
    }
}

/// The largest artwork file accepted, in bytes (Apple asks for far less: under 512 KB is kind to
/// apps; this only stops an accident).
pub const ARTWORK_MAX_BYTES: u64 = 20 << 20;

/// Episode media types Apple Podcasts accepts (M4A, MP3, MOV, MP4, M4V), each with the
/// extension its objects get. Browsers name `.m4a` files `audio/mp4` or `audio/x-m4a`: both
/// mean the same, as [`canonical_type`] says.
const EPISODE_TYPES: &[(&str, &str)] = &[
    ("audio/mpeg", "mp3"),
    ("audio/x-m4a", "m4a"),
    ("video/mp4", "mp4"),
    ("video/quicktime", "mov"),
    ("video/x-m4v", "m4v"),
];
/// Artwork types Apple accepts.
const ARTWORK_TYPES: &[(&str, &str)] = &[("image/jpeg", "jpg"), ("image/png", "png")];

/// The type podpub stores for a declared `content_type`, if `purpose` takes it: parameters
/// dropped, case folded, aliases (`audio/mp3`, `audio/mp4`, `image/jpg`) named as Apple does.
pub fn canonical_type(purpose: MediaPurpose, content_type: &str) -> Option<&'static str> {
    let bare = content_type.split(';').next().unwrap_or_default().trim();
    let bare = bare.to_ascii_lowercase();
    let named = match bare.as_str() {
        "audio/mp3" | "audio/mpeg3" | "audio/x-mpeg" => "audio/mpeg",
        "audio/mp4" | "audio/m4a" | "audio/x-mp4" => "audio/x-m4a",
        "image/jpg" | "image/pjpeg" => "image/jpeg",
        other => other,
    };
    allowed(purpose)
        .iter()
        .find(|(t, _)| *t == named)
        .map(|(t, _)| *t)
}

/// The types an upload for `purpose` may declare.
pub fn allowed_types(purpose: MediaPurpose) -> Vec<&'static str> {
    allowed(purpose).iter().map(|(t, _)| *t).collect()
}

fn allowed(purpose: MediaPurpose) -> &'static [(&'static str, &'static str)] {
    if purpose.is_artwork() {
        ARTWORK_TYPES
    } else {
        EPISODE_TYPES
    }
}

/// The file extension of objects of a canonical type.
pub fn extension(content_type: &str) -> &'static str {
    EPISODE_TYPES
        .iter()
        .chain(ARTWORK_TYPES)
        .find(|(t, _)| *t == content_type)
        .map_or("bin", |(_, ext)| *ext)
}

/// Whether a probed type may stand for a declared one: the same, or both ISO media files (an
/// `.m4a` with a video track, a `.mov` that is really MP4) of the same purpose.
pub fn same_family(declared: &str, probed: &str) -> bool {
    let iso = |t: &str| {
        matches!(
            t,
            "audio/x-m4a" | "video/mp4" | "video/quicktime" | "video/x-m4v"
        )
    };
    declared == probed || (iso(declared) && iso(probed))
}

/// What a client asks to upload.
#[derive(Debug, Clone)]
pub struct UploadInput {
    pub purpose: super::Choice<MediaPurpose>,
    pub file_name: String,
    pub content_type: String,
    pub length: i64,
    /// The episode to fill in once the file is probed.
    pub episode_id: Option<Uuid>,
}

/// An upload request once checked: a purpose, a type it takes, and a length within the limit.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadRequest {
    pub purpose: MediaPurpose,
    /// A safe file name for the object key: `[a-z0-9-]`, at most 60 bytes, never empty.
    pub file_stem: String,
    /// The file name as given, for the podcaster's eyes.
    pub file_name: String,
    pub content_type: &'static str,
    pub length: u64,
    pub episode_id: Option<Uuid>,
}

/// Why an upload request is refused before any byte is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadRefusal {
    /// Fields that are missing or malformed (422 `validation`).
    Invalid(super::FieldErrors),
    /// A type the purpose does not take (422 `media_type_not_allowed`).
    TypeNotAllowed {
        purpose: MediaPurpose,
        given: String,
    },
    /// Longer than the purpose's limit (413 `media_too_large`).
    TooLarge { length: u64, max: u64 },
}

impl UploadInput {
    /// Checks the request against the purposes, types and `media_max` (bytes).
    pub fn check(self, media_max: u64) -> Result<UploadRequest, UploadRefusal> {
        let mut c = Checker::default();
        let purpose = c.choice("purpose", &self.purpose);
        let file_name = c.text("file_name", &self.file_name, super::limits::NAME);
        if self.length <= 0 {
            c.error("length", "must be the file's size in bytes, more than 0");
        }
        let purpose = c.finish_with(purpose).map_err(UploadRefusal::Invalid)?;
        let content_type = canonical_type(purpose, &self.content_type).ok_or_else(|| {
            UploadRefusal::TypeNotAllowed {
                purpose,
                given: self.content_type.clone(),
            }
        })?;
        let length = self.length as u64;
        let max = purpose.max_bytes(media_max);
        if length > max {
            return Err(UploadRefusal::TooLarge { length, max });
        }
        Ok(UploadRequest {
            purpose,
            file_stem: file_stem(&file_name),
            file_name,
            content_type,
            length,
            episode_id: self.episode_id,
        })
    }
}

/// A key-safe stem of a file name: its name without the extension, lowercased, runs of anything
/// but `[a-z0-9]` as one `-`, at most 60 bytes; `media` when nothing is left.
pub fn file_stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let mut out = String::new();
    for ch in stem.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "media".into()
    } else {
        out
    }
}

/// What probing found in a file.
#[derive(
    Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
pub struct MediaFacts {
    /// The exact length, in bytes.
    pub length: i64,
    /// Read from the content, not the file name.
    pub content_type: String,
    pub duration_seconds: Option<f64>,
    /// Bits per second (the average, for VBR).
    pub bitrate: Option<i32>,
    pub sample_rate: Option<i32>,
    pub channels: Option<i32>,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

/// A warning about an uploaded file (artwork outside Apple's rules), with a stable code.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct MediaWarning {
    pub code: String,
    pub message: String,
}

/// A stored upload.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub id: Uuid,
    pub show_id: Uuid,
    pub purpose: MediaPurpose,
    pub episode_id: Option<Uuid>,
    /// Its object's key in the store.
    pub key: String,
    pub file_name: String,
    pub declared_type: String,
    pub declared_length: i64,
    pub state: MediaState,
    /// The S3 multipart upload, when sent in parts.
    pub upload_id: Option<String>,
    /// The size of each part, when sent in parts.
    pub part_bytes: Option<i64>,
    /// When its signed URLs stop working.
    pub expires_at: DateTime<Utc>,
    /// Where "copy media" fetched it from.
    pub source_url: Option<String>,
    /// Once probed.
    pub facts: Option<MediaFacts>,
    pub warnings: Vec<MediaWarning>,
    /// Why it was refused.
    pub error: Option<(String, String)>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Media {
    /// How many parts a multipart upload has (1 for a single PUT).
    pub fn part_count(&self) -> u32 {
        match self.part_bytes {
            Some(part) if part > 0 => (self.declared_length as u64).div_ceil(part as u64) as u32,
            _ => 1,
        }
    }
}

/// The object key of a new upload: under `_media/` (no slug starts with `_`), one folder per
/// show and per upload, so that every upload is a new, immutable object.
pub fn media_key(show_id: Uuid, id: Uuid, stem: &str, content_type: &str) -> String {
    format!(
        "_media/{}/{}/{stem}.{}",
        show_id.simple(),
        id.simple(),
        extension(content_type)
    )
}

/// The public URL of the object at `key`, under the media base URL.
pub fn media_url(base: &str, key: &str) -> String {
    format!("{}/{key}", base.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_name_the_types_apple_lists() {
        let media = MediaPurpose::EpisodeMedia;
        assert_eq!(canonical_type(media, "audio/mp4"), Some("audio/x-m4a"));
        assert_eq!(
            canonical_type(media, "Audio/MPEG; charset=x"),
            Some("audio/mpeg")
        );
        assert_eq!(canonical_type(media, "audio/wav"), None);
        assert_eq!(canonical_type(media, "image/png"), None);
        let art = MediaPurpose::ShowArtwork;
        assert_eq!(canonical_type(art, "image/jpg"), Some("image/jpeg"));
        assert_eq!(canonical_type(art, "image/gif"), None);
    }

    #[test]
    fn file_stems_are_key_safe() {
        assert_eq!(
            file_stem("Episode 1: The Start!.MP3"),
            "episode-1-the-start"
        );
        assert_eq!(file_stem("../../etc/passwd"), "passwd");
        assert_eq!(file_stem("日本.mp3"), "media");
        assert_eq!(file_stem(&"a".repeat(200)).len(), 60);
    }
}
