//! 群通知: an admin connects the union's group-chat robot in /admin, a wrong address is named
//! without losing what was typed, and a rider's fault report reaches the robot (a real HTTP
//! receiver on a local port), which the admin then sees as delivered.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::Locator;
use yizhan_server::bootstrap::DEMO_ADMIN;

use crate::harness::{first_demo_station, wait_until, AppServer, Browser};
use crate::keep_status::{field, fill, sign_in};
use crate::report_fault::report_broken;

/// A robot on a free local port that answers every post `{"errcode":0}` and keeps the bodies.
async fn robot() -> (Arc<Mutex<Vec<serde_json::Value>>>, String) {
    let got = Arc::new(Mutex::new(Vec::new()));
    let kept = got.clone();
    let app = axum::Router::new().route(
        "/robot/send",
        axum::routing::post(move |axum::Json(body): axum::Json<serde_json::Value>| {
            let kept = kept.clone();
            async move {
                kept.lock().expect("lock").push(body);
                axum::Json(serde_json::json!({"errcode": 0, "errmsg": "ok"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/robot/send?key=e2e-robot-key",
        listener.local_addr().expect("addr")
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (got, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_connects_the_group_robot_and_a_riders_fault_report_reaches_it() {
    // Given a district union's admin on 群通知, and a robot on this machine
    let server = AppServer::start_with(|s| {
        s.webhook_allow_http = true;
        s.webhook_poll = Duration::from_millis(200);
    })
    .await;
    let (posts, robot_url) = robot().await;
    let browser = Browser::phone().await;
    browser
        .client
        .goto(&server.url("/admin/alerts"))
        .await
        .expect("open");
    sign_in(&browser, DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    browser.wait_role("heading", "群通知").await;
    browser.wait_text("还没有设置群机器人").await;

    // When they paste an address that is not a web address
    fill(&browser, "机器人地址（Webhook）", "群里的机器人").await;
    browser.tap("button", "保存").await;

    // Then the problem is named and what they typed is kept
    browser.wait_text("请粘贴群机器人的 https:// 地址").await;
    let url = field(&browser, "机器人地址（Webhook）").await;
    assert_eq!(
        url.prop("value").await.expect("value").as_deref(),
        Some("群里的机器人")
    );

    // When they pick WeCom and paste the robot's address
    browser
        .wait(
            "the select labelled 群聊软件",
            Locator::XPath("//select[@id=//label[normalize-space()='群聊软件']/@for]"),
        )
        .await
        .select_by_label("企业微信")
        .await
        .expect("pick WeCom");
    fill(&browser, "机器人地址（Webhook）", &robot_url).await;
    browser.tap("button", "保存").await;

    // Then it is saved and shown without its key
    browser
        .wait_role("status", "已保存，新消息会发到群里")
        .await;
    let port = robot_url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("host");
    browser
        .wait_text(&format!("http://{port}/…-key（企业微信）"))
        .await;

    // When a rider reports the microwave broken at a station of a street union below
    let station = first_demo_station();
    assert!(station.union.id.as_str().starts_with("bj-chaoyang-"));
    let rider = Browser::phone().await;
    rider
        .client
        .goto(&server.url(&format!("/stations/{}", station.id)))
        .await
        .expect("open station");
    report_broken(&rider, "热饭").await;
    rider.wait_role("status", "已收到，站长会尽快处理").await;

    // Then the group's robot gets a message naming the station and the fault
    let post = wait_until(
        "a message to the robot",
        || async { posts.lock().expect("lock").first().cloned() },
        Option::is_some,
    )
    .await
    .expect("a message, waited for");
    let content = post["text"]["content"].as_str().expect("content");
    assert!(content.contains(&station.name), "{content}");
    assert!(content.contains("热饭不能用"), "{content}");

    // And the admin sees it delivered
    browser.client.refresh().await.expect("reload");
    browser.wait_text("最近的消息").await;
    browser.wait_text("已送达").await;
    browser.wait_text("故障报告").await;
}
