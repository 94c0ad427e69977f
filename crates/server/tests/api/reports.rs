//! Rider reports: each kind accepted, every bad body refused by field, and the hourly limits per
//! device and per address.

use serde_json::{json, Value};
use yizhan_core::{ReportReceipt, Station, StationList};

use crate::helpers::TestApp;

const DEVICE: &str = "device-aaaaaaaaaaaa-1";
const OTHER_DEVICE: &str = "device-bbbbbbbbbbbb-2";

/// The first few seeded stations (the same every time).
async fn stations(app: &TestApp) -> Vec<Station> {
    let list: StationList = serde_json::from_value(app.get_json("/api/v1/stations?limit=5").await)
        .expect("station list");
    list.stations
}

/// A seeded station that has amenities.
async fn a_station(app: &TestApp) -> Station {
    stations(app)
        .await
        .into_iter()
        .find(|s| !s.amenities.is_empty())
        .expect("a station with amenities")
}

/// POSTs a raw body with a content type, and optionally a device id.
async fn post_raw(
    app: &TestApp,
    path: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
    device: Option<&str>,
) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}{path}", app.base))
        .header("Content-Type", content_type)
        .body(body);
    if let Some(d) = device {
        req = req.header("X-Device-Id", d);
    }
    req.send().await.expect("request")
}

/// POSTs a JSON report about `station` from `device`.
async fn report(
    app: &TestApp,
    station: &str,
    body: &Value,
    device: Option<&str>,
) -> reqwest::Response {
    post_raw(
        app,
        &format!("/api/v1/stations/{station}/reports"),
        "application/json",
        body.to_string(),
        device,
    )
    .await
}

async fn error_of(res: reqwest::Response) -> Value {
    res.json::<Value>().await.expect("error body")["error"].clone()
}

#[tokio::test]
async fn every_kind_of_report_is_accepted_with_a_receipt() {
    // Given a station with amenities
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    let amenity = station.amenities[0].code.as_str();
    let bodies = [
        json!({"kind": "confirm"}),
        json!({"kind": "closed_when_open"}),
        json!({"kind": "amenity_broken", "amenity": amenity}),
        json!({"kind": "other", "text": "门口的灯坏了，晚上看不到招牌"}),
    ];
    let mut ids = Vec::new();
    for body in &bodies {
        // When a rider (no device id, so only the address limit applies) sends it
        let res = report(&app, station.id.as_str(), body, None).await;
        // Then it is stored: 201, never cached, with a random id and the kind
        assert_eq!(res.status(), 201, "{body}");
        assert_eq!(
            res.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store")
        );
        let receipt: ReportReceipt = res.json().await.expect("receipt");
        assert_eq!(json!(receipt.kind), body["kind"]);
        assert_eq!(receipt.id.len(), 32, "{}", receipt.id);
        ids.push(receipt.id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), bodies.len(), "ids are unique");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused_415() {
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    let path = format!("/api/v1/stations/{}/reports", station.id);
    // Given bodies a form post or a careless client would send
    for (content_type, why) in [
        (
            "text/plain",
            "a form or script posting text must not be read as JSON",
        ),
        (
            "application/x-www-form-urlencoded",
            "an HTML form can be posted across sites without a preflight",
        ),
    ] {
        // When it is posted (even if the text happens to be JSON)
        let res = post_raw(
            &app,
            &path,
            content_type,
            r#"{"kind":"confirm"}"#,
            Some(DEVICE),
        )
        .await;
        // Then 415 with the contract's error body
        assert_eq!(res.status(), 415, "{content_type}: {why}");
        assert_eq!(error_of(res).await["code"], "unsupported_media_type");
    }
}

#[tokio::test]
async fn malformed_json_is_refused_400() {
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    let path = format!("/api/v1/stations/{}/reports", station.id);
    for (body, why) in [
        (r#"{"kind": "confirm""#, "the body was cut off"),
        ("", "an empty body is no report"),
        ("kind=confirm", "form encoding under a JSON label"),
    ] {
        let res = post_raw(&app, &path, "application/json", body, Some(DEVICE)).await;
        assert_eq!(res.status(), 400, "{body:?}: {why}");
        assert_eq!(error_of(res).await["code"], "invalid_body", "{why}");
    }
}

#[tokio::test]
async fn bad_reports_are_refused_naming_the_field() {
    // Given a station and a table of reports that must not reach its staff
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    let has = station.amenities[0].code.as_str();
    let lacks = yizhan_core::Amenity::ALL
        .into_iter()
        .find(|a| station.amenities.iter().all(|s| s.code != *a))
        .expect("an amenity the station lacks")
        .as_str();
    let cases = [
        (
            json!({"kind": "amenity_broken"}),
            422,
            "invalid_report",
            "amenity",
            "missing",
            "a broken amenity says which one, or staff cannot act",
        ),
        (
            json!({"kind": "amenity_broken", "amenity": lacks}),
            422,
            "invalid_report",
            "amenity",
            "unknown",
            "the station has no such amenity to be broken",
        ),
        (
            json!({"kind": "confirm", "amenity": has}),
            422,
            "invalid_report",
            "amenity",
            "invalid",
            "an amenity on a confirmation would read as a fault nobody reported",
        ),
        (
            json!({"kind": "other"}),
            422,
            "invalid_report",
            "text",
            "missing",
            "`other` is only useful with words",
        ),
        (
            json!({"kind": "other", "text": "   "}),
            422,
            "invalid_report",
            "text",
            "missing",
            "blanks are not words",
        ),
        (
            json!({"kind": "other", "text": "坏".repeat(501)}),
            422,
            "invalid_report",
            "text",
            "too_long",
            "501 characters is over the 500 limit",
        ),
        (
            json!({"kind": "closed"}),
            400,
            "invalid_body",
            "kind",
            "unknown",
            "not one of the kinds",
        ),
        (
            json!({"text": "hello"}),
            400,
            "invalid_body",
            "kind",
            "missing",
            "every report has a kind",
        ),
        (
            json!({"kind": "other", "text": 42}),
            400,
            "invalid_body",
            "text",
            "invalid",
            "text is a string",
        ),
        (
            json!({"kind": "amenity_broken", "amenity": "sauna"}),
            400,
            "invalid_body",
            "amenity",
            "unknown",
            "not an amenity code of the contract",
        ),
    ];
    for (body, status, code, field, problem, why) in cases {
        // When it is sent
        let res = report(&app, station.id.as_str(), &body, Some(DEVICE)).await;
        // Then it is refused with the field and what is wrong with it
        assert_eq!(res.status(), status, "{why}: {body}");
        let error = error_of(res).await;
        assert_eq!(error["code"], code, "{why}");
        assert_eq!(error["fields"][field], problem, "{why}: {error}");
        assert!(!error["message"].as_str().unwrap_or("").is_empty());
    }
    // And none of them counted against the device: a good report still goes through
    let res = report(
        &app,
        station.id.as_str(),
        &json!({"kind": "confirm"}),
        Some(DEVICE),
    )
    .await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn five_hundred_characters_of_text_are_accepted() {
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    let body = json!({"kind": "other", "text": "坏".repeat(500)});
    let res = report(&app, station.id.as_str(), &body, Some(DEVICE)).await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn a_huge_body_is_refused_413() {
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    let body = json!({"kind": "other", "text": "x".repeat(100_000)});
    let res = report(&app, station.id.as_str(), &body, Some(DEVICE)).await;
    assert_eq!(res.status(), 413);
    assert_eq!(error_of(res).await["code"], "payload_too_large");
}

#[tokio::test]
async fn a_report_on_an_unknown_station_is_404() {
    let app = TestApp::spawn().await;
    for station in ["bj-nowhere-0000", "NOT_AN_ID"] {
        let res = report(&app, station, &json!({"kind": "confirm"}), Some(DEVICE)).await;
        assert_eq!(res.status(), 404, "{station}");
        assert_eq!(error_of(res).await["code"], "not_found");
    }
}

#[tokio::test]
async fn a_malformed_device_id_is_refused_naming_the_header() {
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    for (device, why) in [
        ("short", "under 16 characters is too easy to collide"),
        ("spaces are not allowed in ids", "outside [A-Za-z0-9-]"),
    ] {
        let res = report(
            &app,
            station.id.as_str(),
            &json!({"kind": "confirm"}),
            Some(device),
        )
        .await;
        assert_eq!(res.status(), 400, "{why}");
        let error = error_of(res).await;
        assert_eq!(error["code"], "invalid_header");
        assert_eq!(error["fields"]["X-Device-Id"], "invalid", "{why}");
    }
}

#[tokio::test]
async fn one_report_per_device_per_station_per_hour() {
    // Given a device that has just reported on a station
    let app = TestApp::spawn().await;
    let list = stations(&app).await;
    let (first, second) = (list[0].id.as_str(), list[1].id.as_str());
    let res = report(
        &app,
        first,
        &json!({"kind": "closed_when_open"}),
        Some(DEVICE),
    )
    .await;
    assert_eq!(res.status(), 201);

    // When it reports on the same station again within the hour
    let res = report(&app, first, &json!({"kind": "confirm"}), Some(DEVICE)).await;

    // Then 429 says when to try again (just under an hour from now)
    assert_eq!(res.status(), 429);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((3500..=3600).contains(&retry), "{retry}");
    assert_eq!(
        res.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let error = error_of(res).await;
    assert_eq!(error["code"], "rate_limited");
    assert_eq!(error["message"], "次数太多了，请 60 分钟后再试。");

    // While another device on that station, and the same device on another station, get through
    let res = report(&app, first, &json!({"kind": "confirm"}), Some(OTHER_DEVICE)).await;
    assert_eq!(res.status(), 201, "another device");
    let res = report(&app, second, &json!({"kind": "confirm"}), Some(DEVICE)).await;
    assert_eq!(res.status(), 201, "another station");
}

#[tokio::test]
async fn errors_follow_the_requested_language() {
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    let path = format!("/api/v1/stations/{}/reports?lang=en", station.id);
    let res = post_raw(
        &app,
        &path,
        "application/json",
        r#"{"kind":"other"}"#,
        Some(DEVICE),
    )
    .await;
    assert_eq!(res.status(), 422);
    let error = error_of(res).await;
    assert_eq!(
        error["message"],
        "The report is incomplete or invalid; see the named fields."
    );
    assert_eq!(error["fields"]["text"], "missing");

    let res = app
        .client
        .post(format!(
            "{}/api/v1/stations/{}/reports",
            app.base, station.id
        ))
        .header("Content-Type", "text/plain")
        .header("Accept-Language", "en-GB,en;q=0.9")
        .body("confirm")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 415);
    assert_eq!(
        error_of(res).await["message"],
        "Only JSON (application/json) is accepted."
    );
}

#[tokio::test]
async fn one_address_may_send_thirty_reports_an_hour_however_many_devices_it_claims() {
    // Given one address (a shared carrier NAT) sending from 30 different devices
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    for n in 0..30 {
        let device = format!("nat-device-{n:08}");
        let res = report(
            &app,
            station.id.as_str(),
            &json!({"kind": "confirm"}),
            Some(&device),
        )
        .await;
        assert_eq!(res.status(), 201, "report {n}");
    }
    // When a 31st device at that address reports, even naming another client in X-Forwarded-For
    let res = app
        .client
        .post(format!(
            "{}/api/v1/stations/{}/reports",
            app.base, station.id
        ))
        .header("Content-Type", "application/json")
        .header("X-Device-Id", "nat-device-99999999")
        .header("X-Forwarded-For", "203.0.113.99")
        .body(r#"{"kind":"confirm"}"#)
        .send()
        .await
        .expect("request");
    // Then it must wait: the header is not believed from an untrusted peer
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_limited() {
    // Given a server behind a proxy at 127.0.0.1
    let app =
        TestApp::spawn_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")]).await;
    let station = a_station(&app).await;
    let send = |client: &'static str| {
        let req = app
            .client
            .post(format!(
                "{}/api/v1/stations/{}/reports",
                app.base, station.id
            ))
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", client)
            .body(r#"{"kind":"confirm"}"#);
        async move { req.send().await.expect("request").status() }
    };
    // When one client sends 30 reports through it
    for _ in 0..30 {
        assert_eq!(send("203.0.113.7").await, 201);
    }
    // Then its 31st waits, while another client behind the same proxy is served
    assert_eq!(send("203.0.113.7").await, 429);
    assert_eq!(send("203.0.113.8").await, 201);
}

#[tokio::test]
async fn the_endpoint_is_described_in_openapi() {
    let app = TestApp::spawn().await;
    let spec = app.get_json("/api/v1/openapi.json").await;
    let post = &spec["paths"]["/api/v1/stations/{id}/reports"]["post"];
    assert!(post.is_object(), "{}", spec["paths"]);
    for status in ["201", "400", "404", "413", "415", "422", "429"] {
        assert!(post["responses"][status].is_object(), "{status}");
    }
    assert!(spec["components"]["schemas"]["NewReport"].is_object());
}

/// POSTs a report with an `Idempotency-Key`, as the app's offline outbox does.
async fn report_with_key(
    app: &TestApp,
    station: &str,
    body: &Value,
    key: &str,
) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/stations/{station}/reports", app.base))
        .header("X-Device-Id", DEVICE)
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_retried_report_with_the_same_key_is_stored_once() {
    // Given a report sent from an outbox after the connection came back
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    let body = json!({"kind": "closed_when_open"});
    let key = "outbox-0123456789abcdef";
    let first = report_with_key(&app, station.id.as_str(), &body, key).await;
    assert_eq!(first.status(), 201);
    let first: ReportReceipt = first.json().await.expect("receipt");
    // When the same report is sent again with the same key (the first answer was lost)
    let again = report_with_key(&app, station.id.as_str(), &body, key).await;
    // Then it gets the first answer, not a rate-limit refusal or a second report
    assert_eq!(again.status(), 201);
    let again: ReportReceipt = again.json().await.expect("receipt");
    assert_eq!(again, first);
    // And a new report under a new key is refused by the hourly limit, so only one was stored
    let other = report_with_key(&app, station.id.as_str(), &body, "outbox-fedcba9876543210").await;
    assert_eq!(other.status(), 429);
}

#[tokio::test]
async fn a_malformed_idempotency_key_is_refused_naming_the_header() {
    let app = TestApp::spawn().await;
    let station = a_station(&app).await;
    let res = report_with_key(
        &app,
        station.id.as_str(),
        &json!({"kind": "confirm"}),
        "short",
    )
    .await;
    assert_eq!(res.status(), 400);
    let body = error_of(res).await;
    assert_eq!(body["fields"]["Idempotency-Key"], "invalid", "{body}");
}

#[tokio::test]
async fn riders_who_confirm_a_station_today_are_counted_once_each_and_faults_are_not() {
    // Given a station nobody has confirmed today
    let app = TestApp::spawn().await;
    let list = stations(&app).await;
    let (station, other) = (list[0].id.as_str(), list[1].id.as_str());
    let path = format!("/api/v1/stations/{station}/today");
    assert_eq!(
        app.get_json(&path).await,
        json!({"confirmed_by": 0, "visits": 0})
    );

    // When two riders say it is right, one of them twice, and a third reports a fault
    let yes = json!({"kind": "confirm"});
    for device in ["device-aaaaaaaaaaaaaaaa", "device-bbbbbbbbbbbbbbbb"] {
        assert_eq!(
            report(&app, station, &yes, Some(device)).await.status(),
            201
        );
    }
    let again = report(&app, station, &yes, Some("device-aaaaaaaaaaaaaaaa")).await;
    assert_eq!(again.status(), 429, "one a device per station per hour");
    let fault = json!({"kind": "closed_when_open"});
    assert_eq!(
        report(&app, station, &fault, Some("device-cccccccccccccccc"))
            .await
            .status(),
        201
    );

    // Then the station counts two riders today, and another station none
    let res = app.get(&path).await;
    assert_eq!(res.status(), 200);
    let etag = res.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(
        res.json::<Value>().await.expect("json"),
        json!({"confirmed_by": 2, "visits": 0})
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/stations/{other}/today"))
            .await,
        json!({"confirmed_by": 0, "visits": 0})
    );
    // And an unchanged count answers 304; an unknown station 404
    let same = app
        .client
        .get(format!("{}{path}", app.base))
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("request");
    assert_eq!(same.status(), 304);
    assert_eq!(
        app.get("/api/v1/stations/no-such/today").await.status(),
        404
    );
    // And yesterday's confirmations do not count today
    app.sql("UPDATE reports SET created_at = created_at - 86400")
        .await
        .expect("move to yesterday");
    assert_eq!(
        app.get_json(&path).await,
        json!({"confirmed_by": 0, "visits": 0})
    );
}

#[tokio::test]
async fn riders_confirmations_show_on_the_station_and_in_the_list_and_never_change_its_status() {
    // Given a station nobody has confirmed today, as a rider's page has it
    let app = TestApp::spawn().await;
    let list = stations(&app).await;
    let station = list[0].id.as_str();
    let path = format!("/api/v1/stations/{station}");
    let before = app.get(&path).await;
    let tag = before.headers()["etag"].to_str().expect("etag").to_owned();
    let before: Value = before.json().await.expect("json");
    assert!(before.get("confirmed_today").is_none(), "{before}");

    // When two riders say it is right, and a third reports a fault
    for device in ["device-aaaaaaaaaaaaaaaa", "device-bbbbbbbbbbbbbbbb"] {
        let res = report(&app, station, &json!({"kind": "confirm"}), Some(device)).await;
        assert_eq!(res.status(), 201);
    }
    let fault = json!({"kind": "closed_when_open"});
    let res = report(&app, station, &fault, Some("device-cccccccccccccccc")).await;
    assert_eq!(res.status(), 201);

    // Then the station says two riders confirmed it today, its status as it was
    let after = app
        .client
        .get(format!("{}{path}", app.base))
        .header("If-None-Match", &tag)
        .send()
        .await
        .expect("request");
    assert_eq!(after.status(), 200, "a new count is a new answer");
    let after: Value = after.json().await.expect("json");
    assert_eq!(after["confirmed_today"], 2, "{after}");
    assert_eq!(after["status"], before["status"]);
    // And so does its line in the list (a list asked for after the confirmations: a list
    // answer already made this minute shows them from the next minute)
    let listed = app
        .get_json(&format!("/api/v1/stations?q={}", list[0].name))
        .await;
    let line = listed["stations"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["id"] == station))
        .cloned()
        .expect("listed");
    assert_eq!(line["confirmed_today"], 2, "{line}");
    assert_eq!(line["status"], before["status"]);
    // And tomorrow the count starts again
    app.sql("UPDATE reports SET created_at = created_at - 86400")
        .await
        .expect("move to yesterday");
    let other_device = report(
        &app,
        station,
        &json!({"kind": "confirm"}),
        Some("device-dddddddddddddddd"),
    )
    .await;
    assert_eq!(other_device.status(), 201);
    assert_eq!(app.get_json(&path).await["confirmed_today"], 1);
}
