//! The numbers of a union's report: counted over the admin's unions only, for the days asked,
//! as JSON and as a CSV in either language.

use reqwest::Method;
use serde_json::{json, Value};
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::applications::{applied, form, station_of};
use crate::helpers::{Session, TestApp};

async fn numbers(app: &TestApp, admin: &Session, query: &str) -> Value {
    app.json_as(Method::GET, &format!("/api/v1/admin/numbers{query}"), admin)
        .await
}

/// A rider's POST to `path` from `device`: its status.
pub async fn rider(app: &TestApp, path: &str, device: &str, body: Option<Value>) -> u16 {
    let mut req = app
        .client
        .post(format!("{}{path}", app.base))
        .header("X-Device-Id", device);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.expect("request").status().as_u16()
}

/// At `station`: a rider visits and says "this is right", another reports a fault, and its
/// manager resolves it.
pub async fn riders_visit_confirm_and_report_a_fault_resolved(
    app: &TestApp,
    manager: &Session,
    station: &str,
) {
    assert_eq!(
        rider(
            app,
            &format!("/api/v1/stations/{station}/visits"),
            "device-aaaaaaaaaaaaaaaa",
            None
        )
        .await,
        201
    );
    assert_eq!(
        rider(
            app,
            &format!("/api/v1/stations/{station}/reports"),
            "device-aaaaaaaaaaaaaaaa",
            Some(json!({"kind": "confirm"}))
        )
        .await,
        201
    );
    assert_eq!(
        rider(
            app,
            &format!("/api/v1/stations/{station}/reports"),
            "device-bbbbbbbbbbbbbbbb",
            Some(json!({"kind": "closed_when_open"}))
        )
        .await,
        201
    );
    let inbox = app
        .json_as(
            Method::GET,
            &format!("/api/v1/manage/reports?station={station}"),
            manager,
        )
        .await;
    let report = inbox["reports"][0]["id"]
        .as_str()
        .expect("report")
        .to_owned();
    let resolved = app
        .request(
            Method::POST,
            &format!("/api/v1/manage/reports/{report}/resolve"),
            manager,
        )
        .json(&json!({"reply": "已开门"}))
        .send()
        .await
        .expect("request");
    assert_eq!(resolved.status(), 200);
}

#[tokio::test]
async fn a_unions_numbers_count_its_own_stations_riders_and_applications_for_the_days_asked() {
    // Given a district union's admin and manager
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let mine = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let station = mine["stations"][0]["id"].as_str().expect("id").to_owned();
    let before = numbers(&app, &admin, "").await;
    let total = app
        .get_json("/api/v1/stations?union=bj-chaoyang&limit=1")
        .await["total"]
        .as_u64()
        .expect("total");
    assert_eq!(before["stations"], total, "{before}");
    assert!(before["stations_24h"].as_u64().expect("24h") <= total);
    assert_eq!(before["visits"], 0);

    // When riders visit, confirm and report a fault that the manager resolves, two apply and
    // one is approved — and riders visit a station of another district
    riders_visit_confirm_and_report_a_fault_resolved(&app, &manager, &station).await;
    let chaoyang = station_of(&app, "bj-chaoyang").await;
    applied(&app, &form(&chaoyang, "13800006666")).await;
    applied(&app, &form(&chaoyang, "13800007777")).await;
    let list = app
        .json_as(Method::GET, "/api/v1/admin/applications", &admin)
        .await;
    let id = list["applications"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let decided = app
        .request(
            Method::POST,
            &format!("/api/v1/admin/applications/{id}/decision"),
            &admin,
        )
        .json(&json!({"decision": "approve"}))
        .send()
        .await
        .expect("request");
    assert_eq!(decided.status(), 200);
    let haidian = station_of(&app, "bj-haidian").await;
    assert_eq!(
        rider(
            &app,
            &format!("/api/v1/stations/{haidian}/visits"),
            "device-cccccccccccccccc",
            None
        )
        .await,
        201
    );

    // Then this union's numbers for the last 30 days have each of its own, none of the other's
    let now = numbers(&app, &admin, "").await;
    for (key, n) in [
        ("visits", 1),
        ("confirmations", 1),
        ("reports", 1),
        ("reports_resolved", 1),
        ("applications", 2),
        ("approvals", 1),
    ] {
        assert_eq!(now[key], n, "{key}: {now}");
    }
    assert_eq!(now["stations"], total);
    // And a period before today counts no rider or application (stations are as of today)
    let yesterday = numbers(&app, &admin, "?from=2020-01-01&to=2020-01-28").await;
    assert_eq!(yesterday["visits"], 0);
    assert_eq!(yesterday["applications"], 0);
    assert_eq!(yesterday["from"], "2020-01-01");
    assert_eq!(yesterday["to"], "2020-01-28");
    assert_eq!(yesterday["stations"], total);

    // And the CSV has the same numbers, labelled in the language asked
    let csv = app
        .send_as(Method::GET, "/api/v1/admin/numbers.csv", &admin)
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .starts_with("attachment"));
    let text = csv.text().await.expect("text");
    assert!(text.starts_with("\u{feff}项目,数字\r\n"), "{text}");
    assert!(text.contains("服务人次（我到了）,1\r\n"), "{text}");
    assert!(text.contains("批准入会,1\r\n"), "{text}");
    let english = app
        .send_as(Method::GET, "/api/v1/admin/numbers.csv?lang=en", &admin)
        .await
        .text()
        .await
        .expect("text");
    assert!(english.contains("Visits (I'm here),1\r\n"), "{english}");

    // And a day that is not on the calendar is named; only admins may read the numbers
    let bad = app
        .send_as(Method::GET, "/api/v1/admin/numbers?from=2026-02-30", &admin)
        .await;
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.expect("json");
    assert_eq!(body["error"]["fields"]["from"], "invalid", "{body}");
    assert_eq!(
        app.send_as(Method::GET, "/api/v1/admin/numbers", &manager)
            .await
            .status(),
        403
    );
    assert_eq!(
        app.send_as(Method::GET, "/api/v1/admin/numbers", &Session::anonymous())
            .await
            .status(),
        401
    );
}
