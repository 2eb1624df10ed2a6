//! Settings of the web UI that an admin may change while the app runs (one row).

use sqlx::PgExecutor;

#[derive(Debug, Clone, serde::Serialize)]
pub struct UiSettings {
    pub instance_name: String,
    /// Failed sign-ins per email, or per client address, within 15 minutes before sign-in
    /// is refused.
    pub login_max_failures: i32,
    pub session_days: i32,
    /// The language a new show starts with.
    pub default_language: String,
}

pub async fn get(db: impl PgExecutor<'_>) -> sqlx::Result<UiSettings> {
    sqlx::query_as!(
        UiSettings,
        "select instance_name, login_max_failures, session_days, default_language from ui_settings"
    )
    .fetch_one(db)
    .await
}

pub async fn update(db: impl PgExecutor<'_>, s: &UiSettings) -> sqlx::Result<()> {
    sqlx::query!(
        "update ui_settings set instance_name = $1, login_max_failures = $2, session_days = $3,
            default_language = $4, updated_at = now()",
        s.instance_name,
        s.login_max_failures,
        s.session_days,
        s.default_language
    )
    .execute(db)
    .await?;
    Ok(())
}
