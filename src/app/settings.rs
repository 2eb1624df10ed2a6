//! The instance settings an admin may change while podpub runs (the web UI's; the rest come
//! from the environment and need a restart).

use super::history::{self, Record};
use super::{admin_only, App, Result};
use crate::db::ui_settings;
use crate::domain::{limits, valid_language, Checker, Viewer};

pub use crate::db::ui_settings::UiSettings;

/// The current settings.
pub async fn get(app: &App) -> Result<UiSettings> {
    Ok(ui_settings::get(&app.pool).await?)
}

/// The settings as an admin typed them.
#[derive(Debug, Clone, Default)]
pub struct SettingsInput {
    pub instance_name: String,
    pub login_max_failures: String,
    pub session_days: String,
    pub default_language: String,
}

/// Checks and saves new settings (admins only).
pub async fn update(app: &App, who: Viewer, input: SettingsInput) -> Result<()> {
    admin_only(who)?;
    let mut c = Checker::default();
    let name = input.instance_name.trim().to_string();
    if name.is_empty()
        || name.chars().count() > limits::INSTANCE_NAME
        || name.chars().any(|ch| ch.is_control())
    {
        c.error(
            "instance_name",
            format!("must be 1 to {} characters", limits::INSTANCE_NAME),
        );
    }
    let mut number = |field: &str, raw: &str, range: std::ops::RangeInclusive<i32>| match raw
        .trim()
        .parse::<i32>()
    {
        Ok(n) if range.contains(&n) => n,
        _ => {
            let (lo, hi) = (range.start(), range.end());
            c.error(field, format!("must be a whole number from {lo} to {hi}"));
            0
        }
    };
    let login_max_failures = number("login_max_failures", &input.login_max_failures, 1..=1000);
    let session_days = number("session_days", &input.session_days, 1..=365);
    let language = input.default_language.trim().to_ascii_lowercase();
    if !valid_language(&language) {
        c.error(
            "default_language",
            "must be a language tag such as en or en-us",
        );
    }
    c.finish()?;
    let settings = UiSettings {
        instance_name: name,
        login_max_failures,
        session_days,
        default_language: language,
    };
    let mut tx = app.pool.begin().await?;
    let before = ui_settings::get(&mut *tx).await?;
    ui_settings::update(&mut *tx, &settings).await?;
    let changed = Record::settings().diff(&before, &settings);
    history::record(&mut tx, who, changed).await?;
    super::commit(tx).await?;
    Ok(())
}
