//! The coverage dashboard: an admin finds the stale stations of one district and downloads the
//! week-by-week chart.

use fantoccini::Locator;
use yizhan_core::{StationState, Timestamp};

use crate::harness::{first_demo_station, AppServer, Browser};
use crate::keep_status::{admin_at, field, save_status};

/// Makes `id` stale: its manager last confirmed it two days ago, trusted for a day.
async fn make_stale(server: &AppServer, id: &str) {
    let now = Timestamp::now().unix();
    let write = yizhan_server::db::StatusWrite {
        state: StationState::Open,
        amenities: Vec::new(),
        notice: None,
        hours: None,
        confirmed_at: Timestamp::from_unix(now - 2 * 86_400),
        expires_at: Timestamp::from_unix(now - 86_400),
        idempotency: None,
    };
    save_status(server, id, write).await;
}

/// `GET url` with a cookie, as a download manager would: the status, the content type and the
/// body.
async fn get(url: &str, cookie: &str) -> (u16, String, String) {
    let res = reqwest::Client::new()
        .get(url)
        .header("Cookie", cookie)
        .send()
        .await
        .expect("answer");
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, content_type, res.text().await.expect("body"))
}

/// Chooses `option` in the select labelled `label`, once the option is there (the districts
/// arrive with the first answer).
async fn choose(browser: &Browser, label: &str, option: &str) {
    let select = field(browser, label).await;
    let xpath = format!(
        "//*[@id=//label[normalize-space()='{label}']/@for]/option[normalize-space()='{option}']"
    );
    browser
        .wait(&format!("the {option} option"), Locator::XPath(&xpath))
        .await;
    select.select_by_label(option).await.expect("choose");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_finds_the_stale_stations_of_a_district_and_downloads_the_chart() {
    // Given a station of the Chaoyang union whose status went stale
    let server = AppServer::start().await;
    let station = first_demo_station();
    make_stale(&server, station.id.as_str()).await;

    // When its admin signs in, opens 覆盖, and picks the station's district and 已过期
    let admin = admin_at(&server, "/admin").await;
    admin.tap("link", "覆盖").await;
    admin.wait_role("heading", "驿站覆盖").await;
    choose(&admin, "区", &station.district).await;
    choose(&admin, "状态", "已过期").await;

    // Then the station is in the table, its state in words, and every row is of that district
    let row = format!(
        "//table[caption]//tr[th[normalize-space()='{}']]",
        station.name
    );
    let found = admin
        .wait("the stale station's row", Locator::XPath(&row))
        .await;
    let cells = found.find_all(Locator::Css("td")).await.expect("cells");
    assert_eq!(cells[0].text().await.expect("district"), station.district);
    assert_eq!(cells[2].text().await.expect("state"), "已过期");
    let states = admin
        .client
        .find_all(Locator::XPath("//table[caption]/tbody/tr/td[3]"))
        .await
        .expect("states");
    for s in states {
        assert_eq!(s.text().await.expect("state"), "已过期");
    }
    let map = admin
        .wait(
            "the map",
            Locator::XPath("//img[starts-with(@alt, '驿站状态图')]"),
        )
        .await;
    let src = map.attr("src").await.expect("src").unwrap_or_default();
    assert!(src.contains("state=stale"), "{src}");

    // And the chart of that district downloads as an SVG image
    let link = admin.wait_role("link", "下载图表 (SVG)").await;
    let href = link.attr("href").await.expect("href").unwrap_or_default();
    assert!(
        href.starts_with("/api/v1/admin/weekly.svg?district="),
        "{href}"
    );
    admin.wait_role("link", "下载数据 (CSV)").await;
    let cookie = admin
        .client
        .get_named_cookie(yizhan_server::auth::COOKIE)
        .await
        .expect("session cookie");
    let (status, content_type, body) = get(
        &server.url(&href),
        &format!("{}={}", cookie.name(), cookie.value()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(content_type, "image/svg+xml");
    assert!(
        body.contains(&format!("每周数字 · {}", station.district)),
        "{body}"
    );

    // And the station's own chart downloads from its row
    let own = found
        .find(Locator::XPath(".//a[normalize-space()='图表 (SVG)']"))
        .await
        .expect("the row's chart link");
    let href = own.attr("href").await.expect("href").unwrap_or_default();
    assert!(
        href.starts_with(&format!("/api/v1/admin/weekly.svg?station={}", station.id)),
        "{href}"
    );
    let (status, content_type, body) = get(
        &server.url(&href),
        &format!("{}={}", cookie.name(), cookie.value()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(content_type, "image/svg+xml");
    assert!(body.contains("每周数字 · "), "{body}");
}
