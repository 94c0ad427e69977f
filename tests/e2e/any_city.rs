//! Any city: a Shanghai union's deployment (its stations all in Shanghai) opens the map on the
//! whole of Shanghai for a rider who does not share their position, and its join form lists
//! Shanghai's districts.

use fantoccini::Locator;
use yizhan_core::LatLng;
use yizhan_server::config::DemoArea;

use crate::harness::{wait_until, AppServer, Browser};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shanghai_deployment_opens_on_shanghai_and_lists_its_districts() {
    // Given a deployment whose stations are in Shanghai, and a rider who keeps their position
    let server = AppServer::start_with(|s| s.demo_area = DemoArea::City("sh")).await;
    let stations = server.db().await.public_stations().await.expect("stations");
    assert!(stations.iter().all(|s| s.id.as_str().starts_with("sh-")));
    let browser = Browser::phone().await;

    // When they open the map
    browser.client.goto(&server.url("/")).await.expect("open");

    // Then it opens on the whole city, which is Shanghai: the map fits the box around
    // Shanghai's stations (its centre is the box's), and the station nearest that centre is at
    // the top of the list (from Beijing's centre it would be the northernmost one)
    browser.wait_role("note", "按市中心显示").await;
    let (mut south, mut west, mut north, mut east) = (90.0_f64, 180.0_f64, -90.0_f64, -180.0_f64);
    for s in &stations {
        south = south.min(s.location.lat.get());
        north = north.max(s.location.lat.get());
        west = west.min(s.location.lng.get());
        east = east.max(s.location.lng.get());
    }
    let middle = LatLng::new((south + north) / 2.0, (west + east) / 2.0).expect("a position");
    wait_until(
        "the map to fit Shanghai",
        || async { browser.client.current_url().await.expect("url") },
        |url| {
            let param = |k: &str| {
                url.query_pairs()
                    .find(|(key, _)| key == k)
                    .and_then(|(_, v)| v.parse::<f64>().ok())
            };
            matches!((param("lat"), param("lng")), (Some(lat), Some(lng))
                if (lat - middle.lat.get()).abs() < 0.01 && (lng - middle.lng.get()).abs() < 0.01)
        },
    )
    .await;
    browser.wait_listed_station().await;
    let nearest = stations
        .iter()
        .min_by(|a, b| {
            a.location
                .distance_m(&middle)
                .total_cmp(&b.location.distance_m(&middle))
        })
        .expect("a station");
    wait_until(
        &format!("{} among the first three listed", nearest.name),
        || async {
            let top: Vec<String> = browser.listed_names().await.into_iter().take(3).collect();
            top
        },
        |top| top.iter().any(|name| name.contains(&nearest.name)),
    )
    .await;

    // When they open the join form without a station
    browser
        .client
        .goto(&server.url("/join"))
        .await
        .expect("join");

    // Then its districts are Shanghai's
    let select = browser
        .wait(
            "the select labelled 所在区",
            Locator::XPath("//select[@id=//label[normalize-space()='所在区']/@for]"),
        )
        .await;
    select
        .select_by_label("浦东新区")
        .await
        .expect("浦东新区 is listed");
    let options = select
        .find_all(Locator::Css("option"))
        .await
        .expect("options");
    for o in options {
        let label = o.text().await.unwrap_or_default();
        assert_ne!(label, "朝阳区", "a Beijing district is listed");
    }
}
