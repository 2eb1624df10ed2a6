//! The edit history (`history`): one row per recorded change.

use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgExecutor};
use uuid::Uuid;

use crate::domain::history::{ChangeKind, ChangeTarget, FieldChange};
use crate::domain::Surface;

/// A change to record.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub show_id: Option<Uuid>,
    pub episode_id: Option<Uuid>,
    pub target: ChangeTarget,
    pub kind: ChangeKind,
    pub subject: Option<&'a str>,
    pub user_id: Uuid,
    pub surface: Surface,
    pub via: Option<Surface>,
    pub changes: &'a [FieldChange],
    pub reverts: Option<i64>,
}

/// A recorded change.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub show_id: Option<Uuid>,
    pub episode_id: Option<Uuid>,
    pub target: ChangeTarget,
    pub kind: ChangeKind,
    pub subject: Option<String>,
    pub user_id: Option<Uuid>,
    pub user_email: String,
    pub surface: Surface,
    pub via: Option<Surface>,
    pub changes: Json<Vec<FieldChange>>,
    pub reverts: Option<i64>,
    pub at: DateTime<Utc>,
}

/// Records changes, in their order, each with its author's email as it is now: one statement
/// however many there are (an import records one per episode).
pub async fn insert_many(db: impl PgExecutor<'_>, entries: &[NewEntry<'_>]) -> sqlx::Result<()> {
    let show_ids: Vec<Option<Uuid>> = entries.iter().map(|e| e.show_id).collect();
    let episode_ids: Vec<Option<Uuid>> = entries.iter().map(|e| e.episode_id).collect();
    let targets: Vec<&str> = entries.iter().map(|e| e.target.as_str()).collect();
    let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    let subjects: Vec<Option<&str>> = entries.iter().map(|e| e.subject).collect();
    let user_ids: Vec<Uuid> = entries.iter().map(|e| e.user_id).collect();
    let surfaces: Vec<&str> = entries.iter().map(|e| e.surface.as_str()).collect();
    let vias: Vec<Option<&str>> = entries.iter().map(|e| e.via.map(|v| v.as_str())).collect();
    let changes: Vec<Json<&[FieldChange]>> = entries.iter().map(|e| Json(e.changes)).collect();
    let reverts: Vec<Option<i64>> = entries.iter().map(|e| e.reverts).collect();
    sqlx::query!(
        "insert into history (show_id, episode_id, target, kind, subject, user_id, user_email,
            surface, via, changes, reverts)
         select e.show_id, e.episode_id, e.target, e.kind, e.subject, u.id, u.email, e.surface,
            e.via, e.changes, e.reverts
         from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[],
                $7::text[], $8::text[], $9::jsonb[], $10::bigint[])
              with ordinality
              as e (show_id, episode_id, target, kind, subject, user_id, surface, via, changes,
                    reverts, n)
         join users u on u.id = e.user_id
         order by e.n",
        &show_ids as _,
        &episode_ids as _,
        &targets as _,
        &kinds as _,
        &subjects as _,
        &user_ids,
        &surfaces as _,
        &vias as _,
        &changes as _,
        &reverts as _,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Which entries to list: a show's (or one of its episodes'), or the settings', newest first,
/// older than `before` (an id), at most `limit`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub show_id: Option<Uuid>,
    pub episode_id: Option<Uuid>,
    pub before: Option<i64>,
    pub limit: i64,
}

pub async fn list(db: impl PgExecutor<'_>, page: Window) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select id, show_id, episode_id, target as "target: ChangeTarget",
            kind as "kind: ChangeKind", subject, user_id, user_email,
            surface as "surface: Surface", via as "via: Surface",
            changes as "changes: Json<Vec<FieldChange>>", reverts, at
         from history
         where show_id is not distinct from $1::uuid
           and ($2::uuid is null or episode_id = $2)
           and ($3::bigint is null or id < $3)
           and ($1::uuid is not null or target = 'settings')
         order by id desc
         limit $4"#,
        page.show_id,
        page.episode_id,
        page.before,
        page.limit,
    )
    .fetch_all(db)
    .await
}

/// One entry of a show's history (or, with no show, of the settings').
pub async fn find(
    db: impl PgExecutor<'_>,
    show_id: Option<Uuid>,
    id: i64,
) -> sqlx::Result<Option<Entry>> {
    sqlx::query_as!(
        Entry,
        r#"select id, show_id, episode_id, target as "target: ChangeTarget",
            kind as "kind: ChangeKind", subject, user_id, user_email,
            surface as "surface: Surface", via as "via: Surface",
            changes as "changes: Json<Vec<FieldChange>>", reverts, at
         from history
         where id = $2 and show_id is not distinct from $1::uuid
           and ($1::uuid is not null or target = 'settings')"#,
        show_id,
        id,
    )
    .fetch_optional(db)
    .await
}

/// Deletes entries older than `cutoff`; how many went.
pub async fn prune(db: impl PgExecutor<'_>, cutoff: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query!("delete from history where at < $1", cutoff)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// A user's email, if they exist.
pub async fn email_of(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select email from users where id = $1", user_id)
        .fetch_optional(db)
        .await
}
