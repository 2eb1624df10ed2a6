use std::io;

use podpub::media::probe::{probe, ReadAt};

use super::helpers::{probed, refusal, sample, Sample};

fn prefix(kind: Sample, len: impl Fn(usize) -> usize) -> Vec<u8> {
    let whole = std::fs::read(sample(kind)).unwrap();
    whole[..len(whole.len())].to_vec()
}

fn code_of(bytes: Vec<u8>) -> &'static str {
    match probe(&bytes) {
        Ok(p) => panic!("should be refused, probed as {p:?}"),
        Err(e) => e.code(),
    }
}

#[test]
fn wav_is_refused_as_unsupported_and_named() {
    let e = refusal(Sample::Wav);
    assert_eq!(e.code(), "media_unsupported");
    assert!(e.to_string().contains("WAV"), "{e}");
}

#[test]
fn text_named_mp3_is_unreadable() {
    assert_eq!(refusal(Sample::TextRenamed).code(), "media_unreadable");
}

#[test]
fn m4a_with_moov_at_the_end_cut_in_half_is_truncated() {
    assert_eq!(refusal(Sample::Truncated).code(), "media_truncated");
}

#[test]
fn faststart_m4a_cut_in_half_is_truncated() {
    assert_eq!(
        code_of(prefix(Sample::M4aFaststart, |n| n / 2)),
        "media_truncated"
    );
}

#[test]
fn mp3_cut_to_a_few_hundred_bytes_is_truncated() {
    for kind in [Sample::Mp3Cbr, Sample::Mp3Vbr] {
        for len in [10, 200, 300, 2000] {
            let code = code_of(prefix(kind, |_| len));
            assert!(
                matches!(code, "media_truncated" | "media_unreadable"),
                "{kind:?} cut to {len}: {code}"
            );
        }
    }
}

#[test]
fn vbr_mp3_cut_in_half_is_truncated_because_its_xing_header_counts_more() {
    assert_eq!(
        code_of(prefix(Sample::Mp3Vbr, |n| n / 2)),
        "media_truncated"
    );
}

#[test]
fn cbr_mp3_cut_in_half_is_accepted_with_the_duration_it_holds() {
    let whole = probed(Sample::Mp3Cbr).duration_seconds.unwrap();
    let half = probe(&prefix(Sample::Mp3Cbr, |n| n / 2))
        .unwrap()
        .duration_seconds
        .unwrap();
    assert!(
        (half - whole / 2.0).abs() < 0.1,
        "half {half}, whole {whole}"
    );
}

#[test]
fn images_cut_inside_their_header_are_truncated() {
    assert_eq!(
        code_of(prefix(Sample::PngArtwork(300, 300), |_| 20)),
        "media_truncated"
    );
    assert_eq!(
        code_of(prefix(Sample::PngArtwork(300, 300), |n| n / 2)),
        "media_truncated"
    );
    assert_eq!(
        code_of(prefix(Sample::JpegArtwork(300, 300), |_| 100)),
        "media_truncated"
    );
}

#[test]
fn an_id3_tag_longer_than_the_file_is_truncated() {
    let mut bytes = b"ID3\x04\0\0\x7f\x7f\x7f\x7f".to_vec();
    bytes.resize(4096, 0);
    let e = probe(&bytes).unwrap_err();
    assert_eq!(e.code(), "media_truncated");
    assert!(e.to_string().contains("ID3 tag claims"), "{e}");
}

#[test]
fn flac_behind_an_id3_tag_is_refused_as_flac() {
    let mut bytes = b"ID3\x04\0\0\0\0\0\x10".to_vec();
    bytes.resize(26, 0);
    bytes.extend_from_slice(b"fLaC\0\0\0\x22");
    bytes.resize(4096, 0);
    let e = probe(&bytes).unwrap_err();
    assert_eq!(e.code(), "media_unsupported");
    assert!(e.to_string().starts_with("FLAC"), "{e}");
}

struct Failing;

impl ReadAt for Failing {
    fn len(&self) -> u64 {
        1 << 20
    }

    fn read_at(&self, _: u64, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "the store hung up",
        ))
    }
}

#[test]
fn a_failing_source_is_an_io_error_not_the_files_fault() {
    assert_eq!(probe(&Failing).unwrap_err().code(), "media_io");
}
