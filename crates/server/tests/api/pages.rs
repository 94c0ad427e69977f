//! The app shell and the security headers of each kind of route (a snapshot per route).

use crate::helpers::TestApp;

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// The CSP of every page but /embed: every bundle's boot script by hash, never framed.
const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' \
     'sha256-H6+f5K2/VD/FQNKUGkeQKhmIQ0AWyVH2Fb2dxDpSaWg=' 'sha256-oLqyfvHlShURVHSDyTUoN5iDm6YXs9H81biT5Z1Jpho=' \
     'sha256-qkAuvkcB4Z5omoAHoW16OStdzukAfpjIkcRwUEm7JiY=' \
     'sha256-AX1YaCreJb8WsVdJWxsWHvMb8Nfz+S/aLsLTyyfW8qQ=' 'sha256-Za9NEWvDQa2aRYwWkkpoQQeN+R2vT3K0DCK3NzuzIEY='; \
     style-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; font-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; manifest-src 'self'; worker-src 'self'; \
     frame-ancestors 'none'";

#[tokio::test]
async fn app_routes_get_the_shell_with_strict_headers() {
    let app = TestApp::spawn().await;
    for (path, bundle) in [
        ("/", "/app.js"),
        ("/?lang=en", "/app.js"),
        // A station's page is its own bundle: the map's first view never downloads it
        ("/stations/bj-chaoyang-0001", "/station-app/station.js"),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, "x-frame-options"), "DENY");
        assert_eq!(header(&res, "x-content-type-options"), "nosniff");
        assert_eq!(header(&res, "cache-control"), "no-cache");
        assert_eq!(header(&res, "content-security-policy"), PAGE_CSP, "{path}");
        let html = res.text().await.expect("html");
        assert!(html.contains("<meta name=\"yizhan:tile-url\" content=\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\">"));
        assert!(html.contains(bundle), "{path} gets {bundle}");
    }
}

#[tokio::test]
async fn staff_routes_get_the_staff_bundle_never_framed_never_stored() {
    let app = TestApp::spawn().await;
    for path in [
        "/manage",
        "/manage/stations/bj-chaoyang-0001",
        "/admin",
        "/admin/stations",
        "/admin/posters/print?district=x",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&res, "cache-control"), "no-store", "{path}");
        assert_eq!(header(&res, "content-security-policy"), PAGE_CSP, "{path}");
        let html = res.text().await.expect("html");
        assert!(
            html.contains("/staff/staff.js"),
            "{path} gets the staff bundle"
        );
    }
}

#[tokio::test]
async fn embed_may_be_framed_by_the_allowed_origins_only() {
    let app = TestApp::spawn().await;
    for (path, bundle) in [
        ("/embed", "/app.js"),
        ("/embed?amenities=water&station=", "/app.js"),
        // A station inside the frame is the station bundle's page
        (
            "/embed?lang=en&station=bj-chaoyang-0001",
            "/station-app/station.js",
        ),
    ] {
        let res = app.get(path).await;
        let csp = header(&res, "content-security-policy");
        assert!(
            csp.ends_with("frame-ancestors 'self' https://union.example.org"),
            "{path}: {csp}"
        );
        assert_eq!(header(&res, "x-frame-options"), "", "{path}");
        assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
        let html = res.text().await.expect("html");
        assert!(html.contains(bundle), "{path} gets {bundle}");
    }
}

/// The list a shell preloads, as the browser reads the link (`&amp;` is `&`).
fn preloaded(html: &str) -> Option<String> {
    let after = html
        .split(r#"<link rel="preload" as="fetch" href=""#)
        .nth(1)?;
    Some(after.split('"').next()?.replace("&amp;", "&"))
}

#[tokio::test]
async fn the_map_opened_on_the_city_preloads_its_first_list() {
    let app = TestApp::spawn().await;
    for path in ["/", "/?lang=en"] {
        // When a rider opens the map with nothing in the address but the language
        let html = app.get(path).await.text().await.expect("html");
        // Then the shell names the nearby list of the city centre the page opens on, so the
        // browser fetches it while the app's code downloads
        let href = preloaded(&html).unwrap_or_else(|| panic!("{path}: no preload in {html}"));
        let centre = html
            .split(r#"<meta name="yizhan:city-centre" content=""#)
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("city centre");
        let point = |text: &str| -> Vec<f64> {
            text.split(',')
                .map(|v| v.parse().expect("number"))
                .collect()
        };
        let near = href
            .strip_prefix("/api/v1/stations?near=")
            .and_then(|r| r.strip_suffix("&limit=30&"))
            .unwrap_or_else(|| panic!("{path}: {href}"));
        assert_eq!(point(near), point(centre), "{path}");
        // And the list it names answers, for the browser's cache
        let res = app.get(&href).await;
        assert_eq!(res.status(), 200);
        assert_eq!(header(&res, "cache-control"), "public, max-age=60");
    }
    // A view or filters in the address (or a union's frame) make the page ask another list
    // first: no preload then, which would only cost the rider's data
    for path in [
        "/?lat=39.9&lng=116.4&zoom=15",
        "/?amenities=water",
        "/embed",
        "/no/such/page",
    ] {
        let html = app.get(path).await.text().await.expect("html");
        assert_eq!(preloaded(&html), None, "{path}");
    }
}

#[tokio::test]
async fn unknown_page_gets_the_shell_with_404() {
    let app = TestApp::spawn().await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    assert!(res
        .text()
        .await
        .expect("html")
        .contains("<script type=\"module\">"));
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_and_compressed() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(format!("{}/app-0123456789abcdef.js", app.base))
        .header("Accept-Encoding", "br")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let api = app
        .client
        .get(format!("{}/api/v1/stations", app.base))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .expect("request");
    assert_eq!(header(&api, "content-encoding"), "gzip");
}

#[tokio::test]
async fn join_routes_get_the_join_bundle_and_the_scanner_its_own() {
    let app = TestApp::spawn().await;
    for (path, bundle) in [
        ("/join?station=bj-chaoyang-0001", "/join-app/join.js"),
        ("/join/status", "/join-app/join.js"),
        // The camera's decoder is kept out of the pages a scanned poster opens
        ("/scan", "/scan-app/scan.js"),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(header(&res, "x-frame-options"), "DENY", "{path}");
        assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
        let csp = header(&res, "content-security-policy");
        assert!(csp.ends_with("frame-ancestors 'none'"), "{path}: {csp}");
        let html = res.text().await.expect("html");
        assert!(html.contains(bundle), "{path} gets {bundle}");
        assert!(html.contains("<meta name=\"yizhan:public-url\""), "{path}");
    }
}
