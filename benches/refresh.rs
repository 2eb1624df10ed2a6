//! Publishing at scale, with the real `podpub` binary as production runs it:
//!
//! 1. a full refresh of 10,000 shows x 50 episodes by `podpub worker --concurrency 8`
//!    (`PODPUB_POOL_SIZE=10`), to the local directory target and to S3 (moto);
//! 2. the same refresh again when nothing changed (must write nothing), plain (the show rows
//!    say their inputs are unchanged) and re-rendered (as after an upgrade of the rendering code:
//!    every show rendered and hashed again);
//! 3. the latency from an API edit (`PATCH /api/v1/shows/{slug}` on `podpub serve`, with its
//!    in-process worker) to the new object in place in the publish directory.
//!
//! Needs DATABASE_URL (a cluster; each run makes and drops its own database), the release binary
//! (`cargo build --release --bin podpub`; `make bench` builds it) and, for the S3 rows,
//! PODPUB_TEST_MOTO_URL with the AWS test credentials (`make bench` exports them). Every process
//! it starts is killed, and the database, directory and bucket removed, when it ends.

use std::{
    path::Path,
    process::Command,
    str::FromStr,
    sync::{
        atomic::{AtomicBool, AtomicI64, Ordering},
        Arc,
    },
    time::{Duration, Instant, SystemTime},
};

#[path = "../tests/kit/mod.rs"]
mod kit;

use podpub::{db::MIGRATOR, jobs::queue};
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    ConnectOptions, Connection, Executor, PgPool,
};
use uuid::Uuid;

use kit::{
    db::Database,
    moto::{moto_answers, Bucket},
    ports::free_port,
    procs::{podpub_at, release_binary, Proc},
    scratch::scratch,
};

/// Shows seeded; `PODPUB_BENCH_SHOWS` sets another number for a quick look (the aims are for
/// 10,000).
fn shows_count() -> i64 {
    std::env::var("PODPUB_BENCH_SHOWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}
const EPISODES_PER_SHOW: i64 = 50;
const CONCURRENCY: &str = "8";
const POOL_SIZE: &str = "10";
const EDITS: usize = 200;
const FEED_BASE_URL: &str = "https://feeds.example.com";
/// Connections the bench itself opens carry this name, so the samples count podpub's only.
const BENCH_APP_NAME: &str = "podpub-bench";
/// Bounds on each phase; a refresh still running at its bound is stopped and reported partial.
const SEED_LIMIT: Duration = Duration::from_secs(180);
const FULL_LIMIT: Duration = Duration::from_secs(120);
const UNCHANGED_LIMIT: Duration = Duration::from_secs(90);
/// The edit-latency phase stops at this bound (with the edits measured so far) ...
const LATENCY_LIMIT: Duration = Duration::from_secs(60);
/// ... and fails if one edit takes longer than this to reach the object.
const EDIT_LIMIT: Duration = Duration::from_secs(10);
/// Edits slower than this are counted: with an idle worker one needs a few milliseconds.
const SLOW_EDIT: Duration = Duration::from_millis(100);

// ----------------------------------------------------------------------------------- support

/// Busy and total jiffies of the whole machine, from /proc/stat.
fn machine_cpu() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let nums: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    let total: u64 = nums.iter().sum();
    let idle = nums.get(3).copied().unwrap_or(0) + nums.get(4).copied().unwrap_or(0);
    (total - idle, total)
}

/// `podpub <args>` against `database_url`, warnings only in its log.
fn podpub(bin: &Path, database_url: &str, args: &[&str], env: &[(&str, String)]) -> Command {
    let mut cmd = podpub_at(bin, database_url, args, &[]);
    cmd.env("PODPUB_POOL_SIZE", POOL_SIZE)
        .env("PODPUB_FEED_BASE_URL", FEED_BASE_URL)
        .env_remove("PODPUB_CLOUDFRONT_DISTRIBUTION_ID")
        .env_remove("PODPUB_WORKER_CONCURRENCY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Files under `dir` modified at or after `since`.
fn files_written_since(dir: &Path, since: SystemTime) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            n += files_written_since(&entry.path(), since);
        } else if meta.modified().is_ok_and(|m| m >= since) {
            n += 1;
        }
    }
    n
}

async fn scalar_i64(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

// ----------------------------------------------------------------------------------- seeding

/// What the seeded data looks like, for the header.
struct Seeded {
    took: Duration,
    title_bytes: f64,
    description_bytes: f64,
    url_bytes: f64,
}

async fn seed(pool: &PgPool) -> Seeded {
    let t0 = Instant::now();
    sqlx::query(
        "insert into shows (slug, title, description, podcast_guid, author, owner_name,
            owner_email, language, categories, image_url, link)
         select 'bench-' || lpad(i::text, 5, '0'),
            'Show ' || i || ': Tom & Jerry’s Café — naïve talk on “things” 🎙',
            '<p>A show about <b>everything</b> &amp; nothing, recorded in Zürich.</p>',
            gen_random_uuid(), 'Host ' || i, 'Host ' || i, 'host' || i || '@example.com',
            'en-us', '[{\"name\": \"Technology\"}]',
            'https://images.example.com/shows/' || i || '/artwork-3000.jpg',
            'https://example.com/shows/' || i
         from generate_series(1, $1) as i",
    )
    .bind(shows_count())
    .execute(pool)
    .await
    .expect("seeding shows");
    // ~60-character titles with `&`, markup and accents; ~300-byte HTML notes; ~100-character
    // enclosure URLs; weekly episodes, all in the past.
    sqlx::query(
        "insert into episodes (show_id, guid, title, description, enclosure_url,
            enclosure_length, enclosure_type, duration_seconds, season, episode, publish_at)
         select s.id, 'urn:bench:' || s.slug || ':' || e,
            'Ep. ' || e || ': Tom & Jerry <live> \"quoted\" — café naïve 🎙 ' || s.slug,
            '<p>Notes for episode ' || e || ' of ' || s.slug || ': guests, links &amp; more. '
              || '<a href=\"https://example.com/notes?show=' || s.slug || '&amp;ep=' || e
              || '\">Full notes</a> — café, naïve, 日本語 🎧.</p><ul><li>Chapter one: the '
              || 'beginning</li><li>Chapter two: the middle</li><li>Chapter three: the '
              || 'end</li></ul>',
            'https://media.example.com/podcasts/' || s.slug || '/episodes/'
              || lpad(e::text, 4, '0') || '/audio-final-master-128kbps-stereo.mp3',
            20000000 + e * 1000, 'audio/mpeg', 1800 + e, 1, e,
            timestamptz '2020-01-06' + e * interval '7 days'
         from shows s cross join generate_series(1, $1) as e",
    )
    .bind(EPISODES_PER_SHOW)
    .execute(pool)
    .await
    .expect("seeding episodes");
    pool.execute("analyze").await.expect("analyze");
    let took = t0.elapsed();
    let (title_bytes, description_bytes, url_bytes): (f64, f64, f64) = sqlx::query_as(
        "select avg(octet_length(title))::float8, avg(octet_length(description))::float8,
                avg(octet_length(enclosure_url))::float8
         from episodes",
    )
    .fetch_one(pool)
    .await
    .expect("sizes");
    Seeded {
        took,
        title_bytes,
        description_bytes,
        url_bytes,
    }
}

// ----------------------------------------------------------------------------------- refresh

#[derive(Clone, Copy, PartialEq)]
enum Store {
    Dir,
    S3,
}

/// One refresh run's numbers.
struct Run {
    label: &'static str,
    target: &'static str,
    shows: i64,
    /// Shows whose job finished (all of them unless the run hit its bound).
    finished: i64,
    enqueue: Duration,
    wall: Duration,
    /// Rows of `publications` written in the run.
    puts: i64,
    /// Object files written in the run (directory target only).
    files: Option<u64>,
    peak_rss_kib: u64,
    max_connections: i64,
    worker_cpu: Duration,
    machine_busy: f64,
    xacts_per_show: f64,
    partial: bool,
}

/// Starts `podpub worker`, enqueues a render of every show in `shows`, waits for the queue to
/// drain (at most `limit`), and measures it.
#[allow(clippy::too_many_arguments)]
async fn refresh(
    label: &'static str,
    store: Store,
    bin: &Path,
    db: &Database,
    pool: &PgPool,
    shows: &[Uuid],
    env: &[(&str, String)],
    logs: &Path,
    limit: Duration,
) -> Run {
    let name = format!("worker-{}", label.replace(' ', "-"));
    let args = ["worker", "--concurrency", CONCURRENCY];
    let mut worker = Proc::spawn(&name, podpub(bin, &db.url, &args, env), logs);

    // Ready once its LISTEN connection is up: from then on a NOTIFY wakes it.
    let ready = Instant::now();
    while scalar_i64(
        pool,
        "select count(*) from pg_stat_activity
         where datname = current_database() and query ilike 'listen%'",
    )
    .await
        == 0
    {
        worker.assert_running();
        assert!(
            ready.elapsed() < Duration::from_secs(30),
            "{name} did not start listening within 30 s:\n{}",
            worker.log_tail(30)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Samples podpub's connections to this database every 100 ms, on a connection of its own.
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicI64::new(0));
    let sampler = {
        let (stop, peak) = (stop.clone(), peak.clone());
        let opts = PgConnectOptions::from_str(&db.url)
            .expect("database URL")
            .application_name(BENCH_APP_NAME);
        let mut conn = opts.connect().await.expect("sampler connection");
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            while !stop.load(Ordering::SeqCst) {
                tick.tick().await;
                let n: i64 = sqlx::query_scalar(
                    "select count(*) from pg_stat_activity
                     where datname = current_database() and backend_type = 'client backend'
                       and application_name <> $1",
                )
                .bind(BENCH_APP_NAME)
                .fetch_one(&mut conn)
                .await
                .unwrap_or(0);
                peak.fetch_max(n, Ordering::SeqCst);
            }
            let _ = conn.close().await;
        })
    };

    let xacts = "select xact_commit from pg_stat_database where datname = current_database()";
    let xacts_before = scalar_i64(pool, xacts).await;
    let since_db = chrono::Utc::now();
    let since_fs = SystemTime::now();
    let cpu_before = worker.usage().1;
    let machine_before = machine_cpu();

    // As `podpub refresh --all` does: one transaction of coalesced render jobs, holding the bulk
    // enqueue lock (a worker on a new target may be queueing every show at the same time).
    let t0 = Instant::now();
    let mut tx = pool.begin().await.expect("begin");
    queue::lock_bulk_enqueue(&mut tx).await.expect("bulk lock");
    let mut jobs = Vec::with_capacity(shows.len());
    for id in shows {
        jobs.push(
            queue::enqueue_render(&mut *tx, *id, None, 10)
                .await
                .expect("enqueue"),
        );
    }
    tx.commit().await.expect("commit");
    let enqueue = t0.elapsed();

    // Polls cheaply (the pending count walks the queue's partial indexes; the bench's database
    // holds only its own jobs), so the measurement doesn't take the database from the worker.
    let t1 = Instant::now();
    let mut partial = false;
    let mut dead_checked = Instant::now();
    loop {
        let pending: i64 = sqlx::query_scalar(
            "select (select count(*) from jobs where state in ('queued', 'failed'))
                  + (select count(*) from jobs where state = 'running')",
        )
        .fetch_one(pool)
        .await
        .expect("queue state");
        // Dead jobs end the run; looked for once a second, and at the end.
        if pending == 0 || dead_checked.elapsed() > Duration::from_secs(1) {
            dead_checked = Instant::now();
            let dead: i64 = sqlx::query_scalar(
                "select count(*) from jobs where id = any($1) and state = 'dead'",
            )
            .bind(&jobs)
            .fetch_one(pool)
            .await
            .expect("dead jobs");
            if dead > 0 {
                let errors: Vec<String> = sqlx::query_scalar(
                    "select coalesce(last_error, '') from jobs where id = any($1) and state = 'dead'
                     limit 3",
                )
                .bind(&jobs)
                .fetch_all(pool)
                .await
                .unwrap_or_default();
                panic!("{label}: {dead} jobs died, e.g. {errors:?}");
            }
        }
        if pending == 0 {
            break;
        }
        if t1.elapsed() > limit {
            partial = true;
            break;
        }
        worker.assert_running();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let wall = t1.elapsed();
    let (peak_rss_kib, cpu_after) = worker.usage();
    let machine_after = machine_cpu();
    worker.kill();
    stop.store(true, Ordering::SeqCst);
    let _ = sampler.await;

    let finished: i64 =
        sqlx::query_scalar("select count(*) from jobs where id = any($1) and state = 'done'")
            .bind(&jobs)
            .fetch_one(pool)
            .await
            .expect("finished");
    let puts: i64 =
        sqlx::query_scalar("select count(*) from publications where published_at >= $1")
            .bind(since_db)
            .fetch_one(pool)
            .await
            .expect("publications");
    let files = match store {
        Store::Dir => env
            .iter()
            .find(|(k, _)| *k == "PODPUB_PUBLISH_URL")
            .and_then(|(_, v)| v.strip_prefix("file://"))
            .map(|root| files_written_since(&Path::new(root).join(".meta"), since_fs)),
        Store::S3 => None,
    };
    let xacts_after = scalar_i64(pool, xacts).await;
    let busy = (machine_after.0 - machine_before.0) as f64;
    let total = (machine_after.1 - machine_before.1).max(1) as f64;
    Run {
        label,
        target: match store {
            Store::Dir => "dir",
            Store::S3 => "s3 (moto)",
        },
        shows: shows.len() as i64,
        finished,
        enqueue,
        wall,
        puts,
        files,
        peak_rss_kib,
        max_connections: peak.load(Ordering::SeqCst),
        worker_cpu: cpu_after.saturating_sub(cpu_before),
        machine_busy: busy / total,
        xacts_per_show: (xacts_after - xacts_before) as f64 / (finished.max(1)) as f64,
        partial,
    }
}

// ----------------------------------------------------------------------------------- latency

struct Latency {
    /// Edits measured (fewer than EDITS when the phase hit LATENCY_LIMIT).
    edits: usize,
    /// PATCH sent → the object's metadata holds the PATCH's revision.
    in_place: Vec<Duration>,
    /// PATCH sent → response received.
    patch: Vec<Duration>,
    peak_rss_kib: u64,
}

async fn edit_latency(
    bin: &Path,
    db: &Database,
    pool: &PgPool,
    publish_dir: &Path,
    logs: &Path,
) -> Latency {
    let email = "bench-editor@example.com";
    let user = podpub(bin, &db.url, &["user", "create", "--email", email], &[])
        .output()
        .expect("podpub user create");
    assert!(user.status.success(), "user create: {user:?}");
    let token = podpub(bin, &db.url, &["token", "create", "--email", email], &[])
        .output()
        .expect("podpub token create");
    assert!(token.status.success(), "token create: {token:?}");
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    let slug = "bench-00001";
    sqlx::query(
        "insert into show_members (show_id, user_id, role)
         select s.id, u.id, 'owner' from shows s, users u where s.slug = $1 and u.email = $2",
    )
    .bind(slug)
    .bind(email)
    .execute(pool)
    .await
    .expect("membership");

    let port = free_port();
    let env = [
        ("PODPUB_LISTEN", format!("127.0.0.1:{port}")),
        (
            "PODPUB_PUBLISH_URL",
            format!("file://{}", publish_dir.display()),
        ),
    ];
    let mut serve = Proc::spawn("serve", podpub(bin, &db.url, &["serve"], &env), logs);
    let client = reqwest::Client::new();
    let show_url = format!("http://127.0.0.1:{port}/api/v1/shows/{slug}");
    let started = Instant::now();
    loop {
        let answer = client
            .get(&show_url)
            .bearer_auth(&token)
            .timeout(Duration::from_secs(2))
            .send()
            .await;
        if answer.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        serve.assert_running();
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "podpub serve did not answer within 30 s:\n{}",
            serve.log_tail(30)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let meta = publish_dir.join(format!(".meta/{slug}/feed.xml.json"));
    let revision_in_place = || -> i64 {
        std::fs::read(&meta)
            .ok()
            .and_then(|raw| serde_json::from_slice::<serde_json::Value>(&raw).ok())
            .and_then(|v| v["revision"].as_i64())
            .unwrap_or(0)
    };
    let mut in_place = Vec::with_capacity(EDITS);
    let mut patch = Vec::with_capacity(EDITS);
    let phase = Instant::now();
    for k in 1..=EDITS {
        if phase.elapsed() > LATENCY_LIMIT {
            break;
        }
        let title = format!("Edit {k}: Tom & Jerry’s Café — naïve talk on “things” 🎙");
        let t0 = Instant::now();
        let response = client
            .patch(&show_url)
            .bearer_auth(&token)
            .json(&serde_json::json!({ "title": title }))
            .send()
            .await
            .expect("PATCH sent");
        let status = response.status();
        let body: serde_json::Value = response.json().await.expect("PATCH answers JSON");
        patch.push(t0.elapsed());
        assert!(status.is_success(), "PATCH {k}: {status} {body}");
        let revision = body["revision"].as_i64().expect("the show's revision");
        while revision_in_place() < revision {
            if t0.elapsed() > EDIT_LIMIT {
                serve.assert_running();
                panic!("edit {k}: revision {revision} not in place after {EDIT_LIMIT:?}");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        in_place.push(t0.elapsed());
    }
    let (peak_rss_kib, _) = serve.usage();
    serve.kill();
    in_place.sort();
    patch.sort();
    Latency {
        edits: in_place.len(),
        in_place,
        patch,
        peak_rss_kib,
    }
}

// -------------------------------------------------------------------------------------- main

/// Forgets what was published, so the next full refresh writes every feed anew to another store.
async fn forget_publications(pool: &PgPool) {
    pool.execute(
        "delete from publications;
         update shows set published_revision = null, publish_error = null,
            publish_conflict = false, rendered_inputs = null, rendered_until = null;",
    )
    .await
    .expect("reset publications");
}

/// A full refresh to `store`, then the same refresh again with nothing changed (over the shows
/// the first one published, should it have stopped at its bound), once as a plain refresh and
/// once re-rendered (as after an upgrade). Returns the three runs and a note when the first
/// was cut short.
#[allow(clippy::too_many_arguments)]
async fn full_then_unchanged(
    store: Store,
    bin: &Path,
    db: &Database,
    pool: &PgPool,
    all: &[Uuid],
    env: &[(&str, String)],
    logs: &Path,
) -> ([Run; 3], Option<String>) {
    let full = refresh(
        "full refresh",
        store,
        bin,
        db,
        pool,
        all,
        env,
        logs,
        FULL_LIMIT,
    )
    .await;
    eprintln!(
        "refresh: {} full refresh in {:.1} s",
        full.target,
        secs(full.wall)
    );
    let published: Vec<Uuid> = sqlx::query_scalar(
        "select s.id from shows s join publications p on p.key = s.slug || '/feed.xml'
         order by s.slug",
    )
    .fetch_all(pool)
    .await
    .expect("published shows");
    let note = if full.partial {
        Some(format!(
            "the full refresh to {} was stopped at its {}-s bound after {} of {} shows; the \
             unchanged refresh covers the {} it published",
            full.target,
            FULL_LIMIT.as_secs(),
            full.finished,
            full.shows,
            published.len()
        ))
    } else {
        assert_eq!(
            full.puts,
            shows_count(),
            "every show's feed is written once"
        );
        assert_eq!(
            published.len() as i64,
            shows_count(),
            "every show is published"
        );
        None
    };
    let again = refresh(
        "unchanged refresh",
        store,
        bin,
        db,
        pool,
        &published,
        env,
        logs,
        UNCHANGED_LIMIT,
    )
    .await;
    eprintln!(
        "refresh: {} unchanged refresh in {:.1} s",
        again.target,
        secs(again.wall)
    );
    // As after an upgrade that changes the rendering code: every show rendered and hashed
    // again, none written.
    podpub::db::shows::forget_rendered_inputs(pool, &published)
        .await
        .expect("forget the rendered inputs");
    let rerendered = refresh(
        "re-rendered",
        store,
        bin,
        db,
        pool,
        &published,
        env,
        logs,
        UNCHANGED_LIMIT,
    )
    .await;
    eprintln!(
        "refresh: {} re-rendered unchanged refresh in {:.1} s",
        rerendered.target,
        secs(rerendered.wall)
    );
    for run in [&again, &rerendered] {
        // The one hard requirement: a refresh of unchanged shows writes nothing.
        assert_eq!(run.puts, 0, "{}: objects were written", run.label);
        if store == Store::Dir {
            assert_eq!(run.files, Some(0), "{}: files were written", run.label);
        }
    }
    ([full, again, rerendered], note)
}

/// How long `queue::claim` takes with every show's render due and no worker running: the
/// worker claims in batches of up to its free slots, and each claim bounds its rate. Each
/// claimed job is put back.
async fn claim_cost(pool: &PgPool, shows: &[Uuid]) -> Duration {
    let mut tx = pool.begin().await.expect("begin");
    for id in shows {
        queue::enqueue_render(&mut *tx, *id, None, 10)
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");
    let mut samples = Vec::new();
    for _ in 0..7 {
        let t0 = Instant::now();
        let job = queue::claim(pool, "bench-probe", Duration::from_secs(60))
            .await
            .expect("claim")
            .expect("a due job");
        samples.push(t0.elapsed());
        sqlx::query(
            "update jobs set state = 'queued', attempts = attempts - 1, locked_by = null,
                locked_until = null
             where id = $1",
        )
        .bind(job.id)
        .execute(pool)
        .await
        .expect("put the job back");
    }
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // Test runners build and list benches too (`cargo test --all-targets`, nextest `--list`):
    // only `cargo bench`, which passes `--bench`, runs the measurement.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Ok(cluster) = std::env::var("DATABASE_URL") else {
        eprintln!("refresh: DATABASE_URL is not set (run `make bench`); skipped");
        return;
    };
    let bin = release_binary();
    if !bin.is_file() {
        eprintln!(
            "refresh: {} not found: build it first (`cargo build --release --bin podpub`; \
             `make bench` does); skipped",
            bin.display()
        );
        return;
    }
    let moto = std::env::var("PODPUB_TEST_MOTO_URL").ok();
    let bench_started = Instant::now();

    let db = Database::create(&cluster, "refresh").await;
    let logs = scratch("refresh-logs");
    let publish_dir = scratch("refresh-public");
    let opts = PgConnectOptions::from_str(&db.url)
        .expect("database URL")
        .application_name(BENCH_APP_NAME);
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(opts)
        .await
        .expect("connect the bench database");
    MIGRATOR.run(&pool).await.expect("migrate");
    let seeded = tokio::time::timeout(SEED_LIMIT, seed(&pool))
        .await
        .expect("seeding finished in time");
    eprintln!("refresh: seeded in {:.1} s", secs(seeded.took));
    let all: Vec<Uuid> = sqlx::query_scalar("select id from shows order by slug")
        .fetch_all(&pool)
        .await
        .expect("show ids");

    let mut runs = Vec::new();
    let mut notes = Vec::new();
    let dir_env = [(
        "PODPUB_PUBLISH_URL",
        format!("file://{}", publish_dir.path().display()),
    )];
    let (dir_runs, note) =
        full_then_unchanged(Store::Dir, &bin, &db, &pool, &all, &dir_env, logs.path()).await;
    runs.extend(dir_runs);
    notes.extend(note);

    let latency = edit_latency(&bin, &db, &pool, publish_dir.path(), logs.path()).await;
    eprintln!("refresh: edit latency measured");

    // S3: the same data, a fresh bucket, and no memory of the directory's publications.
    let mut bucket_guard = None;
    match moto {
        None => notes.push("PODPUB_TEST_MOTO_URL is not set: S3 rows skipped".to_string()),
        Some(url) if !moto_answers(&url).await => {
            notes.push(format!("moto at {url} does not answer: S3 rows skipped"))
        }
        Some(url) => {
            let bucket = Bucket::create_on(&url, "podpub-bench").await;
            forget_publications(&pool).await;
            let s3_env = [
                ("PODPUB_PUBLISH_URL", bucket.publish_url("feeds")),
                ("AWS_ENDPOINT_URL", url.clone()),
            ];
            let (s3_runs, note) =
                full_then_unchanged(Store::S3, &bin, &db, &pool, &all, &s3_env, logs.path()).await;
            runs.extend(s3_runs);
            notes.extend(note);
            bucket_guard = Some(bucket);
        }
    }
    let jobs_kept = scalar_i64(&pool, "select count(*) from jobs").await;
    let claim = claim_cost(&pool, &all).await;

    // ------------------------------------------------------------------------------- report
    println!(
        "refresh: {} shows x {EPISODES_PER_SHOW} episodes (seeded in {:.1} s; episode title \
         {:.0} B, notes {:.0} B, enclosure URL {:.0} B on average)",
        shows_count(),
        secs(seeded.took),
        seeded.title_bytes,
        seeded.description_bytes,
        seeded.url_bytes
    );
    println!(
        "  `podpub worker --concurrency {CONCURRENCY}`, PODPUB_POOL_SIZE={POOL_SIZE}, release \
         build, RUST_LOG=warn, {} CPUs",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "  {:<18} {:<10} {:>6} {:>9} {:>8} {:>8} {:>7} {:>7} {:>8} {:>8} {:>9} {:>6} {:>8}",
        "run",
        "target",
        "shows",
        "enqueue s",
        "wall s",
        "shows/s",
        "PUTs",
        "files",
        "RSS MiB",
        "DB conns",
        "worker s",
        "busy",
        "xacts/j"
    );
    for r in &runs {
        println!(
            "  {:<18} {:<10} {:>6} {:>9.2} {:>8.2} {:>8.0} {:>7} {:>7} {:>8.1} {:>8} {:>9.1} \
             {:>5.0}% {:>8.1}{}",
            r.label,
            r.target,
            r.finished,
            secs(r.enqueue),
            secs(r.wall),
            r.finished as f64 / secs(r.wall),
            r.puts,
            r.files.map_or("-".into(), |f| f.to_string()),
            r.peak_rss_kib as f64 / 1024.0,
            r.max_connections,
            secs(r.worker_cpu),
            r.machine_busy * 100.0,
            r.xacts_per_show,
            if r.partial {
                format!("  (stopped at the bound: {} of {})", r.finished, r.shows)
            } else {
                String::new()
            }
        );
    }
    println!(
        "  (wall: all jobs committed -> queue drained; PUTs: publications rows written; files: \
         objects written to the directory; RSS: the worker's VmHWM; DB conns: most podpub \
         sessions on the database, sampled every 100 ms; worker s: its CPU time; busy: the whole \
         machine's CPU; xacts/j: committed DB transactions per job)"
    );
    println!(
        "  queue::claim with {} renders due ({jobs_kept} finished jobs kept): {:.2} ms \
         median; the worker claims a batch of up to its free slots at once",
        shows_count(),
        ms(claim)
    );
    println!(
        "edit -> object in place: {} sequential PATCH /api/v1/shows/{{slug}} (title) on `podpub \
         serve` (in-process worker, dir target), polling .meta/<slug>/feed.xml.json for the \
         returned revision",
        latency.edits
    );
    println!(
        "  {:<24} {:>8} {:>8} {:>8}",
        "", "p50 ms", "p99 ms", "max ms"
    );
    for (what, v) in [
        ("PATCH answered", &latency.patch),
        ("new object in place", &latency.in_place),
    ] {
        println!(
            "  {what:<24} {:>8.1} {:>8.1} {:>8.1}",
            ms(percentile(v, 50.0)),
            ms(percentile(v, 99.0)),
            ms(*v.last().unwrap())
        );
    }
    let slow = latency.in_place.iter().filter(|d| **d > SLOW_EDIT).count();
    println!(
        "  ({slow} of {} edits took over {} ms; podpub serve peak RSS {:.1} MiB)",
        latency.edits,
        SLOW_EDIT.as_millis(),
        latency.peak_rss_kib as f64 / 1024.0
    );
    for note in &notes {
        println!("note: {note}");
    }
    let unchanged_fast = runs
        .iter()
        .filter(|r| r.label == "unchanged refresh")
        .all(|r| !r.partial && r.wall < Duration::from_secs(10));
    let p99 = percentile(&latency.in_place, 99.0);
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    println!(
        "aims: unchanged refresh writes nothing: met (asserted); in under 10 s: {}; edit p99 \
         under 1 s: {} (bench total {:.0} s)",
        met(unchanged_fast),
        met(p99 < Duration::from_secs(1) && latency.edits == EDITS),
        secs(bench_started.elapsed())
    );

    pool.close().await;
    drop(bucket_guard);
}
