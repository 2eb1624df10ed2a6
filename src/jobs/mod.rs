//! Background work: the queue, the worker loop, and one module per job kind.

pub mod copy_media;
pub mod housekeeping;
pub mod inputs;
pub mod invalidate;
pub mod media_sweep;
pub mod notify;
pub mod probe;
pub mod queue;
pub mod render;
pub mod worker;

use sqlx::PgPool;
use uuid::Uuid;

use self::inputs::RenderInputs;
use self::notify::Notifier;
use crate::config::Settings;
use crate::feed::input::Publishing;
use crate::publish::{cdn::Cdn, Target};

/// What every job needs: the pool, the object store, the CDN and the publishing settings.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub pool: PgPool,
    pub target: Target,
    /// `PublishTarget::identity` of `target`.
    pub target_identity: String,
    pub installation_id: Uuid,
    /// The feed base URL, the WebSub hubs and the grace period of moves.
    pub publishing: Publishing,
    pub cache_control: String,
    /// The feed objects' `Content-Type`.
    pub feed_content_type: String,
    pub max_attempts: i32,
    /// CloudFront invalidation, when a distribution is configured.
    pub cdn: Option<Cdn>,
    /// The settings and code renders depend on.
    pub inputs: RenderInputs,
    /// Where job runs, publishes and invalidations are counted.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    /// WebSub, Podping and pubnotify, as configured.
    pub notify: Notifier,
    /// Where the CDN serves uploaded media.
    pub media_base_url: String,
    /// The limits of "copy media".
    pub copy: copy_media::CopyLimits,
    /// Set once this process has seen the feed stylesheet in place (ours and current, or
    /// another installation's): renders check it once, not each time.
    pub stylesheet: std::sync::Arc<tokio::sync::OnceCell<()>>,
}

/// What the publishing settings add to every feed.
pub fn publishing(settings: &Settings) -> Publishing {
    Publishing {
        base_url: settings.feed_base_url.clone(),
        hubs: settings.notify.websub_hubs.clone(),
        move_grace: chrono::Duration::days(settings.move_grace_days.into()),
    }
}

impl JobContext {
    pub async fn new(settings: &Settings, pool: PgPool) -> anyhow::Result<JobContext> {
        let installation_id = crate::db::publications::installation_id(&pool).await?;
        let installation = installation_id.to_string();
        let target = format!("{:?}", settings.publish);
        let grace = settings.move_grace_days.to_string();
        let hubs = settings.notify.websub_hubs.join(" ");
        let inputs = RenderInputs::new(&[
            &settings.feed_base_url,
            &settings.cache_control,
            &settings.feed_content_type,
            &installation,
            &target,
            &grace,
            &hubs,
        ]);
        Ok(JobContext {
            inputs,
            notify: Notifier::new(&settings.notify)?,
            media_base_url: settings.media_base_url().to_string(),
            copy: copy_media::CopyLimits::from_settings(settings),
            stylesheet: Default::default(),
            metrics: Default::default(),
            publishing: publishing(settings),
            target: Target::from_settings(settings).await?,
            target_identity: settings
                .publish
                .identity(settings.aws_endpoint_url.as_deref()),
            pool,
            installation_id,
            cache_control: settings.cache_control.clone(),
            feed_content_type: settings.feed_content_type.clone(),
            max_attempts: settings.max_attempts,
            cdn: Cdn::from_settings(settings).await,
        })
    }
}
