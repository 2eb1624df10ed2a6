//! MP3: ID3 tags are skipped by their declared size, then symphonia reads the first frames of a bounded
//! window for the stream parameters and the frame count (Xing/Info or VBRI header, else an estimate from
//! the average frame size, which is exact for CBR).
//!
//! A CBR file cut short is accepted with the duration of what it holds: nothing in it promises more.
//! One too short for symphonia's estimate (under 17 frames, about 0.4 s) is `media_truncated`.
//! A Xing or VBRI header that counts more bytes than the file holds makes it `media_truncated`.

use std::io::{self, Read, Seek, SeekFrom};
use std::panic::{self, AssertUnwindSafe};

use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::default::formats::MpaReader;

use super::sniff::{self, Sniffed};
use super::source::{read_exact_at, read_up_to};
use super::{bitrate, MediaKind, ProbeError, Probed, ReadAt};

/// Bytes of audio handed to symphonia: room for a Xing frame and the 16 frames its estimate averages.
const WINDOW: usize = 64 * 1024;
/// Stacked ID3v2 tags we follow before giving up.
const MAX_TAGS: usize = 4;

/// Probes MPEG audio (MP3; Layer I/II frames parse too and are reported alike) whose first bytes were an ID3 tag or a frame sync.
pub(crate) fn probe(src: &dyn ReadAt) -> Result<Probed, ProbeError> {
    let len = src.len();
    let start = audio_start(src)?;
    let end = audio_end(src, start)?;
    if end <= start {
        return Err(ProbeError::truncated("there is no audio after the ID3 tag"));
    }
    let audio_len = end - start;
    let window = read_up_to(src, start, WINDOW.min(audio_len as usize))?;
    // An ID3 tag can front other formats too (FLAC, raw AAC): name them rather than fail to find frames.
    if start > 0 {
        if let Sniffed::Refused(what) = sniff::sniff_bytes(&window[..window.len().min(64)]) {
            return Err(ProbeError::Unsupported(what));
        }
    }
    if let Some(promised) = promised_bytes(&window) {
        // Encoders disagree on whether the count includes the tag frame; 5% covers that, not a lost half.
        if (audio_len as f64) < promised as f64 * 0.95 {
            return Err(ProbeError::truncated(format!(
                "its VBR header counts {promised} bytes of audio, but the file holds {audio_len}"
            )));
        }
    }
    let stream = Window {
        data: window,
        pos: 0,
        len: audio_len,
    };
    let mss = MediaSourceStream::new(Box::new(stream), Default::default());
    // symphonia is a parser of untrusted input we don't own: a panic in it refuses the file, not the job.
    let opened = panic::catch_unwind(AssertUnwindSafe(|| {
        MpaReader::try_new(mss, &FormatOptions::default())
    }));
    let reader = match opened {
        Ok(Ok(reader)) => reader,
        Ok(Err(symphonia::core::errors::Error::IoError(_))) => {
            return Err(ProbeError::truncated("no complete MPEG audio frame"))
        }
        Ok(Err(_)) | Err(_) => {
            return Err(ProbeError::Unreadable(
                "no MPEG audio frame where one should start".into(),
            ))
        }
    };
    let Some(params) = reader.tracks().first().map(|t| &t.codec_params) else {
        return Err(ProbeError::Unreadable("no MPEG audio stream".into()));
    };

    let mut probed = Probed::new(MediaKind::Audio, "audio/mpeg", len);
    probed.sample_rate = params.sample_rate;
    probed.channels = params.channels.map(|c| c.count() as u16);
    // symphonia estimates from 16 frames; fewer is a fragment (under half a second), not an episode.
    let (Some(frames), Some(rate)) = (params.n_frames, params.sample_rate) else {
        return Err(ProbeError::truncated(
            "too few MPEG audio frames to measure",
        ));
    };
    let seconds = frames as f64 / f64::from(rate);
    probed.duration_seconds = Some(seconds);
    probed.bitrate = bitrate(audio_len, seconds);
    Ok(probed)
}

/// Where the audio starts: after any ID3v2 tags, each skipped by its declared size.
fn audio_start(src: &dyn ReadAt) -> Result<u64, ProbeError> {
    let mut at = 0u64;
    for _ in 0..MAX_TAGS {
        let mut head = [0u8; 10];
        match read_exact_at(src, at, &mut head) {
            Ok(()) if &head[..3] == b"ID3" => {}
            Ok(()) => break,
            Err(e) if at == 0 => return Err(ProbeError::from_read(e, "ID3 tag header")),
            Err(_) => break,
        }
        let size = head[6..10]
            .iter()
            .fold(0u64, |acc, b| (acc << 7) | u64::from(b & 0x7F));
        let footer = if head[5] & 0x10 != 0 { 10 } else { 0 };
        at += 10 + size + footer;
        if at >= src.len() {
            return Err(ProbeError::truncated(format!(
                "its ID3 tag claims {} bytes, but the file holds {}",
                10 + size + footer,
                src.len()
            )));
        }
    }
    Ok(at)
}

/// Where the audio ends: before a trailing 128-byte ID3v1 tag, if there is one.
fn audio_end(src: &dyn ReadAt, start: u64) -> Result<u64, ProbeError> {
    let len = src.len();
    if len < start + 128 {
        return Ok(len);
    }
    let mut tag = [0u8; 3];
    read_exact_at(src, len - 128, &mut tag)?;
    Ok(if &tag == b"TAG" { len - 128 } else { len })
}

/// The audio byte count a Xing/Info or VBRI header in the first frame promises, if it has one.
fn promised_bytes(frame: &[u8]) -> Option<u64> {
    let h = frame.get(..4)?;
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let mpeg1 = h[1] & 0x18 == 0x18;
    let mono = h[3] >> 6 == 3;
    let side_info = match (mpeg1, mono) {
        (true, true) => 17,
        (true, false) => 32,
        (false, true) => 9,
        (false, false) => 17,
    };
    let be32 = |at: usize| {
        frame
            .get(at..at + 4)
            .map(|b| u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])))
    };
    let xing = 4 + side_info;
    match frame.get(xing..xing + 4) {
        Some(b"Xing") | Some(b"Info") => {
            let flags = be32(xing + 4)?;
            if flags & 2 == 0 {
                return None;
            }
            let at = xing + 8 + if flags & 1 != 0 { 4 } else { 0 };
            return be32(at);
        }
        _ => {}
    }
    // VBRI sits 32 bytes after the header: version, delay, quality (2 bytes each), then the byte count.
    (frame.get(36..40) == Some(b"VBRI"))
        .then(|| be32(46))
        .flatten()
}

/// The audio bytes as symphonia sees them: the first window, with the true length so its estimate holds.
/// Reads past the window end the stream, which bounds what a file of junk can cost.
struct Window {
    data: Vec<u8>,
    pos: u64,
    len: u64,
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let start = (self.pos as usize).min(self.data.len());
        let n = (self.data.len() - start).min(buf.len());
        buf[..n].copy_from_slice(&self.data[start..start + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Window {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let next = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos =
            next.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before start"))?;
        Ok(self.pos)
    }
}

impl MediaSource for Window {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.len)
    }
}
