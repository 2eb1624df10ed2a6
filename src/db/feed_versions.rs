//! Feed history: every feed document a publish uploaded, byte for byte (gzip-compressed).

use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use flate2::{read::GzDecoder, write::GzEncoder, Compression};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::ObjectKind;

/// One kept version, without its bytes.
#[derive(Debug, Clone)]
pub struct FeedVersion {
    pub id: i64,
    pub show_id: Uuid,
    pub key: String,
    pub kind: ObjectKind,
    pub revision: i64,
    pub published_at: DateTime<Utc>,
    pub bytes: i64,
    pub sha256: String,
    /// What changed in it, once worked out (`keep_changes`), and against which version.
    pub changes: Option<serde_json::Value>,
    pub changes_against: Option<i64>,
}

/// What a publish uploaded, to keep.
#[derive(Debug)]
pub struct NewVersion<'a> {
    pub show_id: Uuid,
    pub key: &'a str,
    pub kind: ObjectKind,
    pub revision: i64,
    pub published_at: DateTime<Utc>,
    pub sha256: &'a str,
    pub body: &'a [u8],
}

/// Keeps `v`, compressed, and returns its id.
pub async fn record(db: impl PgExecutor<'_>, v: &NewVersion<'_>) -> anyhow::Result<i64> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(v.body)?;
    let compressed = gz.finish()?;
    let id = sqlx::query_scalar!(
        "insert into feed_versions (show_id, key, kind, revision, published_at, bytes, sha256,
            body_gzip)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        v.show_id,
        v.key,
        v.kind as _,
        v.revision,
        v.published_at,
        v.body.len() as i64,
        v.sha256,
        compressed
    )
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// A page of the show's versions, newest first, after the cursor `before` (an id).
pub async fn page(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<FeedVersion>> {
    sqlx::query_as!(
        FeedVersion,
        r#"select id, show_id, key, kind as "kind: ObjectKind", revision, published_at, bytes,
            sha256, changes, changes_against
         from feed_versions where show_id = $1 and id < coalesce($2, 9223372036854775807)
         order by id desc limit $3"#,
        show_id,
        before,
        limit
    )
    .fetch_all(db)
    .await
}

/// One version of the show's.
pub async fn find(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    id: i64,
) -> sqlx::Result<Option<FeedVersion>> {
    sqlx::query_as!(
        FeedVersion,
        r#"select id, show_id, key, kind as "kind: ObjectKind", revision, published_at, bytes,
            sha256, changes, changes_against
         from feed_versions where show_id = $1 and id = $2"#,
        show_id,
        id
    )
    .fetch_optional(db)
    .await
}

/// The version published before `v` of the same object: the same key, or for the main feed
/// the main feed under any key (a rename moves it).
pub async fn previous(
    db: impl PgExecutor<'_>,
    v: &FeedVersion,
) -> sqlx::Result<Option<FeedVersion>> {
    sqlx::query_as!(
        FeedVersion,
        r#"select id, show_id, key, kind as "kind: ObjectKind", revision, published_at, bytes,
            sha256, changes, changes_against
         from feed_versions
         where show_id = $1 and id < $2 and (key = $3 or ($4 = 'feed' and kind = 'feed'))
         order by id desc limit 1"#,
        v.show_id,
        v.id,
        v.key,
        v.kind.as_str()
    )
    .fetch_optional(db)
    .await
}

/// Keeps what changed in version `id` from version `against`.
pub async fn keep_changes(
    db: impl PgExecutor<'_>,
    id: i64,
    against: Option<i64>,
    changes: &serde_json::Value,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update feed_versions set changes = $2, changes_against = $3 where id = $1",
        id,
        changes,
        against
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The exact bytes that were uploaded as version `id`.
pub async fn body(db: impl PgExecutor<'_>, id: i64) -> anyhow::Result<Option<Vec<u8>>> {
    let compressed = sqlx::query_scalar!("select body_gzip from feed_versions where id = $1", id)
        .fetch_optional(db)
        .await?;
    let Some(compressed) = compressed else {
        return Ok(None);
    };
    let mut body = Vec::new();
    GzDecoder::new(&compressed[..]).read_to_end(&mut body)?;
    Ok(Some(body))
}

/// Deletes up to `limit` versions that are neither among their show's newest `keep` nor
/// published after `since`; returns how many.
pub async fn prune(
    db: impl PgExecutor<'_>,
    keep: i64,
    since: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "delete from feed_versions where id in (
             select id from (select id, published_at,
                     row_number() over (partition by show_id order by id desc) as n
                 from feed_versions) v
             where n > $1 and published_at < $2 limit $3)",
        keep,
        since,
        limit
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
