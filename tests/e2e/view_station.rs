//! Opening a station page directly (from a shared link or QR code), in both languages.

use crate::harness::{first_demo_station, AppServer, Browser};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn station_page_in_english_shows_hours_amenities_and_union() {
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    let station = first_demo_station();
    browser
        .client
        .goto(&server.url(&format!("/stations/{}?lang=en", station.id)))
        .await
        .expect("open");
    browser.wait_role("heading", &station.name).await;
    browser.wait_role("heading", "Amenities").await;
    browser.wait_role("heading", "Opening hours").await;
    browser.wait_role("heading", "Run by").await;
    browser.wait_text(&station.union.name).await;
    browser.wait_role("link", "Back to map").await;
    // Navigation hand-offs are https links that say the coordinates are WGS-84
    let amap = browser.wait_role("link", "Amap").await;
    let href = amap.attr("href").await.expect("href").unwrap_or_default();
    assert!(
        href.starts_with("https://uri.amap.com/marker?") && href.contains("coordinate=wgs84"),
        "{href}"
    );
    let baidu = browser.wait_role("link", "Baidu Maps").await;
    assert!(baidu
        .attr("href")
        .await
        .expect("href")
        .unwrap_or_default()
        .contains("coord_type=wgs84"));
    browser.wait_role("link", "中文").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_station_shows_a_translated_not_found_page() {
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    browser
        .client
        .goto(&server.url("/stations/bj-nowhere-0000"))
        .await
        .expect("open");
    browser.wait_text("没有找到这个驿站").await;
    browser
        .client
        .goto(&server.url("/stations/bj-nowhere-0000?lang=en"))
        .await
        .expect("open");
    browser.wait_text("No such station").await;
    browser
        .client
        .goto(&server.url("/no/such/page?lang=en"))
        .await
        .expect("open");
    browser.wait_role("heading", "Page not found").await;
}
