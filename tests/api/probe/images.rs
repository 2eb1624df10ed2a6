use podpub::media::probe::{artwork_problems, Color, MediaKind};

use super::helpers::{probed, Sample};

fn codes(kind: Sample) -> Vec<&'static str> {
    artwork_problems(&probed(kind))
        .into_iter()
        .map(|(code, _)| code)
        .collect()
}

#[test]
fn png_artwork_reports_its_size_and_rgb_colour() {
    let p = probed(Sample::PngArtwork(1400, 1400));
    assert_eq!((p.kind, p.content_type), (MediaKind::Image, "image/png"));
    assert_eq!(
        (p.width, p.height, p.color),
        (Some(1400), Some(1400), Some(Color::Rgb))
    );
    assert!(codes(Sample::PngArtwork(1400, 1400)).is_empty());
}

#[test]
fn small_oblong_jpeg_artwork_warns_with_the_size_found() {
    let p = probed(Sample::JpegArtwork(300, 200));
    assert_eq!(
        (p.content_type, p.width, p.height, p.color),
        ("image/jpeg", Some(300), Some(200), Some(Color::Rgb))
    );
    let problems = artwork_problems(&p);
    assert_eq!(
        codes(Sample::JpegArtwork(300, 200)),
        ["artwork_too_small", "artwork_not_square"]
    );
    assert!(problems[0].1.contains("300×200 px"), "{}", problems[0].1);
}

#[test]
fn cmyk_jpeg_artwork_is_not_rgb() {
    assert_eq!(probed(Sample::JpegCmyk).color, Some(Color::Cmyk));
    assert_eq!(codes(Sample::JpegCmyk), ["artwork_not_rgb"]);
}

#[test]
fn oversized_png_artwork_is_too_large() {
    assert_eq!(codes(Sample::PngArtwork(3200, 3200)), ["artwork_too_large"]);
}
