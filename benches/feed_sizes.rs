//! Render time, throughput and peak extra heap of podpub's feed renderer against a
//! straightforward `quick_xml::Writer` renderer and the `rss` crate, for shows of 100 to 50,000
//! episodes. Run with `cargo bench --bench feed_sizes`; without `--bench` (as under `cargo test`)
//! it only checks that the renderers produce the same feed.

#[path = "../tests/kit/mod.rs"]
mod kit;
mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use kit::build::Feed;
use podpub::domain::Episode;
use podpub::feed::model::FeedShow;
use podpub::feed::render::{included, render, render_into};
use support::{data, outline, quickxml_baseline, rss_baseline};

const SIZES: [usize; 4] = [100, 1_000, 10_000, 50_000];
const BUDGET: Duration = Duration::from_secs(1);
const MIN_RUNS: usize = 3;
const MAX_RUNS: usize = 10_000;

/// Counts live heap bytes while enabled, net of frees, and the peak of that count.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn counted(delta: isize) {
    if COUNTING.load(Relaxed) {
        let now = CURRENT.fetch_add(delta, Relaxed) + delta;
        PEAK.fetch_max(now, Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated besides.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            counted(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            counted(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        counted(-(layout.size() as isize));
    }

    /// Counted as growth by the difference: large blocks are moved with `mremap`, not copied.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            counted(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak bytes allocated and not yet freed while `f` runs, above what was live before.
fn peak_extra<T>(f: impl FnOnce() -> T) -> (usize, T) {
    CURRENT.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let out = f();
    COUNTING.store(false, Relaxed);
    (PEAK.load(Relaxed) as usize, out)
}

type Render = fn(&FeedShow, &[Episode], DateTime<Utc>, &mut Vec<u8>);

/// The renderers compared; `fresh` ones get an empty `Vec` each run, the others reuse one.
const RENDERERS: [(&str, bool, Render); 5] = [
    ("podpub render_into", false, render_into),
    ("podpub render", true, |s, e, a, out| *out = render(s, e, a)),
    ("quick-xml into", false, quickxml_baseline::render_into),
    ("quick-xml fresh", true, |s, e, a, out| {
        *out = quickxml_baseline::render(s, e, a)
    }),
    ("rss crate", false, rss_baseline::render_into),
];

/// One cell of the table.
struct Cell {
    episodes: usize,
    name: &'static str,
    median: Duration,
    runs: usize,
    bytes: usize,
    peak: usize,
}

impl Cell {
    fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / self.median.as_secs_f64() / 1e6
    }

    fn peak_ratio(&self) -> f64 {
        self.peak as f64 / self.bytes as f64
    }
}

fn measure(feed: &Feed, name: &'static str, fresh: bool, f: Render) -> Cell {
    let (show, eps, as_of) = (&feed.show, &feed.episodes[..], feed.as_of);
    let mut out = Vec::new();
    let warm = Instant::now();
    f(show, eps, as_of, &mut out);
    let runs = (BUDGET.as_secs_f64() / warm.elapsed().as_secs_f64()) as usize;
    let mut times: Vec<Duration> = (0..runs.clamp(MIN_RUNS, MAX_RUNS))
        .map(|_| {
            if fresh {
                drop(std::mem::take(&mut out));
            }
            let t = Instant::now();
            f(show, eps, as_of, &mut out);
            t.elapsed()
        })
        .collect();
    times.sort();
    if fresh {
        drop(std::mem::take(&mut out));
    }
    let (peak, ()) = peak_extra(|| f(show, eps, as_of, &mut out));
    Cell {
        episodes: eps.len(),
        name,
        median: times[times.len() / 2],
        runs: times.len(),
        bytes: out.len(),
        peak,
    }
}

/// Asserts that podpub, quick-xml and the `rss` crate render the same items, and that podpub and
/// quick-xml render the same elements, attributes and content throughout.
fn check_equivalence() {
    let feed = data::feed(100);
    let (show, eps, as_of) = (&feed.show, &feed.episodes[..], feed.as_of);
    let ours = outline::outline(&render(show, eps, as_of));
    let quick = outline::outline(&quickxml_baseline::render(show, eps, as_of));
    let mut rss = Vec::new();
    rss_baseline::render_into(show, eps, as_of, &mut rss);
    let rss = outline::outline(&rss);
    let items = outline::items(&ours);
    assert_eq!(items.len(), 100);
    assert_eq!(items, outline::items(&quick), "podpub vs quick-xml items");
    assert_eq!(items, outline::items(&rss), "podpub vs rss crate items");
    if let Some(i) = (0..ours.len()).find(|&i| ours.get(i) != quick.get(i)) {
        panic!(
            "podpub and quick-xml differ at node {i}: {:?} vs {:?}",
            ours.get(i),
            quick.get(i)
        );
    }
    assert_eq!(ours.len(), quick.len());
    println!(
        "equivalence at 100 episodes: podpub = quick-xml ({} nodes); rss crate has the same {} items",
        ours.len(),
        items.len()
    );
}

fn mb(bytes: usize) -> String {
    format!("{:.2} MB", bytes as f64 / 1e6)
}

fn print_row(c: &Cell) {
    println!(
        "{:>8}  {:<20} {:>12} {:>6} {:>11} {:>9.0} {:>11} {:>7.2}x",
        c.episodes,
        c.name,
        format!("{:.3?}", c.median),
        c.runs,
        mb(c.bytes),
        c.mb_per_s(),
        mb(c.peak),
        c.peak_ratio()
    );
}

fn summary(cells: &[Cell], n: usize) {
    let get = |name: &str| cells.iter().find(|c| c.episodes == n && c.name == name);
    let (Some(ours), Some(fresh), Some(qx), Some(qx_fresh)) = (
        get("podpub render_into"),
        get("podpub render"),
        get("quick-xml into"),
        get("quick-xml fresh"),
    ) else {
        return;
    };
    let speedup = |a: &Cell, b: &Cell| b.median.as_secs_f64() / a.median.as_secs_f64();
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    let like_for_like = speedup(ours, qx);
    let gbps = ours.mb_per_s() / 1e3;
    println!("\nat {n} episodes:");
    println!(
        "  speedup vs quick-xml, both into a reused buffer: {like_for_like:.2}x (target >= 2x: {})",
        verdict(like_for_like >= 2.0)
    );
    println!(
        "  speedup vs quick-xml, both into a fresh Vec:     {:.2}x",
        speedup(fresh, qx_fresh)
    );
    println!(
        "  speedup render_into vs quick-xml fresh Vec:      {:.2}x",
        speedup(ours, qx_fresh)
    );
    println!(
        "  render_into throughput: {gbps:.2} GB/s (target >= 1 GB/s: {})",
        verdict(gbps >= 1.0)
    );
    println!(
        "  peak extra / output: render {:.2}x (target <= 1.2x: {}), render_into {:.3}x",
        fresh.peak_ratio(),
        verdict(fresh.peak_ratio() <= 1.2),
        ours.peak_ratio()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        return;
    }
    check_equivalence();
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    println!(
        "\n{:>8}  {:<20} {:>12} {:>6} {:>11} {:>9} {:>11} {:>8}",
        "episodes", "renderer", "median", "runs", "output", "MB/s", "peak extra", "/output"
    );
    let mut cells = Vec::new();
    for n in SIZES {
        let feed = data::feed(n);
        assert!(feed.episodes.iter().all(|e| included(e, feed.as_of)));
        for (name, fresh, f) in RENDERERS {
            let cell = measure(&feed, name, fresh, f);
            print_row(&cell);
            cells.push(cell);
        }
    }
    summary(&cells, 10_000);
}
