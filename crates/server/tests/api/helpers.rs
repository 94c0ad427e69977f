//! `TestApp::spawn()`: a server on a free port with a fresh database and a tiny built app.

use std::net::SocketAddr;

use tempfile::TempDir;
use yizhan_server::config::{EmbedOrigins, Settings};
use yizhan_server::startup::Server;

/// The stand-in for Trunk's index.html: one inline boot script, as Trunk writes it.
pub const SHELL: &str = "<!DOCTYPE html><html><head><title>t</title>\
<script type=\"module\">import init from '/app.js';init('/app_bg.wasm');</script></head><body></body></html>";

/// The stand-in for the staff bundle's index.html (`dist/staff/`).
pub const STAFF_SHELL: &str = "<!DOCTYPE html><html><head><title>staff</title>\
<script type=\"module\">import init from '/staff/staff.js';init('/staff/staff_bg.wasm');</script></head><body></body></html>";

/// The stand-in for the join bundle's index.html (`dist/join-app/`).
pub const JOIN_SHELL: &str = "<!DOCTYPE html><html><head><title>join</title>\
<script type=\"module\">import init from '/join-app/join.js';init('/join-app/join_bg.wasm');</script></head><body></body></html>";

/// The stand-in for the station bundle's index.html (`dist/station-app/`).
pub const STATION_SHELL: &str = "<!DOCTYPE html><html><head><title>station</title>\
<script type=\"module\">import init from '/station-app/station.js';init('/station-app/station_bg.wasm');</script></head><body></body></html>";

/// The stand-in for the scan bundle's index.html (`dist/scan-app/`).
pub const SCAN_SHELL: &str = "<!DOCTYPE html><html><head><title>scan</title>\
<script type=\"module\">import init from '/scan-app/scan.js';init('/scan-app/scan_bg.wasm');</script></head><body></body></html>";

/// Settings for a server whose database and stand-in app live in `dir`: demo data, a free
/// port, one allowed embed origin.
pub fn settings_in(dir: &std::path::Path) -> Settings {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).expect("dist dir");
    std::fs::write(dist.join("index.html"), SHELL).expect("index.html");
    std::fs::create_dir_all(dist.join("staff")).expect("staff dir");
    std::fs::write(dist.join("staff").join("index.html"), STAFF_SHELL).expect("staff shell");
    std::fs::create_dir_all(dist.join("join-app")).expect("join dir");
    std::fs::write(dist.join("join-app").join("index.html"), JOIN_SHELL).expect("join shell");
    std::fs::create_dir_all(dist.join("station-app")).expect("station dir");
    std::fs::write(dist.join("station-app").join("index.html"), STATION_SHELL)
        .expect("station shell");
    std::fs::create_dir_all(dist.join("scan-app")).expect("scan dir");
    std::fs::write(dist.join("scan-app").join("index.html"), SCAN_SHELL).expect("scan shell");
    std::fs::write(
        dist.join("app-0123456789abcdef.js"),
        "export default function(){}",
    )
    .expect("asset");
    Settings {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        database_url: database_url_in(dir),
        dist_dir: dist,
        demo: true,
        demo_stations: 300,
        embed_origins: EmbedOrigins::List(vec!["https://union.example.org".into()]),
        ..Settings::default()
    }
}

/// The database of the folder `dir` (empty at first): a SQLite file in it, or, when the suite runs under
/// `tests/postgres/with-postgres.sh` (which sets `YIZHAN_TEST_POSTGRES`), a new database in
/// that throwaway PostgreSQL, so every test runs unchanged on both backends.
pub fn database_url_in(dir: &std::path::Path) -> String {
    match std::env::var("YIZHAN_TEST_POSTGRES") {
        Ok(admin) => {
            // One database per folder, as one SQLite file per folder: a test that builds two
            // servers on one folder gets one database.
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            dir.hash(&mut h);
            let name = format!("t_{:016x}", h.finish());
            let made = std::process::Command::new("psql")
                .args([admin.as_str(), "-qXc", &format!("CREATE DATABASE {name}")])
                .output()
                .expect("psql runs");
            assert!(
                made.status.success()
                    || String::from_utf8_lossy(&made.stderr).contains("already exists"),
                "CREATE DATABASE {name}: {}",
                String::from_utf8_lossy(&made.stderr)
            );
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            format!("{base}/{name}")
        }
        Err(_) => format!("sqlite://{}", dir.join("test.db").display()),
    }
}

/// A port free on loopback at this moment, for a server process to bind.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

/// Whether this run's databases are PostgreSQL (a few checks differ: SQLite-only backups).
pub fn on_postgres() -> bool {
    std::env::var_os("YIZHAN_TEST_POSTGRES").is_some()
}

/// A connection straight to a test's database, on either backend.
pub async fn connect(url: &str) -> sqlx::AnyConnection {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(url).await.expect("connect")
}

/// A running server and what it needs to stay alive.
pub struct TestApp {
    /// `http://127.0.0.1:port`.
    pub base: String,
    /// Plain HTTP client (no redirects followed silently into other hosts).
    pub client: reqwest::Client,
    /// The database, for checks the API does not offer (and for setting clocks back).
    pub database_url: String,
    _dir: Option<TempDir>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    /// A server with 300 demo stations.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// A server with settings adjusted by `tweak`.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut settings = settings_in(dir.path());
        tweak(&mut settings);
        let database_url = settings.database_url.clone();
        let server = Server::build(settings).await.expect("server starts");
        let addr = server.local_addr().expect("bound");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(server.run_until(async {
            let _ = rx.await;
        }));
        TestApp {
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            database_url,
            _dir: Some(dir),
            shutdown: Some(tx),
        }
    }

    /// A handle on a server running elsewhere (a separate process) at `base`.
    pub fn attach(base: String, database_url: String) -> TestApp {
        TestApp {
            base,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            database_url,
            _dir: None,
            shutdown: None,
        }
    }

    /// GET a path.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }

    /// GET a path and parse JSON, asserting 200.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let res = self.get(path).await;
        assert_eq!(res.status(), 200, "GET {path}");
        res.json().await.expect("json")
    }
}

/// A signed-in browser: its session cookie and CSRF token.
#[derive(Clone, Debug, Default)]
pub struct Session {
    /// `yizhan_session=...`, or empty for anonymous.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// The account as the server described it.
    pub account: serde_json::Value,
}

impl Session {
    /// Nobody signed in.
    pub fn anonymous() -> Session {
        Session::default()
    }
}

impl TestApp {
    /// Signs in, asserting success.
    pub async fn sign_in(&self, username: &str, password: &str) -> Session {
        let res = self
            .client
            .post(format!("{}/api/v1/session", self.base))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 200, "sign in as {username}");
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("session cookie")
            .to_owned();
        let body: serde_json::Value = res.json().await.expect("json");
        Session {
            cookie,
            csrf: body["csrf_token"].as_str().expect("csrf").to_owned(),
            account: body["account"].clone(),
        }
    }

    /// A request as `who`: cookie, and the CSRF token on writes.
    pub fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        who: &Session,
    ) -> reqwest::RequestBuilder {
        let mut req = self
            .client
            .request(method.clone(), format!("{}{path}", self.base));
        if !who.cookie.is_empty() {
            req = req.header("Cookie", &who.cookie);
            if method != reqwest::Method::GET {
                req = req.header("X-CSRF-Token", &who.csrf);
            }
        }
        req
    }

    /// Sends a body-less request as `who`.
    pub async fn send_as(
        &self,
        method: reqwest::Method,
        path: &str,
        who: &Session,
    ) -> reqwest::Response {
        self.request(method, path, who)
            .send()
            .await
            .expect("request")
    }

    /// Sends a body-less request as `who` and reads the JSON answer (any status).
    pub async fn json_as(
        &self,
        method: reqwest::Method,
        path: &str,
        who: &Session,
    ) -> serde_json::Value {
        self.send_as(method, path, who)
            .await
            .json()
            .await
            .expect("json")
    }

    /// Runs SQL against the server's database directly.
    pub async fn sql(&self, statement: &str) -> Result<u64, sqlx::Error> {
        let mut conn = connect(&self.database_url).await;
        let done = sqlx::query(statement).execute(&mut conn).await?;
        Ok(done.rows_affected())
    }

    /// Creates an admin of another union straight in the database (as the CLI does).
    pub async fn create_admin(&self, union: &str, username: &str, password: &str) {
        let db = yizhan_server::db::Db::connect(&self.database_url)
            .await
            .expect("db");
        yizhan_server::bootstrap::create_admin(
            &db,
            yizhan_server::bootstrap::NewAdmin {
                union_id: union,
                union_name: None,
                username,
                display_name: username,
                password: Some(password.into()),
            },
        )
        .await
        .expect("admin created");
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
