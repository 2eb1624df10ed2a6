//! Who may edit a show: members, and invitations for people without an account yet.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::Role;

#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: Uuid,
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone)]
pub struct Invite {
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
}

pub async fn list(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Vec<Member>> {
    sqlx::query_as!(
        Member,
        r#"select u.id as user_id, u.email, m.role as "role: Role"
           from show_members m join users u on u.id = m.user_id
           where m.show_id = $1 order by m.role desc, lower(u.email)"#,
        show_id
    )
    .fetch_all(db)
    .await
}

pub async fn invites(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Vec<Invite>> {
    sqlx::query_as!(
        Invite,
        r#"select email, role as "role: Role", created_at from show_invites
           where show_id = $1 order by lower(email)"#,
        show_id
    )
    .fetch_all(db)
    .await
}

/// The role of a user on a show, if they are a member.
pub async fn role_of(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    user_id: Uuid,
) -> sqlx::Result<Option<Role>> {
    sqlx::query_scalar!(
        r#"select role as "role: Role" from show_members where show_id = $1 and user_id = $2"#,
        show_id,
        user_id
    )
    .fetch_optional(db)
    .await
}

/// Invites `email`; false when they are already invited (their invitation is left as it was).
pub async fn invite(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    email: &str,
    role: Role,
    invited_by: Uuid,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into show_invites (show_id, email, role, invited_by) values ($1, $2, $3, $4)
         on conflict (show_id, lower(email)) do nothing",
        show_id,
        email,
        role as _,
        invited_by
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes `user_id` a member with `role` (a member already keeps their role).
pub async fn add(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    user_id: Uuid,
    role: Role,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into show_members (show_id, user_id, role) values ($1, $2, $3)
         on conflict (show_id, user_id) do nothing",
        show_id,
        user_id,
        role as _
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Gives a member another role.
pub async fn set_role(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    user_id: Uuid,
    role: Role,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update show_members set role = $3 where show_id = $1 and user_id = $2",
        show_id,
        user_id,
        role as _
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn remove(db: impl PgExecutor<'_>, show_id: Uuid, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from show_members where show_id = $1 and user_id = $2",
        show_id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn cancel_invite(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    email: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from show_invites where show_id = $1 and lower(email) = lower($2)",
        show_id,
        email
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn owner_count(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from show_members where show_id = $1 and role = 'owner'"#,
        show_id
    )
    .fetch_one(db)
    .await
}

/// Turns the invitations for a new account's email into memberships; the shows joined, with
/// their roles.
pub async fn accept_invites(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    email: &str,
) -> sqlx::Result<Vec<(Uuid, Role)>> {
    let rows = sqlx::query!(
        r#"with taken as (
            delete from show_invites where lower(email) = lower($2) returning show_id, role
         )
         insert into show_members (show_id, user_id, role) select show_id, $1, role from taken
         on conflict (show_id, user_id) do nothing
         returning show_id, role as "role: Role""#,
        user_id,
        email
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.show_id, r.role)).collect())
}
