//! What each command-line subcommand does.

mod import;
mod status;

use std::{io::IsTerminal, process::ExitCode, time::Duration};

pub use self::import::{import, ImportFrom};
pub use self::status::status;

use anyhow::{bail, Context};
use argon2::{password_hash::SaltString, Argon2, PasswordHasher};
use tokio::sync::watch;
use uuid::Uuid;

use crate::config::{PublishTarget, Settings};
use crate::db::{self, users};
use crate::jobs::{queue, worker, JobContext};
use crate::Application;

pub async fn serve(settings: Settings, with_worker: bool) -> anyhow::Result<ExitCode> {
    let app = Application::build(settings, with_worker).await?;
    app.run_until_stopped(crate::shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}

pub async fn worker(settings: Settings) -> anyhow::Result<ExitCode> {
    let pool = db::pool(&settings)?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations")?;
    let ctx = JobContext::new(&settings, pool).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let metrics = match settings.worker_metrics_listen {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("listening on {addr} for /metrics"))?;
            tracing::info!(%addr, "worker metrics listening");
            let app = crate::web::worker_router(ctx.metrics.clone(), ctx.pool.clone());
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
    let options = worker::WorkerOptions::from_settings(&settings);
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
    let pool = db::pool(&settings)?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations")?;
    eprintln!("migrations applied");
    Ok(ExitCode::SUCCESS)
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| anyhow::anyhow!("making a salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    Ok(hash.to_string())
}

pub async fn create_user(
    settings: Settings,
    email: &str,
    admin: bool,
    password: Option<String>,
) -> anyhow::Result<ExitCode> {
    let email = email.trim();
    if !email.contains('@') || email.len() > 254 || email.contains(char::is_whitespace) {
        bail!("{email:?} is not an email address");
    }
    let hash = match password.as_deref() {
        Some(p) if p.chars().count() < 8 => bail!("the password needs at least 8 characters"),
        Some(p) => Some(hash_password(p)?),
        None => None,
    };
    let pool = db::pool(&settings)?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations")?;
    match users::create(&pool, email, hash.as_deref(), admin).await {
        Ok(user) => {
            println!("{}", user.id);
            Ok(ExitCode::SUCCESS)
        }
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("users_email_key") => {
            bail!("a user with the email {email} already exists")
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_token(settings: Settings, email: &str, name: &str) -> anyhow::Result<ExitCode> {
    let pool = db::pool(&settings)?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations")?;
    let user = users::find_by_email(&pool, email)
        .await?
        .with_context(|| format!("no user with the email {email}"))?;
    let token = users::create_token(&pool, user.id, name).await?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

/// How `podpub refresh` runs.
#[derive(Debug, Clone, Copy)]
pub struct RefreshOptions {
    /// Block until every refresh has finished.
    pub wait: bool,
    /// Render every show and upload every object again.
    pub force: bool,
}

pub async fn refresh(
    settings: Settings,
    show: Option<String>,
    all: bool,
    options: RefreshOptions,
) -> anyhow::Result<ExitCode> {
    let RefreshOptions { wait, force } = options;
    let pool = db::pool(&settings)?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("applying migrations")?;
    let show_ids: Vec<Uuid> = if all {
        sqlx::query_scalar!("select id from shows order by slug")
            .fetch_all(&pool)
            .await?
    } else {
        let slug = show.unwrap_or_default();
        let id = db::shows::id_by_slug(&pool, &slug)
            .await?
            .with_context(|| format!("no show with the slug {slug:?}"))?;
        vec![id]
    };
    let mut tx = pool.begin().await?;
    if force {
        db::shows::forget_rendered_inputs(&mut *tx, &show_ids).await?;
        db::publications::forget_hashes(&mut *tx, &show_ids).await?;
    }
    let mut job_ids = Vec::with_capacity(show_ids.len());
    for id in &show_ids {
        job_ids.push(queue::enqueue_render(&mut *tx, *id, None, settings.max_attempts).await?);
    }
    tx.commit().await?;
    eprintln!("queued {} refresh(es)", job_ids.len());
    if !wait {
        return Ok(ExitCode::SUCCESS);
    }
    let terminal = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    loop {
        let counts = sqlx::query!(
            r#"select count(*) filter (where state = 'done') as "done!",
                count(*) filter (where state in ('failed', 'dead')) as "failed!"
               from jobs where id = any($1)"#,
            &job_ids
        )
        .fetch_one(&pool)
        .await?;
        let finished = (counts.done + counts.failed) as usize;
        let total = job_ids.len();
        if terminal {
            eprint!("\r{}", progress_bar(finished, total, counts.failed));
        }
        if finished >= total {
            if terminal {
                eprintln!();
            }
            let elapsed = started.elapsed().as_secs_f64();
            eprintln!(
                "{finished}/{total} finished, {} failed, in {elapsed:.1} s",
                counts.failed
            );
            return Ok(if counts.failed > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            });
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// `[#######.............]  35/100  (2 failed)`
fn progress_bar(done: usize, total: usize, failed: i64) -> String {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    let failed = if failed > 0 {
        format!("  ({failed} failed)")
    } else {
        String::new()
    };
    format!(
        "[{}{}] {done:>6}/{total}{failed}",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled)
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
