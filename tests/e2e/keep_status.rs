//! A station manager at the counter keeps the status true from a phone: signs in, closes the
//! station, marks the microwave broken, posts a notice — and riders see it, as text. When
//! someone else saved meanwhile, the manager sees both versions and chooses. Riders' reports
//! arrive in the inbox and the reply reaches the station page.

use fantoccini::Locator;
use yizhan_server::bootstrap::DEMO_MANAGER;

use crate::harness::{first_demo_station, AppServer, Browser};

/// The form control a `<label>` with this exact text names.
pub async fn field(browser: &Browser, label: &str) -> fantoccini::elements::Element {
    let xpath = format!("//*[@id=//label[normalize-space()='{label}']/@for]");
    browser
        .wait(
            &format!("the field labelled {label}"),
            Locator::XPath(&xpath),
        )
        .await
}

/// Types into the field labelled `label`, replacing what is there.
pub async fn fill(browser: &Browser, label: &str, text: &str) {
    let input = field(browser, label).await;
    input.clear().await.expect("clear");
    input.send_keys(text).await.expect("type");
}

/// Signs in on the staff sign-in form.
pub async fn sign_in(browser: &Browser, username: &str, password: &str) {
    browser.wait_role("heading", "请先登录").await;
    fill(browser, "用户名", username).await;
    fill(browser, "密码", password).await;
    browser
        .wait_role("button", "登录")
        .await
        .click()
        .await
        .expect("sign in");
}

/// Opens `path` in a desktop browser and signs in as the demo admin.
pub async fn admin_at(server: &AppServer, path: &str) -> Browser {
    let browser = Browser::open(1280, 900).await;
    browser.client.goto(&server.url(path)).await.expect("open");
    let (username, password) = yizhan_server::bootstrap::DEMO_ADMIN;
    sign_in(&browser, username, password).await;
    browser
}

/// Saves a status of station `id` as another phone would, straight through the database.
pub async fn save_status(server: &AppServer, id: &str, write: yizhan_server::db::StatusWrite) {
    let db = server.db().await;
    let station = db
        .admin_station(&yizhan_core::StationId::parse(id).expect("id"))
        .await
        .expect("db")
        .expect("station");
    let outcome = db
        .write_status(&station, station.station.version, &write, |_, _| {
            yizhan_server::db::AuditRecord {
                union_id: station.station.union.id.clone(),
                actor: "other-phone".into(),
                action: "station.status",
                entity: "station",
                entity_id: id.into(),
                before: None,
                after: None,
            }
        })
        .await
        .expect("write");
    assert!(matches!(
        outcome,
        yizhan_server::db::WriteOutcome::Written(..)
    ));
}

/// Saves the station status as another phone would, straight through the API.
async fn save_elsewhere(server: &AppServer, id: &str, notice: &str) {
    let write = yizhan_server::db::StatusWrite {
        state: yizhan_core::StationState::Open,
        amenities: Vec::new(),
        notice: Some(notice.into()),
        hours: None,
        confirmed_at: yizhan_core::Timestamp::now(),
        expires_at: yizhan_core::Timestamp::from_unix(yizhan_core::Timestamp::now().unix() + 3600),
        idempotency: None,
    };
    save_status(server, id, write).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_closes_the_station_and_marks_the_microwave_broken_from_a_phone() {
    let server = AppServer::start().await;
    let browser = Browser::phone().await;
    let station = first_demo_station();
    let id = station.id.as_str().to_owned();

    // Given the manager opens /manage on the phone and signs in
    browser
        .client
        .goto(&server.url("/manage"))
        .await
        .expect("open");
    sign_in(&browser, DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    browser.wait_role("heading", "我的驿站").await;
    // When they open their station, close it, switch the microwave off and post a notice
    let link = format!("//a[contains(normalize-space(), '{}')]", station.name);
    browser
        .wait("the station card", Locator::XPath(&link))
        .await
        .click()
        .await
        .expect("open station");
    browser.wait_path(&format!("/manage/stations/{id}")).await;
    browser.tap("button", "已关闭").await;
    let microwave = field(&browser, "微波炉").await;
    if microwave.prop("checked").await.expect("prop").as_deref() == Some("true") {
        microwave.click().await.expect("switch off");
    }
    let notice = "<script>alert(1)</script>微波炉维修中，周五恢复";
    fill(&browser, "公告", notice).await;
    browser.tap("button", "保存").await;
    // Then it is saved, and riders see the station closed, the microwave broken and the
    // notice as plain text
    browser.wait_text("已保存").await;
    let rider = Browser::phone().await;
    rider
        .client
        .goto(&server.url(&format!("/stations/{id}")))
        .await
        .expect("open");
    rider.wait_text(notice).await;
    rider
        .wait(
            "the microwave listed as broken",
            Locator::XPath("//ul[@class='amenities']/li[normalize-space()='热饭·暂停使用']"),
        )
        .await;
    let alerts = rider.client.get_alert_text().await;
    assert!(alerts.is_err(), "the notice ran as a script: {alerts:?}");

    // When another phone saves first, this phone's next save shows both versions
    save_elsewhere(&server, &id, "另一部手机写的").await;
    fill(&browser, "公告", "我这边的公告").await;
    browser.tap("button", "保存").await;
    browser.wait_text("别人刚刚改过这个驿站").await;
    browser.wait_text("另一部手机写的").await;
    // And the manager keeps their own
    browser.tap("button", "用我的").await;
    browser.wait_text("已保存").await;
    rider
        .client
        .goto(&server.url(&format!("/stations/{id}")))
        .await
        .expect("reload");
    rider.wait_text("我这边的公告").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_answers_a_riders_report_and_riders_see_the_reply() {
    let server = AppServer::start().await;
    let station = first_demo_station();
    let id = station.id.as_str().to_owned();
    // Given a rider reported something at the station
    let db = server.db().await;
    let report = yizhan_server::db::ReportRow {
        station: &station.id,
        kind: yizhan_core::ReportKind::Other,
        amenity: None,
        text: Some("门口有积水"),
        device_hash: None,
        address_hash: "e2e",
        created_at: yizhan_core::Timestamp::now(),
        idempotency_key: None,
        tell: &[],
    };
    let limits = yizhan_server::db::ReportLimits {
        since: yizhan_core::Timestamp::from_unix(0),
        per_device_and_station: 10,
        per_address: 10,
    };
    db.insert_report(&report, limits)
        .await
        .expect("db")
        .expect("stored");
    // When the manager opens the station's page and answers it
    let browser = Browser::phone().await;
    browser
        .client
        .goto(&server.url(&format!("/manage/stations/{id}")))
        .await
        .expect("open");
    sign_in(&browser, DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    browser.wait_role("heading", "骑手报告").await;
    browser.wait_text("门口有积水").await;
    fill(&browser, "回复", "已经清理干净了").await;
    browser.tap("button", "标记已处理").await;
    browser.wait_text("已处理").await;
    // Then riders see the reply on the station page
    let rider = Browser::phone().await;
    rider
        .client
        .goto(&server.url(&format!("/stations/{id}")))
        .await
        .expect("open");
    rider.wait_role("heading", "站长回复").await;
    rider.wait_text("已经清理干净了").await;
}
