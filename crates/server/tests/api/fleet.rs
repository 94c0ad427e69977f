//! A fleet: two real server processes on one database (PostgreSQL under
//! `tests/postgres/with-postgres.sh`, else one SQLite file) behave as one server. Sessions,
//! limits and writes made through one are seen by the other; the index of each follows the
//! other's writes within a second, with the same version and ETag.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{json, Value};
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::helpers::free_port;
use crate::helpers::{Session, TestApp};
use crate::reliability::{start_server_with, until_ready, ServerProcess};
use crate::staff::{import, CSV_HEADER};

/// Starts one instance on the database of `dir` and waits until it is ready.
async fn instance(dir: &std::path::Path) -> (ServerProcess, TestApp) {
    let port = free_port();
    let mut server = start_server_with(dir, port, &[]);
    let app = TestApp::attach(
        format!("http://127.0.0.1:{port}"),
        crate::helpers::database_url_in(dir),
    );
    until_ready(&app.client, &app.base, &mut server).await;
    (server, app)
}

/// Polls `check` until it holds, failing after `within`.
pub(crate) async fn within<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    loop {
        if check().await {
            return;
        }
        assert!(Instant::now() < deadline, "not within {within:?}: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn etag_and_body(app: &TestApp, path: &str) -> (String, Value) {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "GET {path}");
    let etag = res.headers()["etag"].to_str().expect("etag").to_owned();
    (etag, res.json().await.expect("json"))
}

#[tokio::test]
async fn two_instances_on_one_database_share_sessions_limits_writes_and_imports() {
    // Given two server processes on one database
    let dir = tempfile::tempdir().expect("dir");
    drop(crate::helpers::settings_in(dir.path()));
    let (_a_process, a) = instance(dir.path()).await;
    let (_b_process, b) = instance(dir.path()).await;

    // A session made on one works on the other
    let manager = a.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let me = b.json_as(Method::GET, "/api/v1/session", &manager).await;
    assert_eq!(me["account"]["username"], DEMO_MANAGER.0, "{me}");

    let admin: Session = b.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;

    // Wrong passwords count across both: 5 per account and address, wherever they land
    let mut statuses = Vec::new();
    for i in 0..7 {
        let app = if i % 2 == 0 { &a } else { &b };
        let res = app
            .client
            .post(format!("{}/api/v1/session", app.base))
            .json(&json!({"username": DEMO_ADMIN.0, "password": format!("wrong-{i}")}))
            .send()
            .await
            .expect("request");
        statuses.push(res.status().as_u16());
    }
    assert_eq!(
        statuses,
        [401, 401, 401, 401, 401, 429, 429],
        "the sixth guess is refused whichever instance it reaches"
    );

    // A status written through one is served by the other within a second, same version and tag
    let mine = b
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let id = mine["stations"][0]["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/stations/{id}");
    let (etag, before) = etag_and_body(&a, &path).await;
    let list = "/api/v1/stations?bbox=115,39,118,41&zoom=12";
    let written = Instant::now();
    let res = a
        .request(Method::PATCH, &format!("{path}/status"), &manager)
        .header("If-Match", &etag)
        .json(&json!({"state": "closed", "notice": "修水管，下午开", "amenities": []}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let version = before["version"].as_u64().expect("version") + 1;
    within(
        Duration::from_secs(1),
        "B serves the new status",
        || async {
            let (_, now) = etag_and_body(&b, &path).await;
            now["version"].as_u64() == Some(version)
        },
    )
    .await;
    eprintln!("B served the write after {:?}", written.elapsed());
    let (tag_a, on_a) = etag_and_body(&a, &path).await;
    let (tag_b, on_b) = etag_and_body(&b, &path).await;
    assert_eq!((tag_a, &on_a["status"]), (tag_b, &on_b["status"]));
    assert_eq!(on_b["status"]["notice"], "修水管，下午开");
    // The station list agrees too: the same tag from either (a 304 holds across the fleet).
    within(
        Duration::from_secs(1),
        "both list the same revision",
        || async { etag_and_body(&a, list).await.0 == etag_and_body(&b, list).await.0 },
    )
    .await;
    let (list_tag, _) = etag_and_body(&a, list).await;
    let res = b
        .client
        .get(format!("{}{list}", b.base))
        .header("If-None-Match", &list_tag)
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.status(),
        304,
        "a tag from one instance is honoured by the other"
    );

    // An import through one is seen by the other
    let csv = format!(
        "{CSV_HEADER}fleet-import-1,舰队驿站,望京街 9 号,朝阳区,bj-chaoyang,39.99,116.47,,24/7,,water,0\n"
    );
    let res = import(&b, &admin, "commit=1", csv).await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    within(
        Duration::from_secs(1),
        "A serves the imported station",
        || async { a.get("/api/v1/stations/fleet-import-1").await.status() == 200 },
    )
    .await;
    let imported = a.get_json("/api/v1/stations/fleet-import-1").await;
    assert_eq!(imported["name"], "舰队驿站");
}

#[tokio::test]
async fn two_instances_starting_at_once_on_an_empty_database_seed_it_once() {
    // Given an empty database and two instances started at the same moment
    let dir = tempfile::tempdir().expect("dir");
    drop(crate::helpers::settings_in(dir.path()));
    let (port_a, port_b) = (free_port(), free_port());
    let mut a_process = start_server_with(dir.path(), port_a, &[]);
    let mut b_process = start_server_with(dir.path(), port_b, &[]);
    let url = crate::helpers::database_url_in(dir.path());
    let a = TestApp::attach(format!("http://127.0.0.1:{port_a}"), url.clone());
    let b = TestApp::attach(format!("http://127.0.0.1:{port_b}"), url);
    // Then both come up (migrations and the seed wait for each other)
    until_ready(&a.client, &a.base, &mut a_process).await;
    until_ready(&b.client, &b.base, &mut b_process).await;
    // And the demo data is there once, served alike by both
    for app in [&a, &b] {
        let list = app.get_json("/api/v1/stations?limit=1").await;
        assert_eq!(list["total"], 50, "{}", app.base);
    }
    let admin = b.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let accounts = a
        .json_as(Method::GET, "/api/v1/admin/accounts", &admin)
        .await;
    let names: Vec<&str> = accounts["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|x| x["username"].as_str())
        .collect();
    assert_eq!(names, [DEMO_ADMIN.0, DEMO_MANAGER.0]);
}

/// A PostgreSQL cluster of a test's own (`tests/postgres/cluster.sh`), which it may stop and
/// start under a running server; stopped when dropped, also on failure.
struct OwnCluster {
    dir: tempfile::TempDir,
    port: u16,
}

impl OwnCluster {
    fn script(args: &[&str]) {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/postgres/cluster.sh"
        );
        let out = std::process::Command::new(script)
            .args(args)
            .output()
            .expect("cluster.sh runs");
        assert!(
            out.status.success(),
            "cluster.sh {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn new() -> OwnCluster {
        let cluster = OwnCluster {
            dir: tempfile::tempdir().expect("dir"),
            port: free_port(),
        };
        Self::script(&["init", &cluster.path()]);
        cluster.start();
        cluster
    }

    fn path(&self) -> String {
        self.dir.path().display().to_string()
    }

    fn url(&self) -> String {
        format!("postgres://yizhan@127.0.0.1:{}/postgres", self.port)
    }

    fn start(&self) {
        // Durable: what was acknowledged before a stop must be there after it.
        Self::script(&["start", &self.path(), &self.port.to_string(), "durable"]);
    }

    fn stop(&self) {
        Self::script(&["stop", &self.path()]);
    }
}

impl Drop for OwnCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test]
async fn a_database_that_goes_away_gets_a_clear_503_and_the_server_recovers_by_itself() {
    // Stopping a PostgreSQL under a running server needs one of this test's own; the suite
    // runs it when PostgreSQL is there (make test).
    if !crate::helpers::on_postgres() {
        return;
    }
    // Given a server on a PostgreSQL, and a status a manager saved
    let db = OwnCluster::new();
    let url = db.url();
    let app = TestApp::spawn_with(|s| {
        s.database_url = url;
        s.db.busy_timeout = Duration::from_secs(1);
    })
    .await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let mine = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let id = mine["stations"][0]["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/stations/{id}");
    let save = |etag: String, notice: &'static str| {
        app.request(Method::PATCH, &format!("{path}/status"), &manager)
            .header("If-Match", etag)
            .json(&json!({"state": "closed", "notice": notice, "amenities": []}))
            .send()
    };
    let (etag, _) = etag_and_body(&app, &path).await;
    let saved = save(etag, "停库之前").await.expect("request");
    assert_eq!(saved.status(), 200);
    let (etag, _) = etag_and_body(&app, &path).await;

    // When the database stops
    db.stop();

    // Then riders' maps and station pages are still served from memory (a station without
    // staff replies, which live in the database, and so not to be cached)
    let res = app.get(&path).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(!res.headers().contains_key("etag"));
    let station: Value = res.json().await.expect("json");
    assert_eq!(station["status"]["notice"], "停库之前");
    assert_eq!(
        app.get("/api/v1/stations?bbox=115,39,118,41&zoom=12")
            .await
            .status(),
        200
    );
    // And a save gets 503 with a clear, translated message that names no internals
    let refused = save(etag.clone(), "停库之中").await.expect("request");
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    assert_eq!(body["error"]["message"], "服务暂时不可用，请稍后再试。");
    assert!(!body.to_string().contains("127.0.0.1"), "{body}");
    // And the load balancer is told this instance is not ready
    assert_eq!(app.get("/readyz").await.status(), 503);

    // When the database comes back
    db.start();

    // Then the server recovers by itself: ready again, the save made before the stop is
    // there, and the same save goes through
    within(Duration::from_secs(15), "ready again", || async {
        app.get("/readyz").await.status() == 200
    })
    .await;
    let (etag_now, station) = etag_and_body(&app, &path).await;
    assert_eq!(etag_now, etag);
    assert_eq!(station["status"]["notice"], "停库之前");
    let saved = save(etag, "恢复之后").await.expect("request");
    assert_eq!(saved.status(), 200);
    let (_, station) = etag_and_body(&app, &path).await;
    assert_eq!(station["status"]["notice"], "恢复之后");
}
