//! A station query written as a query string reads back as the same query: the page that writes
//! links and the server that parses them cannot drift apart.

mod common;

use proptest::prelude::*;
use yizhan_core::query::{MAX_LIMIT, MAX_Q_CHARS};
use yizhan_core::{Amenity, BBox, LatLng, StationQuery, UnionId};

fn read(text: &str) -> StationQuery {
    let pairs = common::pairs(text);
    let (q, errors) = StationQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert!(errors.is_empty(), "{text}: {errors:?}");
    q
}

/// A point on the grid the writer keeps (7 decimals, about a centimetre): what a query carries
/// once written, so writing it again and reading it back gives it exactly.
fn point() -> impl Strategy<Value = LatLng> {
    let grid = |limit: i64| (-limit * 10_000_000..=limit * 10_000_000).prop_map(|n| n as f64 / 1e7);
    (grid(90), grid(180)).prop_map(|(lat, lng)| LatLng::new(lat, lng).expect("in range"))
}

/// Text as a parsed query holds it: trimmed, not blank, within its limit; Chinese, spaces
/// inside and the separators `&`, `=`, `%`, `+` included.
fn text(max: usize) -> impl Strategy<Value = Option<String>> {
    proptest::option::of(
        proptest::collection::vec(
            prop_oneof![
                Just('驿'),
                Just('站'),
                Just(' '),
                Just('&'),
                Just('='),
                Just('%'),
                Just('+'),
                Just('#'),
                proptest::char::range('a', 'z'),
            ],
            1..max.min(24),
        )
        .prop_map(|cs| cs.into_iter().collect::<String>().trim().to_owned())
        .prop_filter("not blank", |t| !t.is_empty()),
    )
}

fn query() -> impl Strategy<Value = StationQuery> {
    (
        (
            proptest::sample::subsequence(Amenity::ALL.to_vec(), 0..4),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(Just(UnionId::parse("bj-chaoyang").expect("id"))),
            text(20),
            text(MAX_Q_CHARS),
        ),
        (
            proptest::option::of((point(), point())),
            proptest::option::of(0u8..=22),
            proptest::option::of(point()),
            proptest::option::of(point()),
            proptest::option::of(1usize..=MAX_LIMIT),
            proptest::option::of(0usize..100_000),
            proptest::option::of(prop_oneof![Just("zh".to_owned()), Just("en".to_owned())]),
        ),
    )
        .prop_map(
            |((amenities, open_now, open_24h, union, district, q), rest)| {
                let (corners, zoom, center, near, limit, cursor, lang) = rest;
                let mut query = StationQuery {
                    zoom,
                    center,
                    near,
                    limit,
                    cursor,
                    lang,
                    ..StationQuery::default()
                };
                query.bbox = corners.map(|(a, b)| {
                    let text = format!(
                        "{},{},{},{}",
                        a.lng.get().min(b.lng.get()),
                        a.lat.get().min(b.lat.get()),
                        a.lng.get().max(b.lng.get()),
                        a.lat.get().max(b.lat.get())
                    );
                    BBox::parse(&text).expect("ordered box")
                });
                let f = &mut query.filter;
                f.amenities = amenities;
                f.open_now = open_now;
                f.open_24h = open_24h;
                f.union = union;
                f.district = district;
                f.q = q;
                query
            },
        )
}

proptest! {
    #[test]
    fn a_query_written_then_read_is_the_same_query(q in query()) {
        let text = q.to_query_string();
        prop_assert_eq!(read(&text), q, "{}", text);
    }
}

#[test]
fn an_empty_query_writes_nothing_and_separators_in_text_are_escaped() {
    assert_eq!(StationQuery::default().to_query_string(), "");
    let (q, _) = StationQuery::parse([("q", "a&b=c%d+e 驿"), ("open_now", "1")]);
    assert_eq!(
        q.to_query_string(),
        "open_now=1&q=a%26b%3Dc%25d%2Be%20%E9%A9%BF"
    );
}
