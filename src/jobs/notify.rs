//! Telling the podcast world that a feed changed: WebSub hubs, Podping and Podcast Index's
//! pubnotify. Each configured service gets one `notify` job per publish that changed the feed,
//! retried like any other job; nothing is sent for an unchanged refresh.

use std::time::Duration;

use anyhow::{bail, Context};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;

use super::queue;
use crate::config::NotifySettings;
use crate::domain::JobKind;

/// The configured services and an HTTP client to reach them.
#[derive(Debug, Clone)]
pub struct Notifier {
    pub websub_hubs: Vec<String>,
    podping: Option<(String, SecretString)>,
    pubnotify_url: Option<String>,
    client: reqwest::Client,
}

/// One ping, as a `notify` job's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "service", rename_all = "lowercase")]
pub enum Ping {
    /// `POST hub.mode=publish&hub.url=…` to a WebSub hub.
    Websub { hub: String, feed_url: String },
    /// `GET {endpoint}?url=…&reason=update&medium=podcast`, with the token in `Authorization`.
    Podping { endpoint: String, feed_url: String },
    /// `GET {endpoint}?url=…`.
    Pubnotify { endpoint: String, feed_url: String },
}

impl Notifier {
    pub fn new(settings: &NotifySettings) -> anyhow::Result<Notifier> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("podpub/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .context("building the notification HTTP client")?;
        Ok(Notifier {
            websub_hubs: settings.websub_hubs.clone(),
            podping: settings.podping.clone(),
            pubnotify_url: settings.pubnotify_url.clone(),
            client,
        })
    }

    /// The pings a change of the feed at `feed_url` calls for.
    pub fn pings(&self, feed_url: &str) -> Vec<Ping> {
        let feed_url = feed_url.to_string();
        let mut pings: Vec<Ping> = self
            .websub_hubs
            .iter()
            .map(|hub| Ping::Websub {
                hub: hub.clone(),
                feed_url: feed_url.clone(),
            })
            .collect();
        if let Some((endpoint, _)) = &self.podping {
            pings.push(Ping::Podping {
                endpoint: endpoint.clone(),
                feed_url: feed_url.clone(),
            });
        }
        if let Some(endpoint) = &self.pubnotify_url {
            pings.push(Ping::Pubnotify {
                endpoint: endpoint.clone(),
                feed_url,
            });
        }
        pings
    }

    /// Queues the pings for a changed feed, in the transaction that records the publish.
    pub async fn enqueue(
        &self,
        tx: &mut PgConnection,
        feed_url: &str,
        max_attempts: i32,
    ) -> anyhow::Result<()> {
        for ping in self.pings(feed_url) {
            let payload = serde_json::to_value(&ping)?;
            queue::enqueue(&mut *tx, JobKind::Notify, None, payload, max_attempts).await?;
        }
        Ok(())
    }

    /// Sends one ping; any answer but a 2xx is an error, and the job is retried.
    pub async fn send(&self, payload: &serde_json::Value) -> anyhow::Result<()> {
        let ping: Ping =
            serde_json::from_value(payload.clone()).context("reading the notify job")?;
        let (what, request) = match &ping {
            Ping::Websub { hub, feed_url } => (
                hub.as_str(),
                self.client
                    .post(hub)
                    .form(&[("hub.mode", "publish"), ("hub.url", feed_url)]),
            ),
            Ping::Podping { endpoint, feed_url } => {
                let Some((_, token)) = &self.podping else {
                    bail!("a Podping job, but PODPUB_PODPING_URL is not set in this process");
                };
                (
                    endpoint.as_str(),
                    self.client
                        .get(endpoint)
                        .query(&[
                            ("url", feed_url.as_str()),
                            ("reason", "update"),
                            ("medium", "podcast"),
                        ])
                        .header(reqwest::header::AUTHORIZATION, token.expose_secret()),
                )
            }
            Ping::Pubnotify { endpoint, feed_url } => (
                endpoint.as_str(),
                self.client.get(endpoint).query(&[("url", feed_url)]),
            ),
        };
        let response = request
            .send()
            .await
            .with_context(|| format!("pinging {what}"))?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            let body: String = body.chars().take(200).collect();
            bail!("{what} answered {status}: {body}");
        }
        tracing::info!(endpoint = what, "notified");
        Ok(())
    }
}
