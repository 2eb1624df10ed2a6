//! Settings: loaded once from an optional TOML file and the environment, validated at start.
//! Each setting is declared once, in `table.rs`.

mod declare;
mod file;
mod parse;
mod table;
mod values;

use std::{collections::BTreeMap, path::PathBuf};

pub use self::table::{MediaSettings, NotifySettings, Settings};
pub use self::values::{LogFormat, PublishTarget, SecureCookies};
use self::{
    declare::{Problems, Sources},
    file::FileSettings,
};

/// Names the settings file; read from the environment only, before the file.
const CONFIG_VAR: &str = "PODPUB_CONFIG";

/// A configuration problem, one line per bad setting.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  {}", .0.join("\n  "))]
pub struct ConfigError(pub Vec<String>);

impl Settings {
    /// Where the CDN serves uploaded media: PODPUB_MEDIA_BASE_URL, else the feeds' base URL.
    pub fn media_base_url(&self) -> &str {
        self.media
            .base_url
            .as_deref()
            .unwrap_or(&self.feed_base_url)
    }

    /// Loads from `PODPUB_CONFIG` (or `config_path`) and the process environment.
    pub fn load(
        config_path: Option<PathBuf>,
        needs_database: bool,
    ) -> Result<Settings, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        let path = config_path.or_else(|| env.get(CONFIG_VAR).map(PathBuf::from));
        let file = match path {
            None => FileSettings::default(),
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    ConfigError(vec![format!("config file {}: {e}", path.display())])
                })?;
                toml::from_str(&text).map_err(|e| {
                    let msg = e.message().to_string();
                    ConfigError(vec![format!("config file {}: {msg}", path.display())])
                })?
            }
        };
        Self::from_sources(file, &env, needs_database)
    }

    /// Builds settings from environment-style pairs only (used by tests and tools).
    pub fn from_env_map(env: &BTreeMap<String, String>) -> Result<Settings, ConfigError> {
        Self::from_sources(FileSettings::default(), env, true)
    }

    fn from_sources(
        file: FileSettings,
        env: &BTreeMap<String, String>,
        needs_database: bool,
    ) -> Result<Settings, ConfigError> {
        let sources = Sources { env, file: &file };
        let mut problems = Problems::default();
        let database = sources.value(declare::var!(DATABASE_URL or none));
        if needs_database && database.raw.is_none() {
            problems.push(
                "DATABASE_URL is not set (make run starts a local Postgres and sets it)".into(),
            );
        }
        match Settings::read(&sources, &mut problems) {
            Some(settings) if problems.is_empty() => Ok(settings),
            _ => Err(ConfigError(problems.into_lines())),
        }
    }
}

#[cfg(test)]
mod tests;
