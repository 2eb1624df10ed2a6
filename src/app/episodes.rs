//! A show's episodes: pages of them, search, and writing one (each write queues the renders
//! it needs).

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::history::{self, Record};
use super::shows::lock_live;
use super::{on_constraint, shows, App, Error, Result};
use crate::db::{
    self,
    episode_list::{EpisodeFilter, EpisodeOrder},
    episodes::EpisodePage,
};
use crate::domain::history::ChangeKind;
use crate::domain::{
    in_database_range, Checker, Choice, Episode, EpisodeFields, EpisodeInput, EpisodeState, Slug,
    Viewer,
};
use crate::jobs::queue;

/// Which page of a show's episodes to list.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub state: Option<Choice<EpisodeState>>,
    pub limit: Option<i64>,
    /// A `next_cursor` from an earlier page.
    pub cursor: Option<String>,
    /// `date` (the default), `number` or `title`, as the UI's list sorts.
    pub sort: Option<String>,
    /// `asc` or `desc`; each sort's natural way by default (newest first, 1 up, A to Z).
    pub dir: Option<String>,
}

/// A page of episodes, in the order asked for.
#[derive(Debug)]
pub struct Listing {
    pub items: Vec<Episode>,
    /// Pass as the cursor for the next page; none on the last.
    pub next_cursor: Option<String>,
}

/// A page of the episodes of a show `who` may see. Newest first (the default) pages by the
/// last episode's publish time and id, in one query with the visibility check; the other
/// orders page by position, their cursor naming the order it belongs to.
pub async fn list(app: &App, who: Viewer, slug: &str, query: ListQuery) -> Result<Listing> {
    Slug::parse(slug).map_err(|_| Error::NotFound)?;
    let mut c = Checker::default();
    let state = query.state.and_then(|s| c.choice("status", &s));
    let limit = c.number("limit", query.limit.unwrap_or(50), 1..=500);
    let (order, descending) = EpisodeOrder::parse(query.sort.as_deref(), query.dir.as_deref())
        .unwrap_or_else(|(param, must)| {
            c.error(param, must);
            (EpisodeOrder::Date, true)
        });
    let keyset = is_keyset(order, descending);
    let after = match query.cursor.as_deref() {
        None => Cursor::Start,
        Some(raw) => Cursor::parse(raw, order, descending).unwrap_or_else(|| {
            c.error("cursor", "is not a cursor this API returned for this sort");
            Cursor::Start
        }),
    };
    c.finish()?;
    if !keyset {
        return list_by_position(app, who, slug, state, (order, descending), limit, after).await;
    }
    let page = EpisodePage {
        state,
        limit: limit + 1,
        after: match after {
            Cursor::After(at, id) => Some((at, id)),
            _ => None,
        },
        now: Utc::now(),
    };
    let mut items = db::episodes::list_visible(&app.pool, who, slug, &page).await?;
    if items.is_empty()
        && db::shows::find_visible_id(&app.pool, who, slug)
            .await?
            .is_none()
    {
        return Err(Error::NotFound);
    }
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(cursor_of)
    } else {
        None
    };
    Ok(Listing { items, next_cursor })
}

async fn list_by_position(
    app: &App,
    who: Viewer,
    slug: &str,
    state: Option<EpisodeState>,
    (order, descending): (EpisodeOrder, bool),
    limit: i64,
    after: Cursor,
) -> Result<Listing> {
    let show = shows::get(app, who, slug).await?;
    let offset = match after {
        Cursor::Position(offset) => offset,
        _ => 0,
    };
    let filter = EpisodeFilter {
        query: "",
        state,
        now: Utc::now(),
    };
    let (pool, id) = (&app.pool, show.id);
    let mut items =
        db::episode_list::page(pool, id, &filter, order, descending, limit + 1, offset).await?;
    let next_cursor = (items.len() as i64 > limit).then(|| {
        items.truncate(limit as usize);
        let dir = if descending { "desc" } else { "asc" };
        format!("{}.{dir}.{}", order.as_str(), offset + limit)
    });
    Ok(Listing { items, next_cursor })
}

/// Where a page starts.
enum Cursor {
    Start,
    /// After this publish time and id (newest first).
    After(DateTime<Utc>, Uuid),
    /// After this many episodes (any other order).
    Position(i64),
}

/// Whether `order` pages by publish time and id (newest first) rather than by position.
fn is_keyset(order: EpisodeOrder, descending: bool) -> bool {
    order == EpisodeOrder::Date && descending
}

impl Cursor {
    fn parse(raw: &str, order: EpisodeOrder, descending: bool) -> Option<Cursor> {
        if is_keyset(order, descending) {
            return parse_cursor(raw).map(|(at, id)| Cursor::After(at, id));
        }
        let dir = if descending { "desc" } else { "asc" };
        let offset = raw.strip_prefix(&format!("{}.{dir}.", order.as_str()))?;
        let offset = offset
            .parse()
            .ok()
            .filter(|n| (0..=i64::from(i32::MAX)).contains(n))?;
        Some(Cursor::Position(offset))
    }
}

fn cursor_of(e: &Episode) -> String {
    format!("{}_{}", e.fields.publish_at.timestamp_micros(), e.id)
}

fn parse_cursor(raw: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let (micros, id) = raw.split_once('_')?;
    let at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    in_database_range(at).then_some(())?;
    Some((at, id.parse().ok()?))
}

/// An episode of a show `who` may see.
pub async fn get(app: &App, who: Viewer, slug: &str, id: Uuid) -> Result<Episode> {
    let show = shows::get(app, who, slug).await?;
    db::episodes::find(&app.pool, show.id, id)
        .await?
        .ok_or(Error::NotFound)
}

/// Adds an episode to a show `who` may edit, and queues the renders it needs in the same
/// transaction.
pub async fn create(app: &App, who: Viewer, slug: &str, input: EpisodeInput) -> Result<Episode> {
    input.check_required()?;
    let now = Utc::now();
    let fields = input.apply(EpisodeFields::new_at(now), now)?;
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let show_id = lock_live(&mut tx, who, slug).await?;
    let episode = db::episodes::insert(&mut *tx, show_id, &fields)
        .await
        .map_err(guid_taken)?;
    let created = Record::episode(ChangeKind::Create, show_id, episode.id, &fields.title)
        .diff(&EpisodeFields::default(), &fields);
    history::record(&mut tx, who, created).await?;
    changed(&mut tx, app, show_id, Some(fields.publish_at)).await?;
    super::commit(tx).await?;
    Ok(episode)
}

/// Applies `input` to an episode of a show `who` may edit, and queues the renders it needs in
/// the same transaction.
pub async fn update(
    app: &App,
    who: Viewer,
    slug: &str,
    id: Uuid,
    input: EpisodeInput,
) -> Result<Episode> {
    update_with(app, who, slug, id, None, |_| Ok(input)).await
}

/// Like [`update`], with the input made from the episode as it stands under the show's lock;
/// `reverts` names the history entry this change undoes.
pub(super) async fn update_with(
    app: &App,
    who: Viewer,
    slug: &str,
    id: Uuid,
    reverts: Option<i64>,
    input: impl FnOnce(&Episode) -> Result<EpisodeInput>,
) -> Result<Episode> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let show_id = lock_live(&mut tx, who, slug).await?;
    let old = db::episodes::find(&mut *tx, show_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let fields = input(&old)?.apply(old.fields.clone(), Utc::now())?;
    let episode = db::episodes::update(&mut *tx, id, &fields).await?;
    let updated = Record {
        reverts,
        ..Record::episode(ChangeKind::Update, show_id, id, &fields.title)
    };
    history::record(&mut tx, who, updated.diff(&old.fields, &fields)).await?;
    changed(&mut tx, app, show_id, Some(fields.publish_at)).await?;
    super::commit(tx).await?;
    Ok(episode)
}

/// Moves an episode of a show `who` may edit to the trash, and queues a render in the same
/// transaction: it leaves the feed at once, and a restore brings it back unchanged.
pub async fn delete(app: &App, who: Viewer, slug: &str, id: Uuid) -> Result<()> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let show_id = lock_live(&mut tx, who, slug).await?;
    let episode = db::episodes::find(&mut *tx, show_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    if !db::trash::trash_episode(&mut *tx, show_id, id).await? {
        return Err(Error::NotFound);
    }
    let deleted = Record::episode(ChangeKind::Delete, show_id, id, &episode.fields.title);
    history::record(&mut tx, who, deleted).await?;
    changed(&mut tx, app, show_id, None).await?;
    super::commit(tx).await?;
    Ok(())
}

/// Bumps the show's revision and queues the renders the change needs, in the caller's
/// transaction: one now, and one at the episode's release if that is still ahead.
pub(super) async fn changed(
    tx: &mut PgConnection,
    app: &App,
    show_id: Uuid,
    release: Option<DateTime<Utc>>,
) -> Result<()> {
    let attempts = app.max_attempts();
    db::shows::bump_revision(&mut *tx, show_id).await?;
    queue::enqueue_render(&mut *tx, show_id, None, attempts).await?;
    if let Some(at) = release.filter(|at| *at > Utc::now()) {
        queue::enqueue_render(&mut *tx, show_id, Some(at), attempts).await?;
    }
    Ok(())
}

pub(super) fn guid_taken(err: sqlx::Error) -> Error {
    on_constraint("episodes_show_guid_key", "guid_taken", || {
        "another episode of this show has that guid".into()
    })(err)
}
