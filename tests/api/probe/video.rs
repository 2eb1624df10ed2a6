use podpub::media::probe::MediaKind;

use super::helpers::{assert_close, ffprobe_duration, probed, sample, Sample};

#[test]
fn mp4_with_a_video_track_is_video_with_its_frame_size() {
    let p = probed(Sample::VideoMp4);
    assert_eq!((p.kind, p.content_type), (MediaKind::Video, "video/mp4"));
    assert_close(
        p.duration_seconds,
        ffprobe_duration(&sample(Sample::VideoMp4)),
        0.1,
    );
    assert_eq!((p.width, p.height), (Some(64), Some(64)));
    assert_eq!((p.sample_rate, p.channels), (Some(44100), Some(1)));
}

#[test]
fn quicktime_movie_is_video_quicktime() {
    let p = probed(Sample::MovVideo);
    assert_eq!(
        (p.kind, p.content_type),
        (MediaKind::Video, "video/quicktime")
    );
    assert_close(p.duration_seconds, 2.0, 0.1);
}
