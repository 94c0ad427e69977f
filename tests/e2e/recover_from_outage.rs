//! The server goes away while a rider is using the app: the page says so and retries.

use crate::harness::{first_demo_station, AppServer, Browser, STATIONS};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn station_page_shows_an_error_while_the_api_is_down_and_retry_recovers() {
    // Given a rider with the map loaded, zoomed to a station, its popup open
    let mut server = AppServer::start().await;
    let browser = Browser::phone().await;
    let station = first_demo_station();
    let (lat, lng) = (station.location.lat.get(), station.location.lng.get());
    browser
        .client
        .goto(&server.url(&format!("/?lat={lat}&lng={lng}&zoom=18")))
        .await
        .expect("open");
    browser.wait_station_count(STATIONS).await;
    // (the list comes first and the map's stations after, from a request of their own: the
    // popup opens once they are drawn)
    browser.tap_map_centre_for_popup().await;

    // When the server goes down and the rider opens the station from its popup
    server.stop().await;
    browser
        .tap_link_to("查看详情", &format!("/stations/{}", station.id))
        .await;

    // Then a visible error offers a retry
    browser.wait_role("alert", "网络不好").await;
    let retry = browser.wait_role("button", "重试").await;

    // When the server is back and the rider retries, the station shows
    server.resume().await;
    retry.click().await.expect("retry");
    browser.wait_role("heading", &station.name).await;
}
