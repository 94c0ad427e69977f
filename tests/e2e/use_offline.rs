//! No signal: a rider who has opened the app before still sees stations, and is told how old
//! they are.

use crate::harness::{AppServer, Browser, STATIONS};

/// A server, and a phone that has opened the map with signal and whose service worker runs.
async fn map_opened_once() -> (AppServer, Browser) {
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    browser.client.goto(&server.url("/")).await.expect("open");
    browser.wait_station_count(STATIONS).await;
    browser.wait_service_worker().await;
    (server, browser)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_reload_still_shows_the_last_stations_with_their_age() {
    // Given a rider who opened the map once with signal
    let (mut server, browser) = map_opened_once().await;
    // The worker kept the app's code when it installed, before any reload went through it
    let kept = cached_paths(&browser).await;
    for ending in ["_bg.wasm", ".css"] {
        assert!(
            kept.iter().any(|p| p.ends_with(ending)),
            "the worker did not keep a {ending} at install: {kept:?}"
        );
    }
    browser.client.refresh().await.expect("reload with signal");
    browser.wait_station_count(STATIONS).await;
    let names = browser.listed_names().await;
    assert!(!names.is_empty());

    // When the signal is gone and the page is reloaded
    server.stop().await;
    browser.client.refresh().await.expect("reload offline");

    // Then the same stations show, with a note that the data is from before
    browser
        .wait_role("note", "没有网络，显示的是之前加载的驿站")
        .await;
    browser.wait_station_count(STATIONS).await;
    browser.wait_listed_station().await;
    assert_eq!(browser.listed_names().await.first(), names.first());
}

/// Every URL path the service worker's caches hold.
async fn cached_paths(browser: &Browser) -> Vec<String> {
    let kept = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             caches.keys()
               .then((names) => Promise.all(names.map((n) => caches.open(n).then((c) => c.keys()))))
               .then((lists) => done(lists.flat().map((r) => new URL(r.url).pathname)));",
            vec![],
        )
        .await
        .expect("cache keys");
    serde_json::from_value(kept).expect("paths")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_that_are_not_the_app_never_replace_the_offline_map() {
    // Given a rider who opened the map with signal
    let (mut server, browser) = map_opened_once().await;
    // (and once more, now through the worker, which keeps the stations seen)
    browser.client.refresh().await.expect("reload with signal");
    browser.wait_station_count(STATIONS).await;
    // And who, signed in as union staff in the same browser, fetched the applicants' export
    let fetched = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/api/v1/session', {method: 'POST', headers: {'Content-Type': 'application/json'},
                   body: JSON.stringify({username: arguments[0], password: arguments[1]})})
               .then(() => fetch('/api/v1/admin/applications/export.csv'))
               .then((r) => done(r.status), () => done(0));",
            vec![
                serde_json::json!(yizhan_server::bootstrap::DEMO_ADMIN.0),
                serde_json::json!(yizhan_server::bootstrap::DEMO_ADMIN.1),
            ],
        )
        .await
        .expect("export");
    assert_eq!(fetched, serde_json::json!(200));
    // And then opened, in the same browser, the API docs, the GeoJSON feed and a poster
    let station = crate::harness::first_demo_station();
    for path in [
        "/api/docs".to_owned(),
        "/api/v1/stations.geojson".to_owned(),
        format!("/api/v1/stations/{}/poster.svg", station.id),
    ] {
        browser.client.goto(&server.url(&path)).await.expect("open");
        browser.wait_path(&path).await;
    }
    // Then none of them is kept by the service worker
    let kept = cached_paths(&browser).await;
    for path in [
        "/api/docs",
        "/api/v1/stations.geojson",
        "poster.svg",
        "export.csv",
        "/api/v1/session",
    ] {
        assert!(
            !kept.iter().any(|p| p.ends_with(path)),
            "{path} was kept: {kept:?}"
        );
    }
    // When the signal is gone and the rider opens the map again
    server.stop().await;
    browser
        .client
        .goto(&server.url("/"))
        .await
        .expect("open offline");
    // Then they get the map with its stations, not the last page they looked at
    browser.wait_station_count(STATIONS).await;
    browser.wait_listed_station().await;
}
