//! Station index benchmarks on 100,000 demo stations across China (`make bench`, or
//! `cargo bench -p yizhan-server --bench stations`).
//!
//! Two parts:
//! 1. a latency table printed first: each view queried `SAMPLES` times, every call timed on its
//!    own, giving p50 / p99 / max, plus the time to serialise the answer and its size raw and
//!    brotli (quality 4, what the server's on-the-fly compression uses);
//! 2. criterion groups for the same queries and for serialisation (mean and median with
//!    confidence intervals).
//!
//! `YIZHAN_BENCH_SAMPLES` changes the sample count of part 1 (default 1000);
//! `YIZHAN_BENCH_TABLE_ONLY=1` skips part 2.

use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use yizhan_core::{StationList, StationQuery, Timestamp};
use yizhan_server::db::UnionRow;
use yizhan_server::demo;
use yizhan_server::index::StationIndex;

/// Stations in the benchmark set.
const STATIONS: usize = 100_000;
/// The server's default status expiry (12 h).
const EXPIRY_SECS: i64 = 12 * 3600;

/// The views measured: name, query string exactly as the app sends it.
const VIEWS: [(&str, &str); 7] = [
    // All of China on a phone at zoom 4.
    ("country z4", "bbox=73,18,135,54&zoom=4"),
    // A phone (360x640 CSS px) over central Shanghai at zoom 11.
    ("city z11 (phone)", "bbox=121.35,31.04,121.60,31.42&zoom=11"),
    // All of Shanghai at zoom 11 (a desktop window, the heaviest city view).
    (
        "city z11 (all Shanghai)",
        "bbox=120.9,30.7,122.1,31.8&zoom=11",
    ),
    // A phone at street level (zoom 16) in Lujiazui, where stations are dense.
    ("street z16", "bbox=121.496,31.232,121.504,31.244&zoom=16"),
    // The nearest-stations list: 30 nearest of all 100k, no box.
    ("near, limit 30", "near=31.23,121.47&limit=30"),
    // The views over Beijing: a city at zoom 12 and a phone's street view.
    ("Beijing city z12", "bbox=116.2,39.8,116.6,40.0&zoom=12"),
    (
        "Beijing street z16 (phone)",
        "bbox=116.396,39.905,116.404,39.916&zoom=16",
    ),
];

fn parse(q: &str) -> StationQuery {
    let pairs: Vec<(&str, &str)> = q
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let (query, errors) = StationQuery::parse(pairs);
    assert!(errors.is_empty(), "bad bench query {q}: {errors:?}");
    query
}

fn build_index(now: Timestamp) -> StationIndex {
    let data = demo::nationwide(STATIONS, now, EXPIRY_SECS);
    assert_eq!(data.stations.len(), STATIONS);
    let unions: Vec<UnionRow> = data
        .unions
        .iter()
        .map(|u| UnionRow {
            id: u.id.clone(),
            name: u.name.clone(),
            parent: u.parent.clone(),
        })
        .collect();
    StationIndex::new(data.stations, &unions)
}

fn brotli_len(body: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 4, 22);
        w.write_all(body).expect("brotli into memory");
    }
    out.len()
}

/// Nearest-rank percentile of sorted durations.
fn pct(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Times `f` `n` times, one measurement per call (after a short warm-up), and sorts them.
fn samples<T>(n: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    for _ in 0..n.min(20) {
        black_box(f());
    }
    let mut out: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    out.sort();
    out
}

fn latency_table(index: &StationIndex, now: Timestamp) {
    let n: usize = std::env::var("YIZHAN_BENCH_SAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    println!();
    println!(
        "station index, {} stations, {n} timed calls per view ({} for near=), times in ms",
        index.len(),
        (n / 5).max(10)
    );
    println!(
        "{:<26} {:>7} {:>7} {:>7} | {:>8} {:>8} | {:>7} {:>8} | {:>10} {:>9}",
        "view",
        "p50",
        "p99",
        "max",
        "json p50",
        "json p99",
        "singles",
        "clusters",
        "raw B",
        "brotli B"
    );
    for (name, q) in VIEWS {
        let n = if q.starts_with("near=") {
            (n / 5).max(10)
        } else {
            n
        };
        let query = parse(q);
        let list: StationList = index.query(&query, now);
        let body = serde_json::to_vec(&list).expect("serialise");
        let query_t = samples(n, || index.query(&query, now));
        let json_t = samples(n, || serde_json::to_vec(&list).expect("serialise"));
        println!(
            "{:<26} {:>7.3} {:>7.3} {:>7.3} | {:>8.3} {:>8.3} | {:>7} {:>8} | {:>10} {:>9}",
            name,
            ms(pct(&query_t, 50.0)),
            ms(pct(&query_t, 99.0)),
            ms(pct(&query_t, 100.0)),
            ms(pct(&json_t, 50.0)),
            ms(pct(&json_t, 99.0)),
            list.stations.len(),
            list.clusters.len(),
            body.len(),
            brotli_len(&body),
        );
    }
    println!();
}

/// What a write costs the index: a status change keeps the station's place; a move (or a
/// station added or hidden) updates its cells at every zoom in place.
fn rebuild_table(now: Timestamp) {
    let mut index = build_index(now);
    let Some(first) = index.all(now).next() else {
        return;
    };
    let mut status = first.clone();
    let status_t = samples(50, || {
        status.version += 1;
        index.replace(&first.id, Some(status.clone()))
    });
    let mut moved = first.clone();
    let mut flip = false;
    let move_t = samples(20, || {
        flip = !flip;
        let lat = first.location.lat.get() + if flip { 0.01 } else { 0.0 };
        moved.location = yizhan_core::LatLng::new(lat, first.location.lng.get()).expect("point");
        index.replace(&first.id, Some(moved.clone()))
    });
    println!(
        "replace, {} stations: status change p50 {:.3} ms; move (cells updated) p50 {:.1} ms, max {:.1} ms",
        index.len(),
        ms(pct(&status_t, 50.0)),
        ms(pct(&move_t, 50.0)),
        ms(pct(&move_t, 100.0)),
    );
    println!();
}

fn main() {
    let now = Timestamp::now();
    let t = Instant::now();
    let index = build_index(now);
    println!(
        "generated and indexed {} stations in {:.0} ms",
        index.len(),
        ms(t.elapsed())
    );
    latency_table(&index, now);
    rebuild_table(now);
    if std::env::var("YIZHAN_BENCH_TABLE_ONLY").is_ok_and(|v| v == "1") {
        return;
    }

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    {
        let mut g = c.benchmark_group("query");
        // Flat sampling: the slow near= query would otherwise need ~1,300 iterations.
        g.sampling_mode(SamplingMode::Flat);
        for (name, q) in VIEWS {
            let query = parse(q);
            g.bench_function(name, |b| b.iter(|| index.query(black_box(&query), now)));
        }
        g.finish();
    }
    {
        let mut g = c.benchmark_group("serialise");
        for (name, q) in VIEWS.iter().take(3) {
            let list = index.query(&parse(q), now);
            g.bench_function(*name, |b| {
                b.iter(|| serde_json::to_vec(black_box(&list)).expect("serialise"))
            });
        }
        g.finish();
    }
    c.final_summary();
}
