//! Moving between pages with the app's own router: Back and Forward show each page again, a
//! link to the page already shown adds no history entry (Back then leaves the page rather
//! than showing it twice), and a link to a spot on the page (`#…`) is the browser's to follow.

use fantoccini::key::Key;
use fantoccini::Locator;

use crate::harness::{wait_until, AppServer, Browser, STATIONS};
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keyboard_rider_skips_past_the_map_to_the_station_list() {
    // Given a rider on the map who moves with the keyboard (or a screen reader)
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    browser.client.goto(&server.url("/")).await.expect("open");
    browser.wait_station_count(STATIONS).await;
    browser.wait_listed_station().await;
    let skip = browser.wait_role("link", "跳到驿站列表").await;
    // (a mark on this document, which a reload or another page would not have)
    browser
        .client
        .execute("window.sameDocument = true;", vec![])
        .await
        .expect("mark the document");

    // When the first Tab reaches the skip link, which shows once focused
    browser.press(Key::Tab).await;
    let focused = browser.client.active_element().await.expect("focus");
    assert_eq!(
        focused.element_id(),
        skip.element_id(),
        "the first Tab did not reach the skip link: {:?}",
        focused.text().await
    );
    let (_, _, width, height) = skip.rectangle().await.expect("size");
    assert!(
        width > 20.0 && height > 20.0,
        "the focused skip link stayed hidden: {width}×{height}"
    );
    // And they press Enter on it
    browser.press(Key::Enter).await;

    // Then the address names the list, on the same page: the router neither swallowed the
    // fragment nor loaded a new document, and the map is still there
    let url = wait_until(
        "the address to gain #station-list",
        || async { browser.client.current_url().await.expect("url") },
        |u| u.fragment() == Some("station-list"),
    )
    .await;
    assert_eq!(url.path(), "/");
    let same = browser
        .client
        .execute("return window.sameDocument === true;", vec![])
        .await
        .expect("js");
    assert_eq!(same, serde_json::Value::Bool(true), "a new document loaded");
    browser
        .wait(
            "the map",
            Locator::XPath("//*[@role='region'][@aria-label='驿站地图']"),
        )
        .await;
    browser.wait_station_count(STATIONS).await;
    // And focus is on the list, in view, so the next Tab goes through its stations
    let focused = browser.client.active_element().await.expect("focus");
    assert_eq!(
        focused.attr("aria-label").await.expect("label").as_deref(),
        Some("驿站列表")
    );
    let in_view = browser
        .client
        .execute(
            "const r = document.activeElement.getBoundingClientRect(); \
             return r.top >= 0 && r.top < window.innerHeight;",
            vec![],
        )
        .await
        .expect("js");
    assert_eq!(
        in_view,
        serde_json::Value::Bool(true),
        "the list is out of view"
    );

    // And in English the link says so in English
    browser
        .client
        .goto(&server.url("/?lang=en"))
        .await
        .expect("open in English");
    browser.wait_role("link", "Skip to the station list").await;
}
