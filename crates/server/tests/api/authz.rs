//! Who may do what, as a matrix: anonymous, the manager of station A, the manager of station
//! B, an admin of union U (朝阳, which runs A and B) and an admin of union V (海淀) against every
//! write endpoint and every admin read. Every refused cell answers 401/403/404 and changes
//! nothing.

use reqwest::Method;
use serde_json::{json, Value};
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::helpers::{Session, TestApp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    ManagerA,
    ManagerB,
    AdminU,
    AdminV,
}

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::ManagerA,
    Who::ManagerB,
    Who::AdminU,
    Who::AdminV,
];

struct World {
    app: TestApp,
    sessions: Vec<(Who, Session)>,
    a: String,
    b: String,
    manager_a_id: String,
    report_a: String,
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

    async fn version(&self, id: &str) -> u64 {
        let admin = self.session(Who::AdminU);
        let list: Value = self
            .app
            .request(Method::GET, "/api/v1/admin/stations", admin)
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        list["stations"]
            .as_array()
            .expect("list")
            .iter()
            .find(|s| s["id"] == id)
            .and_then(|s| s["version"].as_u64())
            .expect("station in U")
    }

    async fn snapshot(&self) -> (Value, Value, Value) {
        let admin = self.session(Who::AdminU);
        let get = |path: &'static str| async move {
            self.app
                .request(Method::GET, path, admin)
                .send()
                .await
                .expect("request")
                .json::<Value>()
                .await
                .expect("json")
        };
        let accounts = get("/api/v1/admin/accounts").await;
        let stations = get("/api/v1/admin/stations").await;
        let inbox = get("/api/v1/manage/reports").await;
        (accounts, stations, inbox)
    }
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let admin_u = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let manager_a = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let a = manager_a.account["stations"][0]
        .as_str()
        .expect("A")
        .to_owned();
    // B: a station of U that manager A does not keep, with its own manager.
    let list: Value = app
        .request(Method::GET, "/api/v1/admin/stations", &admin_u)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    let kept: Vec<&str> = manager_a.account["stations"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let b = list["stations"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .find(|id| !kept.contains(id))
        .expect("B")
        .to_owned();
    let res = app
        .request(Method::POST, "/api/v1/admin/accounts", &admin_u)
        .json(&json!({"username": "manager-b", "display_name": "B 站长", "stations": [b]}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 201);
    let password = res.json::<Value>().await.expect("json")["password"]
        .as_str()
        .expect("password")
        .to_owned();
    let manager_b = app.sign_in("manager-b", &password).await;
    app.create_admin("bj-haidian", "haidian-admin", "haidian-admin-password")
        .await;
    let admin_v = app.sign_in("haidian-admin", "haidian-admin-password").await;
    let res = app
        .client
        .post(format!("{}/api/v1/stations/{a}/reports", app.base))
        .json(&json!({"kind": "other", "text": "门锁坏了"}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 201);
    let report_a = res.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    World {
        manager_a_id: manager_a.account["id"].as_str().expect("id").to_owned(),
        sessions: vec![
            (Who::Anonymous, Session::anonymous()),
            (Who::ManagerA, manager_a),
            (Who::ManagerB, manager_b),
            (Who::AdminU, admin_u),
            (Who::AdminV, admin_v),
        ],
        app,
        a,
        b,
        report_a,
    }
}

/// The status a refused actor gets: 401 anonymous, else `denied`.
fn refused(who: Who, denied: u16) -> u16 {
    if who == Who::Anonymous {
        401
    } else {
        denied
    }
}

#[tokio::test]
async fn every_write_and_admin_read_is_allowed_only_to_the_right_people() {
    let w = world().await;
    let app = &w.app;
    let mut failures = Vec::new();
    let mut check = |endpoint: &str, who: Who, got: u16, want: u16| {
        if got != want {
            failures.push(format!("{endpoint} as {who:?}: got {got}, want {want}"));
        }
    };

    // Writes whose refusal must change nothing: try every refused actor first, then compare.
    let before = w.snapshot().await;
    let status_body = json!({"state": "closed", "notice": "matrix", "amenities": []});
    for (station, keepers) in [
        (&w.a, [Who::ManagerA, Who::AdminU]),
        (&w.b, [Who::ManagerB, Who::AdminU]),
    ] {
        for who in EVERYONE.into_iter().filter(|w| !keepers.contains(w)) {
            let v = w.version(station).await;
            let res = app
                .request(
                    Method::PATCH,
                    &format!("/api/v1/stations/{station}/status"),
                    w.session(who),
                )
                .header("If-Match", format!("\"{v}\""))
                .json(&status_body)
                .send()
                .await
                .expect("request");
            check(
                &format!("PATCH status {station}"),
                who,
                res.status().as_u16(),
                refused(who, 403),
            );
        }
    }
    for who in [Who::Anonymous, Who::ManagerB, Who::AdminV] {
        let res = app
            .request(
                Method::POST,
                &format!("/api/v1/manage/reports/{}/resolve", w.report_a),
                w.session(who),
            )
            .json(&json!({"reply": "matrix"}))
            .send()
            .await
            .expect("request");
        check(
            "POST resolve report of A",
            who,
            res.status().as_u16(),
            refused(who, 403),
        );
    }
    let new_station = |id: &str, union: &str| {
        json!({"id": id, "name": "矩阵", "address": "x", "district": "朝阳区", "union_id": union,
               "lat": 39.9, "lng": 116.4, "hours": "24/7"})
    };
    for who in [Who::Anonymous, Who::ManagerA, Who::ManagerB, Who::AdminV] {
        let s = w.session(who);
        let res = app
            .request(Method::POST, "/api/v1/admin/stations", s)
            .json(&new_station("matrix-new", "bj-chaoyang"))
            .send()
            .await
            .expect("request");
        check(
            "POST admin/stations in U",
            who,
            res.status().as_u16(),
            refused(who, 403),
        );
        let v = w.version(&w.a).await;
        let mut edit = new_station(&w.a, "bj-chaoyang");
        edit["hidden"] = json!(true);
        let res = app
            .request(Method::PUT, &format!("/api/v1/admin/stations/{}", w.a), s)
            .header("If-Match", format!("\"{v}\""))
            .json(&edit)
            .send()
            .await
            .expect("request");
        let want = if who == Who::AdminV {
            404
        } else {
            refused(who, 403)
        };
        check("PUT admin/stations/A", who, res.status().as_u16(), want);
        let csv = "id,name,address,district,union_id,lat,lng,hours\nmatrix-imp,x,y,朝阳区,bj-chaoyang,39.9,116.4,24/7\n";
        let res = app
            .request(Method::POST, "/api/v1/admin/import?commit=1", s)
            .header("Content-Type", "text/csv")
            .body(csv)
            .send()
            .await
            .expect("request");
        // V's admin may import, but not into U: the row's union is unknown to them.
        let want = if who == Who::AdminV {
            422
        } else {
            refused(who, 403)
        };
        check("POST admin/import into U", who, res.status().as_u16(), want);
        let res = app
            .request(Method::POST, "/api/v1/admin/accounts", s)
            .json(
                &json!({"username": "matrix-user", "display_name": "x", "union_id": "bj-chaoyang"}),
            )
            .send()
            .await
            .expect("request");
        check(
            "POST admin/accounts in U",
            who,
            res.status().as_u16(),
            refused(who, 403),
        );
        let res = app
            .request(
                Method::PATCH,
                &format!("/api/v1/admin/accounts/{}", w.manager_a_id),
                s,
            )
            .json(&json!({"disabled": true}))
            .send()
            .await
            .expect("request");
        let want = if who == Who::AdminV {
            404
        } else {
            refused(who, 403)
        };
        check(
            "PATCH admin/accounts/managerA",
            who,
            res.status().as_u16(),
            want,
        );
        let res = app
            .request(
                Method::POST,
                &format!("/api/v1/admin/accounts/{}/password", w.manager_a_id),
                s,
            )
            .send()
            .await
            .expect("request");
        check(
            "POST admin/accounts/managerA/password",
            who,
            res.status().as_u16(),
            want,
        );
    }
    let after = w.snapshot().await;
    assert_eq!(before, after, "refused writes changed something");

    // Admin reads: 401 anonymous, 403 managers, 200 admins (each within their own unions).
    for path in [
        "/api/v1/admin/unions",
        "/api/v1/admin/stations",
        "/api/v1/admin/accounts",
        "/api/v1/admin/audit",
        "/api/v1/admin/export.csv",
        "/api/v1/admin/export.geojson",
    ] {
        for who in EVERYONE {
            let res = app
                .request(Method::GET, path, w.session(who))
                .send()
                .await
                .expect("request");
            let want = match who {
                Who::Anonymous => 401,
                Who::ManagerA | Who::ManagerB => 403,
                Who::AdminU | Who::AdminV => 200,
            };
            check(path, who, res.status().as_u16(), want);
            if who == Who::AdminV && res.status() == 200 {
                let text = res.text().await.expect("body");
                if text.contains(w.a.as_str()) || text.contains("bj-chaoyang") {
                    check(&format!("{path} shows union U's data"), who, 0, 200);
                }
            }
        }
    }
    // Manager reads are scoped too: B's manager never sees A's station or report.
    let mine: Value = app
        .request(
            Method::GET,
            "/api/v1/manage/reports",
            w.session(Who::ManagerB),
        )
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(mine["reports"], json!([]));
    let anon = app
        .request(
            Method::GET,
            "/api/v1/manage/stations",
            w.session(Who::Anonymous),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(anon.status(), 401);

    // The allowed cells succeed.
    for (station, who) in [
        (&w.a, Who::ManagerA),
        (&w.a, Who::AdminU),
        (&w.b, Who::ManagerB),
        (&w.b, Who::AdminU),
    ] {
        let v = w.version(station).await;
        let res = app
            .request(
                Method::PATCH,
                &format!("/api/v1/stations/{station}/status"),
                w.session(who),
            )
            .header("If-Match", format!("\"{v}\""))
            .json(&status_body)
            .send()
            .await
            .expect("request");
        check(
            &format!("PATCH status {station}"),
            who,
            res.status().as_u16(),
            200,
        );
    }
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/manage/reports/{}/resolve", w.report_a),
            w.session(Who::ManagerA),
        )
        .json(&json!({"reply": "已修"}))
        .send()
        .await
        .expect("request");
    check(
        "POST resolve report of A",
        Who::ManagerA,
        res.status().as_u16(),
        200,
    );
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/manage/reports/{}/resolve", w.report_a),
            w.session(Who::AdminU),
        )
        .json(&json!({"reply": "已修好"}))
        .send()
        .await
        .expect("request");
    check(
        "POST resolve report of A",
        Who::AdminU,
        res.status().as_u16(),
        200,
    );
    let u = w.session(Who::AdminU);
    let res = app
        .request(Method::POST, "/api/v1/admin/stations", u)
        .json(&new_station("matrix-new", "bj-chaoyang"))
        .send()
        .await
        .expect("request");
    check(
        "POST admin/stations in U",
        Who::AdminU,
        res.status().as_u16(),
        201,
    );
    let res = app
        .request(
            Method::POST,
            "/api/v1/admin/stations",
            w.session(Who::AdminV),
        )
        .json(&new_station("matrix-v", "bj-haidian"))
        .send()
        .await
        .expect("request");
    check(
        "POST admin/stations in V",
        Who::AdminV,
        res.status().as_u16(),
        201,
    );
    let res = app
        .request(Method::POST, "/api/v1/admin/accounts", u)
        .json(&json!({"username": "matrix-user", "display_name": "x"}))
        .send()
        .await
        .expect("request");
    check(
        "POST admin/accounts in U",
        Who::AdminU,
        res.status().as_u16(),
        201,
    );
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/admin/accounts/{}/password", w.manager_a_id),
            u,
        )
        .send()
        .await
        .expect("request");
    check(
        "POST admin/accounts/managerA/password",
        Who::AdminU,
        res.status().as_u16(),
        200,
    );
    let res = app
        .request(
            Method::PATCH,
            &format!("/api/v1/admin/accounts/{}", w.manager_a_id),
            u,
        )
        .json(&json!({"disabled": true}))
        .send()
        .await
        .expect("request");
    check(
        "PATCH admin/accounts/managerA",
        Who::AdminU,
        res.status().as_u16(),
        200,
    );
    // Session writes: anyone signed in may sign themselves out; anonymous gets 401.
    let res = app
        .request(Method::DELETE, "/api/v1/session", w.session(Who::Anonymous))
        .send()
        .await
        .expect("request");
    check("DELETE session", Who::Anonymous, res.status().as_u16(), 401);
    let res = app
        .request(
            Method::DELETE,
            "/api/v1/sessions",
            w.session(Who::Anonymous),
        )
        .send()
        .await
        .expect("request");
    check(
        "DELETE sessions",
        Who::Anonymous,
        res.status().as_u16(),
        401,
    );
    let res = app
        .request(
            Method::POST,
            "/api/v1/session/password",
            w.session(Who::Anonymous),
        )
        .json(&json!({"current": "x", "new": "y"}))
        .send()
        .await
        .expect("request");
    check(
        "POST session/password",
        Who::Anonymous,
        res.status().as_u16(),
        401,
    );

    assert!(
        failures.is_empty(),
        "authorisation matrix:\n{}",
        failures.join("\n")
    );
}
