//! The edit history: what one change did, field by field, and the names people read for the
//! fields.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::text_enum;

text_enum! {
    /// What a recorded change did.
    pub enum ChangeKind {
        Create = "create",
        Update = "update",
        Delete = "delete",
        Restore = "restore",
        Invite = "invite",
        Role = "role",
        Remove = "remove",
        /// An invitation became a membership when the invited person's account was created.
        Join = "join",
    }
}

text_enum! {
    /// What a recorded change was made to.
    pub enum ChangeTarget {
        Show = "show",
        Episode = "episode",
        Member = "member",
        Settings = "settings",
    }
}

/// One field's value before and after a change (`null` for none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldChange {
    /// The field's name in the API (`publish_at`, or a Podcasting 2.0 detail such as `persons`).
    pub field: String,
    pub before: Value,
    pub after: Value,
}

/// The key under which fields structs keep their Podcasting 2.0 details: compared per key.
const EXTRAS: &str = "extras";

/// The fields that differ between `before` and `after` (two values of one fields struct), in
/// name order. The Podcasting 2.0 details (`extras`) are compared per top-level key.
pub fn diff<T: Serialize>(before: &T, after: &T) -> Vec<FieldChange> {
    let before = flat(before);
    let after = flat(after);
    let mut changes = Vec::new();
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let old = before.get(key).cloned().unwrap_or(Value::Null);
        let new = after.get(key).cloned().unwrap_or(Value::Null);
        if old != new {
            changes.push(FieldChange {
                field: key.clone(),
                before: old,
                after: new,
            });
        }
    }
    changes
}

/// A fields struct as one JSON object, its `extras` spread among the other keys.
pub fn flat<T: Serialize>(fields: &T) -> Map<String, Value> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(fields) else {
        return Map::new();
    };
    if let Some(Value::Object(extras)) = map.remove(EXTRAS) {
        for (key, value) in extras {
            map.entry(key).or_insert(value);
        }
    }
    map
}

/// What people read for a field: `publish_at` is "Publish date". Unknown names are shown with
/// their underscores as spaces.
pub fn label(field: &str) -> String {
    let known = match field {
        "title" => "Title",
        "slug" => "Address (slug)",
        "description" => "Description",
        "description_markdown" => "Description (Markdown)",
        "guid" => "GUID",
        "enclosure_url" => "Media URL",
        "enclosure_length" => "Media size (bytes)",
        "enclosure_type" => "Media type",
        "duration_seconds" => "Duration (seconds)",
        "season" => "Season",
        "episode" => "Episode number",
        "episode_type" => "Episode type",
        "explicit" => "Explicit",
        "image_url" => "Artwork URL",
        "transcript_url" => "Transcript URL",
        "transcript_type" => "Transcript type",
        "chapters_url" => "Chapters URL",
        "status" => "Status",
        "publish_at" => "Publish date",
        "author" => "Author",
        "owner_name" => "Owner name",
        "owner_email" => "Owner email",
        "language" => "Language",
        "categories" => "Categories",
        "show_type" => "Show type",
        "link" => "Website",
        "copyright" => "Copyright",
        "locked" => "Locked",
        "complete" => "Complete",
        "block" => "Hidden from directories",
        "funding" => "Funding",
        "persons" => "People",
        "location" => "Location",
        "locations" => "Further locations",
        "license" => "License",
        "txt" => "TXT records",
        "alternate_enclosures" => "Alternate media",
        "value" => "Value for value",
        "soundbites" => "Soundbites",
        "content_links" => "Content links",
        "transcripts" => "Transcripts",
        "season_name" => "Season name",
        "episode_display" => "Episode display",
        "episode_number" => "Episode number (podcast)",
        "images" => "Images",
        "social_interact" => "Social interaction",
        "itunes_block" => "Hidden from Apple",
        "chat" => "Chat",
        "item_limit" => "Episodes in the feed",
        "archive_page_size" => "Archive page size",
        "medium" => "Medium",
        "trailers" => "Trailers",
        "podroll" => "Podroll",
        "podping" => "Podping",
        "podcast_block" => "Blocked services",
        "update_frequency" => "Update frequency",
        "publisher" => "Publisher",
        "remote_items" => "Remote items",
        "apple_verify" => "Apple verification",
        "live_items" => "Live items",
        "analytics_prefix" => "Analytics prefix",
        "new_feed_url" => "Moving to (new feed URL)",
        "role" => "Role",
        "member" => "Member",
        "instance_name" => "Instance name",
        "login_max_failures" => "Sign-in attempts before lockout",
        "session_days" => "Session length (days)",
        "default_language" => "Default language",
        other => return other.replace('_', " "),
    };
    known.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EpisodeFields, Person};

    #[test]
    fn a_diff_names_each_changed_field_and_each_changed_detail() {
        let before = EpisodeFields {
            title: "Old".into(),
            ..EpisodeFields::default()
        };
        let mut after = before.clone();
        after.title = "New".into();
        after.extras.persons.push(Person {
            name: "Ada".into(),
            ..Person::default()
        });
        let changes = diff(&before, &after);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["persons", "title"]);
        assert_eq!(changes[1].before, Value::from("Old"));
        assert_eq!(label("publish_at"), "Publish date");
        assert_eq!(label("some_new_field"), "some new field");
    }
}
