//! A union admin made to use two-step sign-in: turns it on from a phone with an authenticator
//! app (the key shown beside the QR code) and their password, keeps the recovery codes, and signs in again with
//! one of them; the devices signed in are listed.

use fantoccini::Locator;
use yizhan_core::Timestamp;
use yizhan_server::bootstrap::DEMO_ADMIN;

use crate::harness::{AppServer, Browser};
use crate::keep_status::{fill, sign_in};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_turns_on_two_step_sign_in_and_signs_in_again_with_a_recovery_code() {
    // Given a deployment that requires two-step sign-in of admins
    let server = AppServer::start_with(|s| s.require_admin_totp = true).await;
    let browser = Browser::phone().await;
    browser
        .client
        .goto(&server.url("/admin"))
        .await
        .expect("open");
    sign_in(&browser, DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    // Then the admin is told to turn it on first, and follows the link
    browser.wait_role("alert", "管理员必须开启两步验证").await;
    browser.tap("link", "去开启").await;
    browser.wait_path("/manage/password").await;
    // When they start set-up, scan (here: read the key) and type the app's code
    browser.tap("button", "开启两步验证").await;
    browser
        .wait(
            "the QR code",
            Locator::XPath("//img[@alt='两步验证的二维码']"),
        )
        .await;
    let key = browser
        .wait(
            "the key",
            Locator::XPath("//p[starts-with(normalize-space(), '密钥')]/code"),
        )
        .await
        .text()
        .await
        .expect("key");
    let secret: String = key.split_whitespace().collect();
    let now = u64::try_from(Timestamp::now().unix()).expect("time");
    let code = yizhan_server::totp::code_at(&secret, now).expect("code");
    fill(&browser, "App 显示的 6 位验证码", &code).await;
    fill(&browser, "你的登录密码", DEMO_ADMIN.1).await;
    browser.tap("button", "确认开启").await;
    // Then it is on, with ten recovery codes shown once, and the reminder is gone
    browser.wait_role("status", "已开启").await;
    let codes = browser
        .client
        .find_all(Locator::XPath("//ol[@aria-label='恢复码']/li"))
        .await
        .expect("codes");
    assert_eq!(codes.len(), 10);
    let recovery = codes[0].text().await.expect("code");
    assert!(browser
        .client
        .find(Locator::XPath(
            "//*[@role='alert'][contains(., '管理员必须开启两步验证')]"
        ))
        .await
        .is_err());
    // And this phone is listed among the devices signed in
    browser.wait_text("本机").await;

    // When they sign out and back in: the password, then a recovery code for the phone
    browser.tap("button", "退出登录").await;
    sign_in(&browser, DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    fill(&browser, "验证码", &recovery).await;
    browser.tap("button", "登录").await;
    browser.wait_role("heading", "两步验证").await;
    // Then they are in, and the union's log shows the set-up and the recovery code's use
    browser
        .client
        .goto(&server.url("/admin/audit"))
        .await
        .expect("audit");
    browser.wait_text("用恢复码登录").await;
    browser.wait_text("开启两步验证").await;
}
