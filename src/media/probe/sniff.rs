//! Format detection from magic bytes, before any parser runs, so a renamed file is caught by what it holds.

use super::source::read_up_to;
use super::{ProbeError, ReadAt};

/// What the first bytes say an object is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Mp3,
    /// ISO base media (MP4, M4A, M4V, QuickTime); brands are checked by the MP4 reader.
    Mp4,
    Png,
    Jpeg,
    /// A real format podpub refuses, named for the message.
    Refused(String),
    /// Nothing we recognise, with a hint of what it looks like.
    Unknown(String),
}

/// Reads the first bytes of `src` and names the format.
pub(crate) fn sniff(src: &dyn ReadAt) -> Result<Sniffed, ProbeError> {
    let head = read_up_to(src, 0, 64)?;
    Ok(sniff_bytes(&head))
}

/// Names the format of an object's first bytes (64 are enough).
pub(crate) fn sniff_bytes(h: &[u8]) -> Sniffed {
    let refused = |what: &str| Sniffed::Refused(what.to_string());
    let at = |offset: usize, magic: &[u8]| h.get(offset..offset + magic.len()) == Some(magic);
    if h.is_empty() {
        return Sniffed::Unknown("the file is empty".into());
    }
    if at(0, b"ID3") {
        return Sniffed::Mp3;
    }
    if at(4, b"ftyp") || at(4, b"moov") || at(4, b"mdat") || at(4, b"wide") || at(4, b"free") {
        return Sniffed::Mp4;
    }
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return Sniffed::Png;
    }
    if at(0, b"\xFF\xD8\xFF") {
        return Sniffed::Jpeg;
    }
    if at(0, b"RIFF") {
        return match h.get(8..12) {
            Some(b"WAVE") => refused("WAV"),
            Some(b"WEBP") => refused("WebP"),
            Some(b"AVI ") => refused("AVI"),
            _ => refused("RIFF"),
        };
    }
    let named: &[(usize, &[u8], &str)] = &[
        (0, b"fLaC", "FLAC"),
        (0, b"OggS", "Ogg"),
        (0, b"GIF87a", "GIF"),
        (0, b"GIF89a", "GIF"),
        (8, b"AIFF", "AIFF"),
        (8, b"AIFC", "AIFF"),
        (0, b"\x1A\x45\xDF\xA3", "Matroska/WebM"),
        (0, b"II*\0", "TIFF"),
        (0, b"MM\0*", "TIFF"),
        (0, b"#!AMR", "AMR"),
        (0, b"MAC ", "Monkey's Audio"),
        (0, b"wvpk", "WavPack"),
        (0, b"\x30\x26\xB2\x75\x8E\x66\xCF\x11", "Windows Media"),
    ];
    if let Some((_, _, what)) = named.iter().find(|(o, m, _)| at(*o, m)) {
        return refused(what);
    }
    if at(0, b"BM") && h.len() >= 26 && h.get(14) == Some(&40) {
        return refused("BMP");
    }
    if h.len() >= 4 && h[0] == 0xFF && h[1] & 0xE0 == 0xE0 {
        if h[1] & 0x06 == 0 {
            // Layer bits 00 under a 12-bit sync: an ADTS AAC stream, not MPEG audio.
            return if h[1] & 0xF0 == 0xF0 {
                refused("raw AAC (ADTS)")
            } else {
                unknown(h)
            };
        }
        let bitrate_index = h[2] >> 4;
        let rate_index = (h[2] >> 2) & 3;
        if h[1] & 0x18 != 0x08 && bitrate_index != 0xF && rate_index != 3 {
            return Sniffed::Mp3;
        }
    }
    unknown(h)
}

fn unknown(h: &[u8]) -> Sniffed {
    let texty =
        h.iter().all(|&b| b >= 0x20 || b"\t\r\n".contains(&b)) || std::str::from_utf8(h).is_ok();
    if texty {
        Sniffed::Unknown("the file looks like text".into())
    } else {
        Sniffed::Unknown("no known audio, video or image signature".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_unknown_and_named_as_text() {
        assert_eq!(
            sniff_bytes(b"hello, world\n"),
            Sniffed::Unknown("the file looks like text".into())
        );
    }

    #[test]
    fn riff_wave_is_refused_as_wav() {
        assert_eq!(
            sniff_bytes(b"RIFF\x24\0\0\0WAVEfmt "),
            Sniffed::Refused("WAV".into())
        );
    }

    #[test]
    fn mpeg_frame_sync_is_mp3_but_reserved_version_is_not() {
        assert_eq!(sniff_bytes(&[0xFF, 0xFB, 0x90, 0x64]), Sniffed::Mp3);
        assert!(matches!(
            sniff_bytes(&[0xFF, 0xEB, 0x90, 0x64]),
            Sniffed::Unknown(_)
        ));
    }
}
