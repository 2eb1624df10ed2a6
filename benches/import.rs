//! Import parsing of the largest feed `PODPUB_IMPORT_MAX_BYTES` allows (32 MiB), in three
//! shapes: a realistic podpub-rendered feed, elements at the attribute cap, and the most
//! elements the caps allow. Each must parse within 2 s (issue 13, item 7); the bench says so
//! before criterion measures it.

#[path = "support/data.rs"]
mod data;
#[path = "../tests/kit/mod.rs"]
mod kit;

use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use podpub::feed::render::render_into;

/// The highest value PODPUB_IMPORT_MAX_BYTES accepts.
const MAX_BYTES: usize = 32 << 20;
const BUDGET: Duration = Duration::from_secs(2);

const HEAD: &str = "<rss version=\"2.0\" xmlns:x=\"urn:x\"><channel><title>Big</title>";
const TAIL: &str = "</channel></rss>";

/// A feed podpub rendered, with as many realistic episodes as fit in `MAX_BYTES`.
fn rendered() -> Vec<u8> {
    let mut out = Vec::new();
    let sample = data::feed(1_000);
    render_into(&sample.show, &sample.episodes, sample.as_of, &mut out);
    let n = 1_000 * MAX_BYTES / out.len() * 98 / 100;
    let feed = data::feed(n);
    out.clear();
    render_into(&feed.show, &feed.episodes, feed.as_of, &mut out);
    out
}

/// Fills `MAX_BYTES` with `unit`, inside a channel, plus one playable item.
fn filled(unit: &str) -> Vec<u8> {
    let item = "<item><title>t</title><guid>g</guid>\
                <enclosure url=\"https://cdn.example.com/a.mp3\" type=\"audio/mpeg\"/></item>";
    let room = MAX_BYTES - HEAD.len() - TAIL.len() - item.len();
    let mut xml = String::with_capacity(MAX_BYTES);
    xml.push_str(HEAD);
    xml.push_str(&unit.repeat(room / unit.len()));
    xml.push_str(item);
    xml.push_str(TAIL);
    xml.into_bytes()
}

fn shapes() -> Vec<(&'static str, Vec<u8>)> {
    let wide: String = (0..100).map(|i| format!(" a{i}=\"v{i}\"")).collect();
    // Nearly 1,000,000 elements (the cap) in 32 MiB: 34 bytes each.
    let dense = format!("<x:e k=\"{}\"/>", "v".repeat(23));
    vec![
        ("rendered", rendered()),
        ("wide_attributes", filled(&format!("<x:e{wide}/>"))),
        ("dense_elements", filled(&dense)),
    ]
}

fn bench_import(c: &mut Criterion) {
    // `make test` (nextest --all-targets) lists the benches from a debug build: building 32 MiB
    // feeds and judging a release budget there would only slow the tests and fail them.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let now = Utc::now();
    let shapes = shapes();
    for (name, xml) in &shapes {
        let started = Instant::now();
        let parsed = podpub::import::parse(xml, None, now);
        let took = started.elapsed();
        let outcome = match &parsed {
            Ok(feed) => format!("{} episodes", feed.episodes.len()),
            Err(e) => format!("refused: {e}"),
        };
        println!(
            "import parse {name}: {:.1} MiB in {took:.2?} ({outcome})",
            xml.len() as f64 / (1 << 20) as f64
        );
        assert!(parsed.is_ok(), "{name} must be within every cap: {outcome}");
        assert!(took < BUDGET, "{name} took {took:?}, over {BUDGET:?}");
    }
    let mut group = c.benchmark_group("import_parse");
    group.sample_size(10);
    for (name, xml) in &shapes {
        group.throughput(Throughput::Bytes(xml.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), xml, |b, xml| {
            b.iter(|| podpub::import::parse(xml, None, now).map(|f| f.items))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
