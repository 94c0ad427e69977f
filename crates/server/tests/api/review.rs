//! Union admins reviewing applications: who may see and decide what, masked phones in lists,
//! the audit trail of every opened record, decisions, bulk approval, the CSV export, the
//! per-station counts and the retention purge.

use std::time::Duration;

use reqwest::Method;
use serde_json::{json, Value};
use yizhan_core::Timestamp;
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::applications::{applied, count, form, post, station_of};
use crate::helpers::{Session, TestApp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Manager,
    /// Admin of 朝阳 (U), whose union received the application.
    AdminU,
    /// Admin of 海淀 (V): another union.
    AdminV,
}

struct World {
    app: TestApp,
    sessions: Vec<(Who, Session)>,
    station: String,
    /// An application to 朝阳 through `station`.
    id: String,
    reference: String,
}

impl World {
    fn session(&self, who: Who) -> &Session {
        &self
            .sessions
            .iter()
            .find(|(w, _)| *w == who)
            .expect("session")
            .1
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        who: Who,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut req = self.app.request(method, path, self.session(who));
        if let Some(b) = body {
            req = req.json(b);
        }
        req.send().await.expect("request")
    }

    async fn json(&self, method: Method, path: &str, who: Who, body: Option<&Value>) -> Value {
        let res = self.send(method, path, who, body).await;
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json().await.expect("json")
    }
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    let receipt = applied(&app, &form(&station, "13812341234")).await;
    let reference = receipt["reference"].as_str().expect("reference").to_owned();
    let admin_u = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    app.create_admin("bj-haidian", "haidian-admin", "haidian-admin-password")
        .await;
    let admin_v = app.sign_in("haidian-admin", "haidian-admin-password").await;
    let list: Value = app
        .request(Method::GET, "/api/v1/admin/applications", &admin_u)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let id = list["applications"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    World {
        app,
        sessions: vec![
            (Who::Anonymous, Session::anonymous()),
            (Who::Manager, manager),
            (Who::AdminU, admin_u),
            (Who::AdminV, admin_v),
        ],
        station,
        id,
        reference,
    }
}

fn status_of(app_status: &str) -> String {
    format!("SELECT COUNT(*) FROM applications WHERE status = '{app_status}'")
}

#[tokio::test]
async fn every_review_endpoint_is_open_only_to_the_receiving_unions_admins() {
    let w = world().await;
    let mut failures = Vec::new();
    let mut check = |endpoint: &str, who: Who, got: u16, want: u16| {
        if got != want {
            failures.push(format!("{endpoint} as {who:?}: got {got}, want {want}"));
        }
    };
    let one = format!("/api/v1/admin/applications/{}", w.id);
    let decision = format!("{one}/decision");
    let approve = json!({"decision": "approve"});
    let bulk = json!({"ids": [w.id]});

    // Refused writes first; none of them may change anything.
    for who in [Who::Anonymous, Who::Manager, Who::AdminV] {
        let want = match who {
            Who::Anonymous => 401,
            Who::Manager => 403,
            _ => 404,
        };
        let res = w.send(Method::POST, &decision, who, Some(&approve)).await;
        check("POST decision", who, res.status().as_u16(), want);
        let res = w.send(Method::GET, &one, who, None).await;
        check("GET one", who, res.status().as_u16(), want);
        let res = w
            .send(
                Method::POST,
                "/api/v1/admin/applications/decisions",
                who,
                Some(&bulk),
            )
            .await;
        let want_bulk = if who == Who::AdminV { 200 } else { want };
        check("POST decisions", who, res.status().as_u16(), want_bulk);
        if who == Who::AdminV {
            // Another union's id is skipped exactly like an unknown one.
            let outcome: Value = res.json().await.expect("json");
            assert_eq!(outcome, json!({"decided": 0, "skipped": [w.id]}));
        }
    }
    assert_eq!(count(&w.app, &status_of("submitted")).await, 1);
    assert_eq!(
        count(
            &w.app,
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'application'"
        )
        .await,
        0
    );

    // Reads: 401 anonymous, 403 managers, 200 admins, each seeing only their unions.
    for path in [
        "/api/v1/admin/applications",
        "/api/v1/admin/applications/export.csv",
        "/api/v1/admin/applications/stats",
    ] {
        for who in [Who::Anonymous, Who::Manager, Who::AdminU, Who::AdminV] {
            let res = w.send(Method::GET, path, who, None).await;
            let want = match who {
                Who::Anonymous => 401,
                Who::Manager => 403,
                Who::AdminU | Who::AdminV => 200,
            };
            let status = res.status().as_u16();
            check(path, who, status, want);
            if status == 200 {
                assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
            }
            if who == Who::AdminV && status == 200 {
                let body = res.text().await.expect("body");
                if body.contains(&w.reference) || body.contains(&w.station) {
                    check(&format!("{path} shows U's application"), who, 0, 200);
                }
            }
        }
    }
    // The receiving union's admin may open and decide it.
    let res = w.send(Method::GET, &one, Who::AdminU, None).await;
    check("GET one", Who::AdminU, res.status().as_u16(), 200);
    let res = w
        .send(Method::POST, &decision, Who::AdminU, Some(&approve))
        .await;
    check("POST decision", Who::AdminU, res.status().as_u16(), 200);
    assert!(failures.is_empty(), "{failures:#?}");

    // A decision without the session's CSRF token is refused.
    let admin = w.session(Who::AdminU);
    let res = w
        .app
        .client
        .post(format!(
            "{}/api/v1/admin/applications/decisions",
            w.app.base
        ))
        .header("Cookie", &admin.cookie)
        .json(&bulk)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn lists_mask_phones_and_filter_by_status_station_and_date() {
    let w = world().await;
    let list = w
        .json(Method::GET, "/api/v1/admin/applications", Who::AdminU, None)
        .await;
    let first = &list["applications"][0];
    assert_eq!(first["phone_masked"], "138****1234");
    assert_eq!(first["reference"], w.reference.as_str());
    assert_eq!(first["station"]["id"], w.station.as_str());
    assert_eq!(first["status"], "submitted");
    assert!(!list.to_string().contains("13812341234"), "{list}");

    let path = |q: &str| format!("/api/v1/admin/applications?{q}");
    let n = |v: &Value| v["applications"].as_array().map_or(0, Vec::len);
    let today = Timestamp::now().beijing();
    let date = format!("{:04}-{:02}-{:02}", today.year, today.month, today.day);
    for (q, want) in [
        ("status=submitted".to_owned(), 1),
        ("status=approved".to_owned(), 0),
        (format!("station={}", w.station), 1),
        ("station=bj-chaoyang-9999".to_owned(), 0),
        (format!("from={date}&to={date}"), 1),
        ("to=2020-01-01".to_owned(), 0),
    ] {
        let list = w.json(Method::GET, &path(&q), Who::AdminU, None).await;
        assert_eq!(n(&list), want, "{q}");
    }
    let res = w
        .send(
            Method::GET,
            &path("status=pending&from=soon"),
            Who::AdminU,
            None,
        )
        .await;
    assert_eq!(res.status(), 400);
    let err: Value = res.json().await.expect("json");
    assert_eq!(err["error"]["fields"]["status"], "unknown");
    assert_eq!(err["error"]["fields"]["from"], "invalid");
}

#[tokio::test]
async fn opening_a_record_shows_it_in_full_writes_the_audit_log_and_starts_the_review() {
    let w = world().await;
    let one = format!("/api/v1/admin/applications/{}", w.id);
    let record = w.json(Method::GET, &one, Who::AdminU, None).await;
    assert_eq!(record["phone"], "13812341234");
    assert_eq!(record["name"], "王丽");
    assert_eq!(record["employer"], "meituan");
    assert_eq!(record["policy_version"], "2026-11");
    assert_eq!(record["status"], "under_review");

    // Who opened whose record, and nothing personal in the entry.
    let audit = w
        .json(Method::GET, "/api/v1/admin/audit", Who::AdminU, None)
        .await;
    let entry = &audit["entries"][0];
    assert_eq!(entry["action"], "application.view");
    assert_eq!(entry["entity"], "application");
    assert_eq!(entry["entity_id"], w.reference.as_str());
    assert_eq!(entry["actor"], DEMO_ADMIN.0);
    assert_eq!(entry["changes"], json!([]));
    let text = audit.to_string();
    assert!(
        !text.contains("13812341234") && !text.contains("王丽"),
        "{text}"
    );
    // Every view is logged, not only the first.
    w.json(Method::GET, &one, Who::AdminU, None).await;
    assert_eq!(
        count(
            &w.app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'application.view'"
        )
        .await,
        2
    );
    // The applicant sees the review has started.
    let view: Value = post(
        &w.app,
        "lookup",
        &json!({"reference": w.reference, "phone": "13812341234"}),
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(view["status"], "under_review");
}

#[tokio::test]
async fn rejecting_needs_a_reason_and_a_decision_is_made_once() {
    let w = world().await;
    let decision = format!("/api/v1/admin/applications/{}/decision", w.id);
    for (body, field, code) in [
        (json!({"decision": "reject"}), "reason", "missing"),
        (
            json!({"decision": "reject", "reason": " "}),
            "reason",
            "missing",
        ),
        (
            json!({"decision": "reject", "reason": "因".repeat(201)}),
            "reason",
            "too_long",
        ),
    ] {
        let res = w
            .send(Method::POST, &decision, Who::AdminU, Some(&body))
            .await;
        assert_eq!(res.status(), 422, "{body}");
        let err: Value = res.json().await.expect("json");
        assert_eq!(err["error"]["fields"][field], code, "{body}");
    }
    let res = w
        .send(
            Method::POST,
            &decision,
            Who::AdminU,
            Some(&json!({"decision": "maybe"})),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(count(&w.app, &status_of("submitted")).await, 1);

    let record = w
        .json(
            Method::POST,
            &decision,
            Who::AdminU,
            Some(&json!({"decision": "reject", "reason": "请到工会现场核验身份"})),
        )
        .await;
    assert_eq!(record["status"], "rejected");
    assert_eq!(record["reason"], "请到工会现场核验身份");
    assert_eq!(record["decided_by"], DEMO_ADMIN.0);
    let res = w
        .send(
            Method::POST,
            &decision,
            Who::AdminU,
            Some(&json!({"decision": "approve"})),
        )
        .await;
    assert_eq!(res.status(), 409);
    let err: Value = res.json().await.expect("json");
    assert_eq!(err["error"]["code"], "wrong_status");
    let audit = w
        .json(Method::GET, "/api/v1/admin/audit", Who::AdminU, None)
        .await;
    let entry = &audit["entries"][0];
    assert_eq!(entry["action"], "application.decide");
    assert_eq!(entry["entity_id"], w.reference.as_str());
    assert!(
        !audit.to_string().contains("现场核验"),
        "the reason stays with the application"
    );
}

#[tokio::test]
async fn bulk_approval_decides_pending_applications_and_skips_the_rest() {
    let w = world().await;
    for phone in ["13900000001", "13900000002"] {
        applied(&w.app, &form(&w.station, phone)).await;
    }
    let list = w
        .json(Method::GET, "/api/v1/admin/applications", Who::AdminU, None)
        .await;
    let ids: Vec<String> = list["applications"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|a| a["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 3);
    // One is rejected first; it cannot be approved in bulk.
    w.json(
        Method::POST,
        &format!("/api/v1/admin/applications/{}/decision", ids[0]),
        Who::AdminU,
        Some(&json!({"decision": "reject", "reason": "重复申请"})),
    )
    .await;
    let mut asked = ids.clone();
    asked.push("no-such-id".into());
    let outcome = w
        .json(
            Method::POST,
            "/api/v1/admin/applications/decisions",
            Who::AdminU,
            Some(&json!({"ids": asked})),
        )
        .await;
    assert_eq!(outcome["decided"], 2);
    assert_eq!(outcome["skipped"], json!([ids[0], "no-such-id"]));
    assert_eq!(count(&w.app, &status_of("approved")).await, 2);
    assert_eq!(
        count(
            &w.app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'application.decide'"
        )
        .await,
        3
    );
    let res = w
        .send(
            Method::POST,
            "/api/v1/admin/applications/decisions",
            Who::AdminU,
            Some(&json!({"ids": []})),
        )
        .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn the_csv_export_holds_approved_applications_only_and_is_logged() {
    let w = world().await;
    let mut other = form(&w.station, "13900000009");
    other["name"] = json!("李四");
    applied(&w.app, &other).await;
    w.json(
        Method::POST,
        &format!("/api/v1/admin/applications/{}/decision", w.id),
        Who::AdminU,
        Some(&json!({"decision": "approve"})),
    )
    .await;
    let res = w
        .send(
            Method::GET,
            "/api/v1/admin/applications/export.csv",
            Who::AdminU,
            None,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .contains("applications.csv"));
    let csv = res.text().await.expect("body");
    assert!(csv.starts_with('\u{feff}'), "BOM for Excel");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].contains("reference,name,phone,employer"));
    assert!(lines[1].starts_with(&w.reference), "{csv}");
    assert!(lines[1].contains(",王丽,13812341234,美团,"), "{csv}");
    assert!(
        !csv.contains("13900000009") && !csv.contains("李四"),
        "{csv}"
    );
    assert_eq!(
        count(
            &w.app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'application.export'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn stats_count_applications_and_approvals_per_station() {
    let w = world().await;
    applied(&w.app, &form(&w.station, "13900000003")).await;
    let mut by_district = form("x", "13900000004");
    by_district
        .as_object_mut()
        .expect("object")
        .remove("station_id");
    by_district["district"] = json!("朝阳区");
    applied(&w.app, &by_district).await;
    w.json(
        Method::POST,
        &format!("/api/v1/admin/applications/{}/decision", w.id),
        Who::AdminU,
        Some(&json!({"decision": "approve"})),
    )
    .await;
    let stats = w
        .json(
            Method::GET,
            "/api/v1/admin/applications/stats",
            Who::AdminU,
            None,
        )
        .await;
    assert_eq!(stats["stations"].as_array().map(Vec::len), Some(1));
    let s = &stats["stations"][0];
    assert_eq!(s["station_id"], w.station.as_str());
    assert!(s["station_name"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(s["applications"], 2);
    assert_eq!(s["approvals"], 1);
    assert_eq!(
        stats["without_station"],
        json!({"applications": 1, "approvals": 0})
    );
    let theirs = w
        .json(
            Method::GET,
            "/api/v1/admin/applications/stats",
            Who::AdminV,
            None,
        )
        .await;
    assert_eq!(theirs["stations"], json!([]));
}

#[tokio::test]
async fn purge_once_deletes_applications_decided_longer_ago_than_the_retention() {
    let w = world().await;
    // Given an application approved 400 days ago, one withdrawn today and one pending,
    w.json(
        Method::POST,
        &format!("/api/v1/admin/applications/{}/decision", w.id),
        Who::AdminU,
        Some(&json!({"decision": "approve"})),
    )
    .await;
    let now = Timestamp::now();
    let long_ago = now.plus_seconds(-400 * 86_400).unix();
    w.app
        .sql(&format!(
            "UPDATE applications SET decided_at = {long_ago}, created_at = {long_ago} WHERE id = '{}'",
            w.id
        ))
        .await
        .expect("backdate");
    let withdrawn = applied(&w.app, &form(&w.station, "13900000005")).await;
    let res = post(
        &w.app,
        "withdraw",
        &json!({"reference": withdrawn["reference"], "phone": "13900000005"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    applied(&w.app, &form(&w.station, "13900000006")).await;
    let two_days_ago = now.plus_seconds(-2 * 86_400).unix();
    w.app
        .sql(&format!(
            "UPDATE applications SET created_at = {two_days_ago} WHERE status = 'submitted'"
        ))
        .await
        .expect("backdate");

    // when the purge runs with a year's retention,
    let db = yizhan_server::db::Db::connect(&w.app.database_url)
        .await
        .expect("db");
    let retention = yizhan_server::purge::Retention {
        decided: Duration::from_secs(365 * 86_400),
        pending: Duration::from_secs(400 * 86_400),
        rate_limits: Duration::from_secs(86_400),
    };
    let report = yizhan_server::purge::purge_once(&db, now, &retention)
        .await
        .expect("purge");

    // then only the old decision is gone, with its timeline.
    assert_eq!(report.deleted, 1);
    assert_eq!(
        report.addresses_cleared, 1,
        "the pending one's, a day after it came"
    );
    assert_eq!(
        count(
            &w.app,
            &format!("SELECT COUNT(*) FROM applications WHERE id = '{}'", w.id)
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &w.app,
            &format!(
                "SELECT COUNT(*) FROM application_events WHERE application_id = '{}'",
                w.id
            )
        )
        .await,
        0
    );
    assert_eq!(count(&w.app, &status_of("withdrawn")).await, 1);
    assert_eq!(count(&w.app, &status_of("submitted")).await, 1);
    let gone = post(
        &w.app,
        "lookup",
        &json!({"reference": w.reference, "phone": "13812341234"}),
    )
    .await;
    assert_eq!(gone.status(), 404);

    // A withdrawn application goes too once its withdrawal is older than the retention.
    let later = now.plus_seconds(366 * 86_400);
    let report = yizhan_server::purge::purge_once(&db, later, &retention)
        .await
        .expect("purge");
    assert_eq!(report.deleted, 1);
    assert_eq!(count(&w.app, &status_of("withdrawn")).await, 0);
    assert_eq!(
        count(&w.app, &status_of("submitted")).await,
        1,
        "pending ones stay"
    );
    db.close().await;
}
