//! Slugs for imported shows, made from their titles.

/// `Café Society: Episode Notes!` → `cafe-society-episode-notes`; at most 54 characters, so a
/// suffix still fits in a slug.
pub fn slug_from_title(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let ascii = match c {
            'a'..='z' | '0'..='9' => c.to_string(),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a".into(),
            'ç' => "c".into(),
            'è' | 'é' | 'ê' | 'ë' => "e".into(),
            'ì' | 'í' | 'î' | 'ï' => "i".into(),
            'ñ' => "n".into(),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o".into(),
            'ù' | 'ú' | 'û' | 'ü' => "u".into(),
            'ý' | 'ÿ' => "y".into(),
            'ß' => "ss".into(),
            'æ' => "ae".into(),
            'œ' => "oe".into(),
            '\'' | '’' => String::new(),
            _ => "-".into(),
        };
        for a in ascii.chars() {
            if a != '-' || !(slug.is_empty() || slug.ends_with('-')) {
                slug.push(a);
            }
        }
    }
    let mut slug = slug.trim_end_matches('-').to_string();
    if slug.len() > 54 {
        slug.truncate(54);
        slug = slug.trim_end_matches('-').to_string();
    }
    if slug.is_empty() {
        slug = "show".into();
    }
    if crate::domain::Slug::is_reserved(&slug) {
        slug.push_str("-show");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slug_from_title;
    use crate::domain::Slug;

    #[test]
    fn slugs_come_from_titles() {
        assert_eq!(
            slug_from_title("Café Society: Episode Notes!"),
            "cafe-society-episode-notes"
        );
        assert_eq!(slug_from_title("  Tom's  --  Show  "), "toms-show");
        assert_eq!(slug_from_title("日本語"), "show");
        assert_eq!(slug_from_title("New!"), "new-show", "/shows/new is a page");
        let long = slug_from_title(&"word ".repeat(40));
        assert!(long.len() <= 54 && !long.ends_with('-'), "{long}");
        for title in ["Café Society", "日本語", "---", &"x".repeat(100)] {
            assert!(Slug::parse(&slug_from_title(title)).is_ok(), "{title}");
        }
    }
}
