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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn riders_who_confirm_a_station_today_are_counted_on_it_and_in_the_list() {
    let server = AppServer::start().await;
    let station = first_demo_station();
    // Given another rider's phone confirmed the station today
    let res = reqwest::Client::new()
        .post(server.url(&format!("/api/v1/stations/{}/reports", station.id)))
        .header("Content-Type", "application/json")
        .header(
            yizhan_core::report::DEVICE_ID_HEADER,
            "device-aaaaaaaaaaaaaaaa",
        )
        .body(r#"{"kind":"confirm"}"#)
        .send()
        .await
        .expect("confirm");
    assert_eq!(res.status(), 201);
    let browser = Browser::phone().await;
    let page = server.url(&format!("/stations/{}", station.id));
    browser.client.goto(&page).await.expect("open");
    browser.wait_role("heading", &station.name).await;
    browser.wait_text("今天 1 位骑手确认").await;

    // When this rider says it is right too
    browser.tap("button", "准确").await;
    browser.wait_text("谢谢确认").await;

    // Then the station counts two riders today
    browser.client.goto(&page).await.expect("reopen");
    browser.wait_text("今天 2 位骑手确认").await;
    // And so does its line in the nearby list
    browser
        .fake_position(station.location.lat.get(), station.location.lng.get())
        .await;
    browser.client.goto(&server.url("/")).await.expect("map");
    browser.wait_listed_station().await;
    browser.wait_text("今天 2 位骑手确认").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_public_holiday_a_station_closed_on_holidays_marks_its_holiday_line() {
    // Given a deployment whose holiday list makes today a holiday, and a station that closes
    // on public holidays (its hours say `PH off`)
    let today = yizhan_core::Timestamp::now().beijing();
    let list = format!("off {:04}-{:02}-{:02}", today.year, today.month, today.day);
    let server = AppServer::start_with(move |s| {
        s.holidays =
            std::sync::Arc::new(yizhan_core::holidays::Holidays::parse(&list).expect("holidays"));
    })
    .await;
    let station = yizhan_server::demo::beijing(
        crate::harness::STATIONS,
        yizhan_core::Timestamp::now(),
        43_200,
    )
    .stations
    .into_iter()
    .find(|s| s.hours.as_str().contains("PH off"))
    .expect("a station closed on holidays");
    let browser = Browser::phone().await;
    browser
        .client
        .goto(&server.url(&format!("/stations/{}", station.id)))
        .await
        .expect("open");
    browser.wait_role("heading", &station.name).await;
    // Then its week table has a line for public holidays, marked as today's, and it is closed
    browser
        .wait(
            "today's line is the holiday's",
            fantoccini::Locator::XPath(
                "//table[@class='week']//tr[contains(@class,'today')]/th[normalize-space()='节假日']/../td[normalize-space()='休息']",
            ),
        )
        .await;
    browser.wait_text("按时间已打烊").await;
}
