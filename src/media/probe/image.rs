//! Artwork: PNG from its `IHDR`, JPEG from its frame header (SOFn), read by walking markers with seeks.

use super::source::{read_exact_at, read_up_to};
use super::{Color, MediaKind, ProbeError, Probed, ReadAt};

/// JPEG segments walked before the file is taken for garbage; real files have a few dozen.
const MAX_SEGMENTS: usize = 1024;

/// Probes a PNG: size and colour from `IHDR`, and an `IEND` at the very end, which a cut-short file lacks.
pub(crate) fn probe_png(src: &dyn ReadAt) -> Result<Probed, ProbeError> {
    let mut head = [0u8; 33];
    read_exact_at(src, 0, &mut head).map_err(|e| ProbeError::from_read(e, "PNG header"))?;
    if &head[12..16] != b"IHDR" {
        return Err(ProbeError::Unreadable(
            "a PNG signature without an IHDR chunk".into(),
        ));
    }
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let len = src.len();
    let tail = read_up_to(src, len.saturating_sub(12), 12)?;
    if len < 45 || &tail[4..8] != b"IEND" {
        return Err(ProbeError::truncated(
            "the PNG does not end with its IEND chunk",
        ));
    }
    let mut probed = Probed::new(MediaKind::Image, "image/png", len);
    probed.width = Some(be32(16));
    probed.height = Some(be32(20));
    probed.color = Some(match head[25] {
        0 | 4 => Color::Gray,
        2 | 3 | 6 => Color::Rgb,
        _ => Color::Other,
    });
    Ok(probed)
}

/// Probes a JPEG: size and component count from the first frame header.
///
/// Only the header is checked: a JPEG cut after its header still displays, and trailers after the
/// end-of-image marker are common, so its end is not checked.
pub(crate) fn probe_jpeg(src: &dyn ReadAt) -> Result<Probed, ProbeError> {
    let mut at = 2u64;
    for _ in 0..MAX_SEGMENTS {
        let mut m = [0u8; 2];
        read_exact_at(src, at, &mut m).map_err(|e| ProbeError::from_read(e, "JPEG header"))?;
        if m[0] != 0xFF {
            return Err(ProbeError::Unreadable(
                "a JPEG whose markers are broken".into(),
            ));
        }
        let marker = m[1];
        match marker {
            // Fill byte: the marker is the next byte.
            0xFF => at += 1,
            // Markers that stand alone, without a length.
            0x01 | 0xD0..=0xD7 => at += 2,
            0xD9 | 0xDA => {
                return Err(ProbeError::Unreadable(
                    "a JPEG with image data but no frame header".into(),
                ))
            }
            _ => {
                let mut seg = [0u8; 8];
                read_exact_at(src, at + 2, &mut seg[..2])
                    .map_err(|e| ProbeError::from_read(e, "JPEG header"))?;
                let seg_len = u64::from(u16::from_be_bytes([seg[0], seg[1]]));
                if seg_len < 2 {
                    return Err(ProbeError::Unreadable(
                        "a JPEG segment with an impossible length".into(),
                    ));
                }
                let is_frame =
                    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if is_frame {
                    read_exact_at(src, at + 4, &mut seg[2..8])
                        .map_err(|e| ProbeError::from_read(e, "JPEG frame header"))?;
                    return Ok(jpeg(src.len(), &seg[2..8]));
                }
                at += 2 + seg_len;
            }
        }
    }
    Err(ProbeError::Unreadable(
        "too many JPEG segments before the frame header".into(),
    ))
}

/// Builds the result from a frame header: precision, height, width, component count.
fn jpeg(len: u64, sof: &[u8]) -> Probed {
    let mut probed = Probed::new(MediaKind::Image, "image/jpeg", len);
    probed.height = Some(u32::from(u16::from_be_bytes([sof[1], sof[2]])));
    probed.width = Some(u32::from(u16::from_be_bytes([sof[3], sof[4]])));
    probed.color = Some(match sof[5] {
        1 => Color::Gray,
        3 => Color::Rgb,
        4 => Color::Cmyk,
        _ => Color::Other,
    });
    probed
}
