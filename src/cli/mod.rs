//! What each command-line subcommand does.

mod import;
mod refresh;
mod status;
mod users;

use std::{process::ExitCode, sync::Arc};

pub use self::import::{import, ImportFrom};
pub use self::refresh::{refresh, RefreshOptions};
pub use self::status::status;
pub use self::users::{create_token, create_user, reset_password};

use anyhow::{bail, Context};
use tokio::sync::watch;

use crate::app::App;
use crate::config::{PublishTarget, Settings};
use crate::db;
use crate::jobs::{worker, JobContext};
use crate::Application;

/// The use cases over a migrated database, for a command that runs once.
async fn connect(settings: Settings) -> anyhow::Result<App> {
    let app = open(settings)?;
    db::MIGRATOR
        .run(&app.pool)
        .await
        .context("applying migrations")?;
    Ok(app)
}

/// The use cases over the database as it is (for reading only).
fn open(settings: Settings) -> anyhow::Result<App> {
    let pool = db::pool(&settings)?;
    Ok(App::new(pool, Arc::new(settings)))
}

pub async fn serve(settings: Settings, with_worker: bool) -> anyhow::Result<ExitCode> {
    let app = Application::build(settings, with_worker).await?;
    app.run_until_stopped(crate::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn worker(settings: Settings) -> anyhow::Result<ExitCode> {
    let app = connect(settings).await?;
    let settings = &app.settings;
    let ctx = JobContext::new(settings, app.pool.clone()).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let metrics = match settings.worker_metrics_listen {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("listening on {addr} for /metrics"))?;
            tracing::info!(%addr, "worker metrics listening");
            let app = crate::web::worker_router(
                ctx.metrics.clone(),
                ctx.pool.clone(),
                settings.metrics_token.clone(),
            );
            let mut stop = stop_rx.clone();
            Some(tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stop.wait_for(|stopped| *stopped).await;
                    })
                    .await
            }))
        }
        None => None,
    };
    let options = worker::WorkerOptions::from_settings(settings);
    let run = tokio::spawn(worker::run(ctx, options, stop_rx));
    crate::shutdown_signal().await;
    let _ = stop_tx.send(true);
    run.await?;
    if let Some(metrics) = metrics {
        metrics.await??;
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn edge(settings: Settings) -> anyhow::Result<ExitCode> {
    let PublishTarget::Dir(root) = settings.publish else {
        bail!("podpub edge serves a local publish directory; PODPUB_PUBLISH_URL is not file://");
    };
    tokio::fs::create_dir_all(&root)
        .await
        .with_context(|| format!("creating {}", root.display()))?;
    let listener = tokio::net::TcpListener::bind(settings.edge_listen)
        .await
        .with_context(|| format!("listening on {}", settings.edge_listen))?;
    tracing::info!(addr = %settings.edge_listen, root = %root.display(), "edge serving");
    crate::edge::serve(listener, root, crate::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn migrate(settings: Settings) -> anyhow::Result<ExitCode> {
    connect(settings).await?;
    eprintln!("migrations applied");
    Ok(ExitCode::SUCCESS)
}
