//! Any city: a deployment whose stations are in Shanghai opens its map on Shanghai, lists
//! Shanghai's districts on the join form and sends an application without a station to the
//! district's union; the settings can fix both; a Beijing deployment stays as it was.

use serde_json::{json, Value};
use yizhan_server::config::DemoArea;

use crate::applications::{apply, form};
use crate::helpers::TestApp;

/// The content of the shell's `<meta name="yizhan:{name}">`.
async fn meta(app: &TestApp, path: &str, name: &str) -> String {
    let html = app.get(path).await.text().await.expect("html");
    let tag = format!("<meta name=\"yizhan:{name}\" content=\"");
    let start = html
        .find(&tag)
        .unwrap_or_else(|| panic!("{name} in {html}"))
        + tag.len();
    html[start..].split('"').next().expect("content").to_owned()
}

fn centre(content: &str) -> (f64, f64) {
    let (lat, lng) = content.split_once(',').expect("lat,lng");
    (lat.parse().expect("lat"), lng.parse().expect("lng"))
}

#[tokio::test]
async fn a_shanghai_deployment_opens_on_shanghai_and_takes_applications_for_its_districts() {
    // Given a deployment whose stations are all in Shanghai
    let app = TestApp::spawn_with(|s| s.demo_area = DemoArea::City("sh")).await;

    // Then every bundle's shell names Shanghai's centre and districts
    for path in ["/", "/join", "/admin"] {
        let (lat, lng) = centre(&meta(&app, path, "city-centre").await);
        assert!(
            (30.9..31.5).contains(&lat) && (121.2..121.8).contains(&lng),
            "{path}: {lat},{lng}"
        );
        let districts = meta(&app, path, "districts").await;
        assert!(districts.contains("浦东新区"), "{districts}");
        assert!(!districts.contains("朝阳区"), "{districts}");
    }
    // And the box the map fits holds every station, and is Shanghai's size, not China's
    let bounds: Vec<f64> = meta(&app, "/", "city-bounds")
        .await
        .split(',')
        .map(|v| v.parse().expect("number"))
        .collect();
    let all: Value = app.get_json("/api/v1/stations?limit=500").await;
    for s in all["stations"].as_array().expect("stations") {
        let (lat, lng) = (
            s["location"]["lat"].as_f64().expect("lat"),
            s["location"]["lng"].as_f64().expect("lng"),
        );
        assert!(
            bounds[0] - 1e-5 <= lng && lng <= bounds[2] + 1e-5,
            "{lng} {bounds:?}"
        );
        assert!(
            bounds[1] - 1e-5 <= lat && lat <= bounds[3] + 1e-5,
            "{lat} {bounds:?}"
        );
    }
    assert!(
        bounds[2] - bounds[0] < 2.0 && bounds[3] - bounds[1] < 2.0,
        "{bounds:?}"
    );

    // And an application without a station goes to the district's union
    let mut body = form("unused", "13800138000");
    body.as_object_mut().expect("object").remove("station_id");
    body["district"] = json!("浦东新区");
    let res = apply(&app, &body, None).await;
    assert_eq!(res.status(), 201);
    let receipt: Value = res.json().await.expect("json");
    assert_eq!(receipt["union"]["id"], "sh-pudong", "{receipt}");
    // While a Beijing district is not one of this city's
    body["district"] = json!("朝阳区");
    body["phone"] = json!("13800138001");
    let res = apply(&app, &body, None).await;
    assert_eq!(res.status(), 422);
    let refused: Value = res.json().await.expect("json");
    assert_eq!(
        refused["error"]["fields"]["district"], "unknown",
        "{refused}"
    );
}

#[tokio::test]
async fn the_settings_fix_the_centre_and_districts_and_beijing_stays_the_default() {
    // A Beijing deployment keeps Tiananmen and Beijing's 16 districts in their order
    let beijing = TestApp::spawn().await;
    assert_eq!(
        meta(&beijing, "/", "city-centre").await,
        "39.90870,116.39750"
    );
    let districts = meta(&beijing, "/join", "districts").await;
    assert_eq!(districts.split(',').count(), 16);
    assert!(districts.starts_with("东城区,西城区,朝阳区"), "{districts}");
    // and opens at its centre at the city's zoom, with no box to fit
    let html = beijing.get("/").await.text().await.expect("html");
    assert!(!html.contains("yizhan:city-bounds"));

    // Settings win over the stations
    let fixed = TestApp::spawn_with(|s| {
        s.city_centre = Some((31.2304, 121.4737));
        s.city_bounds = Some([121.1, 30.7, 122.0, 31.9]);
        s.city_districts = Some(vec!["黄浦区".into(), "<script>".into()]);
    })
    .await;
    assert_eq!(meta(&fixed, "/", "city-centre").await, "31.23040,121.47370");
    assert_eq!(
        meta(&fixed, "/", "city-bounds").await,
        "121.10000,30.70000,122.00000,31.90000"
    );
    assert_eq!(
        meta(&fixed, "/join", "districts").await,
        "黄浦区,&lt;script&gt;"
    );
}
