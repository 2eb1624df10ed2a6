//! My shows, and creating and editing a show (over `api::shows`' validation and writes).

use std::sync::LazyLock;

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    error::UiError,
    flash::{see_other_with, Notice},
    form::Fields,
    page::{render, render_status, Layout},
    session::{CsrfForm, Session},
};
use crate::app::{self, shows};
use crate::domain::{Category, Choice, Funding, Show, ShowInput, ShowType};
use crate::feed::categories::APPLE_CATEGORIES;
use crate::web::AppState;

/// One line of the shows list.
pub struct ShowRow {
    pub slug: String,
    pub title: String,
    pub state: &'static str,
    pub status: &'static str,
    pub feed_url: String,
}

impl ShowRow {
    pub fn new(show: &Show, state: &AppState) -> ShowRow {
        ShowRow {
            slug: show.fields.slug.clone(),
            title: show.fields.title.clone(),
            state: show.publish_state().as_str(),
            status: show.status.as_str(),
            feed_url: state.app.feed_url(&show.fields.slug),
        }
    }
}

/// A repeated input on the show form: a category, or a funding link and its label.
pub struct Row {
    pub field: String,
    pub value: String,
    pub label_field: String,
    pub label: String,
    pub error: Option<String>,
}

fn rows(f: &Fields, prefix: &str, suffix: &str, label: &str, min: usize) -> Vec<Row> {
    let name = |i: usize, s: &str| format!("{prefix}_{i}{s}");
    let used = (0..10)
        .rev()
        .find(|i| !f.v(&name(*i, suffix)).is_empty())
        .map_or(0, |i| i + 1);
    (0..(used + 1).clamp(min, 10))
        .map(|i| Row {
            field: name(i, suffix),
            value: f.v(&name(i, suffix)).to_string(),
            label_field: name(i, label),
            label: f.v(&name(i, label)).to_string(),
            error: f.err(&name(i, suffix)).map(str::to_string),
        })
        .collect()
}

/// Apple's categories as `<option>`s: value `Name` or `Name|Sub`, and the text shown.
static CATEGORY_OPTIONS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut options = Vec::new();
    for c in APPLE_CATEGORIES {
        options.push((c.name.to_string(), c.name.to_string()));
        for sub in c.subcategories {
            options.push((format!("{}|{sub}", c.name), format!("{} › {sub}", c.name)));
        }
    }
    options
});

#[derive(Template)]
#[template(path = "ui/shows/form.html")]
struct FormPage {
    layout: Layout,
    f: Fields,
    creating: bool,
    slug: String,
    tab: &'static str,
    /// An owner or admin: may delete the show (editors are told why not).
    owned: bool,
    categories: Vec<Row>,
    funding: Vec<Row>,
    options: &'static [(String, String)],
}

impl FormPage {
    /// Whether a stored category is missing from Apple's list (it stays selectable).
    fn unknown(&self, value: &str) -> bool {
        !value.is_empty() && !self.options.iter().any(|(v, _)| v == value)
    }
}

async fn form_page(
    state: &AppState,
    session: &Session,
    f: Fields,
    slug: Option<&str>,
    notice: Option<&str>,
) -> Result<FormPage, UiError> {
    let title = if slug.is_some() {
        "Edit show"
    } else {
        "New show"
    };
    let layout = Layout::new(state, Some(session), title, "shows")
        .await?
        .with_notice(notice);
    let owned = match slug {
        Some(slug) => {
            let show = shows::get(&state.app, session.user.viewer(), slug).await?;
            shows::owns(&state.app, session.user.viewer(), &show).await?
        }
        None => true,
    };
    Ok(FormPage {
        layout,
        owned,
        categories: rows(&f, "category", "", "_sub", 2),
        funding: rows(&f, "funding", "_url", "_label", 1),
        f,
        creating: slug.is_none(),
        slug: slug.unwrap_or_default().to_string(),
        tab: "edit",
        options: &CATEGORY_OPTIONS,
    })
}

pub async fn new_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, UiError> {
    let mut f = Fields::default();
    f.set(
        "language",
        app::settings::get(&state.app).await?.default_language,
    );
    f.set("type", ShowType::Episodic.as_str());
    f.set("owner_email", session.user.email.clone());
    render(&form_page(&state, &session, f, None, None).await?)
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
    /// The numbered rows, and anything else the form sends.
    #[serde(flatten)]
    rows: BTreeMap<String, String>,
}

impl ShowForm {
    /// The form as the API's input: every field it shows is set (an empty one is cleared, an
    /// unticked box is off); `creating` also sends the slug.
    fn into_input(self, creating: bool) -> ShowInput {
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
            description: Some(Some(self.description)),
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
fn field_name(api: &str) -> String {
    match api {
        "categories" => "category_0".into(),
        "funding" => "funding_0_url".into(),
        other => other.into(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    CsrfForm { form, raw }: CsrfForm<ShowForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    match shows::create(&state.app, who, form.into_input(true)).await {
        Ok(show) => Ok(see_other_with(
            &format!("/shows/{}", show.fields.slug),
            "created",
        )),
        Err(err) => {
            let mut f = Fields::from_form(&raw);
            f.absorb(err, field_name)?;
            let page = form_page(&state, &session, f, None, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// The stored show as the form shows it.
fn fields_of(show: &Show) -> Fields {
    let s = &show.fields;
    let mut f = Fields::default();
    f.set("slug", s.slug.clone());
    f.set("title", s.title.clone());
    f.set("description", s.description.clone());
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

pub async fn edit_page(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    notice: Notice,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let page = form_page(
        &state,
        &session,
        fields_of(&show),
        Some(&slug),
        notice.code(),
    )
    .await?;
    render(&page)
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm { form, raw }: CsrfForm<ShowForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    match shows::update(&state.app, who, &slug, form.into_input(false)).await {
        Ok(_) => Ok(see_other_with(&format!("/shows/{slug}/edit"), "saved")),
        Err(err) => {
            let mut f = Fields::from_form(&raw);
            f.set("slug", slug.clone());
            f.absorb(err, field_name)?;
            let page = form_page(&state, &session, f, Some(&slug), None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
