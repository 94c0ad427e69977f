//! An applications-queue query written as a query string reads back as the same query: the
//! staff page that writes the address and the server that parses it cannot drift apart.

mod common;

use proptest::prelude::*;
use yizhan_core::{ApplicationQuery, ApplicationStatus, SentLimit, StationId};

fn read(text: &str) -> ApplicationQuery {
    let pairs = common::pairs(text);
    let (q, errors) = ApplicationQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert!(errors.is_empty(), "{text}: {errors:?}");
    q
}

/// A Beijing date, or an RFC 3339 time with `Z` or an offset (its `+` and `:` need encoding).
fn limit() -> impl Strategy<Value = SentLimit> {
    let date = (2000u32..2100, 1u32..=12, 1u32..=28);
    prop_oneof![
        date.clone()
            .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (
            date,
            0u32..24,
            0u32..60,
            prop_oneof![Just("Z"), Just("+08:00"), Just("-05:30")]
        )
            .prop_map(|((y, m, d), h, min, zone)| format!(
                "{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:00{zone}"
            )),
    ]
    .prop_map(|text| SentLimit::parse(&text).expect("valid limit"))
}

fn query() -> impl Strategy<Value = ApplicationQuery> {
    (
        proptest::option::of(proptest::sample::select(ApplicationStatus::ALL)),
        proptest::option::of("[a-z0-9-]{1,40}"),
        proptest::option::of(limit()),
        proptest::option::of(limit()),
    )
        .prop_map(|(status, station, from, to)| ApplicationQuery {
            status,
            station: station.map(|s| StationId::parse(&s).expect("id")),
            from,
            to,
        })
}

proptest! {
    #[test]
    fn a_query_written_then_read_is_the_same_query(q in query()) {
        let text = q.to_query_string();
        prop_assert_eq!(read(&text), q, "{}", text);
    }
}

#[test]
fn an_empty_query_writes_nothing_and_times_are_escaped() {
    assert_eq!(ApplicationQuery::default().to_query_string(), "");
    let (q, _) = ApplicationQuery::parse([
        ("to", "2026-11-01T08:00:00+08:00"),
        ("status", "approved"),
        ("station", "cy-01"),
        ("from", "2026-10-01"),
    ]);
    assert_eq!(
        q.to_query_string(),
        "status=approved&station=cy-01&from=2026-10-01&to=2026-11-01T08%3A00%3A00%2B08%3A00"
    );
}
