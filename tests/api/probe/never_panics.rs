use podpub::media::probe::probe;

use super::helpers::{sample, Sample};

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn random_bytes_never_panic_and_are_refused() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..2000 {
        let len = (rng.next() % 4096) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Give some rounds a real signature so the format readers, not just the sniffer, see garbage.
        let magic: &[u8] = match round % 6 {
            0 => b"ID3\x04\0\0\0\0\0\x10",
            1 => b"\xFF\xFB\x90\x64",
            2 => b"\0\0\0\x18ftypM4A ",
            3 => b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR",
            4 => b"\xFF\xD8\xFF\xE0",
            _ => b"",
        };
        let n = magic.len().min(bytes.len());
        bytes[..n].copy_from_slice(&magic[..n]);
        let _ = probe(&bytes);
    }
}

#[test]
fn every_prefix_of_real_samples_never_panics() {
    let kinds = [
        Sample::Mp3Vbr,
        Sample::Mp3Vbri,
        Sample::M4aFaststart,
        Sample::M4aMoovAtEnd,
        Sample::VideoMp4,
        Sample::PngArtwork(64, 64),
        Sample::JpegArtwork(64, 64),
    ];
    for kind in kinds {
        let whole = std::fs::read(sample(kind)).unwrap();
        let mut len = 0;
        while len <= whole.len() {
            let _ = probe(&whole[..len].to_vec());
            len += if len < 2048 { 1 } else { 61 };
        }
        assert!(probe(&whole).is_ok(), "{kind:?} whole");
    }
}

#[test]
fn flipped_bytes_in_real_samples_never_panic() {
    let mut rng = Rng(42);
    for kind in [
        Sample::Mp3Vbr,
        Sample::M4aMoovAtEnd,
        Sample::VideoMp4,
        Sample::JpegArtwork(64, 64),
    ] {
        let whole = std::fs::read(sample(kind)).unwrap();
        for _ in 0..300 {
            let mut bytes = whole.clone();
            for _ in 0..4 {
                // Most headers sit in the first and last few KB; aim there.
                let span = 4096.min(bytes.len());
                let at = if rng.next() % 2 == 0 {
                    rng.next() as usize % span
                } else {
                    bytes.len() - 1 - rng.next() as usize % span
                };
                bytes[at] = rng.next() as u8;
            }
            let _ = probe(&bytes);
        }
    }
}
