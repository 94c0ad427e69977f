//! What `/embed` needs from the server: framing only by the allowed origins (every other route
//! unframeable), the host script, and the area a union's stations cover.

use yizhan_core::StationList;
use yizhan_server::config::EmbedOrigins;

use crate::helpers::TestApp;

/// The host script, as Trunk copies it into `dist`.
const EMBED_JS: &str = include_str!("../../../../public/embed.js");

/// A server whose `dist` also holds the host script, with `origins` allowed to frame `/embed`.
async fn spawn(origins: EmbedOrigins) -> TestApp {
    TestApp::spawn_with(|s| {
        s.embed_origins = origins;
        std::fs::write(s.dist_dir.join("embed.js"), EMBED_JS).expect("embed.js");
    })
    .await
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned()
}

/// One line per route: status, who may frame it, and how it may be cached. The headers every
/// answer carries alike are checked on the way.
async fn security_line(app: &TestApp, path: &str) -> String {
    let res = app.get(path).await;
    let csp = header(&res, "content-security-policy");
    let (policy, ancestors) = csp
        .rsplit_once("; frame-ancestors ")
        .unwrap_or_else(|| panic!("{path}: no frame-ancestors in {csp:?}"));
    assert!(
        policy.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-")
            && policy.contains("style-src 'self';")
            && policy.contains("object-src 'none'; base-uri 'none';"),
        "{path}: {policy}"
    );
    assert_eq!(header(&res, "x-content-type-options"), "nosniff", "{path}");
    assert_eq!(
        header(&res, "referrer-policy"),
        "strict-origin-when-cross-origin",
        "{path}"
    );
    assert!(
        header(&res, "permissions-policy").starts_with("geolocation=(self),"),
        "{path}"
    );
    assert_eq!(header(&res, "set-cookie"), "-", "{path} sets no cookie");
    format!(
        "{path} {} | frame-ancestors {ancestors} | x-frame-options {} | cache-control {}",
        res.status().as_u16(),
        header(&res, "x-frame-options"),
        header(&res, "cache-control"),
    )
}

#[tokio::test]
async fn security_headers_per_route_kind_snapshot() {
    // Given a deployment that lets one union site frame the embed
    let app = spawn(EmbedOrigins::List(vec![
        "https://union.example.org".into(),
        "http://localhost:8000".into(),
    ]))
    .await;
    // When each kind of route is asked for
    let mut lines = Vec::new();
    for path in [
        "/",
        "/stations/bj-chaoyang-0001",
        "/embed",
        "/embed?union=bj-chaoyang&station=bj-chaoyang-0001&lang=en",
        "/manage",
        "/admin",
        "/api/v1/stations?limit=1",
        "/api/v1/stations/bj-chaoyang-0001",
        "/api/docs",
        "/embed.js",
        "/app-0123456789abcdef.js",
        "/embedded",
    ] {
        lines.push(security_line(&app, path).await);
    }
    // Then only /embed may be framed, by the allowed origins; everything else is never framed
    assert_eq!(
        lines.join("\n"),
        "\
/ 200 | frame-ancestors 'none' | x-frame-options DENY | cache-control no-cache
/stations/bj-chaoyang-0001 200 | frame-ancestors 'none' | x-frame-options DENY | cache-control no-cache
/embed 200 | frame-ancestors 'self' https://union.example.org http://localhost:8000 | x-frame-options - | cache-control no-cache
/embed?union=bj-chaoyang&station=bj-chaoyang-0001&lang=en 200 | frame-ancestors 'self' https://union.example.org http://localhost:8000 | x-frame-options - | cache-control no-cache
/manage 200 | frame-ancestors 'none' | x-frame-options DENY | cache-control no-store
/admin 200 | frame-ancestors 'none' | x-frame-options DENY | cache-control no-store
/api/v1/stations?limit=1 200 | frame-ancestors 'none' | x-frame-options DENY | cache-control public, max-age=60
/api/v1/stations/bj-chaoyang-0001 200 | frame-ancestors 'none' | x-frame-options DENY | cache-control no-cache
/api/docs 200 | frame-ancestors 'none' | x-frame-options DENY | cache-control no-cache
/embed.js 200 | frame-ancestors 'none' | x-frame-options DENY | cache-control no-cache
/app-0123456789abcdef.js 200 | frame-ancestors 'none' | x-frame-options DENY | cache-control public, max-age=31536000, immutable
/embedded 404 | frame-ancestors 'none' | x-frame-options DENY | cache-control no-cache"
    );
}

#[tokio::test]
async fn embed_may_be_framed_anywhere_with_star_and_only_by_itself_with_an_empty_list() {
    for (origins, expected) in [
        (EmbedOrigins::Any, "*"),
        // The deployment's own pages only (the admin's embed builder previews it).
        (EmbedOrigins::List(Vec::new()), "'self'"),
    ] {
        let app = spawn(origins.clone()).await;
        let embed = security_line(&app, "/embed?union=bj-chaoyang").await;
        assert_eq!(
            embed,
            format!(
                "/embed?union=bj-chaoyang 200 | frame-ancestors {expected} | x-frame-options - | cache-control no-cache"
            ),
            "{origins:?}"
        );
        // The operator's choice for the embed never opens the other routes
        for path in ["/", "/admin", "/embed.js"] {
            let line = security_line(&app, path).await;
            assert!(
                line.contains("| frame-ancestors 'none' | x-frame-options DENY |"),
                "{origins:?}: {line}"
            );
        }
    }
}

#[tokio::test]
async fn host_script_is_served_as_javascript_under_one_kilobyte() {
    let app = spawn(EmbedOrigins::Any).await;
    let res = app.get("/embed.js").await;
    assert_eq!(res.status(), 200);
    assert!(
        header(&res, "content-type").contains("javascript"),
        "{}",
        header(&res, "content-type")
    );
    let body = res.text().await.expect("script");
    assert!(body.len() < 1024, "embed.js is {} bytes", body.len());
    // It checks who is talking before it resizes anything
    assert!(body.contains("e.source") && body.contains("e.origin"));
}

async fn list(app: &TestApp, query: &str) -> StationList {
    let res = app.get(&format!("/api/v1/stations?{query}")).await;
    assert_eq!(res.status(), 200, "{query}");
    res.json().await.expect("station list")
}

#[tokio::test]
async fn list_gives_the_box_around_every_match_not_only_the_page() {
    // Given the Chaoyang union's stations (every one has an id bj-chaoyang-…)
    let app = TestApp::spawn().await;
    let all = list(&app, "").await;
    let theirs: Vec<_> = all
        .stations
        .iter()
        .filter(|s| s.id.as_str().starts_with("bj-chaoyang-"))
        .map(|s| (s.location.lng.get(), s.location.lat.get()))
        .collect();
    assert!(theirs.len() > 1);
    let fold = |f: fn(f64, f64) -> f64, start: f64, pick: fn(&(f64, f64)) -> f64| {
        theirs.iter().map(pick).fold(start, f)
    };
    let expected = [
        fold(f64::min, f64::INFINITY, |p| p.0),
        fold(f64::min, f64::INFINITY, |p| p.1),
        fold(f64::max, f64::NEG_INFINITY, |p| p.0),
        fold(f64::max, f64::NEG_INFINITY, |p| p.1),
    ];
    // When the embed asks for the nearest one only, or for a clustered map view
    for query in [
        "union=bj-chaoyang&near=39.9,116.4&limit=1",
        "union=bj-chaoyang&bbox=115,39,118,41&zoom=9",
    ] {
        let page = list(&app, query).await;
        // Then the box covers all of them
        assert_eq!(page.total, theirs.len(), "{query}");
        assert_eq!(page.bounds, Some(expected), "{query}");
    }
}

#[tokio::test]
async fn list_without_matches_has_no_bounds() {
    let app = TestApp::spawn().await;
    let res = app
        .get_json("/api/v1/stations?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E9%A9%BF%E7%AB%99")
        .await;
    assert_eq!(res["total"], 0);
    assert!(res.get("bounds").is_none(), "{res}");
}
