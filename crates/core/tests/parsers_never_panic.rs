//! Every parser of outside input answers a value or a clear error, never a panic, and in
//! bounded time, whatever arrives: arbitrary Unicode, long strings, near misses of the real
//! formats. (Opening hours also have property tests beside their parser.)

use std::time::{Duration, Instant};

use proptest::prelude::*;
use yizhan_core::{
    BBox, DeviceId, Lookup, NewApplication, OpeningHours, PersonName, Phone, Reference,
    StationDraft, StationId, StationQuery, UnionId, Username,
};

/// The slowest any single parse may take (a wide margin over microseconds): catches
/// quadratic or backtracking work on long input, not machine speed.
const BOUND: Duration = Duration::from_millis(500);

fn bounded<T>(what: &str, input: &str, f: impl Fn() -> T) -> T {
    let started = Instant::now();
    let out = f();
    if started.elapsed() >= BOUND {
        // Once over the bound may be the machine (two cores shared with builds and browsers
        // descheduling this thread); slow parsing is slow every time, so time it again.
        let again = Instant::now();
        f();
        assert!(
            again.elapsed() < BOUND,
            "{what} took {:?} then {:?} on {} chars",
            started.elapsed(),
            again.elapsed(),
            input.chars().count()
        );
    }
    out
}

/// Text of every kind: any Unicode, near misses of numbers, ids and lists, and long runs.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        "[0-9.,;:+ -]{0,40}",
        "[a-z0-9-]{0,60}",
        "[\\u{0}-\\u{7f}]{0,40}",
        "(\\PC{1,3}){0,2000}",
        "[0-9,.-]{1000,5000}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("bbox".to_owned()),
        Just("zoom".to_owned()),
        Just("amenities".to_owned()),
        Just("open_now".to_owned()),
        Just("open_24h".to_owned()),
        Just("union".to_owned()),
        Just("district".to_owned()),
        Just("q".to_owned()),
        Just("near".to_owned()),
        Just("limit".to_owned()),
        Just("cursor".to_owned()),
        Just("lang".to_owned()),
        "\\PC{0,10}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn station_queries_never_panic(pairs in proptest::collection::vec((key(), text()), 0..8)) {
        let joined: String = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let (_query, _errors) = bounded("StationQuery::parse", &joined, || {
            StationQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        });
    }

    #[test]
    fn text_newtypes_never_panic(s in text()) {
        let _ = bounded("Phone", &s, || Phone::parse(&s));
        let _ = bounded("PersonName", &s, || PersonName::parse(&s));
        let _ = bounded("Reference", &s, || Reference::parse(&s));
        let _ = bounded("DeviceId", &s, || DeviceId::parse(&s));
        let _ = bounded("Username", &s, || Username::parse(&s));
        let _ = bounded("StationId", &s, || StationId::parse(&s));
        let _ = bounded("UnionId", &s, || UnionId::parse(&s));
        let _ = bounded("BBox", &s, || BBox::parse(&s));
        let _ = bounded("OpeningHours", &s, || OpeningHours::parse(&s));
        let _ = bounded("check_password", &s, || yizhan_core::staff::check_password(&s));
    }

    #[test]
    fn json_bodies_with_hostile_values_never_panic_their_validation(
        a in text(), b in text(), c in text(), d in text(), json in "\\PC{0,200}",
    ) {
        let application = serde_json::json!({
            "station_id": a, "district": b, "name": c, "phone": d,
            "employer": "other", "employer_other": a, "occupation": "other",
            "occupation_other": b, "work_district": c,
            "consent": {"policy_version": d, "accepted": true},
        });
        if let Ok(form) = serde_json::from_value::<NewApplication>(application) {
            let _ = bounded("NewApplication::validate", &a, || form.validate());
        }
        let lookup = Lookup { reference: a.clone(), phone: b.clone() };
        let _ = bounded("Lookup::validate", &a, || lookup.validate());
        let draft = serde_json::json!({
            "id": a, "name": b, "address": c, "district": d, "union_id": a,
            "lat": 39.9, "lng": 116.4, "hours": b, "phone": c, "amenities": [], "hidden": false,
        });
        if let Ok(draft) = serde_json::from_value::<StationDraft>(draft) {
            let _ = bounded("StationDraft::validate", &b, || draft.validate());
        }
        // And text that is hardly JSON at all
        let _ = serde_json::from_str::<NewApplication>(&json);
        let _ = serde_json::from_str::<StationDraft>(&json);
    }
}
