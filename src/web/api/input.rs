//! Shared validation of API input: each check records a message under the field's name.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use crate::domain::{clean_text, HttpUrl, TextError};
use crate::web::error::ApiError;

/// Deserializes a field that may be absent (`None`), null (`Some(None)`) or set.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The new value of a nullable field: unchanged when absent, cleared when null.
pub fn merge<T>(new: Option<Option<T>>, old: Option<T>) -> Option<T> {
    match new {
        None => old,
        Some(v) => v,
    }
}

/// Collects field errors while input is checked.
#[derive(Default)]
pub struct Checker {
    fields: BTreeMap<String, String>,
}

impl Checker {
    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.fields
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    /// Required one-line text.
    pub fn text(&mut self, field: &str, raw: &str, max: usize) -> String {
        clean_text(raw, max, false).unwrap_or_else(|e| {
            self.error(field, e.to_string());
            String::new()
        })
    }

    /// Multi-line text that may be empty.
    pub fn long_text(&mut self, field: &str, raw: &str, max: usize) -> String {
        match clean_text(raw, max, true) {
            Ok(text) => text,
            Err(TextError::Empty) => String::new(),
            Err(e) => {
                self.error(field, e.to_string());
                String::new()
            }
        }
    }

    /// Optional one-line text: empty means none.
    pub fn opt_text(&mut self, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
        match clean_text(raw?, max, false) {
            Ok(text) => Some(text),
            Err(TextError::Empty) => None,
            Err(e) => {
                self.error(field, e.to_string());
                None
            }
        }
    }

    /// Optional absolute http(s) URL: empty means none.
    pub fn opt_url(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        let raw = raw?.trim();
        if raw.is_empty() {
            return None;
        }
        match HttpUrl::parse(raw) {
            Ok(url) => Some(url.as_str().to_string()),
            Err(e) => {
                self.error(field, e.to_string());
                None
            }
        }
    }

    /// Required absolute http(s) URL.
    pub fn url(&mut self, field: &str, raw: &str) -> String {
        match HttpUrl::parse(raw) {
            Ok(url) => url.as_str().to_string(),
            Err(e) => {
                self.error(field, e.to_string());
                String::new()
            }
        }
    }

    /// One of a fixed set of words.
    pub fn one_of(&mut self, field: &str, raw: &str, allowed: &[&str]) -> String {
        if !allowed.contains(&raw) {
            self.error(field, format!("must be one of: {}", allowed.join(", ")));
        }
        raw.to_string()
    }

    /// A whole number in `range`.
    pub fn number(&mut self, field: &str, raw: i64, range: std::ops::RangeInclusive<i64>) -> i64 {
        if !range.contains(&raw) {
            let (lo, hi) = (range.start(), range.end());
            self.error(field, format!("must be between {lo} and {hi}"));
        }
        raw
    }

    /// A media type such as `audio/mpeg`, lower-cased.
    pub fn media_type(&mut self, field: &str, raw: &str) -> String {
        let mime = raw.trim().to_ascii_lowercase();
        let token = |s: &str| {
            !s.is_empty()
                && s.len() <= 100
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
        };
        if !mime
            .split_once('/')
            .is_some_and(|(a, b)| token(a) && token(b))
        {
            self.error(field, "must be a media type such as audio/mpeg");
        }
        mime
    }

    /// An email address: one `@`, no spaces, at most 254 characters.
    pub fn opt_email(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        let email = self.opt_text(field, raw, 254)?;
        let valid = email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        }) && !email.contains(char::is_whitespace);
        if !valid {
            self.error(field, "must be an email address");
        }
        Some(email)
    }

    /// The collected errors, as a 422.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Invalid(self.fields))
        }
    }
}
