//! `podpub status`: the queue and the feeds at a glance, for an operator's shell.

use std::process::ExitCode;

use anyhow::Context;

use super::open;
use crate::app::status;
use crate::config::Settings;

/// Prints queue depth, dead jobs (with their last errors) and shows in conflict or failing.
/// Exits 1 when something needs a person: a dead job or a conflict.
pub async fn status(settings: Settings) -> anyhow::Result<ExitCode> {
    let app = open(settings)?;
    let report = status::report(&app)
        .await
        .context("reading the job queue")?;
    let depth = report.depth;
    println!(
        "jobs: {} queued, {} running, {} failed (will retry), {} dead; oldest due waiting {} s",
        depth.queued, depth.running, depth.failed, depth.dead, depth.oldest_due_secs
    );
    for dead in &report.dead {
        println!(
            "  dead {} {} (attempts {}): {}",
            dead.kind,
            dead.id,
            dead.attempts,
            dead.last_error.as_deref().unwrap_or("no error recorded")
        );
    }
    let conflicts = report.conflicts();
    println!(
        "feeds: {} in conflict, {} failing",
        conflicts,
        report.troubled.len() - conflicts
    );
    for show in &report.troubled {
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
    Ok(if report.needs_attention() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
