//! Staff requests at a national scale: scoped in SQL, never by listing every station.

use reqwest::Method;
use serde_json::json;

use crate::applications::station_of;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_city_admins_inbox_answers_with_forty_thousand_stations_in_scope() {
    // Given a city union with 40,000 stations (more than SQLite's 32,766 bound variables, which
    // a list of every station id in scope ran into) and a city admin
    let app = TestApp::spawn_with(|s| s.demo_stations = 40_000).await;
    app.create_admin("bj", "city-admin", "a long enough password")
        .await;
    let city = app.sign_in("city-admin", "a long enough password").await;
    // When a rider reports a fault at one of them
    let station = station_of(&app, "bj-haidian").await;
    let res = app
        .client
        .post(format!("{}/api/v1/stations/{station}/reports", app.base))
        .json(&json!({"kind": "other", "text": "门锁坏了"}))
        .send()
        .await
        .expect("report");
    assert_eq!(res.status(), 201);
    // Then the city admin's inbox answers, with the report
    let res = app
        .send_as(Method::GET, "/api/v1/manage/reports", &city)
        .await;
    assert_eq!(res.status(), 200);
    let inbox: serde_json::Value = res.json().await.expect("json");
    assert_eq!(inbox["reports"][0]["text"], "门锁坏了");
    // And filtered to that station, and to a station with none
    let one = app
        .json_as(
            Method::GET,
            &format!("/api/v1/manage/reports?station={station}"),
            &city,
        )
        .await;
    assert_eq!(one["reports"].as_array().map(Vec::len), Some(1));
    let other = station_of(&app, "bj-chaoyang").await;
    let none = app
        .json_as(
            Method::GET,
            &format!("/api/v1/manage/reports?station={other}"),
            &city,
        )
        .await;
    assert_eq!(none["reports"].as_array().map(Vec::len), Some(0));
}
