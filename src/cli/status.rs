//! `podpub status`: the queue and the feeds at a glance, for an operator's shell.

use std::process::ExitCode;

use anyhow::Context;

use crate::config::Settings;
use crate::db;
use crate::jobs::queue;

/// Prints queue depth, dead jobs (with their last errors) and shows in conflict or failing.
/// Exits 1 when something needs a person: a dead job or a conflict.
pub async fn status(settings: Settings) -> anyhow::Result<ExitCode> {
    let pool = db::pool(&settings)?;
    let depth = queue::depth(&pool).await.context("reading the job queue")?;
    println!(
        "jobs: {} queued, {} running, {} failed (will retry), {} dead; oldest due waiting {} s",
        depth.queued, depth.running, depth.failed, depth.dead, depth.oldest_due_secs
    );
    for dead in queue::dead(&pool, 5).await? {
        println!(
            "  dead {} {} (attempts {}): {}",
            dead.kind,
            dead.id,
            dead.attempts,
            dead.last_error.as_deref().unwrap_or("no error recorded")
        );
    }
    let troubled = db::shows::troubled(&pool).await?;
    let conflicts = troubled.iter().filter(|s| s.publish_conflict).count();
    println!(
        "feeds: {} in conflict, {} failing",
        conflicts,
        troubled.len() - conflicts
    );
    for show in &troubled {
        let what = if show.publish_conflict {
            "conflict"
        } else {
            "failing"
        };
        println!(
            "  {what} {}: {}",
            show.slug,
            show.publish_error.as_deref().unwrap_or("")
        );
    }
    Ok(if depth.dead > 0 || conflicts > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
