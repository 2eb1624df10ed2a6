//! Media probing: what an uploaded object really is, read from its content with a bounded number of bytes.
//!
//! The entry point is [`probe`]. It sniffs magic bytes first, then hands the object to the
//! format's reader. Readers seek rather than scan, so probing a 100 MB file on S3 costs a few ranged GETs.

mod artwork;
mod error;
mod esds;
mod image;
mod mp3;
mod mp4;
mod sniff;
mod source;

pub use artwork::artwork_problems;
pub use error::ProbeError;
pub use source::{Counted, FileSource, ReadAt};

use sniff::Sniffed;

/// What kind of thing a probed object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Audio,
    Video,
    Image,
}

/// The colour model of an image, for Apple's "RGB" artwork rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// RGB or YCbCr (a 3-component JPEG), palette or RGBA PNG.
    Rgb,
    Gray,
    Cmyk,
    Other,
}

/// What a probe measured. Every field comes from the content, never from a file name.
#[derive(Debug, Clone, PartialEq)]
pub struct Probed {
    pub kind: MediaKind,
    /// `audio/mpeg`, `audio/x-m4a`, `video/mp4`, `video/quicktime`, `video/x-m4v`, `image/jpeg` or `image/png`.
    pub content_type: &'static str,
    /// Exact byte length.
    pub length: u64,
    pub duration_seconds: Option<f64>,
    /// Bits per second; the average for VBR.
    pub bitrate: Option<u32>,
    pub sample_rate: Option<u32>,
    pub channels: Option<u16>,
    /// Pixels, for images and video.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Images only.
    pub color: Option<Color>,
}

impl Probed {
    pub(crate) fn new(kind: MediaKind, content_type: &'static str, length: u64) -> Self {
        Self {
            kind,
            content_type,
            length,
            duration_seconds: None,
            bitrate: None,
            sample_rate: None,
            channels: None,
            width: None,
            height: None,
            color: None,
        }
    }
}

/// Probes an object: its type, length, duration and stream or pixel parameters.
///
/// Never reads the whole object: headers are read, media data is seeked over.
pub fn probe(source: &dyn ReadAt) -> Result<Probed, ProbeError> {
    match sniff::sniff(source)? {
        Sniffed::Mp3 => mp3::probe(source),
        Sniffed::Mp4 => mp4::probe(source),
        Sniffed::Png => image::probe_png(source),
        Sniffed::Jpeg => image::probe_jpeg(source),
        Sniffed::Refused(what) => Err(ProbeError::Unsupported(what)),
        Sniffed::Unknown(why) => Err(ProbeError::Unreadable(why)),
    }
}

/// Average bits per second of `bytes` played over `seconds`.
pub(crate) fn bitrate(bytes: u64, seconds: f64) -> Option<u32> {
    (seconds > 0.0).then(|| (bytes as f64 * 8.0 / seconds).round().min(u32::MAX as f64) as u32)
}
