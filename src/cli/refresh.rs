//! `podpub refresh`: queue refreshes of one show or of all, and perhaps wait for them.

use std::{io::IsTerminal, process::ExitCode, time::Duration};

use anyhow::bail;

use super::connect;
use crate::app::{
    self,
    refresh::{self, By, ShowSelection},
};
use crate::config::Settings;

/// How `podpub refresh` runs.
#[derive(Debug, Clone, Copy)]
pub struct RefreshOptions {
    /// Block until every refresh has finished.
    pub wait: bool,
    /// Render every show and upload every object again.
    pub force: bool,
}

/// Queues a refresh of the show at `show`, or of every show, as one batch.
pub async fn refresh(
    settings: Settings,
    show: Option<String>,
    all: bool,
    options: RefreshOptions,
) -> anyhow::Result<ExitCode> {
    let app = connect(settings).await?;
    let slug = show.unwrap_or_default();
    let selection = match all {
        true => ShowSelection::all(),
        false => ShowSelection::Slugs(vec![slug.clone()]),
    };
    let batch = match refresh::start(&app, By::Operator, selection, options.force).await {
        Ok(batch) => batch,
        Err(app::Error::Invalid(_)) if !all => bail!("no show with the slug {slug:?}"),
        Err(err) => return Err(err.into()),
    };
    let queued = refresh::progress(&app, By::Operator, batch).await?;
    eprintln!("queued {} refresh(es)", queued.total);
    if !options.wait {
        return Ok(ExitCode::SUCCESS);
    }
    let terminal = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    loop {
        let p = refresh::progress(&app, By::Operator, batch).await?;
        let finished = p.done + p.failed;
        if terminal {
            eprint!("\r{}", progress_bar(finished, p.total, p.failed));
        }
        if p.finished {
            if terminal {
                eprintln!();
            }
            let elapsed = started.elapsed().as_secs_f64();
            eprintln!(
                "{finished}/{} finished, {} failed, in {elapsed:.1} s",
                p.total, p.failed
            );
            return Ok(if p.failed > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            });
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// `[#######.............]  35/100  (2 failed)`
fn progress_bar(done: i64, total: i64, failed: i64) -> String {
    const WIDTH: i64 = 30;
    let filled = (done * WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH)
        .clamp(0, WIDTH);
    let failed = if failed > 0 {
        format!("  ({failed} failed)")
    } else {
        String::new()
    };
    format!(
        "[{}{}] {done:>6}/{total}{failed}",
        "#".repeat(filled as usize),
        ".".repeat((WIDTH - filled) as usize)
    )
}

#[cfg(test)]
mod tests {
    use super::progress_bar;

    #[test]
    fn the_progress_bar_fills_with_the_finished_share() {
        assert_eq!(
            progress_bar(0, 10, 0),
            format!("[{}]      0/10", ".".repeat(30))
        );
        assert_eq!(
            progress_bar(5, 10, 1),
            format!(
                "[{}{}]      5/10  (1 failed)",
                "#".repeat(15),
                ".".repeat(15)
            )
        );
        assert!(progress_bar(0, 0, 0).starts_with(&format!("[{}]", "#".repeat(30))));
    }
}
