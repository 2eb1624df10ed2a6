//! Deleting, the trash and purging: each destructive step asks first (`confirm`), and the trash
//! pages restore what a delete kept.

use axum::{
    extract::{Path, State},
    response::Response,
};
use uuid::Uuid;

use super::{
    confirm::{ConfirmForm, ConfirmPage},
    error::UiError,
    flash::see_other_with,
    page::Layout,
    session::{CsrfForm, NoFields, Session},
};
use crate::app::{self, episodes, shows, trash};
use crate::domain::Show;
use crate::web::AppState;

/// What editors are told where an owner's action would be.
pub const OWNERS_ONLY: &str =
    "Only the show's owners can do this; editors edit the show's content and episodes.";

pub(super) fn retention_days(state: &AppState) -> u64 {
    state.app.settings.trash_retention.as_secs() / 86_400
}

pub(super) async fn layout(
    state: &AppState,
    session: &Session,
    title: &str,
) -> Result<Layout, UiError> {
    Layout::new(state, Some(session), title, "shows").await
}

async fn episode_delete_page(
    state: &AppState,
    session: &Session,
    slug: &str,
    id: Uuid,
) -> Result<ConfirmPage, UiError> {
    let episode = episodes::get(&state.app, session.user.viewer(), slug, id).await?;
    let days = retention_days(state);
    let title = episode.fields.title;
    Ok(ConfirmPage {
        layout: layout(state, session, "Delete episode").await?,
        heading: format!("Delete “{title}”?"),
        consequences: vec![
            "It leaves the feed within seconds: podcast apps stop listing it. Copies that \
             listeners already downloaded stay on their devices."
                .into(),
            format!(
                "It waits in this show's Trash for {days} days. Restoring it brings it back \
                 exactly as it was (same guid, publish time, numbering, media and notes), so \
                 apps see the same episode again, not a new one."
            ),
            format!("After {days} days it is deleted for good."),
        ],
        action: format!("/shows/{slug}/episodes/{id}/delete"),
        check: "Yes, move this episode to the trash".into(),
        hidden: Vec::new(),
        typed: None,
        button: "Delete episode".into(),
        back: format!("/shows/{slug}/episodes/{id}"),
        error: None,
    })
}

pub async fn confirm_delete_episode(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
) -> Result<Response, UiError> {
    episode_delete_page(&state, &session, &slug, id)
        .await?
        .answer(false)
}

pub async fn delete_episode(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
    CsrfForm { form, .. }: CsrfForm<ConfirmForm>,
) -> Result<Response, UiError> {
    if !form.confirmed(None) {
        let page = episode_delete_page(&state, &session, &slug, id).await?;
        return page.answer(true);
    }
    episodes::delete(&state.app, session.user.viewer(), &slug, id).await?;
    Ok(see_other_with(
        &format!("/shows/{slug}/episodes"),
        "trashed",
    ))
}

/// A show `who` owns, for the owners' pages: anyone else gets 403 `owner_only`.
async fn owned_show(state: &AppState, session: &Session, slug: &str) -> Result<Show, UiError> {
    let who = session.user.viewer();
    let show = shows::get(&state.app, who, slug).await?;
    if !shows::owns(&state.app, who, &show).await? {
        return Err(app::Error::OwnersOnly("only owners and admins delete or purge a show").into());
    }
    Ok(show)
}

async fn show_delete_page(
    state: &AppState,
    session: &Session,
    slug: &str,
) -> Result<ConfirmPage, UiError> {
    let show = owned_show(state, session, slug).await?;
    let days = retention_days(state);
    Ok(ConfirmPage {
        layout: layout(state, session, "Delete show").await?,
        heading: format!("Delete “{}”?", show.fields.title),
        consequences: vec![
            "Its feed stays published, marked itunes:block and itunes:complete: subscribers \
             keep the episodes they have, no new ones arrive, and directories such as Apple \
             Podcasts drop the show."
                .into(),
            format!(
                "The show leaves your list and waits in the Trash for {days} days, closed to \
                 edits. An owner can restore it there with everything it had; the feed then \
                 publishes as before."
            ),
            format!(
                "After {days} days it is purged: the feed URL {} stops answering and the slug \
                 is free for another show.",
                state.app.feed_url(slug)
            ),
        ],
        action: format!("/shows/{slug}/delete"),
        check: "Yes, move this show to the trash".into(),
        hidden: Vec::new(),
        typed: None,
        button: "Delete show".into(),
        back: format!("/shows/{slug}/edit"),
        error: None,
    })
}

pub async fn confirm_delete_show(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, UiError> {
    show_delete_page(&state, &session, &slug)
        .await?
        .answer(false)
}

pub async fn delete_show(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm { form, .. }: CsrfForm<ConfirmForm>,
) -> Result<Response, UiError> {
    if !form.confirmed(None) {
        return show_delete_page(&state, &session, &slug)
            .await?
            .answer(true);
    }
    shows::delete(&state.app, session.user.viewer(), &slug, false).await?;
    Ok(see_other_with("/trash", "trashed"))
}

async fn show_purge_page(
    state: &AppState,
    session: &Session,
    slug: &str,
) -> Result<ConfirmPage, UiError> {
    let show = owned_show(state, session, slug).await?;
    Ok(ConfirmPage {
        layout: layout(state, session, "Purge show").await?,
        heading: format!("Delete “{}” for good?", show.fields.title),
        consequences: vec![
            "The show, its episodes, its trash and its members are deleted. This cannot be \
             undone."
                .into(),
            format!(
                "Its feed and any redirects of its old URLs are removed from the store: podcast \
                 apps get “not found” at {} and lose the show.",
                state.app.feed_url(slug)
            ),
            format!("The slug {slug} becomes free for another show."),
        ],
        action: format!("/shows/{slug}/purge"),
        check: String::new(),
        hidden: Vec::new(),
        typed: Some(slug.to_string()),
        button: "Delete for good".into(),
        back: "/trash".into(),
        error: None,
    })
}

pub async fn confirm_purge_show(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, UiError> {
    show_purge_page(&state, &session, &slug)
        .await?
        .answer(false)
}

pub async fn purge_show(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm { form, .. }: CsrfForm<ConfirmForm>,
) -> Result<Response, UiError> {
    if !form.confirmed(Some(&slug)) {
        return show_purge_page(&state, &session, &slug).await?.answer(true);
    }
    shows::delete(&state.app, session.user.viewer(), &slug, true).await?;
    Ok(see_other_with("/trash", "purged"))
}

pub async fn restore_show(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    _: CsrfForm<NoFields>,
) -> Result<Response, UiError> {
    shows::restore(&state.app, session.user.viewer(), &slug).await?;
    Ok(see_other_with(&format!("/shows/{slug}"), "restored"))
}

async fn episode_purge_page(
    state: &AppState,
    session: &Session,
    slug: &str,
    id: Uuid,
) -> Result<ConfirmPage, UiError> {
    let found = trash::of_show(&state.app, session.user.viewer(), slug).await?;
    let Some(t) = found.episodes.into_iter().find(|t| t.episode.id == id) else {
        return Err(UiError::NotFound);
    };
    if !found.owned {
        return Err(
            app::Error::OwnersOnly("only owners and admins purge a show or an episode").into(),
        );
    }
    Ok(ConfirmPage {
        layout: layout(state, session, "Purge episode").await?,
        heading: format!("Delete “{}” for good?", t.episode.fields.title),
        consequences: vec![
            "The episode is deleted from the trash. This cannot be undone.".into(),
            "It is already out of the feed; subscribers notice nothing more.".into(),
        ],
        action: format!("/shows/{slug}/trash/{id}/purge"),
        check: "Yes, delete this episode for good".into(),
        hidden: Vec::new(),
        typed: None,
        button: "Delete for good".into(),
        back: format!("/shows/{slug}/trash"),
        error: None,
    })
}

pub async fn confirm_purge_episode(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
) -> Result<Response, UiError> {
    episode_purge_page(&state, &session, &slug, id)
        .await?
        .answer(false)
}

pub async fn purge_episode(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
    CsrfForm { form, .. }: CsrfForm<ConfirmForm>,
) -> Result<Response, UiError> {
    if !form.confirmed(None) {
        let page = episode_purge_page(&state, &session, &slug, id).await?;
        return page.answer(true);
    }
    trash::purge_episode(&state.app, session.user.viewer(), &slug, id).await?;
    Ok(see_other_with(&format!("/shows/{slug}/trash"), "purged"))
}

pub async fn restore_episode(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
    _: CsrfForm<NoFields>,
) -> Result<Response, UiError> {
    trash::restore_episode(&state.app, session.user.viewer(), &slug, id).await?;
    Ok(see_other_with(
        &format!("/shows/{slug}/episodes"),
        "restored",
    ))
}
