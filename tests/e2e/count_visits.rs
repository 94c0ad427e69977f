//! "我到了": a rider at a station taps it and the union's count moves; a second tap within the
//! hour is not counted twice; with no signal the visit waits and is counted once it returns.

use yizhan_core::{StationId, Timestamp};

use crate::harness::{first_demo_station, wait_until, AppServer, Browser};

async fn visits_today(server: &AppServer, station: &StationId) -> u32 {
    server
        .db()
        .await
        .visits_since(station, Timestamp::now().beijing_midnight())
        .await
        .expect("visits")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rider_taps_im_here_online_and_offline_and_each_phone_counts_once() {
    // Given a rider on a station page
    let mut server = AppServer::start().await;
    let browser = Browser::phone().await;
    let station = first_demo_station();
    let page = server.url(&format!("/stations/{}", station.id));
    browser.client.goto(&page).await.expect("open");
    browser.wait_role("heading", &station.name).await;

    // When they tap 我到了, then tap it again
    browser.tap("button", "我到了").await;
    browser.wait_role("status", "已记录到站，谢谢").await;
    browser.tap("button", "我到了").await;
    browser.wait_role("status", "这一小时已经记过了").await;

    // Then the station's count for today moved by one
    assert_eq!(visits_today(&server, &station.id).await, 1);

    // When another rider, whose page is open, loses the signal and taps it
    let other = Browser::phone().await;
    other.client.goto(&page).await.expect("open");
    other.wait_role("heading", &station.name).await;
    server.stop().await;
    other.tap("button", "我到了").await;
    other.wait_role("status", "已保存，联网后会自动发送").await;

    // Then once the signal is back and the app opens again, it is counted, once
    server.resume().await;
    other.client.goto(&page).await.expect("reopen");
    other.wait_role("heading", &station.name).await;
    wait_until(
        "the waiting visit to be sent",
        || visits_today(&server, &station.id),
        |n| *n >= 2,
    )
    .await;
    other.client.refresh().await.expect("reload");
    other.wait_role("heading", &station.name).await;
    assert_eq!(visits_today(&server, &station.id).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_moves_the_unions_numbers_and_the_admin_downloads_them() {
    // Given a district union's admin looking at the numbers for the report
    let server = AppServer::start().await;
    let admin = crate::keep_status::admin_at(&server, "/admin").await;
    admin.wait_role("heading", "报告数字").await;
    let visits = "//tr[th[normalize-space()='服务人次（我到了）']]/td";
    let cell = admin
        .wait("the visits row", fantoccini::Locator::XPath(visits))
        .await;
    assert_eq!(cell.text().await.expect("text"), "0");

    // When a rider at one of its stations taps 我到了
    let rider = Browser::phone().await;
    let station = first_demo_station();
    rider
        .client
        .goto(&server.url(&format!("/stations/{}", station.id)))
        .await
        .expect("open");
    rider.tap("button", "我到了").await;
    rider.wait_role("status", "已记录到站，谢谢").await;

    // Then the admin's numbers count it, and the CSV to download is one link away
    admin.client.refresh().await.expect("reload");
    admin.wait_role("heading", "报告数字").await;
    wait_until(
        "the visit to show",
        || async {
            let cell = admin
                .wait("the visits row", fantoccini::Locator::XPath(visits))
                .await;
            cell.text().await.expect("text")
        },
        |n| n == "1",
    )
    .await;
    let csv = admin.wait_role("link", "下载 CSV").await;
    let href = csv.attr("href").await.expect("href").unwrap_or_default();
    assert!(href.starts_with("/api/v1/admin/numbers.csv?"), "{href}");
}
