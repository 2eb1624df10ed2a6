//! Free text from users: bounded, and free of characters XML 1.0 cannot carry.

/// Why a text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong(usize),
    ControlCharacter,
}

impl std::fmt::Display for TextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextError::Empty => f.write_str("must not be empty"),
            TextError::TooLong(max) => write!(f, "must be at most {max} characters"),
            TextError::ControlCharacter => f.write_str("must not contain control characters"),
        }
    }
}

/// Trims `raw` and checks it: not empty, at most `max` characters, and only characters
/// XML 1.0 allows (`multiline` also admits newlines and tabs).
pub fn clean_text(raw: &str, max: usize, multiline: bool) -> Result<String, TextError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(TextError::Empty);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    let allowed = |c: char| match c {
        '\t' | '\n' | '\r' => multiline,
        '\u{FFFE}' | '\u{FFFF}' => false,
        c => !c.is_control(),
    };
    if !text.chars().all(allowed) {
        return Err(TextError::ControlCharacter);
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_unicode_and_refuses_controls() {
        assert_eq!(
            clean_text("  Café 🎙 & <b> ", 100, false).unwrap(),
            "Café 🎙 & <b>"
        );
        assert_eq!(
            clean_text("a\u{1}b", 100, true),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(
            clean_text("a\nb", 100, false),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(clean_text("a\nb", 100, true).unwrap(), "a\nb");
        assert_eq!(clean_text("   ", 100, true), Err(TextError::Empty));
        assert_eq!(clean_text("ééé", 2, true), Err(TextError::TooLong(2)));
    }
}
