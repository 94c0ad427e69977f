//! Station reads: filters, paging, ETags, GeoJSON, and every bad input answered 400 by field.

use std::collections::BTreeSet;

use serde_json::Value;
use yizhan_core::{Station, StationList, Timestamp};

use crate::helpers::TestApp;

async fn list(app: &TestApp, query: &str) -> StationList {
    let res = app.get(&format!("/api/v1/stations?{query}")).await;
    assert_eq!(res.status(), 200, "{query}");
    res.json().await.expect("station list")
}

#[tokio::test]
async fn list_without_filters_returns_every_seeded_station() {
    // Given a fresh server seeded with 300 demo stations
    let app = TestApp::spawn().await;
    // When a rider lists stations
    let all = list(&app, "").await;
    // Then every station comes back once, with the contract's fields
    assert_eq!(all.total, 300);
    assert_eq!(all.stations.len(), 300);
    let ids: BTreeSet<_> = all.stations.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), 300);
    assert!(all.next.is_none());
}

#[tokio::test]
async fn amenity_filter_keeps_only_stations_where_it_is_not_broken() {
    let app = TestApp::spawn().await;
    let all = list(&app, "").await;
    let hits = list(&app, "amenities=microwave,water").await;
    let expected = all
        .stations
        .iter()
        .filter(|s| {
            ["microwave", "water"].iter().all(|code| {
                s.amenities
                    .iter()
                    .any(|a| a.code.as_str() == *code && a.state.as_str() != "out_of_order")
            })
        })
        .count();
    assert!(hits.total > 0 && hits.total < all.total, "{}", hits.total);
    assert_eq!(hits.total, expected);
}

#[tokio::test]
async fn open_now_and_24h_filters_follow_hours_and_status() {
    let app = TestApp::spawn().await;
    let now = Timestamp::now();
    let open = list(&app, "open_now=1").await;
    assert!(open.total > 0);
    assert!(open.stations.iter().all(|s| s
        .hours
        .is_open_with(now, &yizhan_server::config::built_in_holidays())
        && s.status.state.as_str() != "closed"));
    let round_the_clock = list(&app, "open_24h=1").await;
    assert!(round_the_clock.total > 0);
    assert!(round_the_clock.stations.iter().all(|s| s.hours.is_24_7()));
}

#[tokio::test]
async fn one_chinese_character_finds_stations_by_name_address_or_district() {
    let app = TestApp::spawn().await;
    let hits = list(&app, "q=%E6%9C%9D").await; // 朝
    assert!(hits.total > 0);
    assert!(hits
        .stations
        .iter()
        .all(|s| [&s.name, &s.address, &s.district]
            .iter()
            .any(|f| f.contains('朝'))));
}

#[tokio::test]
async fn district_union_includes_its_street_unions() {
    let app = TestApp::spawn().await;
    let by_district = list(&app, "district=%E6%9C%9D%E9%98%B3%E5%8C%BA").await; // 朝阳区
    let by_union = list(&app, "union=bj-chaoyang").await;
    assert!(by_district.total > 0);
    assert_eq!(by_union.total, by_district.total);
    assert!(
        by_union
            .stations
            .iter()
            .any(|s| s.union.id.as_str() != "bj-chaoyang"),
        "street unions are included"
    );
    let city = list(&app, "union=bj").await;
    assert_eq!(city.total, 300);
    let nobody = list(&app, "union=no-such-union").await;
    assert_eq!(nobody.total, 0);
}

#[tokio::test]
async fn bbox_limits_stations_to_the_box() {
    let app = TestApp::spawn().await;
    let inner = list(&app, "bbox=116.35,39.85,116.45,39.95").await;
    assert!(inner.total > 0 && inner.total < 300);
    for s in &inner.stations {
        let (lat, lng) = (s.location.lat.get(), s.location.lng.get());
        assert!((39.85..=39.95).contains(&lat) && (116.35..=116.45).contains(&lng));
    }
}

#[tokio::test]
async fn pages_cover_every_station_exactly_once() {
    let app = TestApp::spawn().await;
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = list(&app, &format!("limit=70{cursor}")).await;
        assert_eq!(page.total, 300);
        seen.extend(page.stations.into_iter().map(|s| s.id));
        match page.next {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    let unique: BTreeSet<_> = seen.iter().cloned().collect();
    assert_eq!((seen.len(), unique.len()), (300, 300));
}

#[tokio::test]
async fn unchanged_list_answers_304_to_its_etag() {
    let app = TestApp::spawn().await;
    let first = app
        .get("/api/v1/stations?district=%E6%B5%B7%E6%B7%80%E5%8C%BA")
        .await;
    let etag = first
        .headers()
        .get("etag")
        .expect("etag")
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(
        first
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap_or("")),
        Some("public, max-age=60")
    );
    let again = app
        .client
        .get(format!(
            "{}/api/v1/stations?district=%E6%B5%B7%E6%B7%80%E5%8C%BA",
            app.base
        ))
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("request");
    // The tag follows the minute; a test running across a minute boundary sees a fresh 200.
    assert!(
        again.status() == 304
            || again
                .headers()
                .get("etag")
                .map(|v| v.to_str().unwrap_or(""))
                != Some(etag.as_str())
    );
}

#[tokio::test]
async fn one_station_has_its_version_as_etag() {
    let app = TestApp::spawn().await;
    let first = list(&app, "limit=1").await.stations.remove(0);
    let res = app.get(&format!("/api/v1/stations/{}", first.id)).await;
    assert_eq!(res.status(), 200);
    let etag = res
        .headers()
        .get("etag")
        .expect("etag")
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(etag.starts_with(&format!("\"{}", first.version)), "{etag}");
    let station: Station = res.json().await.expect("station");
    assert_eq!(station, first);
}

#[tokio::test]
async fn unknown_station_is_404_with_the_error_body() {
    let app = TestApp::spawn().await;
    for id in ["bj-nowhere-9999", "NOT%20AN%20ID"] {
        let res = app.get(&format!("/api/v1/stations/{id}")).await;
        assert_eq!(res.status(), 404, "{id}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(body["error"]["message"], "没有找到这个驿站。");
    }
}

#[tokio::test]
async fn bad_query_values_answer_400_naming_the_field() {
    let app = TestApp::spawn().await;
    let long_q = "%E9%A9%BF".repeat(101);
    // (query, field, code, why it must be rejected)
    let cases: Vec<(String, &str, &str, &str)> = vec![
        (
            "bbox=1,2,3".into(),
            "bbox",
            "invalid",
            "a box needs four numbers",
        ),
        ("bbox=a,b,c,d".into(), "bbox", "invalid", "a box is numbers"),
        (
            "bbox=116,95,117,96".into(),
            "bbox",
            "out_of_range",
            "latitude beyond 90",
        ),
        (
            "bbox=117,40,116,39".into(),
            "bbox",
            "out_of_range",
            "minimum above maximum",
        ),
        (
            "lat=95&lng=116".into(),
            "lat",
            "out_of_range",
            "latitude beyond 90",
        ),
        (
            "lat=39.9&lng=190".into(),
            "lng",
            "out_of_range",
            "longitude beyond 180",
        ),
        (
            "amenities=water,sauna".into(),
            "amenities",
            "unknown",
            "sauna is not a contract amenity",
        ),
        (
            "open_now=maybe".into(),
            "open_now",
            "invalid",
            "a flag is 1 or 0",
        ),
        (
            "open_24h=yes".into(),
            "open_24h",
            "invalid",
            "a flag is 1 or 0",
        ),
        (
            format!("q={long_q}"),
            "q",
            "too_long",
            "search text is at most 100 characters",
        ),
        (
            "limit=0".into(),
            "limit",
            "out_of_range",
            "a page holds at least one station",
        ),
        (
            "limit=5001".into(),
            "limit",
            "out_of_range",
            "a page holds at most 5000",
        ),
        ("zoom=23".into(), "zoom", "out_of_range", "zoom stops at 22"),
        (
            "union=Bad%20Id".into(),
            "union",
            "invalid",
            "ids are [a-z0-9-]",
        ),
        (
            "cursor=xyz".into(),
            "cursor",
            "invalid",
            "cursors come from `next`",
        ),
    ];
    for (query, field, code, why) in cases {
        let res = app.get(&format!("/api/v1/stations?{query}")).await;
        assert_eq!(res.status(), 400, "{query}: {why}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "invalid_query", "{query}");
        assert_eq!(body["error"]["fields"][field], code, "{query}: {why}");
        assert!(body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn error_messages_follow_lang_then_accept_language() {
    let app = TestApp::spawn().await;
    let en: Value = app
        .get("/api/v1/stations?open_now=maybe&lang=en")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        en["error"]["message"],
        "Some query parameters are invalid; see the named fields."
    );
    let by_header: Value = app
        .client
        .get(format!("{}/api/v1/stations/nope", app.base))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(by_header["error"]["message"], "No such station.");
}

#[tokio::test]
async fn geojson_feed_has_every_station_as_a_point() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/stations.geojson").await;
    assert_eq!(
        res.headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap_or("")),
        Some("application/geo+json")
    );
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["type"], "FeatureCollection");
    let features = body["features"].as_array().expect("features");
    assert_eq!(features.len(), 300);
    let f = &features[0];
    assert_eq!(f["geometry"]["type"], "Point");
    let lng = f["geometry"]["coordinates"][0].as_f64().expect("lng");
    let lat = f["geometry"]["coordinates"][1].as_f64().expect("lat");
    assert!(
        (115.0..118.0).contains(&lng) && (39.0..42.0).contains(&lat),
        "[lng, lat] order"
    );
    assert!(f["properties"]["name"].is_string());
}

#[tokio::test]
async fn health_and_openapi_describe_the_service() {
    let app = TestApp::spawn().await;
    let health = app.get_json("/healthz").await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["stations"], 300);
    let spec = app.get_json("/api/v1/openapi.json").await;
    assert!(spec["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.")));
    for path in [
        "/api/v1/stations",
        "/api/v1/stations/{id}",
        "/api/v1/stations.geojson",
        "/healthz",
    ] {
        assert!(
            spec["paths"].get(path).is_some(),
            "{path} missing from the spec"
        );
    }
    assert!(spec["components"]["schemas"].get("Station").is_some());
}

#[tokio::test]
async fn unknown_api_route_is_a_json_404() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/nothing-here").await;
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "no_route");
}

#[tokio::test]
async fn restarting_on_the_same_database_does_not_seed_twice() {
    let dir = tempfile::tempdir().expect("dir");
    let url = crate::helpers::database_url_in(dir.path());
    for _ in 0..2 {
        let url = url.clone();
        let app = TestApp::spawn_with(move |s| s.database_url = url).await;
        assert_eq!(list(&app, "").await.total, 300);
        drop(app);
        // Let the previous server release the file before the next opens it.
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn city_view_groups_dense_areas_and_counts_every_station_once() {
    // Given the whole of Beijing in view at city zoom
    let app = TestApp::spawn().await;
    let bbox = "bbox=115.4,39.4,117.5,41.1";
    let plain = list(&app, bbox).await;
    // When the map asks with its zoom
    let grouped = list(&app, &format!("{bbox}&zoom=10")).await;
    // Then dense areas come back as clusters, and singles plus cluster counts add up to all
    assert!(!grouped.clusters.is_empty());
    let clustered: usize = grouped.clusters.iter().map(|c| c.count).sum();
    assert_eq!(grouped.total, plain.total);
    assert_eq!(grouped.stations.len() + clustered, plain.total);
    assert!(grouped.clusters.iter().all(|c| c.count >= 3));
    for c in &grouped.clusters {
        let [min_lng, min_lat, max_lng, max_lat] = c.bbox;
        assert!((min_lng..=max_lng).contains(&c.lng) && (min_lat..=max_lat).contains(&c.lat));
    }
    // And up close nothing is grouped
    let street = list(&app, &format!("{bbox}&zoom=17")).await;
    assert!(street.clusters.is_empty());
    assert_eq!(street.stations.len(), plain.total);
}

#[tokio::test]
async fn near_orders_stations_by_distance() {
    let app = TestApp::spawn().await;
    let here = yizhan_core::LatLng::new(39.9087, 116.3975).expect("point");
    let page = list(&app, "near=39.9087,116.3975&limit=10").await;
    assert_eq!(page.stations.len(), 10);
    assert_eq!(page.total, 300);
    let d: Vec<f64> = page
        .stations
        .iter()
        .map(|s| here.distance_m(&s.location))
        .collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    // The next page carries on where the first stopped (only the asked-for part is sorted).
    let second = list(&app, "near=39.9087,116.3975&limit=10&cursor=10").await;
    let d2: Vec<f64> = second
        .stations
        .iter()
        .map(|s| here.distance_m(&s.location))
        .collect();
    assert!(
        d2.windows(2).all(|w| w[0] <= w[1]) && d[9] <= d2[0],
        "{d:?} then {d2:?}"
    );
    assert_eq!(second.next.as_deref(), Some("20"));
    let all = list(&app, "").await;
    let nearest = all
        .stations
        .iter()
        .map(|s| here.distance_m(&s.location))
        .fold(f64::INFINITY, f64::min);
    assert_eq!(d[0], nearest);
}

#[tokio::test]
async fn a_map_view_is_sent_compressed_and_answers_304_from_its_etag_alone() {
    // Given a map view asked for twice, once plain and once accepting brotli
    let app = TestApp::spawn().await;
    let path = "/api/v1/stations?zoom=9&bbox=115.4,39.4,117.5,41.1";
    let plain = app.get(path).await;
    assert_eq!(plain.status(), 200);
    let etag = plain.headers().get("etag").expect("etag").clone();
    let plain = plain.bytes().await.expect("body");
    let packed = app
        .client
        .get(format!("{}{path}", app.base))
        .header("Accept-Encoding", "gzip, br")
        .send()
        .await
        .expect("request");
    // Then the kept answer comes brotli-compressed once (not compressed twice), with the same tag
    assert_eq!(
        packed
            .headers()
            .get("content-encoding")
            .map(|v| v.as_bytes()),
        Some(&b"br"[..])
    );
    assert_eq!(packed.headers().get("etag"), Some(&etag));
    let vary = packed
        .headers()
        .get("vary")
        .expect("vary")
        .to_str()
        .expect("ascii");
    assert!(
        vary.to_ascii_lowercase().contains("accept-encoding"),
        "{vary}"
    );
    let packed = packed.bytes().await.expect("body");
    let mut unpacked = Vec::new();
    brotli::BrotliDecompress(&mut &packed[..], &mut unpacked).expect("one layer of brotli");
    assert_eq!(unpacked, plain);

    // When the same view is asked with its tag, written in another parameter order
    let again = app
        .client
        .get(format!(
            "{}/api/v1/stations?bbox=115.4,39.4,117.5,41.1&zoom=9&lang=en",
            app.base
        ))
        .header("If-None-Match", etag.clone())
        .send()
        .await
        .expect("request");
    // Then it is 304 with no body (the tag names the data's revision and the query)
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers().get("etag"), Some(&etag));
    assert!(again.bytes().await.expect("body").is_empty());

    // And another view has another tag
    let other = app
        .get("/api/v1/stations?zoom=10&bbox=115.4,39.4,117.5,41.1")
        .await;
    assert_ne!(other.headers().get("etag"), Some(&etag));
}

#[tokio::test]
async fn on_a_public_holiday_stations_closed_on_holidays_are_not_open_now() {
    // Given a deployment whose holiday list makes today a holiday
    let today = Timestamp::now().beijing();
    let list_text = format!("off {:04}-{:02}-{:02}", today.year, today.month, today.day);
    let holidays = yizhan_core::holidays::Holidays::parse(&list_text).expect("list");
    let app = TestApp::spawn_with(|s| s.holidays = std::sync::Arc::new(holidays)).await;
    // Then the pages carry the list for the app
    let html = app.get("/").await.text().await.expect("html");
    assert!(
        html.contains(&format!(
            "<meta name=\"yizhan:holidays\" content=\"{list_text}\">"
        )),
        "{html}"
    );
    // And no station whose hours say `PH off` is open now, though some are listed otherwise
    let all = list(&app, "limit=500").await;
    assert!(all
        .stations
        .iter()
        .any(|s| s.hours.as_str().contains("PH off")));
    let open = list(&app, "open_now=1&limit=500").await;
    assert!(open.total > 0);
    assert!(
        open.stations
            .iter()
            .all(|s| !s.hours.as_str().contains("PH off")),
        "a station closed on holidays was listed as open"
    );
}
