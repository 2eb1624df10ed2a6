//! The domain: shows, episodes and their Podcasting 2.0 details, the states they go through,
//! and input types that parse, don't validate: once built, a value is known good.

mod text_enum;

pub mod check;
mod email;
mod episode;
pub mod history;
mod job;
pub mod limits;
pub mod media;
mod member;
pub mod notes;
mod podcasting;
mod show;
mod slug;
mod text;
mod url;

pub(crate) use self::text_enum::text_enum;
pub use self::text_enum::UnknownWord;

pub use self::check::{Checker, Choice, FieldErrors};
pub use self::email::{Email, NotAnEmail};
pub use self::episode::{
    in_database_range, next_release_among, Enclosure, Episode, EpisodeFields, EpisodeInput,
    EpisodeState, EpisodeStatus, EpisodeType,
};
pub use self::job::{JobKind, JobState, ObjectKind, QueueDepth};
pub use self::media::{
    Media, MediaFacts, MediaPurpose, MediaState, MediaWarning, UploadInput, UploadRefusal,
    UploadRequest,
};
pub use self::member::{Role, Surface, Viewer};
pub use self::podcasting::*;
pub use self::show::{
    valid_language, Category, Funding, PublishState, Show, ShowFields, ShowInput, ShowStatus,
    ShowType,
};
pub use self::slug::{feed_key, feed_url, Slug};
pub use self::text::{clean_text, TextError};
pub use self::url::{is_public, HttpUrl, UrlError};
