//! The show form: what it shows of a stored show, and what a browser sends back, as the use
//! case's input.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{form::Fields, notes};
use crate::domain::{Category, Choice, Funding, Show, ShowInput};

/// The stored show as the form shows it.
pub fn fields_of(show: &Show) -> Fields {
    let s = &show.fields;
    let mut f = Fields::default();
    f.set("slug", s.slug.clone());
    f.set("title", s.title.clone());
    notes::set_fields(&mut f, &s.description, s.description_markdown.as_deref());
    f.set_opt("author", s.author.as_ref());
    f.set_opt("owner_name", s.owner_name.as_ref());
    f.set_opt("owner_email", s.owner_email.as_ref());
    f.set("language", s.language.clone());
    f.set("type", s.show_type.as_str());
    f.set_opt("image_url", s.image_url.as_ref());
    f.set_opt("link", s.link.as_ref());
    f.set_opt("copyright", s.copyright.as_ref());
    f.set_opt("analytics_prefix", s.extras.analytics_prefix.as_ref());
    f.set_flag("explicit", s.explicit);
    f.set_flag("locked", s.locked);
    f.set_flag("complete", s.complete);
    for (i, c) in s.categories.iter().enumerate() {
        let value = match &c.sub {
            Some(sub) => format!("{}|{sub}", c.name),
            None => c.name.clone(),
        };
        f.set(&format!("category_{i}"), value);
    }
    for (i, fund) in s.funding.iter().enumerate() {
        f.set(&format!("funding_{i}_url"), fund.url.clone());
        f.set(&format!("funding_{i}_label"), fund.label.clone());
    }
    f
}

/// The show form. Categories and funding links are numbered rows (`category_0`,
/// `funding_0_url`, `funding_0_label`, ...).
#[derive(Debug, Deserialize)]
pub struct ShowForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    /// `html` (also when absent) or `markdown`: how `description` is written.
    #[serde(default)]
    notes_format: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    owner_name: String,
    #[serde(default)]
    owner_email: String,
    #[serde(default)]
    language: String,
    #[serde(default, rename = "type")]
    show_type: String,
    #[serde(default)]
    image_url: String,
    #[serde(default)]
    link: String,
    #[serde(default)]
    copyright: String,
    #[serde(default)]
    analytics_prefix: String,
    explicit: Option<String>,
    locked: Option<String>,
    complete: Option<String>,
    /// `preview` only shows the description (the way without JavaScript); else a save.
    #[serde(default)]
    action: String,
    /// The numbered rows, and anything else the form sends.
    #[serde(flatten)]
    rows: BTreeMap<String, String>,
}

impl ShowForm {
    /// Whether the button pressed only previews the description.
    pub fn previews(&self) -> bool {
        self.action == "preview"
    }

    /// The form as the API's input: every field it shows is set (an empty one is cleared, an
    /// unticked box is off), except the description when neither it nor its format changed
    /// from `stored`; `creating` also sends the slug. What does not even parse goes in `f`.
    pub fn into_input(self, f: &mut Fields, creating: bool, stored: Option<&Fields>) -> ShowInput {
        let (description, description_markdown) =
            notes::typed(f, &self.notes_format, &self.description, stored);
        let row = |name: String| self.rows.get(&name).map_or("", String::as_str);
        let categories = (0..10)
            .map(|i| row(format!("category_{i}")))
            .filter(|v| !v.is_empty())
            .map(|v| match v.split_once('|') {
                Some((name, sub)) => Category {
                    name: name.into(),
                    sub: Some(sub.into()),
                },
                None => Category {
                    name: v.into(),
                    sub: None,
                },
            })
            .collect();
        let funding = (0..10)
            .map(|i| {
                (
                    row(format!("funding_{i}_url")),
                    row(format!("funding_{i}_label")),
                )
            })
            .filter(|(url, _)| !url.trim().is_empty())
            .map(|(url, label)| Funding {
                url: url.trim().into(),
                label: label.into(),
            })
            .collect();
        ShowInput {
            slug: creating.then(|| self.slug.trim().to_string()),
            title: Some(self.title),
            description,
            description_markdown,
            author: Some(Some(self.author)),
            owner_name: Some(Some(self.owner_name)),
            owner_email: Some(Some(self.owner_email)),
            language: Some(self.language),
            categories: Some(categories),
            explicit: Some(self.explicit.is_some()),
            show_type: Some(Choice::parse(&self.show_type)),
            image_url: Some(Some(self.image_url)),
            link: Some(Some(self.link)),
            copyright: Some(Some(self.copyright)),
            locked: Some(self.locked.is_some()),
            complete: Some(self.complete.is_some()),
            funding: Some(funding),
            analytics_prefix: Some(Some(self.analytics_prefix)),
            ..ShowInput::default()
        }
    }
}

/// API field names to the form's.
pub fn field_name(api: &str) -> String {
    match api {
        "categories" => "category_0".into(),
        "funding" => "funding_0_url".into(),
        "description_markdown" => "description".into(),
        other => other.into(),
    }
}
