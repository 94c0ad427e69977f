//! A rider finds the nearest working station: with or without their position, with filters,
//! and from a shared link.

use fantoccini::Locator;
use yizhan_core::{LatLng, Timestamp};

use crate::harness::{wait_until, AppServer, Browser, STATIONS};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_location_still_gives_a_list_and_says_why() {
    // Given a phone that does not share its position (headless Chromium refuses by default)
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    // When the rider opens the map
    browser.client.goto(&server.url("/")).await.expect("open");
    // Then the page says it uses the city centre, and still lists stations
    browser.wait_role("note", "按市中心显示").await;
    browser.wait_station_count(STATIONS).await;
    browser.wait_listed_station().await;
    // (drawn a screenful at a time, each in a task of its own)
    wait_until(
        "the list to show 30",
        || async { browser.listed_names().await.len() },
        |n| *n == 30,
    )
    .await;
    // And that list is the one the page's shell named for the browser to fetch while the app
    // downloaded: fetched once, not again by the app
    let fetched = browser
        .client
        .execute(
            "return performance.getEntriesByType('resource') \
             .filter((e) => e.name.includes('/api/v1/stations?near=')) \
             .map((e) => e.initiatorType);",
            vec![],
        )
        .await
        .expect("resource timings");
    assert_eq!(fetched, serde_json::json!(["link"]));
    // And "show more" reaches further stations, so the list can stand in for the map
    browser
        .wait_role("button", "显示更多")
        .await
        .click()
        .await
        .expect("show more");
    wait_until(
        "the list to grow to 60",
        || async { browser.listed_names().await.len() },
        |n| *n == 60,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_draws_while_the_list_is_slow_to_come() {
    // Given a rider whose nearby list is slow to come (the map waits for it first, so the
    // list paints before the map's heavier start)
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    browser.hold_answers_from_start(&["near="]).await;
    browser.client.goto(&server.url("/")).await.expect("open");
    browser.wait_held_request().await;
    // Then the map does not wait for ever: it draws its stations from its own request
    browser
        .wait(
            "a count bubble on the map",
            Locator::XPath("//*[@role='img'][contains(@aria-label, '个驿站')]"),
        )
        .await;
    // And when the list comes, it shows
    browser.release_answers().await;
    browser.wait_listed_station().await;
    browser.wait_station_count(STATIONS).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_says_it_is_loading_until_the_map_draws() {
    const NOTE: &str = "正在打开地图和附近的驿站";
    // Given a phone whose browser has the page but not yet the app's code, as on a slow link
    // (here the code never comes: the server's copy of the app lacks its wasm)
    let partial = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(crate::harness::root().join("dist")).expect("dist") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_file() && !name.contains(".wasm") {
            std::fs::copy(&path, partial.path().join(name)).expect("copy");
        }
    }
    let dir = partial.path().to_owned();
    let stalled_server = AppServer::start_with(move |s| s.dist_dir = dir.clone()).await;
    let stalled = Browser::phone().await;
    stalled
        .client
        .goto(&stalled_server.url("/"))
        .await
        .expect("open");
    // Then the page already says what it is and that it is loading, rather than nothing
    stalled.wait_role("heading", "附近驿站").await;
    stalled.wait_role("status", NOTE).await;
    let server = AppServer::start().await;
    // And once the app runs, the note gives way to the stations
    let browser = Browser::phone().await;
    browser.client.goto(&server.url("/")).await.expect("open");
    browser.wait_listed_station().await;
    let text = browser
        .client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text");
    assert!(!text.contains(NOTE), "the loading note stayed: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rider_at_a_known_spot_sees_the_nearest_station_first() {
    // Given a rider standing 30 m from a demo station, with location shared
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    let stations = yizhan_server::demo::beijing(STATIONS, Timestamp::now(), 43_200).stations;
    let target = &stations[123];
    let me = LatLng::new(
        target.location.lat.get() + 0.0002,
        target.location.lng.get(),
    )
    .expect("point");
    let nearest = stations
        .iter()
        .min_by(|a, b| {
            me.distance_m(&a.location)
                .total_cmp(&me.distance_m(&b.location))
        })
        .expect("stations");
    browser.client.goto(&server.url("/")).await.expect("open");
    browser.fake_position(me.lat.get(), me.lng.get()).await;
    // When the page is opened again (it asks for the position once per visit)
    browser
        .client
        .goto(&server.url("/?lang=en"))
        .await
        .expect("open");
    browser
        .wait_role("status", &format!("{STATIONS} stations"))
        .await;
    // Then the nearest station heads the list
    wait_until(
        &format!("the nearest, {}, to head the list", nearest.name),
        || browser.listed_names(),
        |names| names.first() == Some(&nearest.name),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn microwave_and_open_now_filters_survive_a_shared_link() {
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    browser.client.goto(&server.url("/")).await.expect("open");
    browser.wait_station_count(STATIONS).await;

    // When the rider picks 热饭 (microwave) and 营业中 (open now)
    browser
        .wait_role("button", "热饭")
        .await
        .click()
        .await
        .expect("microwave chip");
    browser
        .wait_role("button", "营业中")
        .await
        .click()
        .await
        .expect("open-now chip");

    // Then the chips are pressed, fewer stations match, and every listed one fits
    browser
        .wait(
            "pressed microwave chip",
            Locator::XPath("//button[@aria-pressed='true'][normalize-space()='热饭']"),
        )
        .await;
    browser
        .wait(
            "pressed open-now chip",
            Locator::XPath("//button[@aria-pressed='true'][normalize-space()='营业中']"),
        )
        .await;
    let count = browser
        .wait(
            "a smaller count",
            Locator::XPath(&format!(
                "//*[@role='status'][not(contains(., '{STATIONS} '))][contains(., '个驿站')]"
            )),
        )
        .await
        .text()
        .await
        .expect("count");
    let unfit = browser
        .client
        .find_all(Locator::XPath(
            "//section[@aria-label='驿站列表']//ol/li[not(.//li[contains(@class,'amenity-ok') or contains(@class,'amenity-unknown')][contains(., '热饭')]) or .//*[normalize-space()='已关闭'] or .//*[normalize-space()='非营业时间']]",
        ))
        .await
        .expect("query");
    assert!(
        unfit.is_empty(),
        "{} listed stations do not fit the filters",
        unfit.len()
    );
    let url = browser.client.current_url().await.expect("url");
    assert!(
        url.query()
            .is_some_and(|q| q.contains("amenities=microwave") && q.contains("open_now=1")),
        "{url}"
    );

    // When the link is opened on another phone, the same view comes back
    let other = Browser::phone().await;
    other
        .client
        .goto(url.as_str())
        .await
        .expect("open shared link");
    other
        .wait(
            "pressed microwave chip",
            Locator::XPath("//button[@aria-pressed='true'][normalize-space()='热饭']"),
        )
        .await;
    other.wait_role("status", &count).await;
}
