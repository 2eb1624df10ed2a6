//! The longest value each kind of input may be: the checks refuse anything longer, and the web
//! UI's forms carry the same numbers as `maxlength`, so a browser stops typing before the server
//! would refuse.

/// Titles of shows and episodes, in characters.
pub const TITLE: usize = 1000;
/// Descriptions (show notes), in characters.
pub const NOTES: usize = 100_000;
/// Names and short texts: author, owner name, copyright, an episode's guid; in characters.
pub const NAME: usize = 255;
/// A funding link's label, in characters.
pub const FUNDING_LABEL: usize = 128;
/// A transcript's media type, in characters.
pub const TRANSCRIPT_TYPE: usize = 100;
/// Each half of a media type (`audio` / `mpeg`), in bytes.
pub const MEDIA_TYPE_PART: usize = 100;
/// URLs, in bytes.
pub const URL: usize = 2048;
/// Slugs, in bytes.
pub const SLUG: usize = 64;
/// Email addresses, in characters.
pub const EMAIL: usize = 254;
/// Passwords, in bytes.
pub const PASSWORD: usize = 1024;
/// The instance's name, in characters.
pub const INSTANCE_NAME: usize = 100;
