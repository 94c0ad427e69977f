//! Any city: a Shanghai union's deployment (its stations all in Shanghai) opens the map on
//! Shanghai for a rider who does not share their position, and its join form lists
//! Shanghai's districts.

use fantoccini::Locator;
use yizhan_core::LatLng;
use yizhan_server::config::DemoArea;

use crate::harness::{AppServer, Browser};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shanghai_deployment_opens_on_shanghai_and_lists_its_districts() {
    // Given a deployment whose stations are in Shanghai, and a rider who keeps their position
    let server = AppServer::start_with(|s| s.demo_area = DemoArea::City("sh")).await;
    let stations = server.db().await.public_stations().await.expect("stations");
    assert!(stations.iter().all(|s| s.id.as_str().starts_with("sh-")));
    let browser = Browser::phone().await;

    // When they open the map
    browser.client.goto(&server.url("/")).await.expect("open");

    // Then it uses the city centre, which is Shanghai's: the station nearest the middle of
    // Shanghai's stations is at the top of the list (from Beijing's centre it would be the
    // northernmost one)
    browser.wait_role("note", "按市中心显示").await;
    browser.wait_listed_station().await;
    #[allow(clippy::cast_precision_loss)]
    let n = stations.len() as f64;
    let middle = LatLng::new(
        stations.iter().map(|s| s.location.lat.get()).sum::<f64>() / n,
        stations.iter().map(|s| s.location.lng.get()).sum::<f64>() / n,
    )
    .expect("a position");
    let nearest = stations
        .iter()
        .min_by(|a, b| {
            a.location
                .distance_m(&middle)
                .total_cmp(&b.location.distance_m(&middle))
        })
        .expect("a station");
    let top: Vec<String> = browser.listed_names().await.into_iter().take(3).collect();
    assert!(
        top.iter().any(|name| name.contains(&nearest.name)),
        "{} not among {top:?}",
        nearest.name
    );

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
