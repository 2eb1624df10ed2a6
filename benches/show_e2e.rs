//! A 10,000-episode show end to end: load from Postgres, map, render, hash. Needs DATABASE_URL
//! (`make bench` provides it); each run uses a throwaway database.

use std::time::{Duration, Instant};

use chrono::Utc;
use podpub::{
    db::{episodes, shows, MIGRATOR},
    feed::{input::FeedInput, render::render_into},
};
use sha2::{Digest, Sha256};
use sqlx::{Connection, Executor, PgConnection, PgPool};

const EPISODES: i64 = 10_000;
const RUNS: usize = 15;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn seed(pool: &PgPool) -> uuid::Uuid {
    let show_id: uuid::Uuid = sqlx::query_scalar(
        "insert into shows (slug, title, description, podcast_guid, author, image_url)
         values ('bench', 'Bench & Friends — café', '<p>About</p>', gen_random_uuid(), 'Host',
                 'https://example.com/art.jpg') returning id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    // ~60-character titles with markup and accents, ~1.5 KB notes, ~100-character URLs.
    sqlx::query(
        "insert into episodes (show_id, guid, title, description, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode, publish_at)
         select $1, gen_random_uuid()::text,
            'Episode ' || i || ': Tom & Jerry <live> \"quoted\" — café naïve 🎙',
            repeat('<p>Show notes with <a href=\"https://example.com/x?a=1&amp;b=2\">links</a>, café.</p>', 18),
            'https://media.example.com/shows/bench-and-friends/episodes/' || lpad(i::text, 6, '0') || '/audio-final-master.mp3',
            48000000 + i, 'audio/mpeg', 3600, 1, i,
            timestamptz '2000-01-01' + i * interval '1 hour'
         from generate_series(1, $2) as i",
    )
    .bind(show_id)
    .bind(EPISODES)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("analyze episodes").execute(pool).await.unwrap();
    show_id
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Test runners build and list benches too (`cargo test --all-targets`, nextest `--list`):
    // only `cargo bench`, which passes `--bench`, runs the measurement.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Ok(cluster) = std::env::var("DATABASE_URL") else {
        eprintln!("show_e2e: DATABASE_URL is not set (run `make bench`); skipped");
        return;
    };
    let name = format!("podpub_bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&cluster).await.unwrap();
    admin
        .execute(format!("create database {name}").as_str())
        .await
        .unwrap();
    let mut url = url::Url::parse(&cluster).unwrap();
    url.set_path(&format!("/{name}"));
    let pool = PgPool::connect(url.as_str()).await.unwrap();
    MIGRATOR.run(&pool).await.unwrap();
    let show_id = seed(&pool).await;

    let (mut load, mut map, mut render, mut hash, mut total) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut out = Vec::new();
    let mut bytes = 0;
    let publishing = podpub::feed::input::Publishing {
        base_url: "https://feeds.example.com".into(),
        hubs: Vec::new(),
        move_grace: chrono::Duration::days(30),
    };
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let show = shows::find_by_id(&pool, show_id).await.unwrap().unwrap();
        let eps = episodes::all_for_show(&pool, show_id).await.unwrap();
        let t1 = Instant::now();
        let input = FeedInput::of(&show, &publishing, Utc::now());
        let t2 = Instant::now();
        render_into(&input.show, &eps, Utc::now(), &mut out);
        let t3 = Instant::now();
        let digest = Sha256::digest(&out);
        let t4 = Instant::now();
        std::hint::black_box(digest);
        bytes = out.len();
        load.push(t1 - t0);
        map.push(t2 - t1);
        render.push(t3 - t2);
        hash.push(t4 - t3);
        total.push(t4 - t0);
    }
    pool.close().await;
    admin
        .execute(format!("drop database {name}").as_str())
        .await
        .unwrap();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "show_e2e: one show, {EPISODES} episodes, {bytes} bytes of feed, median of {RUNS} runs"
    );
    println!("  {:<28} {:>9}", "phase", "ms");
    for (phase, d) in [
        ("load (Postgres, 2 queries)", median(load)),
        ("map to feed model", median(map)),
        ("render", median(render)),
        ("sha256", median(hash)),
        ("total", median(total)),
    ] {
        println!("  {phase:<28} {:>9.1}", ms(d));
    }
}
