//! Prometheus metrics: one registry per process (per `Application` in tests), served as text
//! at `GET /metrics`.
//!
//! Counters and histograms are recorded where things happen (requests, jobs, publishes,
//! invalidations, conflicts). Pool and queue gauges are read by the caller when scraped
//! (`app::status::gauges`), so they are never stale and cost nothing between scrapes; this
//! module only receives values.

use std::time::Duration;

use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec,
    Opts, Registry, TextEncoder,
};

use crate::domain::{JobState, QueueDepth};

/// What a scrape reads at its moment: this process's pool and the shared queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gauges {
    pub pool_in_use: i64,
    pub pool_idle: i64,
    pub pool_max: i64,
    /// How long the scrape waited for a database connection: what a request waits now.
    pub pool_wait: Duration,
    /// `None` when the database could not be asked.
    pub queue: Option<QueueDepth>,
}

/// Every metric podpub exports.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    /// `podpub_http_request_duration_seconds{method, route, status}`: route is the template
    /// (`/api/v1/shows/{slug}`), never the raw path.
    pub http: HistogramVec,
    /// `podpub_job_duration_seconds{kind, outcome}`: outcome `done` or `failed`.
    pub jobs: HistogramVec,
    /// `podpub_publish_total{kind, outcome}`: kind `feed`, `archive` or `redirect`; outcome
    /// `written` or `superseded`.
    pub publishes: IntCounterVec,
    /// `podpub_publish_errors_total{kind}`: renders (or other jobs) that failed.
    pub errors: IntCounterVec,
    /// `podpub_fencing_conflicts_total`: objects refused because another installation owns them.
    pub conflicts: IntCounterVec,
    /// `podpub_invalidations_total{outcome}`: CloudFront invalidations `sent` or `failed`, and
    /// `paths` sent.
    pub invalidations: IntCounterVec,
    /// `podpub_db_pool_timeouts_total`: requests answered 503 because no connection came free
    /// within PODPUB_ACQUIRE_TIMEOUT_MS.
    pub pool_timeouts: IntCounter,
    pool: IntGaugeVec,
    pool_wait: Gauge,
    queue: IntGaugeVec,
    oldest_due: IntGauge,
}

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Registers a metric without labels, whose definition is fixed at compile time.
fn registered<T: prometheus::core::Collector + Clone + 'static>(
    registry: &Registry,
    metric: prometheus::Result<T>,
) -> T {
    let metric = metric.expect("a valid metric");
    registry
        .register(Box::new(metric.clone()))
        .expect("registered once");
    metric
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let histogram = |name: &str, help: &str, labels: &[&str]| {
            let opts = HistogramOpts::new(name, help).buckets(LATENCY_BUCKETS.to_vec());
            let h = HistogramVec::new(opts, labels).expect("a valid histogram");
            registry
                .register(Box::new(h.clone()))
                .expect("registered once");
            h
        };
        let http = histogram(
            "podpub_http_request_duration_seconds",
            "HTTP requests by method, route template and status.",
            &["method", "route", "status"],
        );
        let jobs = histogram(
            "podpub_job_duration_seconds",
            "Jobs run by this process, by kind and outcome.",
            &["kind", "outcome"],
        );
        let counter = |name: &str, help: &str, labels: &[&str]| {
            let c = IntCounterVec::new(Opts::new(name, help), labels).expect("a valid counter");
            registry
                .register(Box::new(c.clone()))
                .expect("registered once");
            c
        };
        let publishes = counter(
            "podpub_publish_total",
            "Objects written to the store, by kind and outcome.",
            &["kind", "outcome"],
        );
        let errors = counter(
            "podpub_job_errors_total",
            "Failed job attempts, by kind.",
            &["kind"],
        );
        let conflicts = counter(
            "podpub_fencing_conflicts_total",
            "Writes refused because another installation owns the object.",
            &["kind"],
        );
        let invalidations = counter(
            "podpub_invalidations_total",
            "CloudFront invalidations sent or failed, and the paths they carried.",
            &["outcome"],
        );
        let pool_timeouts = registered(
            &registry,
            IntCounter::new(
                "podpub_db_pool_timeouts_total",
                "Requests answered 503 because no database connection came free in time.",
            ),
        );
        let gauge = |name: &str, help: &str, labels: &[&str]| {
            let g = IntGaugeVec::new(Opts::new(name, help), labels).expect("a valid gauge");
            registry
                .register(Box::new(g.clone()))
                .expect("registered once");
            g
        };
        let pool = gauge(
            "podpub_db_pool_connections",
            "This process's database pool: connections in use, idle, and the maximum.",
            &["state"],
        );
        let queue = gauge(
            "podpub_jobs",
            "Jobs in the queue (all processes), by state.",
            &["state"],
        );
        let pool_wait = registered(
            &registry,
            Gauge::new(
                "podpub_db_pool_wait_seconds",
                "How long this scrape waited for a database connection: what a request waits now.",
            ),
        );
        let oldest_due = registered(
            &registry,
            IntGauge::new(
                "podpub_jobs_oldest_due_seconds",
                "How long the oldest due job has been waiting (0 when none is).",
            ),
        );
        Metrics {
            registry,
            http,
            jobs,
            publishes,
            errors,
            conflicts,
            invalidations,
            pool_timeouts,
            pool,
            pool_wait,
            queue,
            oldest_due,
        }
    }

    /// Records one HTTP request.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.http
            .with_label_values(&[method, route, &status.to_string()])
            .observe(took.as_secs_f64());
    }

    /// Records one job run.
    pub fn job(&self, kind: &str, ok: bool, took: Duration) {
        let outcome = if ok { JobState::Done } else { JobState::Failed }.as_str();
        self.jobs
            .with_label_values(&[kind, outcome])
            .observe(took.as_secs_f64());
        if !ok {
            self.errors.with_label_values(&[kind]).inc();
        }
    }

    /// The text exposition, with the pool and queue gauges as read for this scrape.
    pub fn render(&self, gauges: &Gauges) -> String {
        self.pool
            .with_label_values(&["in_use"])
            .set(gauges.pool_in_use);
        self.pool.with_label_values(&["idle"]).set(gauges.pool_idle);
        self.pool.with_label_values(&["max"]).set(gauges.pool_max);
        self.pool_wait.set(gauges.pool_wait.as_secs_f64());
        if let Some(depth) = gauges.queue {
            for (state, n) in [
                (JobState::Queued, depth.queued),
                (JobState::Running, depth.running),
                (JobState::Failed, depth.failed),
                (JobState::Dead, depth.dead),
            ] {
                self.queue.with_label_values(&[state.as_str()]).set(n);
            }
            self.oldest_due.set(depth.oldest_due_secs);
        }
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .expect("text encoding cannot fail");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}
