//! The settings file: the same names as the environment, lower case, without `PODPUB_`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Settings;

/// The file's values by key, as text like the environment's; only the table's keys are allowed.
#[derive(Debug, Default, Deserialize)]
#[serde(try_from = "toml::Table")]
pub(super) struct FileSettings(BTreeMap<String, String>);

impl FileSettings {
    pub fn get(&self, key: &str) -> Option<&String> {
        self.0.get(key)
    }
}

/// The file's key for a variable: `PODPUB_POOL_SIZE` is `pool_size`, `DATABASE_URL` is
/// `database_url`. The AWS SDK reads its own variables from the environment only, so the file
/// has none of them.
pub(super) fn file_key(name: &str) -> Option<String> {
    if name.starts_with("AWS_") {
        return None;
    }
    Some(name.trim_start_matches("PODPUB_").to_ascii_lowercase())
}

impl TryFrom<toml::Table> for FileSettings {
    type Error = String;

    fn try_from(table: toml::Table) -> Result<FileSettings, String> {
        let known: Vec<String> = Settings::vars()
            .iter()
            .filter_map(|var| file_key(var.name))
            .collect();
        let mut values = BTreeMap::new();
        for (key, value) in table {
            if !known.contains(&key) {
                let expected: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                return Err(format!(
                    "unknown field `{key}`, expected one of {}",
                    expected.join(", ")
                ));
            }
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Array(_) | toml::Value::Table(_) => {
                    return Err(format!(
                        "invalid type: {}, expected a string, number or boolean for key `{key}`",
                        value.type_str()
                    ))
                }
                other => other.to_string(),
            };
            values.insert(key, text);
        }
        Ok(FileSettings(values))
    }
}
