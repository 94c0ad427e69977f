//! Signed-in staff: sign-in and sessions, a manager keeping status without silent overwrites,
//! the report inbox, and union admins' stations, import/export, people and audit log; with the
//! bad inputs of each.

use reqwest::Method;
use serde_json::{json, Value};
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::helpers::{Session, TestApp};

async fn json_of(res: reqwest::Response) -> Value {
    res.json().await.expect("json body")
}

/// The manager's first station as the manage API shows it.
async fn managed(app: &TestApp, who: &Session) -> Value {
    let res = app
        .request(Method::GET, "/api/v1/manage/stations", who)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    json_of(res).await["stations"][0].clone()
}

fn status_body(station: &Value, state: &str, notice: &str) -> Value {
    let first = station["amenities"][0]["code"].clone();
    json!({"state": state, "notice": notice, "amenities": [{"code": first, "state": "out_of_order"}]})
}

async fn patch_status(
    app: &TestApp,
    who: &Session,
    id: &str,
    if_match: Option<String>,
    body: &Value,
) -> reqwest::Response {
    let mut req = app.request(Method::PATCH, &format!("/api/v1/stations/{id}/status"), who);
    if let Some(v) = if_match {
        req = req.header("If-Match", v);
    }
    req.json(body).send().await.expect("request")
}

#[tokio::test]
async fn signing_in_makes_a_fresh_strict_session_and_signing_out_ends_it() {
    let app = TestApp::spawn().await;
    let a = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let b = app.sign_in("Wangjing-Manager", DEMO_MANAGER.1).await;
    assert_ne!(a.cookie, b.cookie, "a new session id at every sign-in");
    assert_eq!(a.account["role"], "manager");
    assert!(a.account.get("password_hash").is_none());
    let res = app
        .client
        .post(format!("{}/api/v1/session", app.base))
        .json(&json!({"username": DEMO_ADMIN.0, "password": DEMO_ADMIN.1}))
        .send()
        .await
        .expect("request");
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http on loopback");
    assert_eq!(res.headers()["cache-control"], "no-store");

    let me = app
        .request(Method::GET, "/api/v1/session", &a)
        .send()
        .await
        .expect("request");
    assert_eq!(me.status(), 200);
    // Sign out of session a: a is gone, b still works.
    let out = app
        .request(Method::DELETE, "/api/v1/session", &a)
        .send()
        .await
        .expect("request");
    assert_eq!(out.status(), 204);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .contains("Max-Age=0"));
    let gone = app
        .request(Method::GET, "/api/v1/session", &a)
        .send()
        .await
        .expect("request");
    assert_eq!(gone.status(), 401);
    assert_eq!(json_of(gone).await["error"]["code"], "unauthenticated");
    // Everywhere: b and a third session end together.
    let c = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let all = app
        .request(Method::DELETE, "/api/v1/sessions", &b)
        .send()
        .await
        .expect("request");
    assert_eq!(all.status(), 204);
    for s in [&b, &c] {
        let r = app
            .request(Method::GET, "/api/v1/session", s)
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), 401);
    }
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_then_locked_with_a_wait_in_minutes() {
    let app = TestApp::spawn().await;
    let try_in = |user: &'static str, pass: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/v1/session", app.base))
                .json(&json!({"username": user, "password": pass}))
                .send()
                .await
                .expect("request")
        }
    };
    let unknown = try_in("nobody-here", "whatever-password").await;
    assert_eq!(unknown.status(), 401);
    let unknown = json_of(unknown).await;
    let wrong = try_in(DEMO_MANAGER.0, "not-the-password").await;
    assert_eq!(wrong.status(), 401);
    let wrong = json_of(wrong).await;
    assert_eq!(
        unknown, wrong,
        "an unknown name and a wrong password read the same"
    );
    assert_eq!(wrong["error"]["message"], "用户名或密码不对。");
    for _ in 0..4 {
        assert_eq!(
            try_in(DEMO_MANAGER.0, "not-the-password").await.status(),
            401
        );
    }
    // Five failures: locked, even with the right password, with a wait in minutes.
    let locked = try_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    assert_eq!(locked.status(), 429);
    let retry: u64 = locked.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((800..=900).contains(&retry), "{retry}");
    let body = json_of(locked).await;
    assert_eq!(body["error"]["message"], "次数太多了，请 15 分钟后再试。");
    // Another account from the same address still signs in.
    app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    // Missing fields are named.
    let empty = try_in("", "").await;
    assert_eq!(empty.status(), 422);
    assert_eq!(
        json_of(empty).await["error"]["fields"],
        json!({"username": "missing", "password": "missing"})
    );
}

#[tokio::test]
async fn sessions_end_after_two_idle_hours_and_after_seven_days() {
    let app = TestApp::spawn().await;
    let idle = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let old = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    app.sql(&format!(
        "UPDATE sessions SET last_seen_at = last_seen_at - 2 * 3600 - 5 WHERE account_id = '{}'",
        idle.account["id"].as_str().expect("id")
    ))
    .await
    .expect("sql");
    app.sql(&format!(
        "UPDATE sessions SET created_at = created_at - 7 * 86400 - 5 WHERE account_id = '{}'",
        old.account["id"].as_str().expect("id")
    ))
    .await
    .expect("sql");
    for s in [&idle, &old] {
        let res = app
            .request(Method::GET, "/api/v1/session", s)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 401);
        let body = json_of(res).await;
        assert_eq!(body["error"]["code"], "session_expired");
        assert_eq!(body["error"]["message"], "登录已过期，请重新登录。");
    }
}

#[tokio::test]
async fn a_manager_sets_status_and_a_stale_save_is_refused_with_both_versions() {
    let app = TestApp::spawn().await;
    let me = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let station = managed(&app, &me).await;
    let id = station["id"].as_str().expect("id").to_owned();
    let v = station["version"].as_u64().expect("version");

    // No If-Match: 428. A forged CSRF token: 403, nothing written.
    let res = patch_status(&app, &me, &id, None, &status_body(&station, "closed", "")).await;
    assert_eq!(res.status(), 428);
    let forged = Session {
        csrf: "forged".into(),
        ..me.clone()
    };
    let res = patch_status(
        &app,
        &forged,
        &id,
        Some(format!("\"{v}\"")),
        &status_body(&station, "closed", ""),
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(json_of(res).await["error"]["code"], "csrf_failed");
    let res = app
        .request(
            Method::PATCH,
            &format!("/api/v1/stations/{id}/status"),
            &Session {
                csrf: String::new(),
                ..me.clone()
            },
        )
        .header("If-Match", format!("\"{v}\""))
        .json(&status_body(&station, "closed", ""))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403, "no token at all");

    // Notice too long, state unknown, an amenity the station lacks: 422 by field.
    let mut bad = status_body(&station, "unknown", &"修".repeat(201));
    bad["amenities"] = json!([{"code": "shower", "state": "ok"}, {"code": station["amenities"][0]["code"], "state": "ok"}]);
    let has_shower = station["amenities"]
        .as_array()
        .expect("list")
        .iter()
        .any(|a| a["code"] == "shower");
    let res = patch_status(&app, &me, &id, Some(format!("\"{v}\"")), &bad).await;
    assert_eq!(res.status(), 422);
    let fields = json_of(res).await["error"]["fields"].clone();
    assert_eq!(fields["notice"], "too_long");
    assert_eq!(fields["state"], "invalid");
    if !has_shower {
        assert_eq!(fields["amenities[0].code"], "unknown");
    }
    assert_eq!(managed(&app, &me).await["version"], v, "nothing written");

    // A good save: new version, riders see it at once.
    let body = status_body(&station, "closed", " 微波炉维修中，周五恢复 ");
    let res = patch_status(&app, &me, &id, Some(format!("\"{v}\"")), &body).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["etag"], format!("\"{}\"", v + 1));
    let saved = json_of(res).await;
    assert_eq!(saved["status"]["state"], "closed");
    assert_eq!(saved["status"]["notice"], "微波炉维修中，周五恢复");
    let public = app.get_json(&format!("/api/v1/stations/{id}")).await;
    assert_eq!(public["status"]["state"], "closed");
    assert_eq!(public["amenities"][0]["state"], "out_of_order");

    // The same old version again (another phone): 412 with the station as it is now.
    let other = status_body(&station, "open", "");
    let res = patch_status(&app, &me, &id, Some(format!("\"{v}\"")), &other).await;
    assert_eq!(res.status(), 412);
    let body412 = json_of(res).await;
    assert_eq!(body412["error"]["code"], "stale");
    assert_eq!(
        body412["current"]["status"]["notice"],
        "微波炉维修中，周五恢复"
    );
    assert_eq!(body412["current"]["version"], v + 1);
    // Garbage in If-Match matches nothing.
    let res = patch_status(&app, &me, &id, Some("\"abc\"".into()), &other).await;
    assert_eq!(res.status(), 412);

    // "Still accurate": the same status again moves confirmed_at and expires_at forward.
    app.sql(&format!("UPDATE stations SET confirmed_at = confirmed_at - 3600, expires_at = expires_at - 3600 WHERE id = '{id}'"))
        .await
        .expect("sql");
    let before = managed(&app, &me).await;
    let same = json!({"state": "closed", "notice": "微波炉维修中，周五恢复", "amenities": []});
    let res = patch_status(&app, &me, &id, Some(format!("W/\"{}\"", v + 1)), &same).await;
    assert_eq!(res.status(), 200);
    let after = json_of(res).await;
    assert!(after["status"]["expires_at"].as_str() > before["status"]["expires_at"].as_str());
    assert_eq!(
        after["amenities"][0]["state"], "out_of_order",
        "left-out amenities keep their state"
    );
}

#[tokio::test]
async fn riders_reports_reach_the_inbox_and_the_reply_reaches_the_station_page() {
    let app = TestApp::spawn().await;
    let me = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let station = managed(&app, &me).await;
    let id = station["id"].as_str().expect("id");
    let amenity = station["amenities"][0]["code"].clone();
    for (device, body) in [
        (
            "device-inbox-000001",
            json!({"kind": "amenity_broken", "amenity": amenity}),
        ),
        (
            "device-inbox-000002",
            json!({"kind": "other", "text": "<b>门口</b>有积水"}),
        ),
        ("device-inbox-000003", json!({"kind": "confirm"})),
    ] {
        let res = app
            .client
            .post(format!("{}/api/v1/stations/{id}/reports", app.base))
            .header("X-Device-Id", device)
            .json(&body)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 201);
    }
    let inbox = json_of(
        app.request(
            Method::GET,
            &format!("/api/v1/manage/reports?station={id}"),
            &me,
        )
        .send()
        .await
        .expect("request"),
    )
    .await;
    let reports = inbox["reports"].as_array().expect("list");
    assert_eq!(reports.len(), 2, "confirmations are not faults");
    assert_eq!(reports[1]["kind"], "amenity_broken");
    assert_eq!(reports[0]["text"], "<b>门口</b>有积水", "stored as text");
    let report = reports[0]["id"].as_str().expect("id");

    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/manage/reports/{report}/resolve"),
            &me,
        )
        .json(&json!({"reply": ""}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 422);
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/manage/reports/{report}/resolve"),
            &me,
        )
        .json(&json!({"reply": "好".repeat(201)}))
        .send()
        .await
        .expect("request");
    assert_eq!(json_of(res).await["error"]["fields"]["reply"], "too_long");
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/manage/reports/{report}/resolve"),
            &me,
        )
        .json(&json!({"reply": " 已清理，谢谢提醒 "}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert!(json_of(res).await["resolved_at"].is_string());
    let public = app.get_json(&format!("/api/v1/stations/{id}")).await;
    assert_eq!(public["replies"][0]["reply"], "已清理，谢谢提醒");
    assert_eq!(public["replies"][0]["kind"], "other");
}

pub(crate) const CSV_HEADER: &str =
    "id,name,address,district,union_id,lat,lng,datum,hours,phone,amenities,hidden\n";

pub(crate) async fn import(
    app: &TestApp,
    who: &Session,
    query: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    app.request(Method::POST, &format!("/api/v1/admin/import?{query}"), who)
        .header("Content-Type", "text/csv")
        .body(body)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn an_admin_imports_previews_then_commits_all_or_nothing_and_exports() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let good = format!(
        "{CSV_HEADER}cy-import-1,<script>alert(1)</script>驿站,望京街 1 号,朝阳区,bj-chaoyang,39.99,116.47,,24/7,010-1234,water;charging,0\n\
         cy-import-2,高德坐标驿站,望京街 2 号,朝阳区,bj-chaoyang,40.0013,116.4771,gcj02,Mo-Su 08:00-20:00,,microwave,0\n"
    );
    let bad = format!(
        "{good}cy-import-1,重复,望京街 3 号,朝阳区,bj-chaoyang,39.9,116.4,,24/7,,,0\n\
         cy-import-4,坏坐标,望京街 4 号,朝阳区,bj-chaoyang,north,116.4,,24/7,,,0\n\
         cy-import-5,别人的工会,望京街 5 号,海淀区,bj-haidian,39.9,116.3,,24/7,,,0\n"
    );
    // Preview: per-row errors, nothing written.
    let res = import(&app, &admin, "commit=0", bad.clone()).await;
    assert_eq!(res.status(), 200);
    let preview = json_of(res).await;
    assert_eq!(preview["committed"], false);
    assert_eq!(preview["rows"][0]["action"], "create");
    assert_eq!(preview["rows"][2]["errors"]["id"], "duplicate");
    assert_eq!(preview["rows"][3]["errors"]["lat"], "invalid");
    assert_eq!(preview["rows"][4]["errors"]["union_id"], "unknown");
    // Commit with errors: 422 naming rows, and still nothing written.
    let res = import(&app, &admin, "commit=1", bad).await;
    assert_eq!(res.status(), 422);
    let fields = json_of(res).await["error"]["fields"].clone();
    assert_eq!(fields["rows[4].id"], "duplicate", "CSV line 4");
    assert_eq!(app.get("/api/v1/stations/cy-import-1").await.status(), 404);
    // Clean file: committed.
    let res = import(&app, &admin, "commit=1", good).await;
    assert_eq!(res.status(), 200);
    let done = json_of(res).await;
    assert_eq!(
        (done["committed"].clone(), done["creates"].clone()),
        (json!(true), json!(2))
    );
    let s1 = app.get_json("/api/v1/stations/cy-import-1").await;
    assert_eq!(
        s1["name"], "<script>alert(1)</script>驿站",
        "text kept as text"
    );
    let s2 = app.get_json("/api/v1/stations/cy-import-2").await;
    let lat = s2["location"]["lat"].as_f64().expect("lat");
    assert!(
        (lat - 40.0013).abs() > 0.0005,
        "GCJ-02 converted to WGS-84: {lat}"
    );

    // A missing column (the file reads but is no station list), bytes that are not UTF-8, a
    // 20 MB upload.
    let res = import(&app, &admin, "", "id,address\nx,y\n").await;
    assert_eq!(res.status(), 422);
    let fields = json_of(res).await["error"]["fields"].clone();
    assert_eq!(fields["columns.name"], "missing");
    assert_eq!(
        import(&app, &admin, "", vec![0xffu8, 0xfe, 0x00])
            .await
            .status(),
        400
    );
    assert_eq!(
        import(&app, &admin, "", vec![b'a'; 20 * 1024 * 1024])
            .await
            .status(),
        413
    );
    assert_eq!(
        import(&app, &admin, "datum=mars", CSV_HEADER)
            .await
            .status(),
        400
    );

    // Export: the admin's stations, hidden ones too, with the BOM Excel needs.
    let res = app
        .request(Method::GET, "/api/v1/admin/export.csv", &admin)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let csv = res.text().await.expect("text");
    assert!(csv.starts_with("\u{feff}id,name,"));
    assert!(csv.contains("cy-import-2"));
    assert!(!csv.contains("bj-haidian"), "only the admin's unions");
    let geo = app
        .request(Method::GET, "/api/v1/admin/export.geojson", &admin)
        .send()
        .await
        .expect("request");
    let geo: Value = geo.json().await.expect("geojson");
    assert_eq!(geo["type"], "FeatureCollection");
}

#[tokio::test]
async fn an_admin_creates_edits_and_hides_stations_without_silent_overwrites() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let draft = json!({
        "id": "cy-new-1", "name": "新驿站 <i>x</i>", "address": "朝阳路 9 号", "district": "朝阳区",
        "union_id": "bj-chaoyang", "lat": 39.92, "lng": 116.5, "hours": "Mo-Fr 09:00-18:00",
        "amenities": ["water", "toilet"]
    });
    let res = app
        .request(Method::POST, "/api/v1/admin/stations", &admin)
        .json(&draft)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 201);
    let created = json_of(res).await;
    assert_eq!(created["hidden"], false);
    assert_eq!(
        created["status"]["state"], "unknown",
        "no manager has said yet"
    );
    let res = app
        .request(Method::POST, "/api/v1/admin/stations", &admin)
        .json(&draft)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 409);
    assert_eq!(json_of(res).await["error"]["fields"]["id"], "duplicate");
    let mut worse = draft.clone();
    worse["id"] = json!("cy-new-2");
    worse["lat"] = json!(95.0);
    worse["hours"] = json!("whenever");
    let res = app
        .request(Method::POST, "/api/v1/admin/stations", &admin)
        .json(&worse)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 422);
    let f = json_of(res).await["error"]["fields"].clone();
    assert_eq!(
        (f["lat"].clone(), f["hours"].clone()),
        (json!("out_of_range"), json!("invalid"))
    );

    let mut hide = draft.clone();
    hide["hidden"] = json!(true);
    let put = |body: Value, tag: Option<&'static str>| {
        let mut req = app.request(Method::PUT, "/api/v1/admin/stations/cy-new-1", &admin);
        if let Some(t) = tag {
            req = req.header("If-Match", t);
        }
        req.json(&body).send()
    };
    assert_eq!(
        put(hide.clone(), None).await.expect("request").status(),
        428
    );
    let res = put(hide.clone(), Some("\"1\"")).await.expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.get("/api/v1/stations/cy-new-1").await.status(),
        404,
        "hidden from riders"
    );
    let res = put(draft.clone(), Some("\"1\"")).await.expect("request");
    assert_eq!(res.status(), 412, "version 1 is gone");
    assert_eq!(json_of(res).await["current"]["version"], 2);
    let list = json_of(
        app.request(Method::GET, "/api/v1/admin/stations", &admin)
            .send()
            .await
            .expect("request"),
    )
    .await;
    let mine = list["stations"].as_array().expect("list");
    assert!(mine
        .iter()
        .any(|s| s["id"] == "cy-new-1" && s["hidden"] == true));
    assert!(mine.iter().all(|s| s["union"]["id"]
        .as_str()
        .is_some_and(|u| u.starts_with("bj-chaoyang"))));
}

#[tokio::test]
async fn an_admin_manages_people_and_every_change_is_in_the_append_only_log() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let stations = json_of(
        app.request(Method::GET, "/api/v1/admin/stations", &admin)
            .send()
            .await
            .expect("request"),
    )
    .await;
    let station = stations["stations"][5]["id"].clone();
    let res = app
        .request(Method::POST, "/api/v1/admin/accounts", &admin)
        .json(&json!({"username": "Li.Na", "display_name": "李娜", "stations": [station]}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 201);
    let issued = json_of(res).await;
    let password = issued["password"].as_str().expect("password").to_owned();
    let id = issued["account"]["id"].as_str().expect("id").to_owned();
    assert_eq!(issued["account"]["username"], "li.na");
    let lina = app.sign_in("li.na", &password).await;
    assert_eq!(managed(&app, &lina).await["id"], station);

    let dup = app
        .request(Method::POST, "/api/v1/admin/accounts", &admin)
        .json(&json!({"username": "li.na", "display_name": "又一个"}))
        .send()
        .await
        .expect("request");
    assert_eq!(dup.status(), 409);
    let foreign = app
        .request(Method::POST, "/api/v1/admin/accounts", &admin)
        .json(&json!({"username": "hd-x", "display_name": "x", "stations": ["no-such-station"]}))
        .send()
        .await
        .expect("request");
    assert_eq!(
        json_of(foreign).await["error"]["fields"]["stations[0]"],
        "unknown"
    );

    // Reset: the old password and the old sessions stop working.
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/admin/accounts/{id}/password"),
            &admin,
        )
        .send()
        .await
        .expect("request");
    let new_password = json_of(res).await["password"]
        .as_str()
        .expect("password")
        .to_owned();
    assert_eq!(
        app.request(Method::GET, "/api/v1/session", &lina)
            .send()
            .await
            .expect("request")
            .status(),
        401
    );
    let lina = app.sign_in("li.na", &new_password).await;
    // Disable: signed out, cannot sign in.
    let res = app
        .request(
            Method::PATCH,
            &format!("/api/v1/admin/accounts/{id}"),
            &admin,
        )
        .json(&json!({"disabled": true}))
        .send()
        .await
        .expect("request");
    assert_eq!(json_of(res).await["disabled"], true);
    assert_eq!(
        app.request(Method::GET, "/api/v1/session", &lina)
            .send()
            .await
            .expect("request")
            .status(),
        401
    );
    let res = app
        .client
        .post(format!("{}/api/v1/session", app.base))
        .json(&json!({"username": "li.na", "password": new_password}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 401);
    // An admin cannot lock themself out.
    let me = admin.account["id"].as_str().expect("id");
    let res = app
        .request(
            Method::PATCH,
            &format!("/api/v1/admin/accounts/{me}"),
            &admin,
        )
        .json(&json!({"disabled": true}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 422);

    let log = json_of(
        app.request(Method::GET, "/api/v1/admin/audit", &admin)
            .send()
            .await
            .expect("request"),
    )
    .await;
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        &actions[..3],
        ["account.update", "account.password", "account.create"]
    );
    let update = &log["entries"][0];
    assert_eq!(update["actor"], DEMO_ADMIN.0);
    assert_eq!(
        update["changes"],
        json!([{"field": "disabled", "before": "false", "after": "true"}])
    );
    // Append-only, even for someone with the database.
    assert!(app
        .sql("UPDATE audit_log SET actor = 'nobody'")
        .await
        .is_err());
    assert!(app.sql("DELETE FROM audit_log").await.is_err());
}
