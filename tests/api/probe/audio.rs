use podpub::media::probe::MediaKind;

use super::helpers::{assert_close, ffprobe_duration, probed, sample, Sample};

#[test]
fn cbr_mp3_duration_comes_from_its_length_and_bitrate() {
    let p = probed(Sample::Mp3Cbr);
    assert_eq!((p.kind, p.content_type), (MediaKind::Audio, "audio/mpeg"));
    assert_eq!(
        p.length,
        std::fs::metadata(sample(Sample::Mp3Cbr)).unwrap().len()
    );
    assert_close(
        p.duration_seconds,
        ffprobe_duration(&sample(Sample::Mp3Cbr)),
        0.1,
    );
    assert_close(p.duration_seconds, 3.0, 0.1);
    assert_eq!((p.sample_rate, p.channels), (Some(44100), Some(2)));
    let kbps = p.bitrate.unwrap() / 1000;
    assert!((126..=130).contains(&kbps), "bitrate {kbps} kb/s");
}

#[test]
fn vbr_mp3_duration_comes_from_its_xing_header() {
    let p = probed(Sample::Mp3Vbr);
    assert_eq!(p.content_type, "audio/mpeg");
    assert_close(
        p.duration_seconds,
        ffprobe_duration(&sample(Sample::Mp3Vbr)),
        0.1,
    );
    assert_close(p.duration_seconds, 3.0, 0.1);
    assert!(
        p.bitrate.unwrap() > 32_000,
        "average bitrate {:?}",
        p.bitrate
    );
}

#[test]
fn vbr_mp3_duration_comes_from_its_vbri_header() {
    let p = probed(Sample::Mp3Vbri);
    assert_eq!(p.content_type, "audio/mpeg");
    assert_close(p.duration_seconds, 3.0, 0.1);
}

#[test]
fn m4a_with_moov_at_the_end_is_measured_without_reading_its_media() {
    let (result, read) = super::helpers::probe_sample(Sample::M4aMoovAtEnd);
    let p = result.unwrap();
    assert_eq!((p.kind, p.content_type), (MediaKind::Audio, "audio/x-m4a"));
    assert_close(
        p.duration_seconds,
        ffprobe_duration(&sample(Sample::M4aMoovAtEnd)),
        0.1,
    );
    assert_eq!((p.sample_rate, p.channels), (Some(44100), Some(1)));
    let kbps = p.bitrate.unwrap() / 1000;
    assert!((80..=110).contains(&kbps), "bitrate {kbps} kb/s");
    assert!(read <= p.length, "read {read} of {}", p.length);
}

#[test]
fn faststart_m4a_probes_the_same_as_moov_at_the_end() {
    let (a, b) = (probed(Sample::M4aFaststart), probed(Sample::M4aMoovAtEnd));
    assert_eq!(
        (a.content_type, a.sample_rate, a.channels),
        (b.content_type, b.sample_rate, b.channels)
    );
    assert_close(a.duration_seconds, b.duration_seconds.unwrap(), 0.01);
}

#[test]
fn mp3_cover_art_in_its_id3_tag_is_skipped_not_read() {
    let (result, read) = super::helpers::probe_sample(Sample::Mp3WithCover);
    let p = result.unwrap();
    let tag = p.length - std::fs::metadata(sample(Sample::Mp3Cbr)).unwrap().len();
    assert!(
        tag > 200_000,
        "the cover should be large, the tag grew by {tag}"
    );
    assert!(read < tag, "read {read} bytes past a {tag}-byte tag");
    assert_close(
        p.duration_seconds,
        ffprobe_duration(&sample(Sample::Mp3WithCover)),
        0.1,
    );
    let kbps = p.bitrate.unwrap() / 1000;
    assert!(
        (126..=130).contains(&kbps),
        "the tag counted as audio: {kbps} kb/s"
    );
}
