//! "Revert this change": the old values applied as a new recorded change, through the use case
//! of a normal edit (its turn at the show, its lock, its checks, its render). A field that has
//! changed again since is not overwritten: the revert is refused, naming it (409
//! `revert_conflict`).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{entry, settings_entry, Entry};
use crate::app::settings::{self, SettingsInput};
use crate::app::{episodes, members, shows, trash, App, Error, Result};
use crate::domain::history::{flat, label, ChangeKind, ChangeTarget, FieldChange};
use crate::domain::{Choice, Role, Viewer};

/// Reverts entry `id` of the history of the show at `slug`. Returns the entry reverted.
pub async fn revert(app: &App, who: Viewer, slug: &str, id: i64) -> Result<Entry> {
    let entry = entry(app, who, slug, id).await?;
    match (entry.target, entry.kind) {
        (ChangeTarget::Episode, ChangeKind::Update) => {
            let episode_id = entry.episode_id.ok_or(Error::NotFound)?;
            episodes::update_with(app, who, slug, episode_id, Some(entry.id), |current| {
                input_from(&entry.changes, flat(&current.fields))
            })
            .await?;
        }
        (ChangeTarget::Show, ChangeKind::Update) if is_move(&entry) => {
            return Err(Error::conflict(
                "not_revertible",
                "a move out is undone on its own: Rename or move, or DELETE …/move",
            ))
        }
        (ChangeTarget::Show, ChangeKind::Update) => {
            shows::update_reverting(app, who, slug, Some(entry.id), |current| {
                input_from(&entry.changes, flat(&current.fields))
            })
            .await?;
        }
        (ChangeTarget::Episode, ChangeKind::Delete) => {
            let episode_id = entry.episode_id.ok_or(Error::NotFound)?;
            match trash::restore_episode(app, who, slug, episode_id).await {
                Err(Error::NotFound) => {
                    return Err(Error::conflict(
                        "revert_conflict",
                        "the episode is no longer in the trash, so its deletion cannot be undone",
                    ))
                }
                other => other?,
            };
        }
        (ChangeTarget::Show, ChangeKind::Delete) => {
            shows::restore(app, who, slug).await?;
        }
        (ChangeTarget::Member, kind) => revert_member(app, who, slug, &entry, kind).await?,
        _ => {
            return Err(Error::conflict(
                "not_revertible",
                "this change cannot be reverted: delete what it created, or change it again",
            ))
        }
    }
    Ok(entry)
}

/// Whether the entry started, changed or undid a move out, which has its own undo.
pub fn is_move(entry: &Entry) -> bool {
    entry.changes.iter().any(|c| c.field == "new_feed_url")
}

/// Reverts entry `id` of the settings' history (admins only).
pub async fn revert_settings(app: &App, who: Viewer, id: i64) -> Result<Entry> {
    let entry = settings_entry(app, who, id).await?;
    let current = settings::get(app).await?;
    let mut now = flat(&current);
    check_unchanged(&entry.changes, &now)?;
    for change in entry.changes.iter() {
        now.insert(change.field.clone(), change.before.clone());
    }
    let text = |key: &str| match now.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let input = SettingsInput {
        instance_name: text("instance_name"),
        login_max_failures: text("login_max_failures"),
        session_days: text("session_days"),
        default_language: text("default_language"),
    };
    settings::update(app, who, input).await?;
    Ok(entry)
}

/// A membership change undone: a role set back, a removed member back with their old role, an
/// invitation withdrawn or a member added by one removed.
async fn revert_member(
    app: &App,
    who: Viewer,
    slug: &str,
    entry: &Entry,
    kind: ChangeKind,
) -> Result<()> {
    let email = entry.subject.as_deref().ok_or(Error::NotFound)?;
    let role_change = entry.changes.iter().find(|c| c.field == "role");
    let old_role = role_change
        .and_then(|c| c.before.as_str())
        .map(Choice::<Role>::parse);
    let roster = members::roster(app, who, slug).await?;
    let member = roster
        .members
        .iter()
        .find(|m| m.email.eq_ignore_ascii_case(email));
    let current_role = member.map(|m| Value::from(m.role.as_str()));
    let after = role_change.map(|c| c.after.clone()).unwrap_or(Value::Null);
    let invited = roster
        .invites
        .iter()
        .any(|i| i.email.eq_ignore_ascii_case(email));
    if current_role.clone().unwrap_or(Value::Null) != after
        && !(kind == ChangeKind::Invite && invited)
    {
        return Err(Error::conflict(
            "revert_conflict",
            format!("{email}'s membership has changed again since; change it by hand instead"),
        ));
    }
    match kind {
        ChangeKind::Role => {
            let id = member.map(|m| m.user_id).ok_or(Error::NotFound)?;
            let role = old_role.ok_or(Error::NotFound)?;
            members::change_role(app, who, slug, id, &role).await
        }
        ChangeKind::Remove => {
            let role = old_role.unwrap_or(Choice(Ok(Role::Editor)));
            members::invite(app, who, slug, email, &role).await
        }
        ChangeKind::Invite if invited => members::cancel_invite(app, who, slug, email).await,
        ChangeKind::Invite | ChangeKind::Join => {
            let id = member.map(|m| m.user_id).ok_or(Error::NotFound)?;
            members::remove(app, who, slug, id).await
        }
        _ => Err(Error::conflict(
            "not_revertible",
            "this change cannot be reverted",
        )),
    }
}

/// Refuses when a field of `changes` no longer holds the value the change gave it.
fn check_unchanged(changes: &[FieldChange], current: &Map<String, Value>) -> Result<()> {
    let moved: Vec<String> = changes
        .iter()
        .filter(|c| current.get(&c.field).unwrap_or(&Value::Null) != &c.after)
        .map(|c| label(&c.field))
        .collect();
    if moved.is_empty() {
        return Ok(());
    }
    Err(Error::conflict(
        "revert_conflict",
        format!(
            "changed again since, so not reverted: {}. Change them by hand instead.",
            moved.join(", ")
        ),
    ))
}

/// The input that puts the old values of `changes` back, over the fields as they stand now
/// (`current`, flattened). Refused when a field has changed again since.
fn input_from<T: DeserializeOwned>(
    changes: &[FieldChange],
    current: Map<String, Value>,
) -> Result<T> {
    check_unchanged(changes, &current)?;
    let mut input = Map::new();
    let mut enclosure = false;
    let mut reverted = current;
    for change in changes {
        reverted.insert(change.field.clone(), change.before.clone());
        match change.field.as_str() {
            "enclosure_url" | "enclosure_length" | "enclosure_type" => enclosure = true,
            "show_type" => {
                input.insert("type".into(), change.before.clone());
            }
            field => {
                input.insert(field.into(), change.before.clone());
            }
        }
    }
    if enclosure {
        let part = |key: &str| reverted.get(key).cloned().unwrap_or(Value::Null);
        let mut e = Map::new();
        e.insert("url".into(), part("enclosure_url"));
        e.insert("length".into(), part("enclosure_length"));
        e.insert("type".into(), part("enclosure_type"));
        input.insert("enclosure".into(), Value::Object(e));
    }
    serde_json::from_value(Value::Object(input)).map_err(|err| {
        Error::conflict(
            "not_revertible",
            format!("this change cannot be reverted: {err}"),
        )
    })
}
