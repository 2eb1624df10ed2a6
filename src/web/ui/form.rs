//! Submitted forms: the raw pairs, and what a page re-displays (values typed, errors by field).

use std::collections::BTreeMap;

use super::error::UiError;
use crate::app;

/// An `application/x-www-form-urlencoded` body as typed, in order; names may repeat.
#[derive(Debug, Default, Clone)]
pub struct FormData(Vec<(String, String)>);

impl FormData {
    pub fn parse(body: &[u8]) -> FormData {
        FormData(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    /// The first field whose name or value holds a NUL character, if any.
    pub fn field_with_nul(&self) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
            .map(|(k, _)| {
                if k.contains('\0') {
                    "_form"
                } else {
                    k.as_str()
                }
            })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The length limit the checks apply to a form field, by its name: the same constants, so
/// that a browser stops typing where the server would refuse.
pub fn maxlength(name: &str) -> Option<usize> {
    use crate::domain::limits as l;
    Some(match name {
        "title" => l::TITLE,
        "description" => l::NOTES,
        "author" | "owner_name" | "copyright" | "guid" | "name" => l::NAME,
        "transcript_type" => l::TRANSCRIPT_TYPE,
        "enclosure_type" => 2 * l::MEDIA_TYPE_PART + 1,
        "slug" | "new_slug" => l::SLUG,
        "email" | "owner_email" => l::EMAIL,
        "instance_name" => l::INSTANCE_NAME,
        n if n.contains("password") => l::PASSWORD,
        n if n.starts_with("funding_") && n.ends_with("_label") => l::FUNDING_LABEL,
        n if n.ends_with("url") || n == "link" || n == "analytics_prefix" => l::URL,
        _ => return None,
    })
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

    /// The server's length limit of field `name`, for its `maxlength`.
    pub fn max(&self, name: &str) -> Option<usize> {
        maxlength(name)
    }

    pub fn checked(&self, name: &str) -> bool {
        matches!(self.v(name), "on" | "true" | "yes")
    }

    /// Whether `name` holds `value` (for `selected`).
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.v(name) == value
    }

    /// Whether `name` holds a value that is not one of `list` (kept as an extra choice).
    pub fn foreign(&self, name: &str, list: &[&str]) -> bool {
        let v = self.v(name);
        !v.is_empty() && !list.contains(&v)
    }

    /// The names under `prefix` that hold something.
    pub fn filled<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, _)| k.as_str())
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

    /// Takes in what the use case said about the input: field errors (renamed to the form's
    /// names), conflicts and import failures. Anything else is not the user's input and
    /// passes through.
    pub fn absorb(
        &mut self,
        err: app::Error,
        field: impl Fn(&str) -> String,
    ) -> Result<(), UiError> {
        match err {
            app::Error::Invalid(fields) => {
                for (k, v) in fields.0 {
                    self.error(&field(&k), v);
                }
            }
            app::Error::Conflict {
                code: "slug_taken",
                message,
            } => self.error(&field("slug"), message),
            app::Error::Conflict { message, .. } => self.error("_form", message),
            app::Error::Import(failure) => self.error("_form", failure.to_string()),
            other => return Err(UiError::App(other)),
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
    fn field_errors_land_on_form_fields() {
        let mut f = Fields::default();
        let err = app::Error::field("enclosure.url", "must be a URL");
        f.absorb(err, |k| k.replace('.', "_")).unwrap();
        assert_eq!(f.err("enclosure_url"), Some("must be a URL"));
        assert!(f.absorb(app::Error::NotFound, str::to_string).is_err());
    }
}
