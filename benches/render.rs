//! Feed render throughput for synthetic shows of realistic size.

use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use podpub::feed::{
    model::{FeedCategory, FeedEpisode, FeedShow},
    render::render_into,
};
use uuid::Uuid;

fn show() -> FeedShow {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    FeedShow {
        title: "Bench & Friends — café talk".into(),
        description: "<p>A show about benchmarks &amp; feeds.</p>".into(),
        author: Some("Host".into()),
        owner_name: Some("Host".into()),
        owner_email: Some("host@example.com".into()),
        language: "en-us".into(),
        categories: vec![FeedCategory {
            name: "Technology".into(),
            sub: None,
        }],
        explicit: false,
        serial: false,
        image_url: Some("https://example.com/art.jpg".into()),
        link: Some("https://example.com/".into()),
        copyright: None,
        locked: false,
        complete: false,
        block: false,
        funding: Vec::new(),
        podcast_guid: Uuid::nil(),
        feed_url: "https://feeds.example.com/bench/feed.xml".into(),
        new_feed_url: None,
        updated_at: at,
        ..Default::default()
    }
}

fn episodes(n: usize) -> Vec<FeedEpisode> {
    let start = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    let notes = "<p>Show notes with <a href=\"https://example.com/x?a=1&amp;b=2\">links</a>, \
                 accents (café, naïve) and emoji 🎙️.</p>"
        .repeat(10);
    (0..n)
        .map(|i| FeedEpisode {
            guid: Uuid::from_u128(i as u128).to_string(),
            title: format!("Episode {i}: Tom & Jerry <live> \"quoted\" — café naïve 🎙️"),
            description: notes.clone(),
            enclosure_url: format!(
                "https://media.example.com/shows/bench-and-friends/episodes/{i:06}/audio-final-master.mp3"
            ),
            enclosure_length: 48_000_000 + i as i64,
            enclosure_type: "audio/mpeg".into(),
            duration_seconds: Some(3600),
            season: Some(1),
            episode: Some(i as i32),
            episode_type: "full".into(),
            explicit: Some(false),
            image_url: None,
            transcript_url: None,
            transcript_type: None,
            chapters_url: None,
            draft: false,
            publish_at: start + Duration::hours(i as i64),
            updated_at: start + Duration::hours(i as i64),
            ..Default::default()
        })
        .collect()
}

fn bench_render(c: &mut Criterion) {
    let show = show();
    let as_of = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    for n in [100usize, 1_000, 10_000] {
        let eps = episodes(n);
        let mut out = Vec::new();
        render_into(&show, &eps, as_of, &mut out);
        group.throughput(Throughput::Bytes(out.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &eps, |b, eps| {
            b.iter(|| render_into(&show, eps, as_of, &mut out))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
