//! The service worker's table of pages and shells (`public/sw.js`, `shellOf` and `APP_PAGE`)
//! against the server's (`startup.rs`, `shell::Bundle`): the worker keeps one shell per key and
//! answers a page with it when offline, so a key must only ever hold the bundle the server
//! serves for every page it stands for. A new bundle or page added on one side only fails here.

use std::collections::BTreeMap;

use crate::harness::{first_demo_station, root, AppServer, PATIENCE};

/// Which bundle an HTML shell boots, from the script it loads.
fn bundle_of(html: &str) -> &'static str {
    for bundle in [
        "yizhan-app",
        "yizhan-station",
        "yizhan-staff",
        "yizhan-join",
        "yizhan-scan",
    ] {
        if html.contains(&format!("{bundle}-")) {
            return bundle;
        }
    }
    panic!("a page that boots no bundle: {html}")
}

/// The HTML the server answers `path` with (online, as the worker's fetch sees it).
async fn shell_at(server: &AppServer, path: &str) -> String {
    let res = reqwest::Client::new()
        .get(server.url(path))
        .timeout(PATIENCE)
        .send()
        .await
        .expect("the server answers");
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.text().await.expect("a body")
}

/// `sw.js` run in node with the browser's globals stubbed: for each path, whether the worker
/// answers it as an app page, its shell's key, and where install fetches that shell.
fn worker_table(paths: &[&str]) -> Vec<(bool, String, Option<String>)> {
    let script = r#"
const vm = require('node:vm');
const fs = require('node:fs');
const [file, ...paths] = process.argv.slice(1);
const self = { location: new URL('http://127.0.0.1/'), addEventListener() {} };
const context = vm.createContext({ self, URL, caches: {}, fetch() {}, Headers, Response, console });
vm.runInContext(fs.readFileSync(file, 'utf8') + '\n;globalThis.__t = { shellOf, APP_PAGE };', context);
const { shellOf, APP_PAGE } = context.__t;
const rows = paths.map((p) => {
  const url = new URL(p, 'http://127.0.0.1/');
  const s = shellOf(url);
  return [APP_PAGE.test(url.pathname), s.key, s.url ?? null];
});
console.log(JSON.stringify(rows));
"#;
    let out = std::process::Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(root().join("public/sw.js"))
        .args(paths)
        .output()
        .expect("node runs (make tools installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the table as JSON")
}

#[tokio::test]
async fn every_offline_shell_boots_the_bundle_the_server_serves_for_its_pages() {
    // Given the server and the worker's table for every page of the contract
    let server = AppServer::start().await;
    let id = first_demo_station().id;
    let station = format!("/stations/{id}");
    let embed_station = format!("/embed?station={id}&lang=en");
    let pages = [
        "/",
        "/?lang=en&lat=39.9&lng=116.4&zoom=14",
        station.as_str(),
        "/embed",
        "/embed?union=bj&amenities=water",
        embed_station.as_str(),
        "/join",
        "/join?station=bj-cy-0001&lang=en",
        "/join/status",
        "/scan",
    ];
    let table = worker_table(&pages);

    // Then the worker answers each as an app page, and one key always means one bundle: the one
    // the server serves for the page, and the one install keeps under that key
    let mut keys: BTreeMap<String, &str> = BTreeMap::new();
    for (page, (app_page, key, install_url)) in pages.iter().zip(table) {
        assert!(app_page, "{page} is not answered offline");
        let bundle = bundle_of(&shell_at(&server, page).await);
        let kept = keys.entry(key.clone()).or_insert(bundle);
        assert_eq!(*kept, bundle, "{page}: key {key} holds two bundles");
        if let Some(url) = install_url {
            let installed = bundle_of(&shell_at(&server, &url).await);
            assert_eq!(installed, bundle, "{page}: install keeps {url} under {key}");
        }
    }

    // And staff pages are never the worker's to answer
    for (staff, (app_page, ..)) in ["/manage", "/admin/stations"]
        .iter()
        .zip(worker_table(&["/manage", "/admin/stations"]))
    {
        assert!(
            !app_page,
            "{staff} would be answered from a rider's shell offline"
        );
        assert_eq!(bundle_of(&shell_at(&server, staff).await), "yizhan-staff");
    }
}
