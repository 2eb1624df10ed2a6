//! Why a probe refused a file, each reason with a stable code for the API and the UI.

/// A probe failure. `code()` is stable; the message is for people.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// A real media or image format that podpub refuses (WAV, FLAC, GIF, WebP…); the message names it.
    #[error("{0} files are not accepted; upload MP3, M4A or MP4 media and JPEG or PNG artwork")]
    Unsupported(String),
    /// Not a media file at all (text, an archive, random bytes).
    #[error("not a media file: {0}")]
    Unreadable(String),
    /// A header promises more than the file holds, or no decodable frame or `moov` was found.
    #[error("the file is truncated or incomplete: {0}")]
    Truncated(String),
    /// The source failed; not the file's fault.
    #[error("reading the file failed")]
    Io(#[from] std::io::Error),
}

impl ProbeError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unsupported(_) => "media_unsupported",
            Self::Unreadable(_) => "media_unreadable",
            Self::Truncated(_) => "media_truncated",
            Self::Io(_) => "media_io",
        }
    }

    pub(crate) fn truncated(why: impl Into<String>) -> Self {
        Self::Truncated(why.into())
    }

    /// Maps a read error inside a header: running off the end means the file is short, anything else is I/O.
    pub(crate) fn from_read(err: std::io::Error, what: &str) -> Self {
        if err.kind() == std::io::ErrorKind::UnexpectedEof {
            Self::Truncated(format!("the file ends inside the {what}"))
        } else {
            Self::Io(err)
        }
    }
}
