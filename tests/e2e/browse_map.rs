//! A rider opens the map on a phone, taps a station and reaches its page.

use fantoccini::Locator;

use crate::harness::{first_demo_station, root, AppServer, Browser, STATIONS};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rider_taps_a_station_on_the_map_and_opens_its_page() {
    // Given the server with demo stations and a phone-sized browser
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    let station = first_demo_station();

    // When the rider opens the map of Beijing
    browser.client.goto(&server.url("/")).await.expect("open /");
    // Then the map is there and every station is loaded onto it, even with no tiles reachable
    browser.wait_role("heading", "附近驿站").await;
    browser
        .wait_role("status", &format!("{STATIONS} 个驿站"))
        .await;
    browser
        .wait(
            "the map",
            Locator::XPath("//*[@role='region'][@aria-label='驿站地图']//canvas"),
        )
        .await;
    // At city zoom dense areas are count bubbles, labelled for screen readers
    browser
        .wait(
            "a cluster bubble",
            Locator::XPath("//*[@role='img'][contains(@aria-label, '个驿站')]"),
        )
        .await;
    let png = browser.client.screenshot().await.expect("screenshot");
    std::fs::write(root().join("docs/screenshot-map.png"), png).expect("save screenshot");

    // When the rider zooms to a station (a shared link) and taps it
    let (lat, lng) = (station.location.lat.get(), station.location.lng.get());
    browser
        .client
        .goto(&server.url(&format!("/?lat={lat}&lng={lng}&zoom=18")))
        .await
        .expect("open link");
    browser
        .wait_role("status", &format!("{STATIONS} 个驿站"))
        .await;
    browser.tap_map_centre_for_popup().await;

    // Then its popup shows the name, amenities and a link to the details
    let popup_name = format!(
        "//div[contains(@class,'leaflet-popup')]//strong[normalize-space()='{}']",
        station.name
    );
    browser
        .wait("popup with the station name", Locator::XPath(&popup_name))
        .await;
    browser.wait("amenities in the popup", Locator::XPath("//div[contains(@class,'leaflet-popup')]//li[contains(., '饮水') or contains(., '充电')]")).await;
    browser
        .tap_link_to("查看详情", &format!("/stations/{}", station.id))
        .await;

    // And the station page opens at its contract URL
    browser
        .wait_path(&format!("/stations/{}", station.id))
        .await;
    browser.wait_role("heading", &station.name).await;
    browser.wait_role("heading", "服务设施").await;
    browser.wait_role("heading", "开放时间").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_link_parameters_are_named_in_a_hint_and_the_map_still_loads() {
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    browser
        .client
        .goto(&server.url("/?open_now=maybe&amenities=sauna&lang=en"))
        .await
        .expect("open");
    browser.wait_role("note", "amenities, open_now").await;
    browser
        .wait_role("status", &format!("{STATIONS} stations"))
        .await;
}
