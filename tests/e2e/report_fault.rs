//! A rider tells the station's staff something is wrong: a broken amenity, once an hour.

use fantoccini::Locator;

use crate::harness::{first_demo_station, wait_until, AppServer, Browser};

/// Taps the "no" button (`no`), then picks `choice` in the group whose legend is `question`.
async fn open_fault_form(browser: &Browser, no: &str, question: &str, choice: &str) {
    browser
        .wait_role("button", no)
        .await
        .click()
        .await
        .expect("tap no");
    let xpath = format!(
        "//fieldset[legend[normalize-space()='{question}']]//label[normalize-space()='{choice}']"
    );
    browser
        .wait(&format!("the {choice} choice"), Locator::XPath(&xpath))
        .await
        .click()
        .await
        .expect("choose");
}

/// Opens the fault form on the station page and reports `amenity` (its Chinese name) broken.
pub async fn report_broken(browser: &Browser, amenity: &str) {
    browser.wait_role("heading", "信息准确吗？").await;
    open_fault_form(browser, "不对", "哪里不对？", "设施坏了").await;
    let select = browser
        .wait(
            "the select labelled 哪个设施",
            Locator::XPath("//select[@id=//label[normalize-space()='哪个设施']/@for]"),
        )
        .await;
    select
        .select_by_label(amenity)
        .await
        .expect("pick the amenity");
    browser
        .wait_role("button", "提交")
        .await
        .click()
        .await
        .expect("submit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rider_reports_a_broken_amenity_and_cannot_repeat_it_within_the_hour() {
    // Given a rider on a station page (opened from its QR code)
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    let station = first_demo_station();
    // The journey reports the microwave (热饭), so it must be one the station has.
    assert!(
        station
            .amenities
            .iter()
            .any(|a| a.code == yizhan_core::Amenity::Microwave),
        "the first demo station has no microwave any more: pick one of {:?}",
        station.amenities
    );
    let page = server.url(&format!("/stations/{}", station.id));
    browser.client.goto(&page).await.expect("open");

    // When they say the page is wrong and report the amenity broken
    report_broken(&browser, "热饭").await;

    // Then the staff have it
    browser.wait_role("status", "已收到，站长会尽快处理").await;

    // When they come back and report it again within the hour
    browser.client.goto(&page).await.expect("reopen");
    report_broken(&browser, "热饭").await;

    // Then the app says it already has their report
    browser.wait_role("status", "一小时内已经报告过了").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rider_keeps_what_they_wrote_when_the_report_cannot_be_sent() {
    // Given a rider with the fault form open on a station page, in English
    let mut server = AppServer::start().await;
    let browser = Browser::phone().await;
    let station = first_demo_station();
    browser
        .client
        .goto(&server.url(&format!("/stations/{}?lang=en", station.id)))
        .await
        .expect("open");
    open_fault_form(&browser, "No", "What is wrong?", "Something else").await;

    // When they send it without saying anything, the field says what is missing
    browser
        .wait_role("button", "Send")
        .await
        .click()
        .await
        .expect("send");
    browser.wait_text("Say what is wrong").await;

    // When they write something, the count follows
    let details = browser
        .wait(
            "the textarea labelled Details",
            Locator::XPath("//textarea[@id=//label[normalize-space()='Details']/@for]"),
        )
        .await;
    let words = "The door code on the poster is wrong";
    details.send_keys(words).await.expect("type");
    browser
        .wait_text(&format!("{}/500", words.chars().count()))
        .await;

    // And the server is down when they send it
    server.stop().await;
    browser
        .wait_role("button", "Send")
        .await
        .click()
        .await
        .expect("send");

    // Then a translated error shows and their words are still there
    browser.wait_role("alert", "Could not send").await;
    assert_eq!(
        details.prop("value").await.expect("value").as_deref(),
        Some(words)
    );

    // When the server is back and they send again, the staff have it
    server.resume().await;
    browser
        .wait_role("button", "Send")
        .await
        .click()
        .await
        .expect("send again");
    browser
        .wait_role("status", "Received — the station staff will look into it")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_made_offline_is_sent_once_when_the_connection_returns() {
    // Given a rider on a station page whose connection drops (the server cannot be reached)
    let mut server = AppServer::start().await;
    let browser = Browser::phone().await;
    let station = first_demo_station();
    let page = server.url(&format!("/stations/{}", station.id));
    browser.client.goto(&page).await.expect("open");
    browser.wait_role("heading", &station.name).await;
    server.stop().await;

    // When they report the broken microwave, and press send twice for good measure
    report_broken(&browser, "热饭").await;
    browser
        .wait_role("alert", "报告已保存，联网后会自动发送")
        .await;
    browser
        .wait_role("button", "提交")
        .await
        .click()
        .await
        .expect("send again");
    browser
        .wait_role("alert", "报告已保存，联网后会自动发送")
        .await;

    // Then, once the connection is back and the map is opened again, the outbox sends it once
    // (the map's own bundle, which has none of the report form's code)
    server.resume().await;
    browser.client.goto(&server.url("/")).await.expect("reopen");
    browser.wait_role("heading", "附近驿站").await;
    let db = server.db().await;
    let stored = wait_until(
        "the outbox to send the report",
        || async { db.reports_for_station(&station.id).await.expect("reports") },
        |stored| !stored.is_empty(),
    )
    .await;
    assert_eq!(stored.len(), 1, "the report was stored more than once");
    assert_eq!(stored[0].amenity, Some(yizhan_core::Amenity::Microwave));
    // And the outbox is empty: opening the station again sends nothing more
    browser
        .client
        .goto(&page)
        .await
        .expect("reopen the station");
    browser.wait_role("heading", &station.name).await;
    let left = browser
        .client
        .execute("return localStorage.getItem('yizhan.waiting')", vec![])
        .await
        .expect("js");
    assert_eq!(left, serde_json::json!(""));
    assert_eq!(
        db.reports_for_station(&station.id)
            .await
            .expect("reports")
            .len(),
        1
    );
}
