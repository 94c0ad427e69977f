//! A rider opens the map on a phone, taps a station and reaches its page.

use fantoccini::Locator;

use crate::harness::{first_demo_station, root, wait_until, AppServer, Browser, STATIONS};

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
    browser.wait_station_count(STATIONS).await;
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
    browser.wait_station_count(STATIONS).await;
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

/// How many of the canvas's pixels are exactly `rgb` (an icon's fill: markers are drawn
/// see-through, so their fills never match).
async fn canvas_pixels(browser: &Browser, rgb: [u8; 3]) -> u64 {
    let script = "const c = document.querySelector('.leaflet-overlay-pane canvas');\
        if (!c) return 0;\
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;\
        let n = 0;\
        for (let i = 0; i < d.length; i += 4) {\
          if (d[i] === arguments[0] && d[i + 1] === arguments[1] && d[i + 2] === arguments[2]) n++;\
        }\
        return n;";
    let args = rgb.iter().map(|v| serde_json::json!(v)).collect();
    browser
        .client
        .execute(script, args)
        .await
        .expect("js")
        .as_u64()
        .unwrap_or(0)
}

/// The water drop's fill (web/amenity-icons.js).
const WATER_BLUE: [u8; 3] = [0x15, 0x65, 0xc0];

/// Waits until the canvas has a pixel of exactly `rgb`; fails saying `missing` after a while.
async fn wait_for_pixels(browser: &Browser, rgb: [u8; 3], missing: &str) {
    wait_until(missing, || canvas_pixels(browser, rgb), |n| *n > 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_street_zoom_each_station_shows_its_water_charging_and_microwave_as_icons() {
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    let station = first_demo_station();
    let (lat, lng) = (station.location.lat.get(), station.location.lng.get());
    let water = station.amenities.iter().any(|a| {
        a.code == yizhan_core::Amenity::Water && a.state != yizhan_core::AmenityState::OutOfOrder
    });
    assert!(water, "the first demo station has working water");
    let open_at = |zoom: u8| {
        let url = server.url(&format!("/?lat={lat}&lng={lng}&zoom={zoom}"));
        let browser = &browser;
        async move {
            browser.client.goto(&url).await.expect("open");
            browser.wait_station_count(STATIONS).await;
        }
    };
    // Given the map a few streets wide around a station with water
    open_at(16).await;
    // Then its marker shows the water drop (drawn in its blue on the map's canvas)
    wait_for_pixels(
        &browser,
        WATER_BLUE,
        "no water icon on the map at street zoom",
    )
    .await;
    // And zoomed out to the district, where markers are dense, no icons are drawn (once the
    // canvas shows the markers' white rims)
    open_at(13).await;
    wait_for_pixels(&browser, [0xff, 0xff, 0xff], "nothing drawn").await;
    assert_eq!(canvas_pixels(&browser, WATER_BLUE).await, 0);
}
