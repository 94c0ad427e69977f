//! Station files from outside (CSV and GeoJSON imports) are read or refused with a named
//! problem, never a panic, and in bounded time, whatever bytes arrive.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use yizhan_core::datum::Datum;
use yizhan_server::transfer::{parse_csv, parse_geojson};

const HEADER: &str =
    "id,name,address,district,union_id,lat,lng,datum,hours,phone,amenities,hidden\n";

fn bounded<T>(what: &str, len: usize, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{what} took {:?} on {len} bytes",
        started.elapsed()
    );
    out
}

/// A CSV row of near misses: right columns, hostile cells.
fn row() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "\\PC{0,12}",
            "[0-9.-]{0,12}",
            "\"[^\"]{0,8}\"?",
            Just(String::new())
        ],
        0..14,
    )
    .prop_map(|cells| cells.join(","))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_bytes_are_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
        let _ = bounded("parse_csv", bytes.len(), || parse_csv(&bytes, Datum::Wgs84));
        let _ = bounded("parse_geojson", bytes.len(), || parse_geojson(&bytes, Datum::Gcj02));
    }

    #[test]
    fn csv_near_misses_are_read_row_by_row_or_refused(rows in proptest::collection::vec(row(), 0..50)) {
        let file = format!("\u{feff}{HEADER}{}", rows.join("\n"));
        let _ = bounded("parse_csv", file.len(), || parse_csv(file.as_bytes(), Datum::Bd09));
    }

    #[test]
    fn geojson_near_misses_are_never_a_panic(
        name in "\\PC{0,20}", lat in any::<f64>(), lng in any::<f64>(), kind in "\\PC{0,8}",
    ) {
        let doc = serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": kind, "coordinates": [lng, lat]},
             "properties": {"id": name, "name": name, "hours": name}},
            {"type": "Feature", "geometry": null, "properties": null},
        ]})
        .to_string();
        let _ = bounded("parse_geojson", doc.len(), || parse_geojson(doc.as_bytes(), Datum::Wgs84));
    }
}
