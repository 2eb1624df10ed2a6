//! Who may edit a show: members, and invitations for people without an account yet. Owners
//! (and admins) manage them.

use uuid::Uuid;

use super::history::{self, Record};
use super::{shows, App, Error, Result};
use crate::db::{self, members};
use crate::domain::history::{ChangeKind, FieldChange};
use crate::domain::{Checker, Choice, Role, Show, Viewer};

/// A role going from `before` to `after` (`None`: no role), as the history records it.
pub(super) fn role_change(before: Option<Role>, after: Option<Role>) -> Vec<FieldChange> {
    let word = |r: Option<Role>| r.map_or(serde_json::Value::Null, |r| r.as_str().into());
    vec![FieldChange {
        field: "role".into(),
        before: word(before),
        after: word(after),
    }]
}

pub use crate::db::members::{Invite, Member};

/// A show's members and open invitations, and whether `who` may change them.
pub struct Roster {
    pub show: Show,
    pub members: Vec<Member>,
    pub invites: Vec<Invite>,
    pub can_manage: bool,
}

/// The members of a show `who` may see.
pub async fn roster(app: &App, who: Viewer, slug: &str) -> Result<Roster> {
    let show = shows::get(app, who, slug).await?;
    Ok(Roster {
        members: members::list(&app.pool, show.id).await?,
        invites: members::invites(&app.pool, show.id).await?,
        can_manage: can_manage(app, who, &show).await?,
        show,
    })
}

/// Admins and the show's owners manage its members.
pub async fn can_manage(app: &App, who: Viewer, show: &Show) -> Result<bool> {
    if who.is_admin {
        return Ok(true);
    }
    let role = members::role_of(&app.pool, show.id, who.user_id).await?;
    Ok(role == Some(Role::Owner))
}

/// A show whose members `who` may manage.
async fn managed(app: &App, who: Viewer, slug: &str) -> Result<Show> {
    let show = shows::get(app, who, slug).await?;
    if !can_manage(app, who, &show).await? {
        return Err(Error::Forbidden(
            "only the show's owners manage its members",
        ));
    }
    Ok(show)
}

/// Gives `email` a role on the show: at once when they have an account, else when they make
/// one. Someone who is already a member or invited keeps their role: changing it is its own
/// action ([`change_role`]), never a side effect of an invitation.
pub async fn invite(
    app: &App,
    who: Viewer,
    slug: &str,
    email: &str,
    role: &Choice<Role>,
) -> Result<()> {
    let show = managed(app, who, slug).await?;
    let mut c = Checker::default();
    let email = c.email("email", email);
    let role = c.choice("role", role);
    let (email, role) = c.finish_with(email.zip(role))?;
    let mut tx = app.pool.begin().await?;
    shows::lock_id(&mut tx, who, slug).await?;
    match db::users::find_by_email(&mut *tx, email.as_str()).await? {
        Some(user) => {
            if let Some(current) = members::role_of(&mut *tx, show.id, user.id).await? {
                return Err(Error::conflict(
                    "already_member",
                    format!(
                        "{email} is already an {current} of this show. Change their role in the \
                         members list instead."
                    ),
                ));
            }
            members::add(&mut *tx, show.id, user.id, role).await?
        }
        None => {
            // Recorded below, as for a member: the role an invitation gives.
            if !members::invite(&mut *tx, show.id, email.as_str(), role, who.user_id).await? {
                return Err(Error::conflict(
                    "already_invited",
                    format!(
                        "{email} is already invited. Cancel the invitation to invite them \
                         with another role."
                    ),
                ));
            }
        }
    }
    let invited = Record::member(ChangeKind::Invite, show.id, email.as_str())
        .with(role_change(None, Some(role)));
    history::record(&mut tx, who, invited).await?;
    super::commit(tx).await?;
    Ok(())
}

/// Gives a member another role. A show always keeps one owner, so the last owner cannot
/// step down.
pub async fn change_role(
    app: &App,
    who: Viewer,
    slug: &str,
    user_id: Uuid,
    role: &Choice<Role>,
) -> Result<()> {
    let show = managed(app, who, slug).await?;
    let mut c = Checker::default();
    let role = c.choice("role", role);
    let role = c.finish_with(role)?;
    let mut tx = app.pool.begin().await?;
    // Serialises member changes on this show, so two owners cannot demote each other at once.
    shows::lock_id(&mut tx, who, slug).await?;
    let current = members::role_of(&mut *tx, show.id, user_id)
        .await?
        .ok_or(Error::NotFound)?;
    if current == Role::Owner && role != Role::Owner {
        keeps_an_owner(&mut tx, show.id).await?;
    }
    members::set_role(&mut *tx, show.id, user_id, role).await?;
    let email = member_email(&mut tx, user_id).await?;
    let changed = Record::member(ChangeKind::Role, show.id, &email)
        .with(role_change(Some(current), Some(role)));
    history::record(&mut tx, who, changed).await?;
    super::commit(tx).await?;
    Ok(())
}

/// Removes a member; a show always keeps one owner.
pub async fn remove(app: &App, who: Viewer, slug: &str, user_id: Uuid) -> Result<()> {
    let show = managed(app, who, slug).await?;
    let mut tx = app.pool.begin().await?;
    // Serialises removals on this show, so two owners cannot remove each other at once.
    shows::lock_id(&mut tx, who, slug).await?;
    let role = members::role_of(&mut *tx, show.id, user_id).await?;
    if role == Some(Role::Owner) {
        keeps_an_owner(&mut tx, show.id).await?;
    }
    members::remove(&mut *tx, show.id, user_id).await?;
    if role.is_some() {
        let email = member_email(&mut tx, user_id).await?;
        let removed =
            Record::member(ChangeKind::Remove, show.id, &email).with(role_change(role, None));
        history::record(&mut tx, who, removed).await?;
    }
    super::commit(tx).await?;
    Ok(())
}

/// A member's email, for the history.
async fn member_email(tx: &mut sqlx::PgConnection, user_id: Uuid) -> Result<String> {
    Ok(db::history::email_of(&mut *tx, user_id)
        .await?
        .unwrap_or_else(|| user_id.to_string()))
}

/// Refuses to take away an owner when they are the show's only one.
async fn keeps_an_owner(tx: &mut sqlx::PgConnection, show_id: Uuid) -> Result<()> {
    if members::owner_count(&mut *tx, show_id).await? <= 1 {
        return Err(Error::conflict(
            "last_owner",
            "A show keeps at least one owner: make someone else an owner first.",
        ));
    }
    Ok(())
}

/// Withdraws an invitation.
pub async fn cancel_invite(app: &App, who: Viewer, slug: &str, email: &str) -> Result<()> {
    let show = managed(app, who, slug).await?;
    let mut tx = app.pool.begin().await?;
    let role = members::invites(&mut *tx, show.id)
        .await?
        .into_iter()
        .find(|i| i.email.eq_ignore_ascii_case(email))
        .map(|i| i.role);
    members::cancel_invite(&mut *tx, show.id, email).await?;
    if role.is_some() {
        let cancelled =
            Record::member(ChangeKind::Remove, show.id, email).with(role_change(role, None));
        history::record(&mut tx, who, cancelled).await?;
    }
    super::commit(tx).await?;
    Ok(())
}
