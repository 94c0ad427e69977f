//! Searching the map's list by name: the list shows the search made last, even when the
//! network answers an earlier one after it.

use fantoccini::Locator;
use yizhan_core::{Station, StationFilter, Timestamp};

use crate::harness::{wait_until, AppServer, Browser, STATIONS};
use crate::keep_status::fill;

/// Whether searching for `q` lists `s` (the server's own rule).
fn finds(q: &str, s: &Station) -> bool {
    StationFilter {
        q: Some(q.to_owned()),
        ..StationFilter::default()
    }
    .matches(s, Timestamp::now())
}

/// Types `text` into the search box and sends it.
async fn search(browser: &Browser, text: &str) {
    fill(browser, "搜索", text).await;
    browser.tap("button", "搜索").await;
}

/// Regression: an answer for a search the rider has already replaced must not overwrite the
/// list now shown (`shared::load::Latest` drops answers to requests no longer the latest).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_answer_to_an_earlier_search_does_not_replace_the_later_ones_list() {
    // Given a rider on the map, and two stations neither of whose names finds the other
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    browser.client.goto(&server.url("/")).await.expect("open");
    browser.wait_station_count(STATIONS).await;
    let stations = yizhan_server::demo::beijing(STATIONS, Timestamp::now(), 43_200).stations;
    let first = &stations[0];
    let second = stations
        .iter()
        .find(|s| s.district != first.district && !finds(&first.name, s) && !finds(&s.name, first))
        .expect("a station the first one's name does not find");
    let found = stations.iter().filter(|s| finds(&second.name, s)).count();

    // When they search for the first, and the list's answer is slow to come
    browser
        .hold_answers(&[&format!("q={}", first.name), "near="])
        .await;
    search(&browser, &first.name).await;
    browser.wait_held_request().await;
    // And search for the second meanwhile, whose answer comes at once
    search(&browser, &second.name).await;
    wait_until(
        &format!("the list to show {} and not {}", second.name, first.name),
        || browser.listed_names(),
        |names| names.contains(&second.name) && !names.contains(&first.name),
    )
    .await;

    // Then, once the answer to the first search arrives after all
    browser.release_answers().await;

    // The list and its count still show the second search
    let names = browser.listed_names().await;
    assert!(names.contains(&second.name), "{names:?}");
    assert!(
        !names.contains(&first.name),
        "the late answer replaced the list: {names:?}"
    );
    let count = browser
        .client
        .find(Locator::XPath("//*[@role='status'][contains(., '个驿站')]"))
        .await
        .expect("the count")
        .text()
        .await
        .expect("text");
    assert_eq!(count, format!("{found} 个驿站"));
}
