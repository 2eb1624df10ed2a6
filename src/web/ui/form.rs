//! Submitted forms: the raw pairs, and what a page re-displays (values typed, errors by field).

use std::collections::BTreeMap;

use super::error::UiError;
use crate::web::error::ApiError;

/// An `application/x-www-form-urlencoded` body, in order; names may repeat.
#[derive(Debug, Default, Clone)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> FormData {
        FormData(
            url::form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value, or "" when absent.
    pub fn str(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// A form as a page shows it: the values (as typed, or as stored) and field-level errors.
/// Errors not about one field go under `_form`.
#[derive(Debug, Default, Clone)]
pub struct Fields {
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
}

impl Fields {
    /// What was submitted, to show again.
    pub fn from_form(form: &FormData) -> Fields {
        let values = form
            .0
            .iter()
            .filter(|(k, _)| k != "csrf" && !k.contains("password"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Fields {
            values,
            errors: BTreeMap::new(),
        }
    }

    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_string(), value.into());
    }

    pub fn set_opt(&mut self, name: &str, value: Option<impl ToString>) {
        if let Some(v) = value {
            self.set(name, v.to_string());
        }
    }

    pub fn set_flag(&mut self, name: &str, on: bool) {
        if on {
            self.set(name, "on");
        } else {
            self.values.remove(name);
        }
    }

    /// The value to put back in the input.
    pub fn v(&self, name: &str) -> &str {
        self.values
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    pub fn checked(&self, name: &str) -> bool {
        matches!(self.v(name), "on" | "true" | "yes")
    }

    /// Whether `name` holds `value` (for `selected`).
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.v(name) == value
    }

    pub fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        self.errors
            .entry(name.to_string())
            .or_insert_with(|| message.into());
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The errors, for the summary above a form.
    pub fn errors(&self) -> impl Iterator<Item = (&str, &str)> {
        self.errors.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Takes in what the shared validation said about the input: field errors (renamed to the
    /// form's names) and conflicts. Anything else is not the user's input and passes through.
    pub fn absorb(&mut self, err: ApiError, field: impl Fn(&str) -> String) -> Result<(), UiError> {
        match err {
            ApiError::Invalid(fields) => {
                for (k, v) in fields {
                    self.error(&field(&k), v);
                }
            }
            ApiError::Conflict {
                code: "slug_taken",
                message,
            } => self.error("slug", message),
            ApiError::Conflict { message, .. }
            | ApiError::Unprocessable(message)
            | ApiError::Undeserializable { message, .. } => self.error("_form", message),
            other => return Err(UiError::Api(other)),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submitted_values_come_back_except_secrets() {
        let form = FormData::parse(b"title=A+%26+B&csrf=x&password=hunter2&explicit=on");
        let f = Fields::from_form(&form);
        assert_eq!(f.v("title"), "A & B");
        assert_eq!(f.v("csrf"), "");
        assert_eq!(f.v("password"), "");
        assert!(f.checked("explicit"));
        assert!(!f.checked("locked"));
    }

    #[test]
    fn api_field_errors_land_on_form_fields() {
        let mut f = Fields::default();
        let err = ApiError::field("enclosure.url", "must be a URL");
        f.absorb(err, |k| k.replace('.', "_")).unwrap();
        assert_eq!(f.err("enclosure_url"), Some("must be a URL"));
        assert!(f.absorb(ApiError::NotFound, str::to_string).is_err());
    }
}
