//! Checking input field by field: each problem is recorded under the field's name, so that
//! one answer lists them all.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

use super::{clean_text, Email, HttpUrl, TextError, UnknownWord};

/// What was wrong with an input, by field name (`enclosure.url` for nested ones).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    /// One field's problem.
    pub fn one(field: &str, message: impl Into<String>) -> FieldErrors {
        FieldErrors(BTreeMap::from([(field.to_string(), message.into())]))
    }

    /// The first problem's message, for callers that report only one.
    pub fn first_message(&self) -> Option<&str> {
        self.0.values().next().map(String::as_str)
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list: Vec<String> = self.0.iter().map(|(k, v)| format!("{k} {v}")).collect();
        f.write_str(&list.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Collects field errors while input is checked.
#[derive(Debug, Default)]
pub struct Checker {
    fields: BTreeMap<String, String>,
}

impl Checker {
    /// Records a problem with `field`; the first one recorded for a field is kept.
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
        Some(self.url(field, raw)).filter(|u| !u.is_empty())
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
        match media_type(raw) {
            Some(mime) => mime,
            None => {
                self.error(field, "must be a media type such as audio/mpeg");
                raw.trim().to_ascii_lowercase()
            }
        }
    }

    /// A required email address (`None` when it is not one, with the error recorded).
    pub fn email(&mut self, field: &str, raw: &str) -> Option<Email> {
        match Email::parse(raw) {
            Ok(email) => Some(email),
            Err(e) => {
                self.error(field, e.to_string());
                None
            }
        }
    }

    /// An optional email address: empty means none.
    pub fn opt_email(&mut self, field: &str, raw: Option<&str>) -> Option<Email> {
        let raw = raw?.trim();
        if raw.is_empty() {
            return None;
        }
        self.email(field, raw)
    }

    /// A word chosen from an enum's values (`None` if it named none of them).
    pub fn choice<T: Copy>(&mut self, field: &str, choice: &Choice<T>) -> Option<T> {
        match &choice.0 {
            Ok(value) => Some(*value),
            Err(why) => {
                self.error(field, why.to_string());
                None
            }
        }
    }

    /// The collected errors, or else `checked`: the value of checks that each give `None` only
    /// when they record an error.
    pub fn finish_with<T>(self, checked: Option<T>) -> Result<T, FieldErrors> {
        self.finish()?;
        checked.ok_or_else(|| FieldErrors::one("_form", "is incomplete"))
    }

    /// The collected errors, if any.
    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(FieldErrors(self.fields))
        }
    }
}

/// A media type such as `audio/mpeg`, lower-cased; `None` if `raw` is not one.
pub fn media_type(raw: &str) -> Option<String> {
    let mime = raw.trim().to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= super::limits::MEDIA_TYPE_PART
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&^_.+-".contains(&b))
    };
    mime.split_once('/')
        .is_some_and(|(a, b)| token(a) && token(b))
        .then_some(mime)
}

/// An input word for an enum field, kept whether or not it names a value, so that a wrong word
/// is reported with the input's other problems (as a field error) rather than as a body that
/// does not deserialize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<T>(pub Result<T, UnknownWord>);

impl<T: FromStr<Err = UnknownWord>> Choice<T> {
    /// Reads a word, trimmed.
    pub fn parse(raw: &str) -> Choice<T> {
        Choice(raw.trim().parse())
    }
}

impl<'de, T: FromStr<Err = UnknownWord>> Deserialize<'de> for Choice<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Ok(Choice::parse(&raw))
    }
}

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

/// Runs checks on a fresh [`Checker`]: the value, or the first problem's message.
pub fn checked<T>(check: impl FnOnce(&mut Checker) -> T) -> Result<T, String> {
    let mut c = Checker::default();
    let value = check(&mut c);
    match c.finish() {
        Ok(()) => Ok(value),
        Err(errors) => Err(errors.first_message().unwrap_or_default().to_string()),
    }
}
