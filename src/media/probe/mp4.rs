//! ISO base media (MP4, M4A, M4V, QuickTime): a box walker that seeks from header to header.
//!
//! Only headers are read: `ftyp`, `mvhd`, and per track `tkhd`, `mdhd`, `hdlr` and the first `stsd`
//! entry. `mdat` and the sample tables (`stsz`, `stco`…, over 1 MB in a long file) are seeked over, so
//! `moov` at the end costs one more block, not the file.

use super::source::{read_exact_at, read_up_to};
use super::{bitrate, esds, MediaKind, ProbeError, Probed, ReadAt};

/// Boxes walked at one level before the file is taken for garbage; real files have a handful.
const MAX_BOXES: usize = 4096;

/// One box: its type and the byte range of its content.
#[derive(Clone, Copy)]
struct Mp4Box {
    kind: [u8; 4],
    body: u64,
    end: u64,
}

/// Lists the boxes in `[at, end)`, checking that each fits its parent.
fn boxes(src: &dyn ReadAt, at: u64, end: u64) -> Result<Vec<Mp4Box>, ProbeError> {
    walk(src, at, end, |_| false)
}

/// Walks the boxes in `[at, end)` until `stop` says so, so a search does not touch the headers after
/// its hit (each can sit in another block of a large `moov`).
fn walk(
    src: &dyn ReadAt,
    mut at: u64,
    end: u64,
    mut stop: impl FnMut(&Mp4Box) -> bool,
) -> Result<Vec<Mp4Box>, ProbeError> {
    let mut found = Vec::new();
    while at + 8 <= end {
        if found.len() == MAX_BOXES {
            return Err(ProbeError::Unreadable("too many MP4 boxes".into()));
        }
        let mut head = [0u8; 16];
        let short = end - at < 16;
        read_exact_at(src, at, &mut head[..if short { 8 } else { 16 }])
            .map_err(|e| ProbeError::from_read(e, "box"))?;
        let kind = [head[4], head[5], head[6], head[7]];
        let (header, size) = match u32::from_be_bytes([head[0], head[1], head[2], head[3]]) {
            0 => (8, end - at),
            1 if !short => (
                16,
                u64::from_be_bytes(head[8..16].try_into().expect("8 bytes")),
            ),
            1 => return Err(ProbeError::truncated("the file ends inside a box header")),
            n => (8, u64::from(n)),
        };
        if size < header {
            return Err(ProbeError::Unreadable(format!(
                "an MP4 box ({}) has an impossible size",
                name(&kind)
            )));
        }
        let box_end = at.saturating_add(size);
        if box_end > end {
            return Err(ProbeError::truncated(format!(
                "its {} box declares {size} bytes, but only {} remain",
                name(&kind),
                end - at
            )));
        }
        let b = Mp4Box {
            kind,
            body: at + header,
            end: box_end,
        };
        found.push(b);
        if stop(&b) {
            break;
        }
        at = box_end;
    }
    Ok(found)
}

fn name(kind: &[u8; 4]) -> String {
    kind.iter()
        .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
        .collect()
}

fn child(src: &dyn ReadAt, parent: &Mp4Box, kind: &[u8; 4]) -> Result<Option<Mp4Box>, ProbeError> {
    let walked = walk(src, parent.body, parent.end, |b| &b.kind == kind)?;
    Ok(walked.into_iter().find(|b| &b.kind == kind))
}

/// Up to `max` bytes of a box's content.
fn body(src: &dyn ReadAt, b: &Mp4Box, max: usize) -> Result<Vec<u8>, ProbeError> {
    Ok(read_up_to(src, b.body, max.min((b.end - b.body) as usize))?)
}

fn be16(d: &[u8], at: usize) -> Option<u32> {
    d.get(at..at + 2)
        .map(|b| u32::from(u16::from_be_bytes([b[0], b[1]])))
}

fn be32(d: &[u8], at: usize) -> Option<u64> {
    d.get(at..at + 4)
        .map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
}

fn be64(d: &[u8], at: usize) -> Option<u64> {
    d.get(at..at + 8)
        .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
}

/// `(timescale, duration)` of an `mvhd` or `mdhd` body, both versions.
fn timing(d: &[u8]) -> Option<(u64, u64)> {
    match d.first()? {
        0 => Some((be32(d, 12)?, be32(d, 16)?)),
        1 => Some((be32(d, 20)?, be64(d, 24)?)),
        _ => None,
    }
}

fn seconds((scale, duration): (u64, u64)) -> Option<f64> {
    (scale > 0 && duration > 0 && duration != u64::from(u32::MAX))
        .then(|| duration as f64 / scale as f64)
}

/// What one `trak` holds.
#[derive(Default)]
struct Track {
    handler: [u8; 4],
    seconds: Option<f64>,
    timescale: Option<u32>,
    sample_rate: Option<u32>,
    channels: Option<u16>,
    width: Option<u32>,
    height: Option<u32>,
}

fn track(src: &dyn ReadAt, trak: &Mp4Box) -> Result<Track, ProbeError> {
    let mut t = Track::default();
    if let Some(tkhd) = child(src, trak, b"tkhd")? {
        let d = body(src, &tkhd, 96)?;
        let at = if d.first() == Some(&1) { 88 } else { 76 };
        t.width = be32(&d, at).map(|w| (w >> 16) as u32).filter(|&w| w > 0);
        t.height = be32(&d, at + 4)
            .map(|h| (h >> 16) as u32)
            .filter(|&h| h > 0);
    }
    let Some(mdia) = child(src, trak, b"mdia")? else {
        return Ok(t);
    };
    if let Some(mdhd) = child(src, &mdia, b"mdhd")? {
        let timing = timing(&body(src, &mdhd, 32)?);
        t.seconds = timing.and_then(seconds);
        t.timescale = timing.and_then(|(s, _)| u32::try_from(s).ok());
    }
    if let Some(hdlr) = child(src, &mdia, b"hdlr")? {
        let d = body(src, &hdlr, 12)?;
        if let Some(h) = d.get(8..12) {
            t.handler.copy_from_slice(h);
        }
    }
    let stsd = match child(src, &mdia, b"minf")? {
        Some(minf) => match child(src, &minf, b"stbl")? {
            Some(stbl) => child(src, &stbl, b"stsd")?,
            None => None,
        },
        None => None,
    };
    if let Some(stsd) = stsd {
        // Skip version/flags and entry count; the entry is size, format, 6 reserved bytes, a reference index.
        let d = body(src, &stsd, 256)?;
        if &t.handler == b"soun" {
            let version = be16(&d, 24);
            t.channels = be16(&d, 32).filter(|&c| c > 0).map(|c| c as u16);
            t.sample_rate = be16(&d, 40).filter(|&r| r > 0 && version == Some(0));
            if let Some((rate, channels)) = esds_in(&d).and_then(esds::audio_config) {
                t.sample_rate = rate.or(t.sample_rate);
                t.channels = channels.or(t.channels);
            }
        }
    }
    if &t.handler == b"soun" && t.sample_rate.is_none() {
        t.sample_rate = t.timescale;
    }
    Ok(t)
}

/// The `esds` body inside the first sample entry of an `stsd` body, if it is a version-0 `mp4a` entry.
fn esds_in(stsd: &[u8]) -> Option<&[u8]> {
    if stsd.get(12..16)? != b"mp4a" || be16(stsd, 24)? != 0 {
        return None;
    }
    let entry_end = (8 + be32(stsd, 8)? as usize).min(stsd.len());
    // The sample entry's children follow its 28 fixed bytes.
    let mut at = 8 + 36;
    while at + 8 <= entry_end {
        let size = be32(stsd, at)? as usize;
        if size < 8 {
            return None;
        }
        if stsd.get(at + 4..at + 8)? == b"esds" {
            return stsd.get(at + 8..(at + size).min(entry_end));
        }
        at += size;
    }
    None
}

/// Probes an ISO base media file whose first box looked like one.
pub(crate) fn probe(src: &dyn ReadAt) -> Result<Probed, ProbeError> {
    let len = src.len();
    let top = boxes(src, 0, len)?;
    let brand = match top.iter().find(|b| &b.kind == b"ftyp") {
        Some(ftyp) => body(src, ftyp, 4)?.try_into().unwrap_or(*b"    "),
        None => *b"qt  ",
    };
    match &brand {
        b"heic" | b"heix" | b"mif1" | b"msf1" | b"avif" | b"avis" => {
            return Err(ProbeError::Unsupported("HEIF/AVIF image".into()))
        }
        b"3gp4" | b"3gp5" | b"3gp6" | b"3g2a" => {
            return Err(ProbeError::Unsupported("3GPP".into()))
        }
        b"crx " => return Err(ProbeError::Unsupported("Canon raw image".into())),
        _ => {}
    }
    let Some(moov) = top.iter().find(|b| &b.kind == b"moov") else {
        return Err(ProbeError::truncated(
            "there is no moov box, so nothing says how to play it",
        ));
    };
    let media_bytes: u64 = top
        .iter()
        .filter(|b| &b.kind == b"mdat")
        .map(|b| b.end - b.body)
        .sum();
    let inside = boxes(src, moov.body, moov.end)?;
    let movie = match inside.iter().find(|b| &b.kind == b"mvhd") {
        Some(mvhd) => timing(&body(src, mvhd, 32)?).and_then(seconds),
        None => None,
    };
    let mut tracks = Vec::new();
    for trak in inside.iter().filter(|b| &b.kind == b"trak") {
        tracks.push(track(src, trak)?);
    }
    let video = tracks.iter().find(|t| &t.handler == b"vide");
    let audio = tracks.iter().find(|t| &t.handler == b"soun");
    let (kind, content_type) = match (video, &brand) {
        (Some(_), b"qt  ") => (MediaKind::Video, "video/quicktime"),
        (Some(_), b"M4V " | b"M4VH" | b"M4VP") => (MediaKind::Video, "video/x-m4v"),
        (Some(_), _) => (MediaKind::Video, "video/mp4"),
        (None, _) if audio.is_some() => (MediaKind::Audio, "audio/x-m4a"),
        (None, _) => {
            return Err(ProbeError::Unreadable(
                "the MP4 has no audio or video track".into(),
            ))
        }
    };
    let mut probed = Probed::new(kind, content_type, len);
    probed.duration_seconds =
        movie.or_else(|| tracks.iter().filter_map(|t| t.seconds).reduce(f64::max));
    probed.bitrate = probed
        .duration_seconds
        .and_then(|s| bitrate(media_bytes, s));
    if let Some(a) = audio {
        probed.sample_rate = a.sample_rate;
        probed.channels = a.channels;
    }
    if let Some(v) = video {
        probed.width = v.width;
        probed.height = v.height;
    }
    Ok(probed)
}
