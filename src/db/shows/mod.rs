//! Shows: reading them, and (in `write` and `publish`) changing them.

mod import_source;
mod publish;
mod write;

use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgExecutor};
use uuid::Uuid;

pub use self::import_source::{
    import_source, lock_slug_choice, record_import_source, shared_episodes,
};
pub use self::publish::{
    forget_rendered_inputs, record_publish_error, record_publish_result, record_rendered_inputs,
    troubled, Troubled,
};
pub use self::write::{
    bump_revision, insert, lock_expired, mark_deleted, mark_moved, mark_renamed, purge, restore,
    start_move, undo_move, update,
};
use crate::domain::{
    Category, Funding, Show, ShowExtras, ShowFields, ShowStatus, ShowType, Viewer,
};

struct ShowRow {
    id: Uuid,
    slug: String,
    title: String,
    description: String,
    description_markdown: Option<String>,
    author: Option<String>,
    owner_name: Option<String>,
    owner_email: Option<String>,
    language: String,
    categories: Json<Vec<Category>>,
    explicit: bool,
    show_type: ShowType,
    image_url: Option<String>,
    link: Option<String>,
    copyright: Option<String>,
    locked: bool,
    complete: bool,
    block: bool,
    funding: Json<Vec<Funding>>,
    extras: Json<ShowExtras>,
    podcast_guid: Uuid,
    status: ShowStatus,
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
                description_markdown: r.description_markdown,
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

/// Shows the viewer can see, by slug.
pub async fn list_visible(db: impl PgExecutor<'_>, viewer: Viewer) -> sqlx::Result<Vec<Show>> {
    let rows = sqlx::query_as!(
        ShowRow,
        r#"select s.id, s.slug, s.title, s.description, s.description_markdown, s.author, s.owner_name, s.owner_email,
                s.language, s.categories as "categories: Json<Vec<Category>>", s.explicit,
                s.show_type as "show_type: ShowType", s.image_url, s.link, s.copyright, s.locked, s.complete, s.block,
                s.funding as "funding: Json<Vec<Funding>>",
                s.extras as "extras: Json<ShowExtras>", s.podcast_guid, s.status as "status: ShowStatus",
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
) -> sqlx::Result<Option<(Uuid, ShowStatus)>> {
    let row = sqlx::query!(
        r#"select s.id, s.status as "status: ShowStatus" from shows s where s.slug = $1 and ($3 or exists
            (select 1 from show_members m where m.show_id = s.id and m.user_id = $2))
         for update"#,
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
        r#"select s.id, s.slug, s.title, s.description, s.description_markdown, s.author, s.owner_name, s.owner_email,
                s.language, s.categories as "categories: Json<Vec<Category>>", s.explicit,
                s.show_type as "show_type: ShowType", s.image_url, s.link, s.copyright, s.locked, s.complete, s.block,
                s.funding as "funding: Json<Vec<Funding>>",
                s.extras as "extras: Json<ShowExtras>", s.podcast_guid, s.status as "status: ShowStatus",
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
        r#"select s.id, s.slug, s.title, s.description, s.description_markdown, s.author, s.owner_name, s.owner_email,
                s.language, s.categories as "categories: Json<Vec<Category>>", s.explicit,
                s.show_type as "show_type: ShowType", s.image_url, s.link, s.copyright, s.locked, s.complete, s.block,
                s.funding as "funding: Json<Vec<Funding>>",
                s.extras as "extras: Json<ShowExtras>", s.podcast_guid, s.status as "status: ShowStatus",
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

/// Every show's id, by slug.
pub async fn all_ids(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!("select id from shows order by slug")
        .fetch_all(db)
        .await
}

/// The ids of the shows with these slugs (as many as exist).
pub async fn ids_by_slugs(db: impl PgExecutor<'_>, slugs: &[String]) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!("select id from shows where slug = any($1)", slugs)
        .fetch_all(db)
        .await
}

/// How many shows the viewer can see have `query` in their title or slug (case-insensitive).
pub async fn count_matching(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    query: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from shows s
           where s.status <> 'deleted' and ($2 or exists
               (select 1 from show_members m where m.show_id = s.id and m.user_id = $1))
             and (s.title ilike $3 or s.slug ilike $3)"#,
        viewer.user_id,
        viewer.is_admin,
        super::contains_pattern(query)
    )
    .fetch_one(db)
    .await
}

/// A page of the shows `count_matching` counts, in natural title order ("Episode 2" before
/// "Episode 10", case-insensitive), over `shows_title_natural_idx`.
pub async fn search_visible(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    query: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Show>> {
    let rows = sqlx::query_as!(
        ShowRow,
        r#"select s.id, s.slug, s.title, s.description, s.description_markdown, s.author, s.owner_name, s.owner_email,
                s.language, s.categories as "categories: Json<Vec<Category>>", s.explicit,
                s.show_type as "show_type: ShowType", s.image_url, s.link, s.copyright, s.locked, s.complete, s.block,
                s.funding as "funding: Json<Vec<Funding>>",
                s.extras as "extras: Json<ShowExtras>", s.podcast_guid, s.status as "status: ShowStatus",
                s.new_feed_url, s.move_redirect_at, s.renamed_at, s.revision, s.published_revision, s.publish_error,
                s.publish_conflict, s.rendered_inputs, s.rendered_until, s.created_at,
                s.updated_at
           from shows s
           where s.status <> 'deleted' and ($2 or exists
               (select 1 from show_members m where m.show_id = s.id and m.user_id = $1))
             and (s.title ilike $3 or s.slug ilike $3)
           order by s.title collate natural_ci, s.id
           limit $4 offset $5"#,
        viewer.user_id,
        viewer.is_admin,
        super::contains_pattern(query),
        limit,
        offset
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Show::from).collect())
}
