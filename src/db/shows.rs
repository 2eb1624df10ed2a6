//! Shows and who may edit them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{types::Json, PgExecutor};
use uuid::Uuid;

use crate::domain::ShowExtras;

/// An Apple category, optionally with a subcategory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
}

/// A `podcast:funding` link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    pub url: String,
    #[serde(default)]
    pub label: String,
}

/// The fields a podcaster writes, already validated.
#[derive(Debug, Clone)]
pub struct ShowFields {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub author: Option<String>,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    pub language: String,
    pub categories: Vec<Category>,
    pub explicit: bool,
    pub show_type: String,
    pub image_url: Option<String>,
    pub link: Option<String>,
    pub copyright: Option<String>,
    pub locked: bool,
    pub complete: bool,
    pub block: bool,
    pub funding: Vec<Funding>,
    pub extras: ShowExtras,
}

impl ShowFields {
    /// No values yet: what a new show's input is applied to. The defaults are those of the
    /// `shows` table (`language` en, `show_type` episodic).
    pub fn empty() -> ShowFields {
        ShowFields {
            slug: String::new(),
            title: String::new(),
            description: String::new(),
            author: None,
            owner_name: None,
            owner_email: None,
            language: "en".into(),
            categories: Vec::new(),
            explicit: false,
            show_type: "episodic".into(),
            image_url: None,
            link: None,
            copyright: None,
            locked: false,
            complete: false,
            block: false,
            funding: Vec::new(),
            extras: ShowExtras::default(),
        }
    }
}

/// A stored show.
#[derive(Debug, Clone)]
pub struct Show {
    pub id: Uuid,
    pub fields: ShowFields,
    pub podcast_guid: Uuid,
    pub status: String,
    /// During a move out: the show's new home, announced in `<itunes:new-feed-url>` ...
    pub new_feed_url: Option<String>,
    /// ... until this time, when the feed becomes a redirect stub to it.
    pub move_redirect_at: Option<DateTime<Utc>>,
    /// The last rename, which starts a grace period of `<itunes:new-feed-url>` to itself.
    pub renamed_at: Option<DateTime<Utc>>,
    pub revision: i64,
    pub published_revision: Option<i64>,
    pub publish_error: Option<String>,
    pub publish_conflict: bool,
    /// The key of the inputs of the last complete render (see `jobs::inputs`), and until when
    /// that render holds.
    pub rendered_inputs: Option<String>,
    pub rendered_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

struct ShowRow {
    id: Uuid,
    slug: String,
    title: String,
    description: String,
    author: Option<String>,
    owner_name: Option<String>,
    owner_email: Option<String>,
    language: String,
    categories: Json<Vec<Category>>,
    explicit: bool,
    show_type: String,
    image_url: Option<String>,
    link: Option<String>,
    copyright: Option<String>,
    locked: bool,
    complete: bool,
    block: bool,
    funding: Json<Vec<Funding>>,
    extras: Json<ShowExtras>,
    podcast_guid: Uuid,
    status: String,
    new_feed_url: Option<String>,
    move_redirect_at: Option<DateTime<Utc>>,
    renamed_at: Option<DateTime<Utc>>,
    revision: i64,
    published_revision: Option<i64>,
    publish_error: Option<String>,
    publish_conflict: bool,
    rendered_inputs: Option<String>,
    rendered_until: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<ShowRow> for Show {
    fn from(r: ShowRow) -> Show {
        Show {
            id: r.id,
            fields: ShowFields {
                slug: r.slug,
                title: r.title,
                description: r.description,
                author: r.author,
                owner_name: r.owner_name,
                owner_email: r.owner_email,
                language: r.language,
                categories: r.categories.0,
                explicit: r.explicit,
                show_type: r.show_type,
                image_url: r.image_url,
                link: r.link,
                copyright: r.copyright,
                locked: r.locked,
                complete: r.complete,
                block: r.block,
                funding: r.funding.0,
                extras: r.extras.0,
            },
            podcast_guid: r.podcast_guid,
            status: r.status,
            new_feed_url: r.new_feed_url,
            move_redirect_at: r.move_redirect_at,
            renamed_at: r.renamed_at,
            revision: r.revision,
            published_revision: r.published_revision,
            publish_error: r.publish_error,
            publish_conflict: r.publish_conflict,
            rendered_inputs: r.rendered_inputs,
            rendered_until: r.rendered_until,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The caller's access to shows: admins see every show, others their memberships.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user_id: Uuid,
    pub is_admin: bool,
}

/// Shows the viewer can see, by slug.
pub async fn list_visible(db: impl PgExecutor<'_>, viewer: Viewer) -> sqlx::Result<Vec<Show>> {
    let rows = sqlx::query_as!(
        ShowRow,
        r#"select s.id, s.slug, s.title, s.description, s.author, s.owner_name, s.owner_email,
                s.language, s.categories as "categories: Json<Vec<Category>>", s.explicit,
                s.show_type, s.image_url, s.link, s.copyright, s.locked, s.complete, s.block,
                s.funding as "funding: Json<Vec<Funding>>",
                s.extras as "extras: Json<ShowExtras>", s.podcast_guid, s.status,
                s.new_feed_url, s.move_redirect_at, s.renamed_at, s.revision, s.published_revision, s.publish_error,
                s.publish_conflict, s.rendered_inputs, s.rendered_until, s.created_at,
                s.updated_at
           from shows s
           where s.status <> 'deleted' and ($2 or exists
               (select 1 from show_members m where m.show_id = s.id and m.user_id = $1))
           order by s.slug"#,
        viewer.user_id,
        viewer.is_admin
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Show::from).collect())
}

/// The id of a show the viewer can see, without locking it (`lock_visible` locks).
pub async fn find_visible_id(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    slug: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select s.id from shows s where s.slug = $1 and ($3 or exists
            (select 1 from show_members m where m.show_id = s.id and m.user_id = $2))",
        slug,
        viewer.user_id,
        viewer.is_admin
    )
    .fetch_optional(db)
    .await
}

/// The id and status of a show the viewer can see, by slug, locked for the rest of the
/// transaction.
pub async fn lock_visible(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    slug: &str,
) -> sqlx::Result<Option<(Uuid, String)>> {
    let row = sqlx::query!(
        "select s.id, s.status from shows s where s.slug = $1 and ($3 or exists
            (select 1 from show_members m where m.show_id = s.id and m.user_id = $2))
         for update",
        slug,
        viewer.user_id,
        viewer.is_admin
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.id, r.status)))
}

/// A show the viewer can see, by slug, in one query.
pub async fn find_visible(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    slug: &str,
) -> sqlx::Result<Option<Show>> {
    let row = sqlx::query_as!(
        ShowRow,
        r#"select s.id, s.slug, s.title, s.description, s.author, s.owner_name, s.owner_email,
                s.language, s.categories as "categories: Json<Vec<Category>>", s.explicit,
                s.show_type, s.image_url, s.link, s.copyright, s.locked, s.complete, s.block,
                s.funding as "funding: Json<Vec<Funding>>",
                s.extras as "extras: Json<ShowExtras>", s.podcast_guid, s.status,
                s.new_feed_url, s.move_redirect_at, s.renamed_at, s.revision,
                s.published_revision, s.publish_error, s.publish_conflict, s.rendered_inputs,
                s.rendered_until, s.created_at, s.updated_at
           from shows s
           where s.slug = $1 and ($3 or exists
               (select 1 from show_members m where m.show_id = s.id and m.user_id = $2))"#,
        slug,
        viewer.user_id,
        viewer.is_admin
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(Show::from))
}

pub async fn find_by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Show>> {
    let row = sqlx::query_as!(
        ShowRow,
        r#"select s.id, s.slug, s.title, s.description, s.author, s.owner_name, s.owner_email,
                s.language, s.categories as "categories: Json<Vec<Category>>", s.explicit,
                s.show_type, s.image_url, s.link, s.copyright, s.locked, s.complete, s.block,
                s.funding as "funding: Json<Vec<Funding>>",
                s.extras as "extras: Json<ShowExtras>", s.podcast_guid, s.status,
                s.new_feed_url, s.move_redirect_at, s.renamed_at, s.revision, s.published_revision, s.publish_error,
                s.publish_conflict, s.rendered_inputs, s.rendered_until, s.created_at,
                s.updated_at
           from shows s where s.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(Show::from))
}

pub async fn id_by_slug(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select id from shows where slug = $1", slug)
        .fetch_optional(db)
        .await
}

/// Inserts a show; a taken slug fails on `shows_slug_key`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    f: &ShowFields,
    podcast_guid: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into shows (slug, title, description, author, owner_name, owner_email, language,
            categories, explicit, show_type, image_url, link, copyright, locked, complete, block,
            funding, podcast_guid, extras)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
            $19)
         returning id",
        f.slug,
        f.title,
        f.description,
        f.author,
        f.owner_name,
        f.owner_email,
        f.language,
        Json(&f.categories) as _,
        f.explicit,
        f.show_type,
        f.image_url,
        f.link,
        f.copyright,
        f.locked,
        f.complete,
        f.block,
        Json(&f.funding) as _,
        podcast_guid,
        Json(&f.extras) as _
    )
    .fetch_one(db)
    .await
}

/// Writes every field and bumps the revision.
pub async fn update(db: impl PgExecutor<'_>, id: Uuid, f: &ShowFields) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set slug = $2, title = $3, description = $4, author = $5, owner_name = $6,
            owner_email = $7, language = $8, categories = $9, explicit = $10, show_type = $11,
            image_url = $12, link = $13, copyright = $14, locked = $15, complete = $16,
            block = $17, funding = $18, extras = $19, revision = revision + 1, updated_at = now()
         where id = $1",
        id,
        f.slug,
        f.title,
        f.description,
        f.author,
        f.owner_name,
        f.owner_email,
        f.language,
        Json(&f.categories) as _,
        f.explicit,
        f.show_type,
        f.image_url,
        f.link,
        f.copyright,
        f.locked,
        f.complete,
        f.block,
        Json(&f.funding) as _,
        Json(&f.extras) as _
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records that something about the show changed: a new revision for the feed.
pub async fn bump_revision(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "update shows set revision = revision + 1, updated_at = now() where id = $1
         returning revision",
        id
    )
    .fetch_one(db)
    .await
}

/// Starts (or changes) a move out to `new_feed_url`; the feed becomes a redirect stub at
/// `redirect_at`.
pub async fn start_move(
    db: impl PgExecutor<'_>,
    id: Uuid,
    new_feed_url: &str,
    redirect_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set status = case when status = 'deleted' then status else 'moving' end,
            new_feed_url = $2, move_redirect_at = $3, revision = revision + 1, updated_at = now()
         where id = $1",
        id,
        new_feed_url,
        redirect_at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Undoes a move out: the feed is published at its own URL again.
pub async fn undo_move(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set status = case when status = 'deleted' then status else 'active' end,
            new_feed_url = null, move_redirect_at = null, revision = revision + 1,
            updated_at = now()
         where id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A move out's redirect stub is in place.
pub async fn mark_moved(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set status = 'moved' where id = $1 and status = 'moving'",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Starts the grace period of a rename.
pub async fn mark_renamed(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("update shows set renamed_at = now() where id = $1", id)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks a show deleted: its feed stays published, blocked and complete.
pub async fn mark_deleted(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set status = 'deleted', block = true, complete = true,
            revision = revision + 1, updated_at = now()
         where id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn purge(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from shows where id = $1", id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn add_member(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    user_id: Uuid,
    role: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into show_members (show_id, user_id, role) values ($1, $2, $3)
         on conflict (show_id, user_id) do update set role = excluded.role",
        show_id,
        user_id,
        role
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records a complete render: its inputs' key, and until when it holds. Ignored when the show
/// has moved on to a newer revision than `revision` since.
pub async fn record_rendered_inputs(
    db: impl PgExecutor<'_>,
    id: Uuid,
    revision: i64,
    inputs: &str,
    until: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set rendered_inputs = $3, rendered_until = $4
         where id = $1 and revision = $2
           and (rendered_inputs is distinct from $3 or rendered_until is distinct from $4)",
        id,
        revision,
        inputs,
        until
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Makes the next render of these shows render in full, as if their inputs had changed.
pub async fn forget_rendered_inputs(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set rendered_inputs = null, rendered_until = null where id = any($1)",
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A show whose last publish failed or met a conflict.
#[derive(Debug, Clone)]
pub struct Troubled {
    pub slug: String,
    pub publish_error: Option<String>,
    pub publish_conflict: bool,
}

/// Shows whose last publish failed or met another installation's object, conflicts first.
pub async fn troubled(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Troubled>> {
    sqlx::query_as!(
        Troubled,
        "select slug, publish_error, publish_conflict from shows
         where publish_conflict or publish_error is not null
         order by publish_conflict desc, slug"
    )
    .fetch_all(db)
    .await
}

/// Records the outcome of a publish attempt.
pub async fn record_publish_result(
    db: impl PgExecutor<'_>,
    id: Uuid,
    revision: i64,
    error: Option<&str>,
    conflict: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set
            published_revision = case when $3::text is null and not $4
                then greatest(coalesce(published_revision, 0), $2) else published_revision end,
            publish_error = $3, publish_conflict = $4
         where id = $1
           -- A repeat of the recorded outcome writes nothing (unchanged refreshes).
           and (publish_error is distinct from $3 or publish_conflict <> $4
                or ($3::text is null and not $4
                    and coalesce(published_revision, 0) < $2))",
        id,
        revision,
        error,
        conflict
    )
    .execute(db)
    .await?;
    Ok(())
}
