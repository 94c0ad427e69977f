//! Starting the server and the browser, and finding things on the page.

use std::fmt::Debug;
use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tempfile::TempDir;
use tokio::process::{Child, Command};
use tokio::sync::oneshot;
use yizhan_core::{Station, Timestamp};
use yizhan_server::config::Settings;
use yizhan_server::startup::Server;

/// How long any condition may take before a test fails (slow CI machines, cold caches).
pub const PATIENCE: Duration = Duration::from_secs(30);
/// Demo stations seeded for the browser tests (as `make run` does).
pub const STATIONS: usize = 2000;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Reads `read` until `done` accepts what it gives, for at most `limit`: `Ok` with the value
/// accepted, or `Err` with the last one read once time is up.
pub async fn poll_for<T, F: Future<Output = T>>(
    limit: Duration,
    mut read: impl FnMut() -> F,
    done: impl Fn(&T) -> bool,
) -> Result<T, T> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let value = read().await;
        if done(&value) {
            return Ok(value);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(value);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until `read` gives a value `done` accepts, and returns it; after [`PATIENCE`] the test
/// fails naming `what` it waited for and the last value read.
pub async fn wait_until<T: Debug, F: Future<Output = T>>(
    what: &str,
    read: impl FnMut() -> F,
    done: impl Fn(&T) -> bool,
) -> T {
    match poll_for(PATIENCE, read, done).await {
        Ok(value) => value,
        Err(last) => panic!("waited {PATIENCE:?} for {what}; last: {last:?}"),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The demo station the generator always puts first (ids and places are deterministic).
pub fn first_demo_station() -> Station {
    yizhan_server::demo::beijing(STATIONS, Timestamp::now(), 43_200)
        .stations
        .remove(0)
}

/// Changes a test makes to the server's settings, kept for restarts.
type Tweak = Arc<dyn Fn(&mut Settings) + Send + Sync>;

/// The app server on a fixed port, restartable on the same database.
pub struct AppServer {
    /// `http://127.0.0.1:port`.
    pub base: String,
    port: u16,
    dir: TempDir,
    tweak: Tweak,
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl AppServer {
    /// Starts a server on a free port with a fresh database.
    pub async fn start() -> AppServer {
        AppServer::start_with(|_| {}).await
    }

    /// Starts a server with settings adjusted by `tweak` (e.g. the embed's allowed origins).
    pub async fn start_with(tweak: impl Fn(&mut Settings) + Send + Sync + 'static) -> AppServer {
        let dist = root().join("dist");
        assert!(
            dist.join("index.html").exists(),
            "the app is not built: run `make build` (or `make test`, which builds it) first"
        );
        let mut server = AppServer {
            base: String::new(),
            port: free_port(),
            dir: tempfile::tempdir().expect("temp dir"),
            tweak: Arc::new(tweak),
            stop: None,
            done: None,
        };
        server.base = format!("http://127.0.0.1:{}", server.port);
        server.resume().await;
        server
    }

    /// Starts (again) on the same port and database.
    pub async fn resume(&mut self) {
        let mut settings = Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], self.port)),
            database_url: format!("sqlite://{}", self.dir.path().join("e2e.db").display()),
            dist_dir: root().join("dist"),
            demo: true,
            demo_stations: STATIONS,
            public_url: self.base.clone(),
            ..Settings::default()
        };
        (self.tweak)(&mut settings);
        let server = Server::build(settings).await.expect("server starts");
        let (tx, rx) = oneshot::channel::<()>();
        self.stop = Some(tx);
        self.done = Some(tokio::spawn(server.run_until(async {
            let _ = rx.await;
        })));
    }

    /// Stops serving (as if the server went down) and waits until the port is closed.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(done) = self.done.take() {
            let _ = done.await;
        }
    }

    /// The server's database, for checking what was stored.
    pub async fn db(&self) -> yizhan_server::db::Db {
        let url = format!("sqlite://{}", self.dir.path().join("e2e.db").display());
        yizhan_server::db::Db::connect(&url)
            .await
            .expect("database")
    }

    /// A URL on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Headless Chromium through its own chromedriver; both go away on drop.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    _driver: Child,
    _profile: TempDir,
}

impl Browser {
    /// A cheap Android phone: a 360×640 touch screen, speaking zh-CN.
    pub async fn phone() -> Browser {
        Browser::open(360, 640).await
    }

    /// A headless Chromium emulating a touch screen of the given CSS size. (A plain headless
    /// window cannot be narrower than 500 px, so phones need device emulation.)
    pub async fn open(width: u32, height: u32) -> Browser {
        Browser::open_with(width, height, &[]).await
    }

    /// [`Browser::open`] with extra Chromium switches (e.g. a fake camera).
    pub async fn open_with(width: u32, height: u32, extra: &[String]) -> Browser {
        let port = free_port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver runs (make test-tools installs it)");
        let profile = tempfile::tempdir().expect("profile dir");
        wait_until(
            "chromedriver to start",
            || async {
                tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .is_ok()
            },
            |up| *up,
        )
        .await;
        let caps = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--lang=zh-CN",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {"intl.accept_languages": "zh-CN,zh"},
                "mobileEmulation": {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2, "touch": true}}
            }
        });
        let mut caps = caps;
        if let Some(args) = caps["goog:chromeOptions"]["args"].as_array_mut() {
            args.extend(extra.iter().map(|a| serde_json::Value::String(a.clone())));
        }
        let caps = match caps {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        Browser {
            client,
            _driver: driver,
            _profile: profile,
        }
    }

    /// Waits for an element.
    pub async fn wait(&self, what: &str, locator: Locator<'_>) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(locator)
            .await
        {
            Ok(e) => e,
            Err(e) => {
                let text = self.client.find(Locator::Css("body")).await.ok();
                let body = match text {
                    Some(b) => b.text().await.unwrap_or_default(),
                    None => String::new(),
                };
                panic!("waited {PATIENCE:?} for {what}: {e}\npage text: {body}")
            }
        }
    }

    /// Waits for an element with this role and accessible text (exact, whitespace-normalised).
    pub async fn wait_role(&self, role: &str, text: &str) -> fantoccini::elements::Element {
        let xpath = match role {
            "heading" => format!(
                "//*[self::h1 or self::h2 or self::h3][normalize-space()={}]",
                literal(text)
            ),
            "link" => format!("//a[normalize-space()={}]", literal(text)),
            "button" => format!("//button[normalize-space()={}]", literal(text)),
            other => format!(
                "//*[@role='{other}'][contains(normalize-space(), {})]",
                literal(text)
            ),
        };
        self.wait(&format!("{role} {text:?}"), Locator::XPath(&xpath))
            .await
    }

    /// Taps the element with this role and accessible text once it is there.
    pub async fn tap(&self, role: &str, text: &str) {
        self.wait_role(role, text).await.click().await.expect("tap");
    }

    /// Waits for any element whose text contains `text`.
    pub async fn wait_text(&self, text: &str) -> fantoccini::elements::Element {
        let xpath = format!(
            "//body//*[not(self::script)][contains(text(), {})]",
            literal(text)
        );
        self.wait(&format!("text {text:?}"), Locator::XPath(&xpath))
            .await
    }

    /// Taps a link once it has stopped moving (Leaflet pans the map to fit a popup), and taps
    /// again if the page has not moved on to `path` — as a person does when a tap is lost.
    pub async fn tap_link_to(&self, text: &str, path: &str) {
        wait_until(
            &format!("tapping {text:?} to lead to {path}"),
            || async {
                let link = self.wait_role("link", text).await;
                let mut last = link.rectangle().await.ok();
                loop {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    let now = link.rectangle().await.ok();
                    if now == last {
                        break;
                    }
                    last = now;
                }
                let _ = link.click().await;
                poll_for(
                    Duration::from_secs(3),
                    || self.client.current_url(),
                    |u| u.as_ref().is_ok_and(|u| u.path() == path),
                )
                .await
                .is_ok()
            },
            |led| *led,
        )
        .await;
    }

    /// Taps the centre of the map until a station's popup opens (markers are drawn just after
    /// the station count shows).
    pub async fn tap_map_centre_for_popup(&self) {
        let map = self
            .wait(
                "the map",
                Locator::XPath("//*[@role='region'][@aria-label='驿站地图']"),
            )
            .await;
        wait_until(
            "a popup to open at the map centre",
            || async {
                let _ = map.click().await;
                poll_for(
                    Duration::from_secs(2),
                    || self.client.find(Locator::Css(".leaflet-popup .popup")),
                    Result::is_ok,
                )
                .await
                .is_ok()
            },
            |opened| *opened,
        )
        .await;
    }

    /// Waits until the service worker controls the page (it takes over once installed).
    pub async fn wait_service_worker(&self) {
        wait_until(
            "the service worker to take over",
            || async {
                self.client
                    .execute(
                        "return !!(navigator.serviceWorker && navigator.serviceWorker.controller)",
                        vec![],
                    )
                    .await
                    .expect("js")
            },
            |controlled| *controlled == serde_json::Value::Bool(true),
        )
        .await;
    }

    /// Waits until the URL's path is `path`.
    pub async fn wait_path(&self, path: &str) {
        wait_until(
            &format!("the path to be {path}"),
            || async {
                self.client
                    .current_url()
                    .await
                    .expect("url")
                    .path()
                    .to_owned()
            },
            |now| now == path,
        )
        .await;
    }

    /// Presses and lets go of `key`, wherever the focus is, as on a keyboard.
    pub async fn press(&self, key: fantoccini::key::Key) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let keys = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        self.client.perform_actions(keys).await.expect("key press");
    }

    /// Waits until the map's status line counts `n` stations (zh-CN page).
    pub async fn wait_station_count(&self, n: usize) {
        self.wait_role("status", &format!("{n} 个驿站")).await;
    }
}

/// A Chrome DevTools command sent through chromedriver (`goog/cdp/execute`), for what
/// WebDriver has no verb for: a fake GPS position.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// Grants location access and reports `(lat, lng)` as the phone's GPS position.
    pub async fn fake_position(&self, lat: f64, lng: f64) {
        let grant = Cdp {
            cmd: "Browser.grantPermissions",
            params: serde_json::json!({"permissions": ["geolocation"]}),
        };
        self.client
            .issue_cmd(grant)
            .await
            .expect("grant geolocation");
        let at = Cdp {
            cmd: "Emulation.setGeolocationOverride",
            params: serde_json::json!({"latitude": lat, "longitude": lng, "accuracy": 10}),
        };
        self.client.issue_cmd(at).await.expect("fake position");
    }

    /// Waits until the nearby list shows at least one station (zh-CN page).
    pub async fn wait_listed_station(&self) {
        self.wait(
            "a listed station",
            Locator::XPath("//section[@aria-label='驿站列表']//ol/li/a"),
        )
        .await;
    }

    /// The names in the nearby list, top to bottom.
    pub async fn listed_names(&self) -> Vec<String> {
        let links = self
            .client
            .find_all(Locator::XPath(
                "//section[@aria-label='驿站列表' or @aria-label='Station list']//ol/li/a",
            ))
            .await
            .unwrap_or_default();
        let mut names = Vec::new();
        for l in links {
            names.push(l.text().await.unwrap_or_default());
        }
        names
    }
}

/// Wraps the page's `fetch` so that answers to the requests whose URL (decoded) contains every
/// one of the given parts are held back, as on a slow link, until `release` lets them through.
/// The request itself goes out at once. The page's `fetch` is the place to hold them:
/// WebDriver cannot, and DevTools' `Fetch` domain (through chromedriver's `goog/cdp/execute`)
/// only releases a paused request by the id its `requestPaused` event carries, and chromedriver
/// passes no events on. `read` counts the held answers whose body the page has read.
const HOLD_ANSWERS: &str = r#"
const parts = arguments[0];
const real = window.fetch;
const held = (window.__heldAnswers = { waiting: [], made: 0, read: 0 });
window.fetch = function (input, init) {
  const answer = real.call(this, input, init);
  let url = String((input && input.url) || input);
  try { url = decodeURIComponent(url.replace(/\+/g, ' ')); } catch (_) {}
  if (!parts.every((p) => url.includes(p))) return answer;
  held.made += 1;
  return new Promise((resolve, reject) => held.waiting.push(() => answer.then((r) => {
    for (const how of ['text', 'json', 'arrayBuffer']) {
      const read = r[how].bind(r);
      r[how] = () => read().then((v) => { held.read += 1; return v; });
    }
    resolve(r);
  }, reject)));
};
"#;

impl Browser {
    /// Holds back the answers to this page's requests whose URL contains all of `parts`
    /// (decoded: `q=十里堡`), until [`Browser::release_answers`]. Other requests go as usual.
    pub async fn hold_answers(&self, parts: &[&str]) {
        self.client
            .execute(HOLD_ANSWERS, vec![serde_json::json!(parts)])
            .await
            .expect("wrap fetch");
    }

    /// [`Browser::hold_answers`] from the next page's very start, before its own code runs, so
    /// its first requests are held too.
    pub async fn hold_answers_from_start(&self, parts: &[&str]) {
        let source = format!(
            "(function () {{ {HOLD_ANSWERS} }}).apply(null, [{}]);",
            serde_json::json!(parts)
        );
        let cmd = Cdp {
            cmd: "Page.addScriptToEvaluateOnNewDocument",
            params: serde_json::json!({ "source": source }),
        };
        self.client.issue_cmd(cmd).await.expect("wrap fetch first");
    }

    /// Waits until the page has asked for an answer that is being held back.
    pub async fn wait_held_request(&self) {
        wait_until(
            "a request whose answer is held back",
            || self.held("made"),
            |made| *made > 0,
        )
        .await;
    }

    /// Lets the held answers through, and waits until the page has read every one of them (its
    /// code runs on from there before the next command reaches the page).
    pub async fn release_answers(&self) {
        let released = self
            .client
            .execute(
                "const h = window.__heldAnswers; const go = h.waiting.splice(0); \
                 go.forEach((f) => f()); return go.length;",
                vec![],
            )
            .await
            .expect("release")
            .as_u64()
            .unwrap_or_default();
        assert!(released > 0, "no answer was held back");
        wait_until(
            "the page to read the answers it was waiting for",
            || self.held("read"),
            |read| *read >= released,
        )
        .await;
    }

    /// A count kept by [`HOLD_ANSWERS`].
    async fn held(&self, count: &str) -> u64 {
        self.client
            .execute(
                "return window.__heldAnswers[arguments[0]];",
                vec![serde_json::json!(count)],
            )
            .await
            .expect("js")
            .as_u64()
            .unwrap_or_default()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // chromedriver is killed with this struct, but the Chromium it started would live on
        // (a dozen processes per test): end that by its profile directory, unique to this browser.
        let profile = format!("user-data-dir={}", self._profile.path().display());
        let _ = std::process::Command::new("pkill")
            .args(["-KILL", "-f", &profile])
            .status();
    }
}

/// An XPath string literal for any text (XPath 1 has no escapes).
fn literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}
