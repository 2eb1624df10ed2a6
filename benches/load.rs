//! The API under load: `wrk` against a release `podpub serve --no-worker` (PODPUB_POOL_SIZE=10)
//! on loopback, with episode-list GETs and episode POSTs at 50, 500 and 2,000 connections.
//!
//! Reports requests/s, p50/p99 latency and every answer that was not a 2xx: 503s (with or
//! without `Retry-After`), other statuses, and socket errors (connect, read, write, timeout).
//! The aims: at least 5,000 GETs/s at 50 connections, GET p99 under 100 ms at 500, and at 2,000
//! connections nothing but 2xx or 503 with `Retry-After`.
//!
//! Needs DATABASE_URL (a cluster; the bench makes and drops its own database), the release
//! binary (`make bench` builds it) and `wrk` (`make bench` installs it through apt).

#[path = "../tests/kit/mod.rs"]
mod kit;

use std::{
    io::Write,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use kit::{
    db::Database,
    ports::free_port,
    procs::{release_binary, Proc},
    scratch::scratch,
};

const POOL_SIZE: &str = "10";
const EPISODES: usize = 50;
const CONNECTIONS: [u32; 3] = [50, 500, 2000];
const DURATION_SECS: u32 = 10;

/// Counts every status and socket error; prints them after wrk's own summary.
const COUNTING_LUA: &str = r#"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {}; no_retry_after = 0 end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 503 and headers["Retry-After"] == nil and headers["retry-after"] == nil then
    no_retry_after = no_retry_after + 1
  end
end
function done(summary, latency, requests)
  local total, missing = {}, 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do total[k] = (total[k] or 0) + v end
    missing = missing + t:get("no_retry_after")
  end
  for k, v in pairs(total) do io.write(string.format("podpub-status %d %d\n", k, v)) end
  io.write(string.format("podpub-503-without-retry-after %d\n", missing))
  io.write(string.format("podpub-p50-us %d\n", latency:percentile(50)))
  io.write(string.format("podpub-p99-us %d\n", latency:percentile(99)))
  io.write(string.format("podpub-errors %d %d %d %d\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"#;

struct Row {
    what: &'static str,
    connections: u32,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    ok: u64,
    s503: u64,
    s503_no_retry: u64,
    other: u64,
    socket_errors: [u64; 4],
}

fn run_wrk(script: &std::path::Path, url: &str, connections: u32) -> String {
    let threads = 2.min(connections);
    let cmd = format!(
        "ulimit -n $(ulimit -Hn) && exec wrk -t{threads} -c{connections} -d{DURATION_SECS}s \
         --timeout 10s -s {} {url}",
        script.display()
    );
    let out = Command::new("sh")
        .args(["-c", &cmd])
        .stdin(Stdio::null())
        .output()
        .expect("wrk runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "wrk failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn parse(what: &'static str, connections: u32, text: &str) -> Row {
    let field = |prefix: &str| -> Vec<u64> {
        text.lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .flat_map(|rest| {
                rest.split_whitespace()
                    .filter_map(|n| n.parse::<u64>().ok())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let rps = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0);
    let (mut ok, mut s503, mut other) = (0, 0, 0);
    for line in text
        .lines()
        .filter_map(|l| l.strip_prefix("podpub-status "))
    {
        let mut parts = line
            .split_whitespace()
            .map(|n| n.parse::<u64>().unwrap_or(0));
        let (status, n) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        match status {
            200..=299 => ok += n,
            503 => s503 += n,
            _ => other += n,
        }
    }
    let errors = field("podpub-errors ");
    Row {
        what,
        connections,
        rps,
        p50_ms: field("podpub-p50-us ").first().copied().unwrap_or(0) as f64 / 1000.0,
        p99_ms: field("podpub-p99-us ").first().copied().unwrap_or(0) as f64 / 1000.0,
        ok,
        s503,
        s503_no_retry: field("podpub-503-without-retry-after ")
            .first()
            .copied()
            .unwrap_or(0),
        other,
        socket_errors: [0, 1, 2, 3].map(|i| errors.get(i).copied().unwrap_or(0)),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let Ok(cluster) = std::env::var("DATABASE_URL") else {
        eprintln!("load: DATABASE_URL is not set (run `make bench`); skipped");
        return;
    };
    let bin = release_binary();
    if !bin.is_file() {
        eprintln!(
            "load: {} not found (`make bench` builds it); skipped",
            bin.display()
        );
        return;
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("load: wrk not found (`make bench` installs it); skipped");
        return;
    }
    let db = Database::create(&cluster, "load").await;
    let work = scratch("load");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let podpub = |args: &[&str]| {
        let mut cmd = Command::new(&bin);
        cmd.args(args)
            .env("DATABASE_URL", &db.url)
            .env("RUST_LOG", "warn")
            .env("PODPUB_POOL_SIZE", POOL_SIZE)
            .env("PODPUB_LISTEN", format!("127.0.0.1:{port}"))
            .env(
                "PODPUB_PUBLISH_URL",
                format!("file://{}", work.path().join("public").display()),
            )
            .env_remove("PODPUB_CONFIG");
        cmd
    };
    assert!(podpub(&["migrate"]).status().unwrap().success());
    assert!(podpub(&["user", "create", "--email", "load@example.com"])
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success());
    let token = podpub(&["token", "create", "--email", "load@example.com"])
        .output()
        .unwrap();
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();

    let mut serve_cmd = Command::new("sh");
    let serve_line = format!(
        "ulimit -n $(ulimit -Hn) && exec {} serve --no-worker",
        bin.display()
    );
    serve_cmd.args(["-c", &serve_line]);
    for (k, v) in podpub(&[]).get_envs() {
        match v {
            Some(v) => serve_cmd.env(k, v),
            None => serve_cmd.env_remove(k),
        };
    }
    let mut serve = Proc::spawn("serve", serve_cmd, work.path());
    let client = reqwest::Client::new();
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        serve.assert_running();
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let auth = format!("Bearer {token}");
    let show = client
        .post(format!("{base}/api/v1/shows"))
        .header("authorization", &auth)
        .json(&serde_json::json!({"slug": "loaded", "title": "Under load"}))
        .send()
        .await
        .unwrap();
    assert_eq!(show.status(), 201);
    let episode = |n: usize| {
        serde_json::json!({
            "title": format!("Episode {n}"),
            "description": "<p>Show notes with <b>some</b> HTML, as real ones have.</p>",
            "enclosure": {"url": format!("https://cdn.example.com/loaded/{n}.mp3"),
                          "length": 12_345_678, "type": "audio/mpeg"},
            "duration_seconds": 1800,
        })
    };
    for n in 0..EPISODES {
        let resp = client
            .post(format!("{base}/api/v1/shows/loaded/episodes"))
            .header("authorization", &auth)
            .json(&episode(n))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }

    let list_url = format!("{base}/api/v1/shows/loaded/episodes?limit=20");
    let post_url = format!("{base}/api/v1/shows/loaded/episodes");
    let get_script = work.path().join("get.lua");
    let post_script = work.path().join("post.lua");
    let headers = format!("wrk.headers[\"Authorization\"] = \"{auth}\"\n");
    std::fs::File::create(&get_script)
        .unwrap()
        .write_all(format!("{headers}{COUNTING_LUA}").as_bytes())
        .unwrap();
    let body = episode(9999).to_string().replace('"', "\\\"");
    std::fs::File::create(&post_script)
        .unwrap()
        .write_all(
            format!(
                "{headers}wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \
                 \"application/json\"\nwrk.body = \"{body}\"\n{COUNTING_LUA}"
            )
            .as_bytes(),
        )
        .unwrap();

    let mut rows = Vec::new();
    for (what, url, script) in [
        ("GET episode list", &list_url, &get_script),
        ("POST episode", &post_url, &post_script),
    ] {
        for connections in CONNECTIONS {
            serve.assert_running();
            let text = run_wrk(script, url, connections);
            let row = parse(what, connections, &text);
            eprintln!(
                "load: {what} at {connections}: {:.0} req/s, p99 {:.1} ms",
                row.rps, row.p99_ms
            );
            rows.push(row);
            // Let sockets in TIME_WAIT and the pool settle between runs.
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }
    let (peak_rss_kib, cpu) = serve.usage();
    serve.kill();

    println!(
        "load: `wrk -t2 -cN -d{DURATION_SECS}s` against `podpub serve --no-worker`, \
         PODPUB_POOL_SIZE={POOL_SIZE}, release build, {} CPUs, a show with {EPISODES} episodes \
         (GET lists 20)",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "  {:<17} {:>6} {:>9} {:>8} {:>8} {:>9} {:>7} {:>10} {:>6} {:>22}",
        "request",
        "conns",
        "req/s",
        "p50 ms",
        "p99 ms",
        "2xx",
        "503",
        "503 no RA",
        "other",
        "socket conn/rd/wr/to"
    );
    for r in &rows {
        println!(
            "  {:<17} {:>6} {:>9.0} {:>8.1} {:>8.1} {:>9} {:>7} {:>10} {:>6} {:>22}",
            r.what,
            r.connections,
            r.rps,
            r.p50_ms,
            r.p99_ms,
            r.ok,
            r.s503,
            r.s503_no_retry,
            r.other,
            format!(
                "{}/{}/{}/{}",
                r.socket_errors[0], r.socket_errors[1], r.socket_errors[2], r.socket_errors[3]
            )
        );
    }
    println!(
        "  (podpub serve: peak RSS {:.1} MiB, CPU {:.1} s; wrk shares the machine's cores)",
        peak_rss_kib as f64 / 1024.0,
        cpu.as_secs_f64()
    );
    let at = |verb: &str, connections: u32| {
        rows.iter()
            .find(|r| r.what.starts_with(verb) && r.connections == connections)
    };
    let get50 = at("GET", 50).is_some_and(|r| r.rps >= 5000.0);
    let p99_500 = at("GET", 500).is_some_and(|r| r.p99_ms < 100.0);
    let clean_2000 = rows
        .iter()
        .filter(|r| r.connections == 2000)
        .all(|r| r.other == 0 && r.s503_no_retry == 0 && r.socket_errors.iter().all(|e| *e == 0));
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    println!(
        "aims: >= 5,000 GET/s at 50: {}; GET p99 < 100 ms at 500: {}; only 2xx or 503 with \
         Retry-After at 2,000: {}",
        met(get50),
        met(p99_500),
        met(clean_2000)
    );
    // POSTs to one show take turns at its row lock, so their latency is the queue for it.
    if let Some(post) = at("POST", 500) {
        println!("  (POST p99 at 500: {:.1} ms)", post.p99_ms);
    }
    drop(db);
}
