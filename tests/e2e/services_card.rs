//! A union's services card (帮帮卡): an admin adds the union's services in /admin, a typo in a
//! contact is named without losing what was typed, and riders see the card on the station
//! pages of the union's stations — with no signal too — and after they apply to join.

use fantoccini::Locator;
use yizhan_server::bootstrap::DEMO_ADMIN;

use crate::harness::{first_demo_station, AppServer, Browser};
use crate::keep_status::{field, fill, sign_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_service_and_riders_see_it_online_and_offline() {
    // Given a district union's admin on the services card page
    let mut server = AppServer::start().await;
    let browser = Browser::phone().await;
    browser
        .client
        .goto(&server.url("/admin/services"))
        .await
        .expect("open");
    sign_in(&browser, DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    browser.wait_role("heading", "帮帮卡").await;
    browser.wait_text("12351 职工服务热线总排在最前面。").await;

    // When they add a service whose contact is not a number or an https link
    browser.tap("button", "添加一项").await;
    browser.wait_text("第 1 项").await;
    fill(&browser, "名称", "法律援助").await;
    fill(&browser, "说明", "劳动纠纷免费咨询").await;
    fill(&browser, "电话或网址", "javascript:alert(1)").await;
    browser.tap("button", "保存").await;

    // Then the contact's problem is named and what they typed is kept
    browser
        .wait_text("请填电话号码，或 https:// 开头的网址")
        .await;
    let title = field(&browser, "名称").await;
    assert_eq!(
        title.prop("value").await.expect("value").as_deref(),
        Some("法律援助")
    );

    // When they correct it and save
    fill(&browser, "电话或网址", "010-6512 3456").await;
    browser.tap("button", "保存").await;
    browser.wait_role("status", "已保存，驿站页面已更新").await;

    // Then a rider at a station of a street union below sees it after the 12351 hotline,
    // as a number to call
    let station = first_demo_station();
    assert!(station.union.id.as_str().starts_with("bj-chaoyang-"));
    let page = server.url(&format!("/stations/{}", station.id));
    browser.client.goto(&page).await.expect("open station");
    browser.wait_role("heading", "工会服务").await;
    browser.wait_role("link", "12351").await;
    let call = browser.wait_role("link", "010-6512 3456").await;
    assert_eq!(
        call.attr("href").await.expect("href").as_deref(),
        Some("tel:01065123456")
    );
    browser.wait_text("法律援助").await;

    // And with no signal, the station page still shows the card it saw last
    browser.wait_service_worker().await;
    browser
        .client
        .goto(&page)
        .await
        .expect("reopen with signal");
    browser.wait_role("link", "010-6512 3456").await;
    server.stop().await;
    browser.client.refresh().await.expect("reload offline");
    browser.wait_role("heading", &station.name).await;
    browser.wait_role("heading", "工会服务").await;
    browser.wait_role("link", "010-6512 3456").await;
    server.resume().await;

    // And in English the card's own words are translated, the union's stay as written
    browser
        .client
        .goto(&format!("{page}?lang=en"))
        .await
        .expect("english");
    browser.wait_role("heading", "Union services").await;
    browser.wait_text("Workers' hotline").await;
    browser.wait_text("法律援助").await;
    let _ = browser
        .client
        .find(Locator::XPath("//a[starts-with(@href, 'tel:')]"))
        .await
        .expect("a tel link");
}
