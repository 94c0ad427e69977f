//! Moving between pages with the app's own router: Back and Forward show each page again, and
//! a link to the page already shown adds no history entry (Back then leaves the page rather
//! than showing it twice).

use crate::harness::{AppServer, Browser, STATIONS};
use crate::keep_status::admin_at;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_and_forward_show_the_map_and_the_station_again() {
    // Given a rider who opened a station from the nearby list
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    browser.client.goto(&server.url("/")).await.expect("open");
    browser.wait_station_count(STATIONS).await;
    browser.wait_listed_station().await;
    let first = browser.listed_names().await.remove(0);
    let link = browser.wait_role("link", &first).await;
    let href = link.attr("href").await.expect("href").unwrap_or_default();
    link.click().await.expect("open the station");
    let station_path = href.split('?').next().unwrap_or_default().to_owned();
    browser.wait_path(&station_path).await;
    browser.wait_role("heading", "服务设施").await;

    // When they go Back
    browser.client.back().await.expect("back");

    // Then the map's list is there again
    browser.wait_path("/").await;
    browser.wait_station_count(STATIONS).await;
    browser.wait_listed_station().await;

    // And Forward opens the station again
    browser.client.forward().await.expect("forward");
    browser.wait_path(&station_path).await;
    browser.wait_role("heading", "服务设施").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_the_page_already_shown_adds_no_history_entry() {
    // Given an admin who went from /admin to the station table
    let server = AppServer::start().await;
    let admin = admin_at(&server, "/admin").await;
    admin.wait_role("link", "驿站").await;
    admin.tap("link", "驿站").await;
    admin.wait_path("/admin/stations").await;

    // When they tap the same menu entry twice more
    admin.tap("link", "驿站").await;
    admin.tap("link", "驿站").await;
    admin.wait_path("/admin/stations").await;

    // Then one Back returns to /admin, not to the table again
    admin.client.back().await.expect("back");
    admin.wait_path("/admin").await;
    admin.wait_role("heading", "工会管理").await;
}
