//! `podpub import`: an existing RSS feed becomes a show.

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;

use super::connect;
use crate::app::{self, users};
use crate::config::Settings;
use crate::domain::{Surface, Viewer};
use crate::import::Source;

/// Where `podpub import` reads the feed.
#[derive(Debug, Clone)]
pub enum ImportFrom {
    Url(String),
    File(PathBuf),
}

/// Imports a feed for the user with the email `owner`; prints the show and the report.
pub async fn import(
    settings: Settings,
    from: ImportFrom,
    owner: &str,
    slug: Option<String>,
    replace: bool,
) -> anyhow::Result<ExitCode> {
    let source = match from {
        ImportFrom::Url(url) => Source::Url(url),
        ImportFrom::File(path) => {
            let size = std::fs::metadata(&path)
                .with_context(|| format!("reading {}", path.display()))?
                .len();
            if size > settings.import_max_bytes as u64 {
                anyhow::bail!(
                    "{} is larger than {} bytes (PODPUB_IMPORT_MAX_BYTES)",
                    path.display(),
                    settings.import_max_bytes
                );
            }
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            Source::Xml(bytes)
        }
    };
    let app = connect(settings).await?;
    let user = users::find_by_email(&app, owner)
        .await?
        .with_context(|| format!("no user with the email {owner}"))?;
    let viewer = Viewer::new(user.id, user.is_admin, Surface::Cli);
    let request = app::import::ImportRequest {
        source,
        slug,
        replace,
    };
    let done = app::import::import(&app, viewer, request).await?;
    let s = &done.summary;
    let what = if s.created {
        "new show"
    } else {
        "updated show"
    };
    println!(
        "imported {:?} as {} ({what})",
        done.show.fields.title, done.show.fields.slug
    );
    println!("feed: {}", s.feed_url);
    println!(
        "episodes: {} new, {} updated; {} of {} items skipped",
        s.episodes_created, s.episodes_updated, s.items_skipped, s.items
    );
    if !s.report.is_empty() {
        println!("report:");
        for entry in &s.report {
            match &entry.guid {
                Some(guid) => println!("  {}: {} (guid {guid})", entry.code, entry.message),
                None => println!("  {}: {}", entry.code, entry.message),
            }
        }
    }
    println!("next: {}", s.next_steps);
    eprintln!("a render is queued; a running worker publishes the feed");
    Ok(ExitCode::SUCCESS)
}
