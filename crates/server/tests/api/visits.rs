//! "我到了": a rider's visit is counted once per device, station and hour, an address's
//! visits are capped even when sent at once, and nothing that names a device outlives the hour.

use futures::future::join_all;
use serde_json::{json, Value};
use yizhan_core::Timestamp;

use crate::helpers::TestApp;

async fn visit(app: &TestApp, station: &str, device: Option<&str>) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}/api/v1/stations/{station}/visits", app.base));
    if let Some(d) = device {
        req = req.header("X-Device-Id", d);
    }
    req.send().await.expect("request")
}

async fn first_station(app: &TestApp) -> String {
    let list = app.get_json("/api/v1/stations?limit=1").await;
    list["stations"][0]["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn a_visit_counts_once_per_device_and_hour_and_keeps_no_device_id() {
    let app = TestApp::spawn().await;
    let station = first_station(&app).await;
    let device = "device-1111111111111111";

    // A first tap is counted; a second from the same phone this hour is not (and is no error)
    let first = visit(&app, &station, Some(device)).await;
    assert_eq!(first.status(), 201);
    assert_eq!(
        first.json::<Value>().await.expect("json"),
        json!({"counted": true})
    );
    let again = visit(&app, &station, Some(device)).await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        again.json::<Value>().await.expect("json"),
        json!({"counted": false})
    );
    // Another phone counts
    assert_eq!(
        visit(&app, &station, Some("device-2222222222222222"))
            .await
            .status(),
        201
    );
    let today = app
        .get_json(&format!("/api/v1/stations/{station}/today"))
        .await;
    assert_eq!(today["visits"], 2, "{today}");

    // Without a device id it is refused by name; an unknown station is 404
    let bare = visit(&app, &station, None).await;
    assert_eq!(bare.status(), 400);
    let body: Value = bare.json().await.expect("json");
    assert_eq!(body["error"]["fields"]["X-Device-Id"], "missing", "{body}");
    assert_eq!(
        visit(&app, "no-such-station", Some(device)).await.status(),
        404
    );

    // The database holds no device id, only salted marks, and those go after their hour
    let mut conn = crate::helpers::connect(&app.database_url).await;
    let marks: Vec<String> = sqlx::query_scalar("SELECT mark FROM visit_marks")
        .fetch_all(&mut conn)
        .await
        .expect("marks");
    assert_eq!(marks.len(), 2);
    assert!(marks.iter().all(|m| !m.contains("device-")));
    let db = yizhan_server::db::Db::connect(&app.database_url)
        .await
        .expect("db");
    let later = Timestamp::now().plus_seconds(2 * 3600);
    let retention =
        yizhan_server::purge::Retention::from(&yizhan_server::config::Settings::default());
    let purged = yizhan_server::purge::purge_once(&db, later, &retention)
        .await
        .expect("purge");
    assert_eq!(purged.visit_marks_deleted, 2);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visit_marks")
        .fetch_one(&mut conn)
        .await
        .expect("count");
    assert_eq!(left, 0);
    // The counts stay
    let today = app
        .get_json(&format!("/api/v1/stations/{station}/today"))
        .await;
    assert_eq!(today["visits"], 2);
    db.close().await;
}

#[tokio::test]
async fn seventy_visits_sent_at_once_from_one_address_count_at_most_sixty() {
    let app = TestApp::spawn().await;
    let station = first_station(&app).await;
    let devices: Vec<String> = (0..70).map(|i| format!("device-{i:016}")).collect();
    let sent = join_all(devices.iter().map(|d| visit(&app, &station, Some(d)))).await;
    let counted = sent.iter().filter(|r| r.status() == 201).count();
    let limited: Vec<_> = sent.iter().filter(|r| r.status() == 429).collect();
    assert_eq!(counted, 60);
    assert_eq!(limited.len(), 10);
    assert!(limited
        .iter()
        .all(|r| r.headers().contains_key("retry-after")));
    let today = app
        .get_json(&format!("/api/v1/stations/{station}/today"))
        .await;
    assert_eq!(today["visits"], 60);
}
