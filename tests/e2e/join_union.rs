//! A rider joins the union from a station's poster: scans its code with the phone's camera, fills
//! the form (fixing a mistake without retyping), agrees to the data notice, and follows the
//! application; an application made with no signal is sent exactly once when the signal returns.

use std::io::Write;

use fantoccini::Locator;

use crate::harness::{first_demo_station, AppServer, Browser};
use crate::keep_status::fill;

async fn by_id(browser: &Browser, id: &str) -> fantoccini::elements::Element {
    browser
        .wait(&format!("#{id}"), Locator::Css(&format!("#{id}")))
        .await
}

/// Fills the first step for 王小明, a Meituan rider, with `phone`, and goes on to the notice.
async fn fill_details(browser: &Browser, name: &str, phone: &str) {
    browser.wait_role("heading", "申请加入工会").await;
    fill(browser, "姓名", name).await;
    fill(browser, "手机号", phone).await;
    by_id(browser, "join-employer-meituan")
        .await
        .click()
        .await
        .expect("meituan");
    by_id(browser, "join-occupation-food_delivery")
        .await
        .click()
        .await
        .expect("rider");
    fill(browser, "工作区域", "朝阳区").await;
    browser.tap("button", "下一步").await;
}

/// Stored applications, all unions.
async fn stored(server: &AppServer) -> Vec<yizhan_core::ApplicationRecord> {
    let db = server.db().await;
    let unions = db
        .unions()
        .await
        .expect("unions")
        .into_iter()
        .map(|u| u.id)
        .collect();
    db.applications(&yizhan_server::db::ApplicationFilter {
        unions,
        limit: 100,
        ..Default::default()
    })
    .await
    .expect("applications")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rider_fixes_a_mistake_without_retyping_then_follows_and_withdraws() {
    let server = AppServer::start().await;
    let station = first_demo_station();
    let browser = Browser::phone().await;
    browser
        .client
        .goto(&server.url(&format!("/join?station={}", station.id)))
        .await
        .expect("open");
    browser.wait_text(&station.union.name).await;
    // A one-character name and a short phone number: both named, nothing lost
    fill_details(&browser, "王", "1380013").await;
    by_id(&browser, "join-name-error").await;
    by_id(&browser, "join-phone-error").await;
    let phone = by_id(&browser, "join-phone").await;
    assert_eq!(
        phone.prop("value").await.expect("value").as_deref(),
        Some("1380013")
    );
    let work = by_id(&browser, "join-work-district").await;
    assert_eq!(
        work.prop("value").await.expect("value").as_deref(),
        Some("朝阳区"),
        "what was typed stays"
    );
    // Fix the two fields only
    fill(&browser, "姓名", "王小明").await;
    fill(&browser, "手机号", "13800138000").await;
    browser.tap("button", "下一步").await;
    // The data notice is its own step; nothing is sent without the tick
    browser.wait_role("heading", "个人信息使用说明").await;
    by_id(&browser, "join-consent")
        .await
        .click()
        .await
        .expect("agree");
    browser.tap("button", "提交申请").await;
    browser.wait_text("请截图保存申请编号").await;
    let reference = by_id(&browser, "join-reference")
        .await
        .text()
        .await
        .expect("reference");
    assert!(
        reference.len() == 12 && reference.as_bytes()[2] == b'-',
        "{reference}"
    );
    let saved = stored(&server).await;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].name, "王小明");
    // Under the receipt, what the union offers, starting with the 12351 hotline
    browser.wait_role("heading", "工会服务").await;
    browser.wait_role("link", "12351").await;

    // Following it: reference and phone, then withdrawing
    browser.tap("link", "查询进度").await;
    browser.wait_role("heading", "查询申请进度").await;
    fill(&browser, "申请编号", &reference).await;
    fill(&browser, "手机号", "13800138000").await;
    browser.tap("button", "查询").await;
    let now = by_id(&browser, "status-now").await;
    assert_eq!(now.text().await.expect("text"), "已提交");
    assert!(
        !browser
            .client
            .current_url()
            .await
            .expect("url")
            .as_str()
            .contains("13800138000"),
        "the phone never goes into a URL"
    );
    browser.tap("button", "撤回申请").await;
    browser.tap("button", "确认撤回").await;
    browser
        .wait(
            "the withdrawn status",
            Locator::XPath("//*[@id='status-now'][normalize-space()='已撤回']"),
        )
        .await;
    let saved = stored(&server).await;
    assert_eq!(saved[0].name, "", "personal fields are erased");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_made_with_no_signal_is_sent_once_when_it_returns() {
    let mut server = AppServer::start().await;
    let station = first_demo_station();
    let browser = Browser::phone().await;
    browser
        .client
        .goto(&server.url(&format!("/join?station={}", station.id)))
        .await
        .expect("open");
    fill_details(&browser, "李四", "13912345678").await;
    browser.wait_role("heading", "个人信息使用说明").await;
    by_id(&browser, "join-consent")
        .await
        .click()
        .await
        .expect("agree");
    // The signal drops just as the rider submits
    server.stop().await;
    browser.tap("button", "提交申请").await;
    browser.wait_text("等待发送：有网络后会自动提交").await;
    // It comes back; the waiting application goes out
    server.resume().await;
    browser.tap("button", "现在重试").await;
    browser.wait_text("请截图保存申请编号").await;
    // Opening the page again sends nothing more
    browser
        .client
        .goto(&server.url(&format!("/join?station={}", station.id)))
        .await
        .expect("reopen");
    browser.wait_role("heading", "申请加入工会").await;
    let saved = stored(&server).await;
    assert_eq!(saved.len(), 1, "exactly one application");
    assert_eq!(saved[0].name, "李四");
}

/// A Y4M video (what Chromium's fake camera plays) showing `text` as a QR code.
fn qr_video(dir: &tempfile::TempDir, text: &str) -> String {
    let modules = yizhan_server::poster::qr_modules(text);
    let (w, h) = (640usize, 480usize);
    let n = modules.len();
    let scale = 400 / (n + 8);
    let size = (n + 8) * scale;
    let (x0, y0) = ((w - size) / 2, (h - size) / 2);
    let mut y_plane = vec![235u8; w * h];
    for (r, row) in modules.iter().enumerate() {
        for (c, dark) in row.iter().enumerate() {
            if *dark {
                for dy in 0..scale {
                    for dx in 0..scale {
                        let x = x0 + (c + 4) * scale + dx;
                        let y = y0 + (r + 4) * scale + dy;
                        y_plane[y * w + x] = 16;
                    }
                }
            }
        }
    }
    let path = dir.path().join("poster.y4m");
    let mut f = std::fs::File::create(&path).expect("video file");
    writeln!(f, "YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg").expect("header");
    for _ in 0..5 {
        f.write_all(b"FRAME\n").expect("frame");
        f.write_all(&y_plane).expect("luma");
        f.write_all(&vec![128u8; w * h / 2]).expect("chroma");
    }
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scanning_the_posters_code_opens_the_join_form_for_that_station() {
    let server = AppServer::start().await;
    let station = first_demo_station();
    let dir = tempfile::tempdir().expect("dir");
    let video = qr_video(
        &dir,
        &format!("{}/join?station={}", server.base, station.id),
    );
    let browser = Browser::open_with(
        360,
        640,
        &[
            "--use-fake-device-for-media-stream".into(),
            "--use-fake-ui-for-media-stream".into(),
            format!("--use-file-for-fake-video-capture={video}"),
        ],
    )
    .await;
    // From the map, the rider taps 扫码 and points the camera at the poster
    browser.client.goto(&server.url("/")).await.expect("open");
    browser.tap("link", "扫码").await;
    browser.wait_path("/join").await;
    browser.wait_role("heading", "申请加入工会").await;
    browser.wait_text(&station.name).await;
    let url = browser.client.current_url().await.expect("url");
    assert_eq!(
        url.query(),
        Some(format!("station={}", station.id).as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_camera_says_so_and_leaves_the_form_and_the_map_a_tap_away() {
    let server = AppServer::start().await;
    // Given a phone with a camera whose owner refuses it to the page
    let browser = Browser::open_with(
        360,
        640,
        &[
            "--use-fake-device-for-media-stream".into(),
            "--deny-permission-prompts".into(),
        ],
    )
    .await;
    browser
        .client
        .goto(&server.url("/scan"))
        .await
        .expect("open");
    // Then the page says the camera cannot be used, and why that may be
    browser.wait_role("heading", "无法使用相机").await;
    browser
        .wait_text("没有相机权限，或者这台设备没有相机。")
        .await;
    // And the map and the form without scanning are each one link away
    let to_map = browser.wait_role("link", "去看附近驿站").await;
    assert_eq!(
        to_map.attr("href").await.expect("href").as_deref(),
        Some("/")
    );
    browser.wait_role("link", "返回申请").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_from_elsewhere_is_shown_as_text_and_never_opened() {
    let server = AppServer::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let video = qr_video(&dir, "https://example.com/win-a-prize");
    let browser = Browser::open_with(
        360,
        640,
        &[
            "--use-fake-device-for-media-stream".into(),
            "--use-fake-ui-for-media-stream".into(),
            format!("--use-file-for-fake-video-capture={video}"),
        ],
    )
    .await;
    browser
        .client
        .goto(&server.url("/scan"))
        .await
        .expect("open");
    browser.wait_text("这不是驿站的二维码").await;
    browser.wait_text("https://example.com/win-a-prize").await;
    assert_eq!(
        browser.client.current_url().await.expect("url").path(),
        "/scan"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn union_staff_review_an_application_with_the_phone_masked_in_the_queue() {
    let server = AppServer::start().await;
    let station = first_demo_station();
    let browser = Browser::open(1280, 900).await;
    // Given a rider applied at the first station (sent from a page of this site, as the app does)
    browser
        .client
        .goto(&server.url("/join"))
        .await
        .expect("open");
    let body = serde_json::json!({
        "station_id": station.id, "name": "赵六", "phone": "13912345678", "employer": "eleme",
        "occupation": "food_delivery", "work_district": "朝阳区",
        "consent": {"policy_version": "2026-11", "accepted": true}
    });
    let status = browser
        .client
        .execute_async(
            "const [body, done] = arguments;
             fetch('/api/v1/applications', {method: 'POST', headers: {'Content-Type': 'application/json'},
                   body: JSON.stringify(body)}).then((r) => done(r.status));",
            vec![body],
        )
        .await
        .expect("post");
    assert_eq!(status, 201);
    // The union's admin sees it in the queue with the phone masked
    browser
        .client
        .goto(&server.url("/admin/applications"))
        .await
        .expect("open");
    crate::keep_status::sign_in(
        &browser,
        yizhan_server::bootstrap::DEMO_ADMIN.0,
        yizhan_server::bootstrap::DEMO_ADMIN.1,
    )
    .await;
    browser.wait_role("heading", "入会申请").await;
    browser.wait_text("139****5678").await;
    assert!(
        browser
            .client
            .find(Locator::XPath("//*[contains(text(), '13912345678')]"))
            .await
            .is_err(),
        "the full phone is not in the list"
    );
    // Opening the record shows it in full; rejecting needs a reason
    browser.tap("link", "查看").await;
    browser.wait_text("13912345678").await;
    browser.tap("button", "不通过").await;
    fill(&browser, "原因", "请到工会现场核对身份后再申请").await;
    browser.tap("button", "确认不通过").await;
    browser.wait_text("已标记为不通过。").await;
    // And the view is in the union's log
    browser
        .client
        .goto(&server.url("/admin/audit"))
        .await
        .expect("open");
    browser.wait_text("查看申请").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_up_page_reopens_with_no_signal_and_keeps_what_was_typed() {
    // Given a rider who opened the form from a poster and started typing
    let mut server = AppServer::start().await;
    let station = first_demo_station();
    let browser = Browser::phone().await;
    let page = server.url(&format!("/join?station={}", station.id));
    browser.client.goto(&page).await.expect("open");
    browser.wait_role("heading", "申请加入工会").await;
    browser.wait_service_worker().await;
    fill(&browser, "姓名", "王小明").await;
    // When the signal is gone and the page is opened again
    server.stop().await;
    browser.client.goto(&page).await.expect("reopen offline");
    // Then the form is there, with the name still typed
    browser.wait_role("heading", "申请加入工会").await;
    let name = by_id(&browser, "join-name").await;
    assert_eq!(
        name.prop("value").await.expect("value").as_deref(),
        Some("王小明")
    );
}
