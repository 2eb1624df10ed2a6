//! The Preview tab: the show as podcast apps will show it, from the input the worker renders.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::Response,
};
use chrono::Utc;

use super::{
    error::UiError,
    page::{render, Layout},
    session::Session,
    time,
};
use crate::app::preview;
use crate::domain::notes::sanitize;
use crate::web::AppState;

struct Shown {
    title: String,
    image: Option<String>,
    numbers: String,
    when: String,
    state: &'static str,
    in_feed: bool,
    notes: String,
}

#[derive(Template)]
#[template(path = "ui/shows/preview.html")]
struct PreviewPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    author: String,
    image: Option<String>,
    description: String,
    feed_url: String,
    episodes: Vec<Shown>,
    in_feed: usize,
}

pub async fn page(
    State(app): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let p = preview::of(&app.app, who, &slug, Utc::now()).await?;
    let show = &p.feed.fields;
    let episodes: Vec<Shown> = p
        .episodes
        .iter()
        .map(|e| {
            let f = &e.episode.fields;
            let numbers = match (f.season, f.episode) {
                (Some(s), Some(n)) => format!("Season {s}, episode {n}"),
                (Some(s), None) => format!("Season {s}"),
                (None, Some(n)) => format!("Episode {n}"),
                (None, None) => String::new(),
            };
            Shown {
                title: f.title.clone(),
                image: f.image_url.clone().or_else(|| show.image_url.clone()),
                numbers,
                when: time::display(f.publish_at, session.tz),
                state: e.state.as_str(),
                in_feed: e.in_feed,
                notes: sanitize(&f.description),
            }
        })
        .collect();
    let layout = Layout::new(
        &app,
        Some(&session),
        format!("Preview of {}", show.title),
        "shows",
    )
    .await?;
    render(&PreviewPage {
        layout,
        tab: "preview",
        title: show.title.clone(),
        author: show.author.clone().unwrap_or_default(),
        image: show.image_url.clone(),
        description: sanitize(&show.description),
        feed_url: p.feed.feed_url.clone(),
        in_feed: episodes.iter().filter(|e| e.in_feed).count(),
        episodes,
        slug,
    })
}
