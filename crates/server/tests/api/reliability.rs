//! Nothing lost under concurrent writers: managers and admins saving the same station at once
//! while riders send reports get 200 or 412, never a 500, and every 200 is one version.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{json, Value};
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::helpers::{Session, TestApp};

/// The station as an admin's edit form would send it back, renamed.
fn draft(station: &Value, name: &str) -> Value {
    json!({
        "id": station["id"], "name": name, "address": station["address"],
        "district": station["district"], "union_id": station["union"]["id"],
        "lat": station["location"]["lat"], "lng": station["location"]["lng"],
        "hours": station["hours"], "phone": station["phone"],
        "amenities": station["amenities"].as_array().expect("amenities").iter()
            .map(|a| a["code"].clone()).collect::<Vec<_>>(),
        "hidden": false,
    })
}

/// Reads the station (its ETag is its version), then saves it with that version: a status
/// from the manager's phone, or a record edit from the admin's desk.
async fn save(app: &TestApp, who: &Session, id: &str, i: usize, record: bool) -> u16 {
    let res = app.get(&format!("/api/v1/stations/{id}")).await;
    let etag = res.headers()["etag"].to_str().expect("etag").to_owned();
    let station: Value = res.json().await.expect("json");
    let req = if record {
        app.request(Method::PUT, &format!("/api/v1/admin/stations/{id}"), who)
            .json(&draft(&station, &format!("驿站 {i}")))
    } else {
        let state = if i.is_multiple_of(4) {
            "closed"
        } else {
            "open"
        };
        app.request(Method::PATCH, &format!("/api/v1/stations/{id}/status"), who)
            .json(&json!({"state": state, "notice": format!("第 {i} 次"), "amenities": []}))
    };
    req.header("If-Match", etag)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn fifty_writers_on_one_station_get_200_or_412_and_the_version_counts_every_200() {
    // Given a station its manager and its union's admin both keep
    let app = TestApp::spawn().await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let mine = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let id = mine["stations"][0]["id"].as_str().expect("id").to_owned();
    let first = app.get_json(&format!("/api/v1/stations/{id}")).await["version"]
        .as_u64()
        .expect("version");
    // When 25 status saves and 25 record edits arrive at once, while riders send reports
    let writes = (0..50usize).map(|i| {
        let (app, id) = (&app, id.as_str());
        let who = if i.is_multiple_of(2) {
            &manager
        } else {
            &admin
        };
        async move { save(app, who, id, i, !i.is_multiple_of(2)).await }
    });
    let reports = (0..20).map(|i| {
        let (app, id) = (&app, id.as_str());
        async move {
            app.client
                .post(format!("{}/api/v1/stations/{id}/reports", app.base))
                .header("X-Device-Id", format!("device-{i:016}"))
                .json(&json!({"kind": "other", "text": format!("报告 {i}")}))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }
    });
    let (writes, reports) = tokio::join!(join_all(writes), join_all(reports));
    // Then every save is either taken (200) or told someone was first (412), never a 500
    assert!(writes.iter().all(|s| *s == 200 || *s == 412), "{writes:?}");
    assert!(reports.iter().all(|s| *s == 201), "{reports:?}");
    // And the station's version moved once per 200
    let taken = writes.iter().filter(|s| **s == 200).count();
    assert!(taken >= 1);
    let last = app.get_json(&format!("/api/v1/stations/{id}")).await["version"]
        .as_u64()
        .expect("version");
    assert_eq!(last, first + u64::try_from(taken).expect("count"));
}

/// The real server binary on `port`, on the database in `dir`, behind a "proxy" on loopback so
/// each write can come from its own address.
/// A server process that is killed when dropped, so a failing test leaves nothing running.
pub struct ServerProcess(std::process::Child);

impl std::ops::Deref for ServerProcess {
    type Target = std::process::Child;
    fn deref(&self) -> &std::process::Child {
        &self.0
    }
}

impl std::ops::DerefMut for ServerProcess {
    fn deref_mut(&mut self) -> &mut std::process::Child {
        &mut self.0
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn start_server(dir: &std::path::Path, port: u16) -> ServerProcess {
    start_server_with(dir, port, &[])
}

/// [`start_server`] with more environment; the log goes to `server.log` in `dir` (appended).
pub fn start_server_with(dir: &std::path::Path, port: u16, env: &[(&str, &str)]) -> ServerProcess {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .expect("log");
    ServerProcess(
        std::process::Command::new(env!("CARGO_BIN_EXE_yizhan-server"))
            .env("YIZHAN_ADDR", format!("127.0.0.1:{port}"))
            .env("YIZHAN_DATABASE_URL", crate::helpers::database_url_in(dir))
            .env("YIZHAN_DIST_DIR", dir.join("dist"))
            .env("YIZHAN_DEMO", "1")
            .env("YIZHAN_DEMO_STATIONS", "50")
            .env("YIZHAN_TRUSTED_PROXIES", "127.0.0.1")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("server starts"),
    )
}

/// Waits until `/readyz` answers 200.
pub async fn until_ready(client: &reqwest::Client, base: &str, server: &mut std::process::Child) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
            if r.status() == 200 {
                return;
            }
        }
        assert!(server.try_wait().expect("wait").is_none(), "server exited");
        assert!(
            std::time::Instant::now() < deadline,
            "server never became ready"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Sends report `i` (its own Idempotency-Key, device and address); `Some(status)` when the
/// server answered.
async fn send_report(client: &reqwest::Client, base: &str, station: &str, i: usize) -> Option<u16> {
    let res = client
        .post(format!("{base}/api/v1/stations/{station}/reports"))
        .header("Idempotency-Key", format!("restart-{i:06}"))
        .header("X-Device-Id", format!("device-{i:016}"))
        .header(
            "X-Forwarded-For",
            format!("10.1.{}.{}", i / 250, i % 250 + 1),
        )
        .json(&json!({"kind": "other", "text": format!("第 {i} 条")}))
        .send()
        .await;
    // No answer (refused, or cut off while the server stopped): the client keeps it to send
    // again, as the app's outbox does.
    res.ok().map(|r| r.status().as_u16())
}

#[tokio::test]
async fn sigterm_finishes_the_writes_in_flight_and_a_restart_loses_none() {
    // Given the server binary on a fresh database
    let dir = tempfile::tempdir().expect("dir");
    drop(crate::helpers::settings_in(dir.path()));
    let port = crate::helpers::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let mut server = start_server(dir.path(), port);
    until_ready(&client, &base, &mut server).await;
    let list: Value = client
        .get(format!("{base}/api/v1/stations?limit=1"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let station = list["stations"][0]["id"].as_str().expect("id").to_owned();
    // When 8 clients send 300 reports, and the server gets SIGTERM after the first 100 answers
    const N: usize = 300;
    let answered = std::sync::Arc::new(std::sync::Mutex::new(Vec::<usize>::new()));
    let pending = std::sync::Arc::new(std::sync::Mutex::new(Vec::<usize>::new()));
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers = (0..8).map(|_| {
        let (client, base, station) = (client.clone(), base.clone(), station.clone());
        let (answered, pending, next) = (answered.clone(), pending.clone(), next.clone());
        tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if i >= N {
                    return;
                }
                match send_report(&client, &base, &station, i).await {
                    Some(201) => answered.lock().expect("lock").push(i),
                    Some(s) => panic!("report {i}: {s}"),
                    None => pending.lock().expect("lock").push(i),
                }
            }
        })
    });
    let workers: Vec<_> = workers.collect();
    while answered.lock().expect("lock").len() < 100 {
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let pid = server.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    // Then it stops cleanly (a clean exit, not killed by the signal)
    let status = tokio::task::spawn_blocking(move || server.wait())
        .await
        .expect("join")
        .expect("wait");
    assert!(status.success(), "server exit: {status:?}");
    for w in workers {
        w.await.expect("worker");
    }
    // And once restarted, the writes that were refused are sent again (as the outbox does)
    let mut server = start_server(dir.path(), port);
    until_ready(&client, &base, &mut server).await;
    let retry: Vec<usize> = pending.lock().expect("lock").clone();
    for i in &retry {
        assert_eq!(
            send_report(&client, &base, &station, *i).await,
            Some(201),
            "retry {i}"
        );
    }
    // And every report is stored exactly once
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = server.wait();
    let db = yizhan_server::db::Db::connect(&crate::helpers::database_url_in(dir.path()))
        .await
        .expect("db");
    let stored = db
        .reports_for_station(&yizhan_core::StationId::parse(&station).expect("id"))
        .await
        .expect("reports");
    db.close().await;
    let acknowledged = answered.lock().expect("lock").len();
    assert_eq!(acknowledged + retry.len(), N);
    assert_eq!(
        stored.len(),
        N,
        "{acknowledged} answered before the stop, {} after",
        retry.len()
    );
}

#[tokio::test]
async fn readyz_drains_an_instance_whose_database_went_away_while_healthz_stays_up() {
    // Given a server whose state the test holds
    let dir = tempfile::tempdir().expect("dir");
    let state = yizhan_server::startup::state(crate::helpers::settings_in(dir.path()))
        .await
        .expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let router = yizhan_server::startup::router(state.clone());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    let client = reqwest::Client::new();
    let get = |path: &'static str| {
        let (client, base) = (&client, &base);
        async move {
            client
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("request")
        }
    };
    // Then it is ready, and neither answer may be cached
    let ready = get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.headers()["cache-control"], "no-store");
    // When its database goes away
    state.db.close().await;
    // Then it is no longer ready (a load balancer stops sending to it), but alive
    let gone = get("/readyz").await;
    assert_eq!(gone.status(), 503);
    let body: Value = gone.json().await.expect("json");
    assert_eq!(body["error"]["code"], "unavailable");
    assert_eq!(get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn a_status_save_retried_under_its_key_gets_the_first_answer_not_a_412_or_a_second_save() {
    // Given a manager's save that went through, whose answer the phone never got
    let app = TestApp::spawn().await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let mine = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let id = mine["stations"][0]["id"].as_str().expect("id").to_owned();
    let version = mine["stations"][0]["version"].as_u64().expect("version");
    let save = || {
        app.request(
            Method::PATCH,
            &format!("/api/v1/stations/{id}/status"),
            &manager,
        )
        .header("If-Match", format!("\"{version}\""))
        .header("Idempotency-Key", "phone-save-000001")
        .json(&json!({"state": "closed", "notice": "停水", "amenities": []}))
        .send()
    };
    let first = save().await.expect("request");
    assert_eq!(first.status(), 200);
    let first_etag = first.headers()["etag"].clone();
    let first: Value = first.json().await.expect("json");
    // When the phone sends it again, with the same key and the same (now old) version
    let again = save().await.expect("request");
    // Then it gets the first answer, and the station was saved once
    assert_eq!(again.status(), 200);
    assert_eq!(again.headers()["etag"], first_etag);
    let again: Value = again.json().await.expect("json");
    assert_eq!(again, first);
    let now = app.get_json(&format!("/api/v1/stations/{id}")).await;
    assert_eq!(now["version"].as_u64(), Some(version + 1));
    // While the same save without a key is told someone (itself) was first
    let unkeyed = app
        .request(
            Method::PATCH,
            &format!("/api/v1/stations/{id}/status"),
            &manager,
        )
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"state": "closed", "notice": "停水", "amenities": []}))
        .send()
        .await
        .expect("request");
    assert_eq!(unkeyed.status(), 412);
    // And another account's key of the same text is not this one's
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let theirs = app
        .request(
            Method::PATCH,
            &format!("/api/v1/stations/{id}/status"),
            &admin,
        )
        .header("If-Match", format!("\"{version}\""))
        .header("Idempotency-Key", "phone-save-000001")
        .json(&json!({"state": "open", "amenities": []}))
        .send()
        .await
        .expect("request");
    assert_eq!(theirs.status(), 412);
}
