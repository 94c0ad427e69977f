//! Staff requests at a national scale: scoped in SQL, never by listing every station.

use reqwest::Method;
use serde_json::json;

use crate::applications::station_of;
use crate::helpers::TestApp;
use crate::staff::{import, CSV_HEADER};

/// GETs `path` as `who`, printing how long it took (figures for docs/performance.md; the
/// targets live in benchmarks, not in assertions).
async fn timed(app: &TestApp, who: &crate::helpers::Session, path: &str) -> serde_json::Value {
    let started = std::time::Instant::now();
    let res = app.send_as(Method::GET, path, who).await;
    assert_eq!(res.status(), 200, "GET {path}");
    let body = res.json().await.expect("json");
    eprintln!("GET {path}: {:?}", started.elapsed());
    body
}

#[tokio::test]
async fn a_city_admin_of_100000_stations_reads_inbox_station_pages_accounts_and_imports() {
    // Given a city union with 100,000 stations (more than SQLite's 32,766 bound variables, which
    // a list of every station id in scope ran into) and a city admin
    let app = TestApp::spawn_with(|s| s.demo_stations = 100_000).await;
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
    timed(&app, &city, "/api/v1/manage/reports").await;

    // The coverage dashboard counts every station once, shows the first 500, and finds the
    // fault; its map and weekly chart draw (timings: docs/coverage.md, from this test's output)
    let coverage = timed(&app, &city, "/api/v1/admin/coverage").await;
    let counts = &coverage["counts"];
    let total: u64 = ["fresh", "stale", "closed", "faults"]
        .iter()
        .map(|k| counts[k].as_u64().expect("count"))
        .sum();
    assert_eq!(total, 100_000, "{counts}");
    assert_eq!(coverage["stations"].as_array().map(Vec::len), Some(500));
    assert!(counts["faults"].as_u64() >= Some(1), "{counts}");
    timed(
        &app,
        &city,
        "/api/v1/admin/coverage?state=stale&district=%E6%B5%B7%E6%B7%80%E5%8C%BA",
    )
    .await;
    timed(&app, &city, "/api/v1/admin/weekly").await;
    for path in [
        "/api/v1/admin/coverage.svg",
        "/api/v1/admin/weekly.svg?district=%E6%B5%B7%E6%B7%80%E5%8C%BA",
    ] {
        let started = std::time::Instant::now();
        let res = app.send_as(Method::GET, path, &city).await;
        assert_eq!(res.status(), 200, "{path}");
        let svg = res.text().await.expect("svg");
        assert!(
            svg.starts_with("<svg") || svg.starts_with("<?xml"),
            "{path}"
        );
        eprintln!("GET {path}: {:?}", started.elapsed());
    }

    // The station table comes a page at a time, every station exactly once
    let first = timed(&app, &city, "/api/v1/admin/stations").await;
    assert_eq!(first["total"], 100_000);
    assert_eq!(first["stations"].as_array().map(Vec::len), Some(500));
    let next = first["next"].as_str().expect("next").to_owned();
    let second = timed(
        &app,
        &city,
        &format!("/api/v1/admin/stations?after={next}&limit=1000"),
    )
    .await;
    let ids = |page: &serde_json::Value| -> Vec<String> {
        page["stations"]
            .as_array()
            .expect("stations")
            .iter()
            .map(|s| s["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let (a, b) = (ids(&first), ids(&second));
    assert_eq!(b.len(), 1000);
    assert!(
        b.iter().all(|id| !a.contains(id)),
        "a page never repeats the one before"
    );
    let bad = app
        .send_as(Method::GET, "/api/v1/admin/stations?limit=5000", &city)
        .await;
    assert_eq!(bad.status(), 400);
    // The admin's own page of /manage/stations is paged the same way
    let mine = timed(&app, &city, "/api/v1/manage/stations?limit=10").await;
    assert_eq!(mine["stations"].as_array().map(Vec::len), Some(10));
    assert!(mine["next"].is_string());

    // The accounts of the union and the unions below it
    let accounts = timed(&app, &city, "/api/v1/admin/accounts").await;
    let names: Vec<&str> = accounts["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["username"].as_str())
        .collect();
    assert!(
        names.contains(&"city-admin") && names.contains(&"wangjing-manager"),
        "{names:?}"
    );

    // An import naming two stations reads those two, and updates one of them
    let csv = format!(
        "{CSV_HEADER}{station},改名的驿站,海淀路 1 号,海淀区,bj-haidian,39.96,116.30,,24/7,,water,0\n\
         scale-new-1,新驿站,海淀路 2 号,海淀区,bj-haidian,39.97,116.31,,24/7,,,0\n"
    );
    let started = std::time::Instant::now();
    let res = import(&app, &city, "commit=1", csv).await;
    assert_eq!(res.status(), 200);
    eprintln!(
        "POST /api/v1/admin/import (2 rows): {:?}",
        started.elapsed()
    );
    let report: serde_json::Value = res.json().await.expect("json");
    assert_eq!(
        (&report["creates"], &report["updates"], &report["committed"]),
        (&json!(1), &json!(1), &json!(true)),
        "{report}"
    );
}
