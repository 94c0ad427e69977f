//! `TestApp::spawn()`: a server on a free port with a fresh database and a tiny built app.

use std::net::SocketAddr;

use tempfile::TempDir;
use yizhan_server::config::{EmbedOrigins, Settings};
use yizhan_server::startup::Server;

/// The stand-in for Trunk's index.html: one inline boot script, as Trunk writes it.
pub const SHELL: &str = "<!DOCTYPE html><html><head><title>t</title>\
<script type=\"module\">import init from '/app.js';init('/app_bg.wasm');</script></head><body></body></html>";

/// A running server and what it needs to stay alive.
pub struct TestApp {
    /// `http://127.0.0.1:port`.
    pub base: String,
    /// Plain HTTP client (no redirects followed silently into other hosts).
    pub client: reqwest::Client,
    _dir: TempDir,
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
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).expect("dist dir");
        std::fs::write(dist.join("index.html"), SHELL).expect("index.html");
        std::fs::write(
            dist.join("app-0123456789abcdef.js"),
            "export default function(){}",
        )
        .expect("asset");
        let mut settings = Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: format!("sqlite://{}", dir.path().join("test.db").display()),
            dist_dir: dist,
            demo_stations: 300,
            embed_origins: EmbedOrigins::List(vec!["https://union.example.org".into()]),
            ..Settings::default()
        };
        tweak(&mut settings);
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
            _dir: dir,
            shutdown: Some(tx),
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

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
