//! Nothing lost under concurrent writers: managers and admins saving the same station at once
//! while riders send reports get 200 or 412, never a 500, and every 200 is one version.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::helpers::{Session, TestApp};

/// The station as an admin's edit form would send it back, renamed.
fn draft(station: &Value, name: &str) -> Value {
    json!({
        "id": station["id"], "name": name, "address": station["address"],
        "district": station["district"], "union_id": station["union"]["id"],
        "lat": station["location"]["lat"], "lng": station["location"]["lng"],
        "hours": station["hours"], "phone": station["phone"],
        "amenities": station["amenities"].as_array().expect("amenities").iter()
            .map(|a| a["code"].clone()).collect::<Vec<_>>(),
        "hidden": false,
    })
}

/// Reads the station (its ETag is its version), then saves it with that version: a status
/// from the manager's phone, or a record edit from the admin's desk.
async fn save(app: &TestApp, who: &Session, id: &str, i: usize, record: bool) -> u16 {
    let res = app.get(&format!("/api/v1/stations/{id}")).await;
    let etag = res.headers()["etag"].to_str().expect("etag").to_owned();
    let station: Value = res.json().await.expect("json");
    let req = if record {
        app.request(Method::PUT, &format!("/api/v1/admin/stations/{id}"), who)
            .json(&draft(&station, &format!("驿站 {i}")))
    } else {
        let state = if i.is_multiple_of(4) {
            "closed"
        } else {
            "open"
        };
        app.request(Method::PATCH, &format!("/api/v1/stations/{id}/status"), who)
            .json(&json!({"state": state, "notice": format!("第 {i} 次"), "amenities": []}))
    };
    req.header("If-Match", etag)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn fifty_writers_on_one_station_get_200_or_412_and_the_version_counts_every_200() {
    // Given a station its manager and its union's admin both keep
    let app = TestApp::spawn().await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let mine = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let id = mine["stations"][0]["id"].as_str().expect("id").to_owned();
    let first = app.get_json(&format!("/api/v1/stations/{id}")).await["version"]
        .as_u64()
        .expect("version");
    // When 25 status saves and 25 record edits arrive at once, while riders send reports
    let writes = (0..50usize).map(|i| {
        let (app, id) = (&app, id.as_str());
        let who = if i.is_multiple_of(2) {
            &manager
        } else {
            &admin
        };
        async move { save(app, who, id, i, !i.is_multiple_of(2)).await }
    });
    let reports = (0..20).map(|i| {
        let (app, id) = (&app, id.as_str());
        async move {
            app.client
                .post(format!("{}/api/v1/stations/{id}/reports", app.base))
                .header("X-Device-Id", format!("device-{i:016}"))
                .json(&json!({"kind": "other", "text": format!("报告 {i}")}))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    });
    let (writes, reports) = tokio::join!(join_all(writes), join_all(reports));
    // Then every save is either taken (200) or told someone was first (412), never a 500
    assert!(writes.iter().all(|s| *s == 200 || *s == 412), "{writes:?}");
    assert!(reports.iter().all(|s| *s == 201), "{reports:?}");
    // And the station's version moved once per 200
    let taken = writes.iter().filter(|s| **s == 200).count();
    assert!(taken >= 1);
    let last = app.get_json(&format!("/api/v1/stations/{id}")).await["version"]
        .as_u64()
        .expect("version");
    assert_eq!(last, first + u64::try_from(taken).expect("count"));
}
