//! Safe out of the box, tried as an attacker would: no demo accounts unless asked for, sign-in
//! and lookup limits that hold under parallel guesses and never lock the owner out, a bounded
//! pool for password hashing, sessions their owner can see and end, retention of what limits
//! count, audit entries written with their change, scope that follows a moved station, and
//! bounded work per request.

use std::time::{Duration, Instant};

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};
use yizhan_core::Timestamp;
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};
use yizhan_server::startup::{Server, StartupError};

use crate::applications::{applied, apply, count, form, station_of};
use crate::helpers::{settings_in, Session, TestApp};

async fn sign_in_from(app: &TestApp, user: &str, password: &str, from: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/session", app.base))
        .header("X-Forwarded-For", from)
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .expect("request")
}

/// A server behind a trusted proxy on loopback, so each test can speak from many addresses.
async fn behind_proxy() -> TestApp {
    TestApp::spawn_with(|s| s.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")]).await
}

/// Makes a deployment's first admin (and their union) the way `yizhan-server create-admin`
/// does, with the password "a long enough password".
async fn first_admin(database_url: &str, union: &str, union_name: &str, username: &str) {
    let db = yizhan_server::db::Db::connect(database_url)
        .await
        .expect("db");
    yizhan_server::bootstrap::create_admin(
        &db,
        yizhan_server::bootstrap::NewAdmin {
            union_id: union,
            union_name: Some(union_name),
            username,
            display_name: username,
            password: Some("a long enough password".into()),
        },
    )
    .await
    .expect("admin created");
    db.close().await;
}

// ---- demo only when asked ----------------------------------------------------------------

#[tokio::test]
async fn a_server_started_without_yizhan_demo_seeds_nothing_and_knows_no_published_password() {
    // Given a server started the way a union's IT department would, without YIZHAN_DEMO
    let app = TestApp::spawn_with(|s| s.demo = false).await;
    // Then it serves no stations
    let list = app.get_json("/api/v1/stations").await;
    assert_eq!(list["total"], 0);
    // And the README's demo passwords open nothing
    for (user, password) in [DEMO_ADMIN, DEMO_MANAGER] {
        let res = sign_in_from(&app, user, password, "127.0.0.1").await;
        assert_eq!(res.status(), 401, "{user}");
    }
}

#[tokio::test]
async fn create_admin_before_the_first_start_works_with_and_without_demo_data() {
    // Given a fresh database whose first admin was made on the command line, for a union the
    // demo data also has
    let dir = tempfile::tempdir().expect("dir");
    let settings = settings_in(dir.path());
    first_admin(
        &settings.database_url,
        "bj-chaoyang",
        "朝阳区总工会",
        "li-admin",
    )
    .await;
    // When the server starts on it with demo data asked for
    let url = settings.database_url.clone();
    let app = TestApp::spawn_with(move |s| s.database_url = url).await;
    // Then it starts, seeds the stations, keeps the real admin, and adds no demo account
    assert_eq!(app.get_json("/api/v1/stations").await["total"], 300);
    let me = app.sign_in("li-admin", "a long enough password").await;
    assert_eq!(me.account["union"]["id"], "bj-chaoyang");
    let demo = sign_in_from(&app, DEMO_ADMIN.0, DEMO_ADMIN.1, "127.0.0.1").await;
    assert_eq!(demo.status(), 401);
}

#[tokio::test]
async fn an_https_server_refuses_demo_data_and_a_database_holding_demo_accounts() {
    let dir = tempfile::tempdir().expect("dir");
    // Given demo data asked for on a public https address
    let mut https = settings_in(dir.path());
    https.public_url = "https://yizhan.example.org".into();
    let refused = Server::build(https.clone()).await.err();
    assert!(matches!(refused, Some(StartupError::DemoOverHttps)));
    // Given a database that began as a demo (its accounts are still there)
    let demo = Server::build(settings_in(dir.path())).await.expect("demo");
    drop(demo);
    // When it is started on https without demo data
    https.demo = false;
    let err = Server::build(https.clone())
        .await
        .err()
        .expect("refused")
        .to_string();
    // Then it refuses, naming the accounts and the command that removes them
    assert!(
        err.contains(DEMO_ADMIN.0) && err.contains(DEMO_MANAGER.0),
        "{err}"
    );
    assert!(err.contains("yizhan-server remove-demo-accounts"), "{err}");
    // And once they are removed it starts
    let db = yizhan_server::db::Db::connect(&https.database_url)
        .await
        .expect("db");
    let removed = yizhan_server::bootstrap::remove_demo_accounts(&db)
        .await
        .expect("removed");
    assert_eq!(removed.len(), 2);
    db.close().await;
    Server::build(https)
        .await
        .expect("starts without demo accounts");
}

// ---- sign-in ------------------------------------------------------------------------------

#[tokio::test]
async fn forty_guesses_sent_at_once_cost_at_most_the_limit_and_the_owner_still_signs_in() {
    // Given an attacker at one address sending 40 wrong passwords for one account at once
    let app = behind_proxy().await;
    let guesses = (0..40).map(|i| {
        let app = &app;
        async move {
            sign_in_from(app, DEMO_MANAGER.0, &format!("guess-{i}"), "203.0.113.9")
                .await
                .status()
                .as_u16()
        }
    });
    let answers = join_all(guesses).await;
    // Then exactly five passwords were checked; every other guess was refused unchecked
    let checked = answers.iter().filter(|s| **s == 401).count();
    let refused = answers.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (5, 35), "{answers:?}");
    // And the right password from the attacker's address is refused too
    let there = sign_in_from(&app, DEMO_MANAGER.0, DEMO_MANAGER.1, "203.0.113.9").await;
    assert_eq!(there.status(), 429);
    // But the owner, on their own phone's address, signs in
    let owner = sign_in_from(&app, DEMO_MANAGER.0, DEMO_MANAGER.1, "198.51.100.20").await;
    assert_eq!(owner.status(), 200);
}

#[tokio::test]
async fn guesses_from_many_addresses_slow_the_account_but_never_lock_its_owner_out() {
    // Given wrong passwords for one account from twelve addresses (past the slow-down mark)
    let app = behind_proxy().await;
    for i in 0..12 {
        let res = sign_in_from(
            &app,
            DEMO_MANAGER.0,
            "wrong-password",
            &format!("203.0.113.{i}"),
        )
        .await;
        assert_eq!(res.status(), 401, "guess {i}");
    }
    // When the owner signs in from their address
    let started = Instant::now();
    let owner = sign_in_from(&app, DEMO_MANAGER.0, DEMO_MANAGER.1, "198.51.100.20").await;
    // Then they get in, after the slow-down
    assert_eq!(owner.status(), 200);
    assert!(
        started.elapsed() >= yizhan_server::routes::session::SLOW_DOWN,
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_flood_of_sign_ins_gets_busy_answers_instead_of_an_unbounded_queue_of_hashes() {
    // Given one password worker, and sign-ins that may not wait for it
    let app = TestApp::spawn_with(|s| {
        s.hash_workers = 1;
        s.hash_wait = Duration::ZERO;
    })
    .await;
    // When sixteen sign-ins (different names) arrive at once
    let tries = (0..16).map(|i| {
        let app = &app;
        async move {
            let res = sign_in_from(
                app,
                &format!("nobody-{i}"),
                "whatever-password",
                "127.0.0.1",
            )
            .await;
            let retry = res.headers().get("retry-after").is_some();
            let status = res.status().as_u16();
            let body: Value = res.json().await.expect("json");
            (
                status,
                retry,
                body["error"]["code"].as_str().unwrap_or("").to_owned(),
            )
        }
    });
    let answers = join_all(tries).await;
    // Then each is either checked (401) or refused at once as busy (503, Retry-After), never 500
    assert!(
        answers.iter().all(|(s, ..)| *s == 401 || *s == 503),
        "{answers:?}"
    );
    let busy: Vec<_> = answers.iter().filter(|(s, ..)| *s == 503).collect();
    assert!(
        !busy.is_empty(),
        "one worker cannot check sixteen at once: {answers:?}"
    );
    assert!(busy.iter().all(|(_, retry, code)| *retry && code == "busy"));
    // And a busy refusal does not count as a failure: only the checked ones were recorded
    let checked = i64::try_from(answers.iter().filter(|(s, ..)| *s == 401).count()).expect("n");
    let failures = count(&app, "SELECT COUNT(DISTINCT attempt) FROM sign_in_failures").await;
    assert_eq!(failures, checked);
}

// ---- application lookups and duplicates ----------------------------------------------------

#[tokio::test]
async fn twenty_lookup_guesses_at_once_cost_at_most_the_limit() {
    // Given an application, and someone guessing its phone number with 20 requests at once
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    let receipt = applied(&app, &form(&station, "13800001111")).await;
    let reference = receipt["reference"].as_str().expect("reference").to_owned();
    let guesses = (0..20).map(|i| {
        let app = &app;
        let body = json!({"reference": reference, "phone": format!("139000{i:05}")});
        async move {
            app.client
                .post(format!("{}/api/v1/applications/lookup", app.base))
                .json(&body)
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    });
    let answers = join_all(guesses).await;
    // Then five were checked and the rest refused unchecked
    let checked = answers.iter().filter(|s| **s == 404).count();
    assert_eq!(checked, 5, "{answers:?}");
    assert_eq!(answers.iter().filter(|s| **s == 429).count(), 15);
}

#[tokio::test]
async fn duplicate_checks_sent_at_once_cannot_test_more_phones_than_the_address_limit() {
    // Given one application from this address (one of its ten an hour)
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    applied(&app, &form(&station, "13800002222")).await;
    // When 20 copies of it are sent at once under new keys (each a duplicate-check probe)
    let probes = (0..20).map(|i| {
        let app = &app;
        let body = form(&station, "13800002222");
        async move {
            apply(app, &body, Some(&format!("probe-key-{i:04}")))
                .await
                .status()
                .as_u16()
        }
    });
    let answers = join_all(probes).await;
    // Then only the nine attempts left in the hour were answered 409; the rest 429
    assert_eq!(
        answers.iter().filter(|s| **s == 409).count(),
        9,
        "{answers:?}"
    );
    assert_eq!(answers.iter().filter(|s| **s == 429).count(), 11);
}

// ---- sessions -----------------------------------------------------------------------------

#[tokio::test]
async fn over_https_the_session_cookie_carries_the_host_prefix_and_still_works() {
    // Given a server on a public https address (so no demo data) with one admin
    let app = TestApp::spawn_with(|s| {
        s.demo = false;
        s.public_url = "https://yizhan.example.org".into();
    })
    .await;
    first_admin(&app.database_url, "sh", "上海市总工会", "sh-admin").await;
    // When they sign in
    let res = sign_in_from(&app, "sh-admin", "a long enough password", "127.0.0.1").await;
    assert_eq!(res.status(), 200);
    let set = res.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    // Then the cookie is __Host-: Secure, Path=/, no Domain
    assert!(set.starts_with("__Host-yizhan_session="), "{set}");
    assert!(set.contains("; Secure") && set.contains("Path=/") && !set.contains("Domain"));
    // And it signs requests in, while the unprefixed name does not
    let value = set.split(';').next().expect("pair").to_owned();
    let me = app
        .client
        .get(format!("{}/api/v1/session", app.base))
        .header("Cookie", &value)
        .send()
        .await
        .expect("request");
    assert_eq!(me.status(), 200);
    let plain = value.replacen("__Host-", "", 1);
    let other = app
        .client
        .get(format!("{}/api/v1/session", app.base))
        .header("Cookie", plain)
        .send()
        .await
        .expect("request");
    assert_eq!(other.status(), 401);
}

async fn sign_in_on(app: &TestApp, user_agent: &str) -> Session {
    let res = app
        .client
        .post(format!("{}/api/v1/session", app.base))
        .header("User-Agent", user_agent)
        .json(&json!({"username": DEMO_MANAGER.0, "password": DEMO_MANAGER.1}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let body: Value = res.json().await.expect("json");
    Session {
        cookie,
        csrf: body["csrf_token"].as_str().expect("csrf").to_owned(),
        account: body["account"].clone(),
    }
}

#[tokio::test]
async fn a_manager_sees_their_sessions_and_ends_one_left_on_another_phone() {
    // Given a manager signed in on a WeChat phone and on a desktop
    let app = TestApp::spawn().await;
    let phone = sign_in_on(
        &app,
        "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Chrome/86.0 Mobile Safari/537.36 MicroMessenger/8.0",
    )
    .await;
    let desk = sign_in_on(
        &app,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36",
    )
    .await;
    // When they list their sessions from the phone
    let res = app.send_as(Method::GET, "/api/v1/sessions", &phone).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let list: Value = res.json().await.expect("json");
    let sessions = list["sessions"].as_array().expect("sessions");
    // Then both show, labelled by device, the phone's marked as this one
    assert_eq!(sessions.len(), 2, "{list}");
    let mine = sessions
        .iter()
        .find(|s| s["current"] == true)
        .expect("current");
    assert_eq!(mine["device"], "Android · WeChat");
    let other = sessions
        .iter()
        .find(|s| s["current"] == false)
        .expect("other");
    assert_eq!(other["device"], "Windows · Chrome");
    // And no stored hash or cookie leaks into the ids
    let text = list.to_string();
    assert!(!text.contains(desk.cookie.split('=').nth(1).expect("value")));
    // When they end the desktop's session
    let id = other["id"].as_str().expect("id");
    let end = app
        .send_as(Method::DELETE, &format!("/api/v1/sessions/{id}"), &phone)
        .await;
    assert_eq!(end.status(), 204);
    // Then the desktop is signed out and the phone is not
    let gone = app.send_as(Method::GET, "/api/v1/session", &desk).await;
    assert_eq!(gone.status(), 401);
    let still = app.send_as(Method::GET, "/api/v1/session", &phone).await;
    assert_eq!(still.status(), 200);
    // And someone else's or a made-up session id is not found, and ending needs the CSRF token
    let unknown = app
        .send_as(Method::DELETE, "/api/v1/sessions/0123456789abcdef", &phone)
        .await;
    assert_eq!(unknown.status(), 404);
    let forged = app
        .client
        .delete(format!(
            "{}/api/v1/sessions/{}",
            app.base,
            mine["id"].as_str().expect("id")
        ))
        .header("Cookie", &phone.cookie)
        .send()
        .await
        .expect("request");
    assert_eq!(forged.status(), 403);
}

// ---- retention ----------------------------------------------------------------------------

#[tokio::test]
async fn the_purge_forgets_old_failures_report_hashes_idle_sessions_and_undecided_applications() {
    // Given, two days ago: a failed sign-in, a rider's report, a session last used, and an
    // application nobody decided for 200 days
    let app = TestApp::spawn().await;
    assert_eq!(
        sign_in_from(&app, DEMO_MANAGER.0, "wrong-password", "127.0.0.1")
            .await
            .status(),
        401
    );
    let station = station_of(&app, "bj-chaoyang").await;
    let report = app
        .client
        .post(format!("{}/api/v1/stations/{station}/reports", app.base))
        .header("X-Device-Id", "device-0123456789abcdef")
        .json(&json!({"kind": "confirm"}))
        .send()
        .await
        .expect("request");
    assert_eq!(report.status(), 201);
    app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    applied(&app, &form(&station, "13800003333")).await;
    let now = Timestamp::now();
    let two_days = now.plus_seconds(-2 * 86_400).unix();
    let long_ago = now.plus_seconds(-200 * 86_400).unix();
    for sql in [
        format!("UPDATE sign_in_failures SET at = {two_days}"),
        format!("UPDATE reports SET created_at = {two_days}"),
        format!("UPDATE sessions SET last_seen_at = {two_days}"),
        format!("UPDATE applications SET created_at = {long_ago}, updated_at = {long_ago}"),
    ] {
        app.sql(&sql).await.expect("backdate");
    }
    // When the purge runs with the default settings
    let db = yizhan_server::db::Db::connect(&app.database_url)
        .await
        .expect("db");
    let retention =
        yizhan_server::purge::Retention::from(&yizhan_server::config::Settings::default());
    let done = yizhan_server::purge::purge_once(&db, now, &retention)
        .await
        .expect("purge");
    db.close().await;
    // Then each is gone
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM sign_in_failures").await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM reports WHERE device_hash IS NOT NULL OR address_hash <> ''"
        )
        .await,
        0
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM reports").await,
        1,
        "the report itself stays"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM applications").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM application_events").await,
        0
    );
    assert_eq!(
        (
            done.pending_deleted,
            done.report_hashes_cleared,
            done.sessions_deleted
        ),
        (1, 1, 1)
    );
    assert!(done.failures_deleted >= 2, "{done:?}");
}

// ---- audit and scope ----------------------------------------------------------------------

#[tokio::test]
async fn an_account_change_whose_audit_entry_cannot_be_written_does_not_happen() {
    // Given an audit log that refuses account updates (a full disk, say)
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    if crate::helpers::on_postgres() {
        app.sql(
            "CREATE FUNCTION refuse_account_audit() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'disk full'; END; $$",
        )
        .await
        .expect("function");
        app.sql(
            "CREATE TRIGGER refuse_account_audit BEFORE INSERT ON audit_log FOR EACH ROW \
             WHEN (NEW.action = 'account.update') EXECUTE FUNCTION refuse_account_audit()",
        )
        .await
        .expect("trigger");
    } else {
        app.sql(
            "CREATE TRIGGER refuse_account_audit BEFORE INSERT ON audit_log \
             WHEN NEW.action = 'account.update' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
        )
        .await
        .expect("trigger");
    }
    let accounts: Value = app
        .json_as(Method::GET, "/api/v1/admin/accounts", &admin)
        .await;
    let manager = accounts["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["username"] == DEMO_MANAGER.0)
        .expect("manager")
        .clone();
    // When the admin renames the manager
    let res = app
        .request(
            Method::PATCH,
            &format!(
                "/api/v1/admin/accounts/{}",
                manager["id"].as_str().expect("id")
            ),
            &admin,
        )
        .json(&json!({"display_name": "新名字"}))
        .send()
        .await
        .expect("request");
    // Then it fails whole: the name is unchanged, since its log entry could not be written
    assert_eq!(res.status(), 500);
    let name = crate::applications::text(
        &app,
        &format!(
            "SELECT display_name FROM accounts WHERE username = '{}'",
            DEMO_MANAGER.0
        ),
    )
    .await;
    assert_eq!(name.as_deref(), manager["display_name"].as_str());
}

async fn audit_of(app: &TestApp, who: &Session) -> Vec<Value> {
    let page: Value = app.json_as(Method::GET, "/api/v1/admin/audit", who).await;
    page["entries"].as_array().expect("entries").clone()
}

#[tokio::test]
async fn an_import_that_updates_a_station_logs_what_it_was_before() {
    // Given a station of the admin's union
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let id = station_of(&app, "bj-chaoyang").await;
    let before = app.get_json(&format!("/api/v1/stations/{id}")).await;
    let old_name = before["name"].as_str().expect("name").to_owned();
    let union = before["union"]["id"].as_str().expect("union").to_owned();
    // When an import renames it
    let csv = format!(
        "id,name,address,district,union_id,lat,lng,datum,hours,phone,amenities,hidden\n\
         {id},改名后的驿站,望京街 1 号,朝阳区,{union},39.99,116.47,,24/7,,water,0\n"
    );
    let res = app
        .request(Method::POST, "/api/v1/admin/import?commit=1", &admin)
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    // Then the log's entry shows the old name beside the new one
    let entry = audit_of(&app, &admin)
        .await
        .into_iter()
        .find(|e| e["action"] == "station.import" && e["entity_id"] == id.as_str())
        .expect("import entry");
    let name = entry["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["field"] == "name")
        .expect("name change")
        .clone();
    assert_eq!(name["before"], json!(format!("\"{old_name}\"")));
    assert_eq!(name["after"], json!("\"改名后的驿站\""));
}

#[tokio::test]
async fn moving_a_station_to_another_union_ends_its_managers_there_and_both_logs_show_it() {
    // Given a city admin, a Haidian admin, and the Wangjing manager's first station
    let app = TestApp::spawn().await;
    app.create_admin("bj", "city-admin", "a long enough password")
        .await;
    app.create_admin("bj-haidian", "haidian-admin", "a long enough password")
        .await;
    let city = app.sign_in("city-admin", "a long enough password").await;
    let haidian = app.sign_in("haidian-admin", "a long enough password").await;
    let chaoyang = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let mine: Value = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let station = mine["stations"][0].clone();
    let id = station["id"].as_str().expect("id").to_owned();
    // When the city admin moves it to the Haidian union
    let current = app
        .send_as(Method::GET, "/api/v1/admin/stations", &city)
        .await;
    assert_eq!(current.status(), 200);
    let res = app
        .send_as(Method::GET, &format!("/api/v1/stations/{id}"), &city)
        .await;
    let version = res.headers()["etag"].to_str().expect("etag").to_owned();
    let s: Value = res.json().await.expect("json");
    let draft = json!({
        "id": id, "name": s["name"], "address": s["address"], "district": "海淀区",
        "union_id": "bj-haidian", "lat": s["location"]["lat"], "lng": s["location"]["lng"],
        "hours": s["hours"], "phone": s["phone"],
        "amenities": s["amenities"].as_array().expect("amenities").iter().map(|a| a["code"].clone()).collect::<Vec<_>>(),
        "hidden": false,
    });
    let moved = app
        .request(Method::PUT, &format!("/api/v1/admin/stations/{id}"), &city)
        .header("If-Match", version)
        .json(&draft)
        .send()
        .await
        .expect("request");
    assert_eq!(
        moved.status(),
        200,
        "{}",
        moved.text().await.unwrap_or_default()
    );
    // Then the Chaoyang manager no longer keeps it
    let after: Value = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    assert!(
        after["stations"]
            .as_array()
            .expect("list")
            .iter()
            .all(|s| s["id"] != id.as_str()),
        "{after}"
    );
    // And Chaoyang's log shows the move and the manager losing it; Haidian's shows it arriving
    let cy = audit_of(&app, &chaoyang).await;
    assert!(cy
        .iter()
        .any(|e| e["action"] == "station.move" && e["entity_id"] == id.as_str()));
    assert!(cy
        .iter()
        .any(|e| e["action"] == "account.unassign" && e["entity_id"] == DEMO_MANAGER.0));
    let hd = audit_of(&app, &haidian).await;
    assert!(hd
        .iter()
        .any(|e| e["action"] == "station.move" && e["entity_id"] == id.as_str()));
}

// ---- bounded work -------------------------------------------------------------------------

#[tokio::test]
async fn a_bulk_decision_over_the_cap_is_refused_before_any_work_even_when_ids_repeat() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    // 501 copies of one id: de-duplicated they would be one, but the cap counts what was sent
    let ids: Vec<&str> = std::iter::repeat_n("abc", 501).collect();
    let res = app
        .request(Method::POST, "/api/v1/admin/applications/decisions", &admin)
        .json(&json!({"ids": ids, "decision": "approve"}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["fields"]["ids"], "too_long");
}

#[tokio::test]
async fn healthz_is_never_cached() {
    let app = TestApp::spawn().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn the_geojson_feed_is_built_once_per_data_version_and_rate_limited() {
    // Given the feed fetched twice
    let app = TestApp::spawn().await;
    let first = app.get("/api/v1/stations.geojson").await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().expect("etag").to_owned();
    // When a manager changes a station, the feed shows the change (not a stale copy)
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let mine: Value = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let station = &mine["stations"][0];
    let id = station["id"].as_str().expect("id");
    let res = app
        .request(
            Method::PATCH,
            &format!("/api/v1/stations/{id}/status"),
            &manager,
        )
        .header("If-Match", format!("\"{}\"", station["version"]))
        .json(&json!({"state": "closed", "notice": "今天装修", "amenities": []}))
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let second = app.get("/api/v1/stations.geojson").await;
    assert_ne!(second.headers()["etag"].to_str().expect("etag"), etag);
    let text = second.text().await.expect("body");
    assert!(text.contains("今天装修"));
    // And past 30 a minute from one address, it is refused (61 requests span at most two
    // minutes, so at least one must be)
    let mut refused = 0;
    for _ in 0..61 {
        if app.get("/api/v1/stations.geojson").await.status() == 429 {
            refused += 1;
        }
    }
    assert!(refused > 0);
}

// ---- two-step sign-in ---------------------------------------------------------------------

async fn post_as(app: &TestApp, who: &Session, path: &str, body: &Value) -> reqwest::Response {
    app.request(Method::POST, path, who)
        .json(body)
        .send()
        .await
        .expect("request")
}

fn code_now(secret: &str) -> String {
    let now = u64::try_from(Timestamp::now().unix()).expect("time");
    yizhan_server::totp::code_at(secret, now).expect("code")
}

/// Turns on two-step sign-in for `who` (password `password`): its secret and recovery codes.
async fn turn_on_two_step(app: &TestApp, who: &Session, password: &str) -> (String, Vec<String>) {
    let setup = app
        .json_as(Method::POST, "/api/v1/session/two-step", who)
        .await;
    let secret: String = setup["secret"]
        .as_str()
        .expect("secret")
        .split_whitespace()
        .collect();
    let res = post_as(
        app,
        who,
        "/api/v1/session/two-step/confirm",
        &json!({"code": code_now(&secret), "password": password}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let codes: Value = res.json().await.expect("json");
    let codes = codes["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c.as_str().expect("code").to_owned())
        .collect();
    (secret, codes)
}

#[tokio::test]
async fn an_admin_required_to_use_two_step_can_only_set_it_up_then_signs_in_with_a_code() {
    // Given a deployment that requires two-step sign-in of admins
    let app = TestApp::spawn_with(|s| s.require_admin_totp = true).await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    // Then until it is set up, admin pages refuse and say why
    let refused = app
        .send_as(Method::GET, "/api/v1/admin/accounts", &admin)
        .await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["error"]["code"], "two_step_required");
    let me: Value = app.json_as(Method::GET, "/api/v1/session", &admin).await;
    assert_eq!(me["two_step"], json!({"enabled": false, "required": true}));
    // And a manager is not asked
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let ok = app
        .send_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    assert_eq!(ok.status(), 200);

    // When the admin starts set-up, gets the QR code, and confirms with a wrong then a right code
    let setup: Value = post_as(&app, &admin, "/api/v1/session/two-step", &json!({}))
        .await
        .json()
        .await
        .expect("json");
    let secret: String = setup["secret"]
        .as_str()
        .expect("secret")
        .split_whitespace()
        .collect();
    assert!(setup["uri"]
        .as_str()
        .expect("uri")
        .starts_with("otpauth://totp/Yizhan:chaoyang-admin"));
    let qr = app
        .send_as(Method::GET, "/api/v1/session/two-step/qr.svg", &admin)
        .await;
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert_eq!(qr.headers()["cache-control"], "no-store");
    let first_code = code_now(&secret);
    let wrong = post_as(
        &app,
        &admin,
        "/api/v1/session/two-step/confirm",
        &json!({"code": "000000", "password": DEMO_ADMIN.1}),
    )
    .await;
    // (a one-in-a-million chance that 000000 is right: then the rest of the test still holds)
    if wrong.status() == 422 {
        let body: Value = wrong.json().await.expect("json");
        assert_eq!(body["error"]["fields"]["code"], "invalid");
        let right = post_as(
            &app,
            &admin,
            "/api/v1/session/two-step/confirm",
            &json!({"code": first_code, "password": DEMO_ADMIN.1}),
        )
        .await;
        assert_eq!(right.status(), 200);
        let codes: Value = right.json().await.expect("json");
        assert_eq!(codes["codes"].as_array().expect("codes").len(), 10);
    }
    // Then admin pages answer, and starting again is refused
    let now_ok = app
        .send_as(Method::GET, "/api/v1/admin/accounts", &admin)
        .await;
    assert_eq!(now_ok.status(), 200);
    let again = post_as(&app, &admin, "/api/v1/session/two-step", &json!({})).await;
    assert_eq!(again.status(), 409);

    // When they sign in again: the password alone asks for a code (not counted as a failure)
    let res = sign_in_from(&app, DEMO_ADMIN.0, DEMO_ADMIN.1, "127.0.0.1").await;
    assert_eq!(res.status(), 401);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "code_required");
    assert_eq!(
        body["error"]["message"],
        "请输入验证器 App 里的 6 位验证码。"
    );
    // A code already used (set-up's) or a wrong one is refused; a wrong password never reaches
    // the code
    let used = app
        .client
        .post(format!("{}/api/v1/session", app.base))
        .json(&json!({"username": DEMO_ADMIN.0, "password": DEMO_ADMIN.1, "code": first_code}))
        .send()
        .await
        .expect("request");
    assert_eq!(used.status(), 401, "the set-up's code works once");
    let body: Value = used.json().await.expect("json");
    assert_eq!(body["error"]["code"], "wrong_code");
    let wrong_password = app
        .client
        .post(format!("{}/api/v1/session", app.base))
        .json(&json!({"username": DEMO_ADMIN.0, "password": "not-it-at-all", "code": "123456"}))
        .send()
        .await
        .expect("request");
    let body: Value = wrong_password.json().await.expect("json");
    assert_eq!(body["error"]["code"], "wrong_credentials");
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_and_another_admin_can_reset_two_step() {
    // Given an admin with two-step sign-in on, and their recovery codes
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let (_, codes) = turn_on_two_step(&app, &admin, DEMO_ADMIN.1).await;
    let recovery = codes[0].clone();
    // When they sign in with a recovery code (typed in capitals, with spaces)
    let typed = recovery.to_uppercase().replace('-', " ");
    let with = |code: String| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/v1/session", app.base))
                .json(&json!({"username": DEMO_ADMIN.0, "password": DEMO_ADMIN.1, "code": code}))
                .send()
                .await
                .expect("request")
                .status()
        }
    };
    assert_eq!(with(typed.clone()).await, 200);
    // Then it works once only
    assert_eq!(with(typed).await, 401);
    // When another admin of the union above resets it (a lost phone)
    app.create_admin("bj", "city-admin", "a long enough password")
        .await;
    let city = app.sign_in("city-admin", "a long enough password").await;
    let accounts: Value = app
        .json_as(Method::GET, "/api/v1/admin/accounts", &city)
        .await;
    let target = accounts["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .find(|a| a["username"] == DEMO_ADMIN.0)
        .expect("admin")
        .clone();
    assert_eq!(target["two_step"], true);
    let id = target["id"].as_str().expect("id");
    let reset = post_as(
        &app,
        &city,
        &format!("/api/v1/admin/accounts/{id}/two-step/reset"),
        &json!({}),
    )
    .await;
    assert_eq!(reset.status(), 204);
    // Then the password alone signs in again, their old sessions ended, and both logs tell
    let old = app.send_as(Method::GET, "/api/v1/session", &admin).await;
    assert_eq!(old.status(), 401);
    let back = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let log = audit_of(&app, &back).await;
    for action in [
        "account.two_step_on",
        "account.recovery_code",
        "account.two_step_reset",
    ] {
        assert!(
            log.iter().any(|e| e["action"] == action),
            "{action} missing"
        );
    }
    // And nobody resets their own
    let me = back.account["id"].as_str().expect("id").to_owned();
    let own = post_as(
        &app,
        &back,
        &format!("/api/v1/admin/accounts/{me}/two-step/reset"),
        &json!({}),
    )
    .await;
    assert_eq!(own.status(), 422);
}

#[tokio::test]
async fn bad_input_to_the_new_security_fields_is_refused_by_name() {
    // Given a manager part-way through two-step set-up
    let app = TestApp::spawn().await;
    let who = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    assert_eq!(
        post_as(&app, &who, "/api/v1/session/two-step", &json!({}))
            .await
            .status(),
        200
    );
    let long = "9".repeat(10_000);
    // Each of these must be refused, saying which field, and must not finish set-up
    let pw = DEMO_MANAGER.1;
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        (
            "empty code",
            json!({"code": "", "password": pw}),
            422,
            "code",
        ),
        (
            "five digits",
            json!({"code": "12345", "password": pw}),
            422,
            "code",
        ),
        (
            "seven digits",
            json!({"code": "1234567", "password": pw}),
            422,
            "code",
        ),
        (
            "letters",
            json!({"code": "abcdef", "password": pw}),
            422,
            "code",
        ),
        (
            "full-width digits",
            json!({"code": "１２３４５６", "password": pw}),
            422,
            "code",
        ),
        (
            "ten thousand digits",
            json!({"code": long, "password": pw}),
            422,
            "code",
        ),
        (
            "a number, not text",
            json!({"code": 123456, "password": pw}),
            400,
            "code",
        ),
        ("no code at all", json!({"password": pw}), 400, "code"),
        (
            "no password: a session alone must not turn it on",
            json!({"code": "123456"}),
            400,
            "password",
        ),
        (
            "a wrong password",
            json!({"code": "123456", "password": "not-the-password"}),
            422,
            "password",
        ),
    ];
    for (why, body, status, field) in cases {
        let res = post_as(&app, &who, "/api/v1/session/two-step/confirm", &body).await;
        assert_eq!(res.status().as_u16(), status, "{why}");
        let body: Value = res.json().await.expect("json");
        assert!(
            body["error"]["fields"].get(field).is_some(),
            "{why}: {body}"
        );
    }
    let me: Value = app.json_as(Method::GET, "/api/v1/session", &who).await;
    assert_eq!(me["two_step"]["enabled"], false);
    // Session ids that are not one of the account's are not found, whatever their shape
    for id in ["x", "0123456789abcdef0", "abc%00def", &"a".repeat(500)] {
        let res = app
            .send_as(Method::DELETE, &format!("/api/v1/sessions/{id}"), &who)
            .await;
        assert_eq!(res.status(), 404, "{id}");
    }
    // A sign-in code sent for an account without two-step changes nothing: the password rules
    let res = app
        .client
        .post(format!("{}/api/v1/session", app.base))
        .json(&json!({"username": DEMO_MANAGER.0, "password": DEMO_MANAGER.1, "code": "x".repeat(5000)}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn wrong_second_step_codes_are_capped_per_account_from_anywhere_but_recovery_codes_still_work(
) {
    // Given an admin with two-step on, and someone who has their password
    let app = behind_proxy().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let (secret, codes) = turn_on_two_step(&app, &admin, DEMO_ADMIN.1).await;
    let recovery = codes[0].clone();
    let with = |code: String, from: String| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/v1/session", app.base))
                .header("X-Forwarded-For", from)
                .json(&json!({"username": DEMO_ADMIN.0, "password": DEMO_ADMIN.1, "code": code}))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    };
    // When wrong codes come from a different address each (so no address limit applies)
    let mut answers = Vec::new();
    for i in 0..12 {
        // Never the right one: the code of an hour ago (or 000000 should they match)
        let hour_ago = u64::try_from(Timestamp::now().unix() - 3600).expect("time");
        let stale = yizhan_server::totp::code_at(&secret, hour_ago).expect("code");
        let guess = if stale == code_now(&secret) {
            "000000".to_owned()
        } else {
            stale
        };
        answers.push(with(guess, format!("203.0.113.{i}")).await);
    }
    // Then ten are checked and the rest refused unchecked
    assert_eq!(&answers[..10], &[401; 10], "{answers:?}");
    assert_eq!(&answers[10..], &[429, 429], "{answers:?}");
    // But the owner's recovery code still gets them in
    assert_eq!(with(recovery, "198.51.100.20".into()).await, 200);
}

#[tokio::test]
async fn a_stolen_session_cannot_guess_the_current_password_without_limit() {
    // Given someone holding a manager's signed-in session
    let app = TestApp::spawn().await;
    let who = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    // When they try current passwords to change it
    let mut answers = Vec::new();
    for i in 0..7 {
        let res = post_as(
            &app,
            &who,
            "/api/v1/session/password",
            &json!({"current": format!("guess-{i}"), "new": "a brand new password"}),
        )
        .await;
        answers.push(res.status().as_u16());
    }
    // Then five are checked and the rest refused, like sign-in guesses from that address
    assert_eq!(answers, vec![401, 401, 401, 401, 401, 429, 429]);
}

#[tokio::test]
async fn turning_on_two_step_signs_out_the_accounts_other_devices() {
    // Given a manager signed in on two devices
    let app = TestApp::spawn().await;
    let phone = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let other = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    // When two-step is turned on from the phone
    turn_on_two_step(&app, &phone, DEMO_MANAGER.1).await;
    // Then the other device (signed in with a password only) is signed out; the phone is not
    assert_eq!(
        app.send_as(Method::GET, "/api/v1/session", &other)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.send_as(Method::GET, "/api/v1/session", &phone)
            .await
            .status(),
        200
    );
}
