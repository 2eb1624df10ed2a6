//! podpub: a podcast feed static publisher.
// The worker's job future is deeper than rustc's default layout limit in release builds.
#![recursion_limit = "256"]

pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod edge;
pub mod feed;
pub mod import;
pub mod jobs;
pub mod media;
pub mod metrics;
pub mod publish;
pub mod telemetry;
pub mod web;

use std::{future::Future, sync::Arc};

use anyhow::Context;
use tokio::{net::TcpListener, sync::watch};

use crate::app::App;
use crate::config::Settings;
use crate::jobs::{worker::WorkerOptions, JobContext};
use crate::web::AppState;

/// The web server, and the in-process worker unless disabled.
pub struct Application {
    listener: TcpListener,
    /// PODPUB_METRICS_LISTEN's, when `/metrics` is served apart.
    metrics_listener: Option<TcpListener>,
    state: AppState,
    worker: Option<JobContext>,
}

impl Application {
    /// Migrates the database and binds the listener (`port()` tells which port, for port 0).
    pub async fn build(settings: Settings, with_worker: bool) -> anyhow::Result<Application> {
        let pool = db::pool(&settings)?;
        db::MIGRATOR
            .run(&pool)
            .await
            .context("applying database migrations")?;
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("listening on {}", settings.listen))?;
        let metrics_listener = match settings.metrics_listen {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("listening on {addr} for /metrics"))?,
            ),
            None => None,
        };
        // One registry for the process: the in-process worker's jobs show in /metrics too.
        let metrics = Arc::new(metrics::Metrics::new());
        let worker = if with_worker {
            let mut ctx = JobContext::new(&settings, pool.clone()).await?;
            ctx.metrics = metrics.clone();
            Some(ctx)
        } else {
            None
        };
        let state = AppState::new(App::new(pool, Arc::new(settings)), metrics);
        Ok(Application {
            listener,
            metrics_listener,
            state,
            worker,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn pool(&self) -> &sqlx::PgPool {
        &self.state.app.pool
    }

    /// Serves until `shutdown` resolves, then drains requests and finishes jobs in flight.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let worker = self.worker.map(|ctx| {
            let settings = &self.state.app.settings;
            let options = WorkerOptions::from_settings(settings);
            tokio::spawn(jobs::worker::run(ctx, options, stop_rx.clone()))
        });
        tracing::info!(addr = %self.listener.local_addr()?, "web server listening");
        let header_timeout = self.state.app.settings.header_read_timeout;
        let stopped = |mut stop: watch::Receiver<bool>| async move {
            let _ = stop.wait_for(|stop| *stop).await;
        };
        let metrics = self.metrics_listener.map(|listener| {
            let app = web::metrics_router(self.state.clone());
            let stop = stopped(stop_rx.clone());
            tokio::spawn(web::server::serve(listener, app, header_timeout, stop))
        });
        let app = web::router(self.state);
        let stop = stopped(stop_rx.clone());
        let server = tokio::spawn(web::server::serve(self.listener, app, header_timeout, stop));
        shutdown.await;
        tracing::info!("shutting down");
        let _ = stop_tx.send(true);
        if let Some(worker) = worker {
            worker.await.context("worker task")?;
        }
        server.await.context("server task")?;
        if let Some(metrics) = metrics {
            metrics.await.context("metrics server task")?;
        }
        Ok(())
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
