//! A union puts the station map on its own website: a real host page, served from another
//! origin on loopback (127.0.0.2, so another site too), frames `/embed` with the documented
//! snippet and `/embed.js`. The browser, not the test, decides what may be framed.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use fantoccini::elements::Element;
use fantoccini::Locator;
use yizhan_core::{BBox, Station, StationQuery, Timestamp};
use yizhan_server::config::EmbedOrigins;

use crate::harness::{wait_until, AppServer, Browser, STATIONS};

/// The union whose site embeds the map: Yanqing, far from the city centre the map would
/// otherwise open on.
const UNION: &str = "bj-yanqing";
/// The frame's accessible name, as the README's snippet gives it.
const TITLE: &str = "附近的工会驿站";

/// A union's website: one fixed page on its own port, whatever is asked.
struct HostPage {
    /// `http://127.0.0.2:port`.
    origin: String,
    html: Arc<Mutex<String>>,
    stop: Arc<AtomicBool>,
}

impl HostPage {
    fn serve() -> HostPage {
        let listener = TcpListener::bind("127.0.0.2:0").expect("a port on 127.0.0.2");
        let port = listener.local_addr().expect("bound").port();
        let html = Arc::new(Mutex::new(String::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (page, stopped) = (html.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                // The request line and headers; this page ignores what was asked.
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = page.lock().map(|p| p.clone()).unwrap_or_default();
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        HostPage {
            origin: format!("http://127.0.0.2:{port}"),
            html,
            stop,
        }
    }

    /// The union's page: `frames` as (path on the app, title, allow geolocation), and the
    /// host script.
    fn show(&self, app: &AppServer, frames: &[(&str, &str, bool)]) {
        let iframes: String = frames
            .iter()
            .map(|(path, title, geo)| {
                let allow = if *geo { " allow=\"geolocation\"" } else { "" };
                format!(
                    "<iframe src=\"{}\" title=\"{title}\"{allow} loading=\"lazy\" \
                     style=\"width:100%;height:600px;border:0\" data-yizhan-embed></iframe>",
                    app.url(path)
                )
            })
            .collect();
        let html = format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>延庆区总工会</title></head><body><h1>延庆区总工会</h1>{iframes}\
             <script src=\"{}\" async></script></body></html>",
            app.url("/embed.js")
        );
        if let Ok(mut page) = self.html.lock() {
            *page = html;
        }
    }
}

impl Drop for HostPage {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = std::net::TcpStream::connect(self.origin.trim_start_matches("http://"));
    }
}

/// The union's stations among the demo ones (every Yanqing station is under its union).
fn union_stations() -> Vec<Station> {
    yizhan_server::demo::beijing(STATIONS, Timestamp::now(), 43_200)
        .stations
        .into_iter()
        .filter(|s| s.id.as_str().starts_with("bj-yanqing-"))
        .collect()
}

/// Opens the host page and switches into the frame called `title`.
async fn open_host(browser: &Browser, host: &HostPage, title: &str) -> Element {
    browser.client.goto(&host.origin).await.expect("host page");
    let frame = browser
        .wait(
            &format!("the frame {title:?}"),
            Locator::XPath(&format!("//iframe[@title='{title}']")),
        )
        .await;
    frame.clone().enter_frame().await.expect("into the frame");
    frame
}

/// The current frame's address (`about:blank` until it has loaded something).
async fn frame_url(browser: &Browser) -> String {
    browser
        .client
        .execute("return location.href", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

async fn attr(e: &Element, name: &str) -> String {
    e.attr(name).await.ok().flatten().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn union_site_frames_the_map_filters_it_and_opens_a_station_inside() {
    // Given a union site allowed to embed the map, with the documented snippet
    let host = HostPage::serve();
    let origin = host.origin.clone();
    let server = AppServer::start_with(move |s| {
        s.embed_origins = EmbedOrigins::List(vec![origin.clone()]);
    })
    .await;
    let embed = format!("/embed?union={UNION}&lang=zh");
    host.show(&server, &[(&embed, TITLE, true)]);
    let browser = Browser::phone().await;
    let theirs = union_stations();
    let now = Timestamp::now();
    let (all_day, _) = StationQuery::parse([("open_24h", "1")]);
    let open_24h = theirs
        .iter()
        .filter(|s| {
            all_day
                .filter
                .matches_in(s, now, None, &yizhan_server::config::built_in_holidays())
        })
        .count();
    assert!(open_24h > 0 && open_24h < theirs.len(), "{open_24h}");

    // When a visitor opens the union's page
    let frame = open_host(&browser, &host, TITLE).await;
    // Then the union's stations are listed inside the frame
    browser.wait_station_count(theirs.len()).await;
    browser.wait_listed_station().await;
    let names = browser.listed_names().await;
    assert!(
        names.iter().all(|n| theirs.iter().any(|s| &s.name == n)),
        "{names:?}"
    );
    // With compact chrome: no install prompt, a small language toggle, the full map a tab away
    let full = browser.wait_role("link", "查看完整地图").await;
    assert_eq!(attr(&full, "target").await, "_blank");
    assert!(attr(&full, "rel").await.contains("noopener"));
    browser.wait_role("link", "English").await;

    // When the visitor filters to stations open round the clock
    browser
        .wait_role("button", "24小时")
        .await
        .click()
        .await
        .expect("tap");
    // Then the list follows, and the frame's own address keeps the filter
    browser.wait_station_count(open_24h).await;
    let url = frame_url(&browser).await;
    assert!(
        url.contains("/embed?") && url.contains("open_24h=1") && url.contains("union=bj-yanqing"),
        "{url}"
    );

    // When the visitor taps the first station
    let first = browser
        .wait(
            "a listed station",
            Locator::XPath("//section[@aria-label='驿站列表']//ol/li/a"),
        )
        .await;
    let name = first.text().await.expect("name");
    let station = theirs
        .iter()
        .find(|s| s.name == name)
        .expect("a union station");
    first.click().await.expect("tap");
    // Then its details open inside the frame, at the embed's address
    browser.wait_role("heading", &station.name).await;
    browser.wait_role("heading", "服务设施").await;
    let url = wait_until(
        "the frame's address to name the station",
        || frame_url(&browser),
        |u| u.contains(&format!("station={}", station.id)),
    )
    .await;
    assert!(
        url.contains("/embed?") && url.contains("union=bj-yanqing"),
        "{url}"
    );
    // And leaving the frame always opens a new tab
    let join = browser.wait_role("link", "申请入会").await;
    assert!(
        attr(&join, "href")
            .await
            .ends_with(&format!("/join?station={}", station.id)),
        "{}",
        attr(&join, "href").await
    );
    let full = browser.wait_role("link", "查看完整地图").await;
    let amap = browser.wait_role("link", "高德地图").await;
    for link in [&join, &full, &amap] {
        assert_eq!(attr(link, "target").await, "_blank");
        assert!(attr(link, "rel").await.contains("noopener"));
    }
    let full_href = attr(&full, "href").await;
    assert!(
        full_href.starts_with("/?")
            && full_href.contains("union=bj-yanqing")
            && !full_href.contains("station="),
        "{full_href}"
    );
    // And the embed is read-only: no fault report
    assert!(browser
        .client
        .find(Locator::XPath("//*[contains(text(), '信息准确吗')]"))
        .await
        .is_err());

    // When the visitor goes back, the map comes back with the filter still on
    browser
        .wait_role("link", "返回地图")
        .await
        .click()
        .await
        .expect("tap");
    browser.wait_station_count(open_24h).await;
    browser.wait_listed_station().await;

    // And on the union's page the frame has taken its content's height (via /embed.js)
    browser
        .client
        .enter_parent_frame()
        .await
        .expect("back to the host");
    let height = wait_until(
        "the host script to resize the frame",
        || async {
            frame
                .rectangle()
                .await
                .map(|(_, _, _, h)| h.round())
                .unwrap_or_default()
        },
        |h| *h > 0.0 && (*h - 600.0).abs() > 1.0,
    )
    .await;
    assert!(height > 300.0 && height < 2000.0, "{height}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_location_access_the_embed_quietly_shows_the_union_area() {
    // Given a union page whose frame may not ask for the position (no allow="geolocation")
    let host = HostPage::serve();
    let origin = host.origin.clone();
    let server =
        AppServer::start_with(move |s| s.embed_origins = EmbedOrigins::List(vec![origin.clone()]))
            .await;
    host.show(&server, &[(&format!("/embed?union={UNION}"), TITLE, false)]);
    let browser = Browser::phone().await;
    let theirs = union_stations();
    let area = theirs
        .iter()
        .skip(1)
        .fold(BBox::point(theirs[0].location), |b, s| {
            b.including(s.location)
        });

    // When a visitor opens it
    open_host(&browser, &host, TITLE).await;
    browser.wait_station_count(theirs.len()).await;
    browser.wait_listed_station().await;
    // Then the map opens on the union's area (the frame's address holds the view) …
    let url = wait_until(
        "the map to open on the union's area",
        || frame_url(&browser),
        |u| {
            let Ok(u) = url::Url::parse(u) else {
                return false;
            };
            let get = |k: &str| {
                u.query_pairs()
                    .find(|(key, _)| key == k)
                    .and_then(|(_, v)| v.parse::<f64>().ok())
            };
            match (get("lat"), get("lng")) {
                (Some(lat), Some(lng)) => {
                    yizhan_core::LatLng::new(lat, lng).is_ok_and(|p| area.contains(&p))
                }
                _ => false,
            }
        },
    )
    .await;
    assert!(url.contains("union=bj-yanqing"), "{url}");
    // … with no error, no hint about the position, and no button that cannot work
    for quiet in [
        "//*[@role='alert']",
        "//*[@role='note']",
        "//button[normalize-space()='定位到我']",
    ] {
        for e in browser
            .client
            .find_all(Locator::XPath(quiet))
            .await
            .unwrap_or_default()
        {
            assert!(!e.is_displayed().await.unwrap_or(true), "{quiet} shown");
        }
    }
}

/// Waits until the frame has loaded something, and gives its address and text.
async fn framed_content(browser: &Browser) -> (String, String) {
    let url = wait_until(
        "the frame to load",
        || frame_url(browser),
        |u| !u.is_empty() && u != "about:blank",
    )
    .await;
    let text = browser
        .client
        .execute(
            "return document.body ? document.body.innerText : ''",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    (url, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_refuses_to_frame_staff_pages_and_the_rider_app() {
    // Given a union site allowed to embed the map, which also tries to frame /admin and /
    let host = HostPage::serve();
    let origin = host.origin.clone();
    let server =
        AppServer::start_with(move |s| s.embed_origins = EmbedOrigins::List(vec![origin.clone()]))
            .await;
    host.show(
        &server,
        &[
            (&format!("/embed?union={UNION}"), TITLE, false),
            ("/admin", "管理后台", false),
            ("/", "骑手地图", false),
        ],
    );
    let browser = Browser::phone().await;
    // When a visitor opens it, the embed renders (the site is allowed) …
    open_host(&browser, &host, TITLE).await;
    browser.wait_listed_station().await;
    // … but neither /admin nor the rider app does: the browser shows its own error instead
    for title in ["管理后台", "骑手地图"] {
        browser.client.enter_parent_frame().await.expect("host");
        let frame = browser
            .wait(
                title,
                Locator::XPath(&format!("//iframe[@title='{title}']")),
            )
            .await;
        frame.enter_frame().await.expect("into the frame");
        let (url, text) = framed_content(&browser).await;
        assert!(!url.starts_with(&server.base), "{title}: framed {url}");
        for app_text in ["驿站", "登录", "app is not built"] {
            assert!(!text.contains(app_text), "{title}: {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_refuses_the_embed_to_a_site_outside_the_allow_list() {
    // Given a deployment that allows one union site, and another site framing the embed
    let host = HostPage::serve();
    let server = AppServer::start_with(|s| {
        s.embed_origins = EmbedOrigins::List(vec!["https://union.example.org".into()]);
    })
    .await;
    host.show(&server, &[(&format!("/embed?union={UNION}"), TITLE, true)]);
    let browser = Browser::phone().await;
    // When a visitor opens that site
    open_host(&browser, &host, TITLE).await;
    // Then the frame shows nothing of the app
    let (url, text) = framed_content(&browser).await;
    assert!(!url.starts_with(&server.base), "framed {url}");
    assert!(!text.contains("驿站"), "{text}");
}

/// The map's and the list's boxes on the page: (x, y, width, height).
async fn boxes(browser: &Browser) -> ((f64, f64, f64, f64), (f64, f64, f64, f64)) {
    let map = browser
        .wait(
            "the map",
            Locator::XPath("//*[@role='region'][@aria-label='驿站地图']"),
        )
        .await;
    let list = browser
        .wait(
            "the list",
            Locator::XPath("//section[@aria-label='驿站列表']"),
        )
        .await;
    (
        map.rectangle().await.expect("map box"),
        list.rectangle().await.expect("list box"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embed_puts_the_list_below_the_map_when_narrow_and_beside_it_when_wide() {
    let server = AppServer::start().await;
    let path = format!("/embed?union={UNION}");
    // A 300 × 400 frame: the map on top, the list under it, both in view
    let narrow = Browser::open(300, 400).await;
    narrow.client.goto(&server.url(&path)).await.expect("open");
    narrow.wait_listed_station().await;
    let (map, list) = boxes(&narrow).await;
    assert!(map.2 <= 300.0 && list.2 <= 300.0, "{map:?} {list:?}");
    assert!(list.1 >= map.1 + map.3 - 1.0, "{map:?} {list:?}");
    assert!(list.1 < 400.0, "the list starts inside the frame: {list:?}");
    // A 1024 × 700 page: the list is a side panel next to the map
    let wide = Browser::open(1024, 700).await;
    wide.client.goto(&server.url(&path)).await.expect("open");
    wide.wait_listed_station().await;
    let (map, list) = boxes(&wide).await;
    assert!(list.0 + list.2 <= map.0 + 1.0, "{map:?} {list:?}");
    assert!((list.1 - map.1).abs() < 2.0, "{map:?} {list:?}");
    assert!(map.3 > 400.0, "the map fills the height: {map:?}");
}
