//! Slugs, and the keys and URLs of feeds named by them.

use serde::{Deserialize, Serialize};

/// A show's slug: `[a-z0-9-]{1,64}`, not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Parses a slug, or says what is wrong with it.
    pub fn parse(raw: &str) -> Result<Slug, &'static str> {
        if raw.is_empty() || raw.len() > super::limits::SLUG {
            return Err("must be 1 to 64 characters");
        }
        if !raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err("may contain only a-z, 0-9 and -");
        }
        if raw.starts_with('-') || raw.ends_with('-') {
            return Err("must not start or end with -");
        }
        Ok(Slug(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Slugs a new show cannot take, since a page of the UI has the same path (`/shows/new`).
    /// A show that already has one keeps it.
    pub const RESERVED: &'static [&'static str] = &["new"];

    pub fn is_reserved(raw: &str) -> bool {
        Slug::RESERVED.contains(&raw)
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The object key of a show's feed.
pub fn feed_key(slug: &str) -> String {
    format!("{slug}/feed.xml")
}

/// The public URL of a show's feed.
pub fn feed_url(base: &str, slug: &str) -> String {
    format!("{base}/{}", feed_key(slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        assert!(Slug::parse("my-show-2").is_ok());
        for bad in [
            "",
            "My-Show",
            "a b",
            "-a",
            "a-",
            "ä",
            "a/b",
            &"x".repeat(65),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }
}
