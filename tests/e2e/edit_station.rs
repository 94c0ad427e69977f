//! An admin adds a station by hand and corrects it: the form names a coordinate it cannot read
//! and sends nothing, the new station opens for editing, a second save keeps the change, and
//! riders see the new name.

use yizhan_server::bootstrap::DEMO_ADMIN;

use crate::harness::{AppServer, Browser};
use crate::keep_status::{fill, sign_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_station_by_hand_and_corrects_its_name() {
    // Given an admin on the new-station form
    let server = AppServer::start().await;
    let browser = Browser::open(1280, 900).await;
    browser
        .client
        .goto(&server.url("/admin/stations/new"))
        .await
        .expect("open");
    sign_in(&browser, DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    browser.wait_role("heading", "新建驿站").await;

    // When the latitude is not a number
    fill(&browser, "编号", "cy-by-hand").await;
    fill(&browser, "名称", "手填驿站").await;
    fill(&browser, "地址", "望京街 9 号").await;
    fill(&browser, "地区", "朝阳区").await;
    fill(&browser, "纬度", "north").await;
    fill(&browser, "经度", "116.47").await;
    browser.tap("button", "保存").await;

    // Then the form names it and stays a new station
    browser.wait_text("格式不对").await;
    browser.wait_role("heading", "新建驿站").await;

    // When the latitude is corrected, the station is created and opens for editing
    fill(&browser, "纬度", "39.99").await;
    browser.tap("button", "保存").await;
    browser.wait_role("heading", "修改驿站").await;
    browser.wait_role("status", "已创建").await;

    // And a second save keeps a corrected name
    fill(&browser, "名称", "手填驿站（北门）").await;
    browser.tap("button", "保存").await;
    browser.wait_role("status", "已保存").await;

    // Then riders see the station under its new name
    let rider = Browser::phone().await;
    rider
        .client
        .goto(&server.url("/stations/cy-by-hand"))
        .await
        .expect("open");
    rider.wait_role("heading", "手填驿站（北门）").await;
}
