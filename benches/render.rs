//! Feed render throughput for synthetic shows of realistic size (see `support/data.rs`).

#[path = "support/data.rs"]
mod data;
#[path = "../tests/kit/mod.rs"]
mod kit;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use podpub::feed::render::render_into;

fn bench_render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    group.sample_size(10);
    for n in [100usize, 10_000] {
        let feed = data::feed(n);
        let mut out = Vec::new();
        render_into(&feed.show, &feed.episodes, feed.as_of, &mut out);
        group.throughput(Throughput::Bytes(out.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &feed, |b, feed| {
            b.iter(|| render_into(&feed.show, &feed.episodes, feed.as_of, &mut out))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_render);
criterion_main!(benches);
