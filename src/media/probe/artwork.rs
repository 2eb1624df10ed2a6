//! Apple Podcasts' artwork rules, as warnings: the image is kept, the podcaster is told.

use super::{Color, MediaKind, Probed};

/// Smallest side Apple accepts, in pixels.
const MIN_SIDE: u32 = 1400;
/// Largest side Apple accepts, in pixels.
const MAX_SIDE: u32 = 3000;

/// Apple's artwork rules that `p` breaks, as `(code, message)`; empty when it complies.
///
/// Codes are stable: `artwork_format`, `artwork_too_small`, `artwork_too_large`, `artwork_not_square`,
/// `artwork_not_rgb`.
pub fn artwork_problems(p: &Probed) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if p.kind != MediaKind::Image || !matches!(p.content_type, "image/jpeg" | "image/png") {
        problems.push((
            "artwork_format",
            format!(
                "The artwork is {}; Apple wants JPEG or PNG.",
                p.content_type
            ),
        ));
        return problems;
    }
    let (Some(w), Some(h)) = (p.width, p.height) else {
        return problems;
    };
    let size = format!("The artwork is {w}×{h} px; Apple wants a square {MIN_SIDE}–{MAX_SIDE} px.");
    if w.min(h) < MIN_SIDE {
        problems.push(("artwork_too_small", size.clone()));
    }
    if w.max(h) > MAX_SIDE {
        problems.push(("artwork_too_large", size.clone()));
    }
    if w != h {
        problems.push(("artwork_not_square", size));
    }
    match p.color {
        Some(Color::Rgb) | None => {}
        Some(other) => {
            let model = match other {
                Color::Gray => "grayscale",
                Color::Cmyk => "CMYK",
                _ => "in an unusual colour model",
            };
            problems.push((
                "artwork_not_rgb",
                format!("The artwork is {model}; Apple wants RGB."),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(w: u32, h: u32, color: Color) -> Probed {
        let mut p = Probed::new(MediaKind::Image, "image/jpeg", 1000);
        (p.width, p.height, p.color) = (Some(w), Some(h), Some(color));
        p
    }

    fn codes(p: &Probed) -> Vec<&'static str> {
        artwork_problems(p).into_iter().map(|(c, _)| c).collect()
    }

    #[test]
    fn square_rgb_artwork_within_bounds_has_no_problems() {
        assert!(artwork_problems(&image(1400, 1400, Color::Rgb)).is_empty());
        assert!(artwork_problems(&image(3000, 3000, Color::Rgb)).is_empty());
    }

    #[test]
    fn small_oblong_artwork_is_too_small_and_not_square_with_its_size_in_the_message() {
        let p = image(300, 200, Color::Rgb);
        assert_eq!(codes(&p), ["artwork_too_small", "artwork_not_square"]);
        assert_eq!(
            artwork_problems(&p)[0].1,
            "The artwork is 300×200 px; Apple wants a square 1400–3000 px."
        );
    }

    #[test]
    fn huge_cmyk_artwork_is_too_large_and_not_rgb() {
        assert_eq!(
            codes(&image(4000, 4000, Color::Cmyk)),
            ["artwork_too_large", "artwork_not_rgb"]
        );
    }

    #[test]
    fn audio_offered_as_artwork_has_the_wrong_format() {
        let p = Probed::new(MediaKind::Audio, "audio/mpeg", 1000);
        assert_eq!(codes(&p), ["artwork_format"]);
    }
}
