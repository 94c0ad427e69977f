//! Unions' group-chat robots (群机器人), against a real local receiver: a fault report is posted
//! once per station and hour without the rider's words, a failing robot is retried with
//! back-off and then given up, a station gone stale is posted once, two instances never post
//! the same thing twice, and the robot's key is never shown back or logged.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use reqwest::Method;
use serde_json::{json, Value};
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::applications::station_of;
use crate::fleet::within;
use crate::helpers::{Session, TestApp};

/// A robot on a free local port: it records every post and answers from a script (then 200
/// with `{"errcode":0}` once the script runs out).
#[derive(Clone, Default)]
struct Robot {
    got: Arc<Mutex<Vec<(Instant, Value)>>>,
    script: Arc<Mutex<VecDeque<(StatusCode, Value)>>>,
}

impl Robot {
    async fn start(script: Vec<(StatusCode, Value)>) -> (Robot, String) {
        let robot = Robot {
            script: Arc::new(Mutex::new(script.into())),
            ..Robot::default()
        };
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(robot.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!(
            "http://{}/hook?key=secret-robot-key-1234",
            listener.local_addr().expect("addr")
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        (robot, url)
    }

    fn posts(&self) -> Vec<Value> {
        self.got
            .lock()
            .expect("lock")
            .iter()
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn times(&self) -> Vec<Instant> {
        self.got
            .lock()
            .expect("lock")
            .iter()
            .map(|(t, _)| *t)
            .collect()
    }
}

async fn receive(State(robot): State<Robot>, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    robot.got.lock().expect("lock").push((Instant::now(), body));
    let next = robot.script.lock().expect("lock").pop_front();
    let (status, answer) = next.unwrap_or((StatusCode::OK, json!({"errcode": 0, "errmsg": "ok"})));
    (status, Json(answer))
}

/// A server that takes http robots and looks for work every 100 ms.
async fn app() -> TestApp {
    TestApp::spawn_with(|s| {
        s.webhook_allow_http = true;
        s.webhook_retry = Duration::from_secs(1);
        s.webhook_poll = Duration::from_millis(100);
    })
    .await
}

async fn set_robot(
    app: &TestApp,
    admin: &Session,
    union: &str,
    url: &str,
    format: &str,
) -> reqwest::Response {
    app.request(
        Method::PUT,
        &format!("/api/v1/admin/unions/{union}/webhook"),
        admin,
    )
    .json(&json!({"url": url, "format": format}))
    .send()
    .await
    .expect("request")
}

async fn report(app: &TestApp, station: &str, body: Value, device: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/stations/{station}/reports", app.base))
        .header("X-Device-Id", device)
        .json(&body)
        .send()
        .await
        .expect("request")
}

/// The first amenity `station` offers.
async fn an_amenity(app: &TestApp, station: &str) -> String {
    let s = app.get_json(&format!("/api/v1/stations/{station}")).await;
    s["amenities"][0]["code"]
        .as_str()
        .expect("amenity")
        .to_owned()
}

const PATIENCE: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_fault_report_reaches_the_unions_robot_once_per_station_and_hour_without_the_riders_words(
) {
    // Given the district union's robot takes plain JSON
    let app = app().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let (robot, url) = Robot::start(Vec::new()).await;
    assert_eq!(
        set_robot(&app, &admin, "bj-chaoyang", &url, "json")
            .await
            .status(),
        200
    );
    // A station of a street union below it
    let station = station_of(&app, "bj-chaoyang-wangjing").await;
    let amenity = an_amenity(&app, &station).await;

    // When a rider confirms the page (no post), then reports a broken amenity with a phone
    // number in the words
    let confirm = report(
        &app,
        &station,
        json!({"kind": "confirm"}),
        "device-aaaaaaaaaaaaaaaa",
    )
    .await;
    assert_eq!(confirm.status(), 201);
    let fault =
        json!({"kind": "amenity_broken", "amenity": amenity, "text": "坏了，打我电话 13800138000"});
    assert_eq!(
        report(&app, &station, fault, "device-dddddddddddddddd")
            .await
            .status(),
        201
    );

    // Then the robot gets one post naming the station and the fault
    within(PATIENCE, "the robot got the report", || async {
        !robot.posts().is_empty()
    })
    .await;
    let post = &robot.posts()[0];
    assert_eq!(post["event"], "report", "{post}");
    assert_eq!(post["station"]["id"], station.as_str());
    assert_eq!(post["report"]["kind"], "amenity_broken");
    assert_eq!(post["report"]["amenity"], amenity.as_str());
    assert!(
        post["text"].as_str().expect("text").contains("有骑手报告"),
        "{post}"
    );
    // And nothing of what the rider typed or which phone it was
    let raw = post.to_string();
    assert!(
        !raw.contains("13800138000") && !raw.contains("device-"),
        "{raw}"
    );

    // When another rider reports the same station within the hour, then another station
    let other = json!({"kind": "closed_when_open"});
    assert_eq!(
        report(&app, &station, other.clone(), "device-bbbbbbbbbbbbbbbb")
            .await
            .status(),
        201
    );
    let second = station_of(&app, "bj-chaoyang").await;
    assert_ne!(second, station);
    assert_eq!(
        report(&app, &second, other, "device-bbbbbbbbbbbbbbbb")
            .await
            .status(),
        201
    );

    // Then the second station is posted, and the first was not posted again
    within(PATIENCE, "the robot got the second station", || async {
        robot
            .posts()
            .iter()
            .any(|p| p["station"]["id"] == second.as_str())
    })
    .await;
    let about_first = robot
        .posts()
        .iter()
        .filter(|p| p["station"]["id"] == station.as_str())
        .count();
    assert_eq!(about_first, 1, "{:?}", robot.posts());

    // And the admin sees the posts as sent
    let view = app
        .json_as(
            Method::GET,
            "/api/v1/admin/unions/bj-chaoyang/webhook",
            &admin,
        )
        .await;
    let states: Vec<&str> = view["deliveries"]
        .as_array()
        .expect("deliveries")
        .iter()
        .filter_map(|d| d["state"].as_str())
        .collect();
    assert_eq!(states, ["sent", "sent"], "{view}");
}

#[tokio::test]
async fn a_failing_robot_is_retried_with_back_off_and_given_up_after_its_last_try() {
    // Given a WeCom robot that fails twice (a 502, then a 200 refusing the message)
    let app = app().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let (robot, url) = Robot::start(vec![
        (StatusCode::BAD_GATEWAY, json!({})),
        (
            StatusCode::OK,
            json!({"errcode": 93000, "errmsg": "invalid webhook url"}),
        ),
    ])
    .await;
    assert_eq!(
        set_robot(&app, &admin, "bj-chaoyang", &url, "wecom")
            .await
            .status(),
        200
    );
    let station = station_of(&app, "bj-chaoyang").await;

    // When a rider reports the station closed
    let fault = json!({"kind": "closed_when_open"});
    assert_eq!(
        report(&app, &station, fault, "device-cccccccccccccccc")
            .await
            .status(),
        201
    );

    // Then it is tried three times, waiting longer each time, and the third is taken
    within(PATIENCE, "three tries", || async {
        robot.posts().len() >= 3
    })
    .await;
    let t = robot.times();
    assert!(
        t[1] - t[0] >= Duration::from_millis(500),
        "{:?}",
        t[1] - t[0]
    );
    assert!(
        t[2] - t[1] >= Duration::from_millis(1500),
        "{:?}",
        t[2] - t[1]
    );
    let post = &robot.posts()[2];
    assert_eq!(post["msgtype"], "text");
    let content = post["text"]["content"].as_str().expect("content");
    assert!(
        content.starts_with("【驿站】") && content.contains("应营业时未开门"),
        "{content}"
    );
    let path = "/api/v1/admin/unions/bj-chaoyang/webhook";
    within(PATIENCE, "marked sent", || async {
        app.json_as(Method::GET, path, &admin).await["deliveries"][0]["state"] == "sent"
    })
    .await;
    let view = app.json_as(Method::GET, path, &admin).await;
    assert_eq!(view["deliveries"][0]["attempts"], 3, "{view}");
    assert_eq!(view["deliveries"][0]["last_status"], 200);
    // And /metrics counts the tries
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(
        metrics.contains("yizhan_webhook_tries_total{outcome=\"retry\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("yizhan_webhook_tries_total{outcome=\"sent\"} 1"),
        "{metrics}"
    );

    // When a robot keeps failing and a post reaches its last try
    let (_down, down_url) =
        Robot::start(vec![(StatusCode::INTERNAL_SERVER_ERROR, json!({})); 10]).await;
    assert_eq!(
        set_robot(&app, &admin, "bj-chaoyang", &down_url, "json")
            .await
            .status(),
        200
    );
    app.sql("UPDATE webhook_deliveries SET sent_at = NULL, attempts = 5, next_at = 0")
        .await
        .expect("sql");
    // Then it is given up, and no further tries are made
    within(PATIENCE, "given up", || async {
        app.json_as(Method::GET, path, &admin).await["deliveries"][0]["state"] == "failed"
    })
    .await;
    let view = app.json_as(Method::GET, path, &admin).await;
    assert_eq!(view["deliveries"][0]["attempts"], 6, "{view}");
    assert_eq!(view["deliveries"][0]["last_status"], 500);
}

#[tokio::test]
async fn a_station_gone_stale_is_posted_once_to_every_robot_above_it() {
    // Given robots for the district union and its street union
    let app = app().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let (district, district_url) = Robot::start(Vec::new()).await;
    let (street, street_url) = Robot::start(Vec::new()).await;
    assert_eq!(
        set_robot(&app, &admin, "bj-chaoyang", &district_url, "dingtalk")
            .await
            .status(),
        200
    );
    assert_eq!(
        set_robot(&app, &admin, "bj-chaoyang-wangjing", &street_url, "wecom")
            .await
            .status(),
        200
    );
    // Once the scan has started
    let mut conn = crate::helpers::connect(&app.database_url).await;
    let mut scanned: Option<i64> = None;
    let deadline = Instant::now() + PATIENCE;
    while scanned.is_none() {
        assert!(Instant::now() < deadline, "the stale scan never started");
        scanned = sqlx::query_scalar("SELECT scanned_to FROM webhook_scan")
            .fetch_optional(&mut conn)
            .await
            .expect("scan");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let scanned = scanned.expect("scanned");

    // When a station's status expires a second later
    let station = station_of(&app, "bj-chaoyang-wangjing").await;
    app.sql(&format!(
        "UPDATE stations SET confirmed_at = {}, expires_at = {} WHERE id = '{station}'",
        scanned - 3600,
        scanned + 1
    ))
    .await
    .expect("sql");

    // Then both robots say so once, in their chat's text format
    for robot in [&district, &street] {
        within(PATIENCE, "the stale post", || async {
            !robot.posts().is_empty()
        })
        .await;
        let content = robot.posts()[0]["text"]["content"]
            .as_str()
            .expect("content")
            .to_owned();
        assert!(
            content.contains("状态已过期") && content.contains("上次确认"),
            "{content}"
        );
        assert!(
            content.contains(&format!("/manage/stations/{station}")),
            "{content}"
        );
    }
    // A test message goes through the same queue: when it arrives, nothing more came about
    // the station
    let test = app
        .request(
            Method::POST,
            "/api/v1/admin/unions/bj-chaoyang/webhook/test",
            &admin,
        )
        .send()
        .await
        .expect("request");
    assert_eq!(test.status(), 202);
    within(PATIENCE, "the test message", || async {
        district.posts().len() >= 2
    })
    .await;
    let posts = district.posts();
    assert!(posts[1]["text"]["content"]
        .as_str()
        .expect("content")
        .contains("测试消息"));
    assert_eq!(posts.len(), 2, "{posts:?}");
    assert_eq!(street.posts().len(), 1);
}

#[tokio::test]
async fn two_instances_on_one_database_post_each_report_once() {
    // Given two servers on one database, both sending
    let first = app().await;
    let second = TestApp::spawn_with(|s| {
        s.database_url = first.database_url.clone();
        s.webhook_allow_http = true;
        s.webhook_poll = Duration::from_millis(10);
    })
    .await;
    let admin = first.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let (robot, url) = Robot::start(Vec::new()).await;
    assert_eq!(
        set_robot(&first, &admin, "bj-chaoyang", &url, "json")
            .await
            .status(),
        200
    );

    // When riders report 20 stations through both
    let list = first
        .get_json("/api/v1/stations?union=bj-chaoyang&limit=20")
        .await;
    let ids: Vec<String> = list["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 20);
    for (i, id) in ids.iter().enumerate() {
        let via = if i % 2 == 0 { &first } else { &second };
        let device = format!("device-{i:016}");
        let res = report(via, id, json!({"kind": "closed_when_open"}), &device).await;
        assert_eq!(res.status(), 201);
    }

    // Then every station is posted exactly once
    within(PATIENCE, "20 posts", || async { robot.posts().len() >= 20 }).await;
    let mut posted: Vec<String> = robot
        .posts()
        .iter()
        .filter_map(|p| p["station"]["id"].as_str().map(str::to_owned))
        .collect();
    posted.sort();
    posted.dedup();
    assert_eq!(posted.len(), 20);
    // Each is marked sent in the database once its post is answered (a moment after the robot
    // has it): wait for the marks, then there must be exactly 20
    let sent = || async {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM webhook_deliveries WHERE sent_at IS NOT NULL")
                .fetch_one(&mut crate::helpers::connect(&first.database_url).await)
                .await
                .expect("count");
        n
    };
    within(PATIENCE, "20 marked sent", || async { sent().await >= 20 }).await;
    assert_eq!(sent().await, 20);
    assert_eq!(robot.posts().len(), 20, "a post went twice");
}

#[tokio::test]
async fn only_a_unions_admins_set_its_robot_and_its_key_is_never_shown_back() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let path = "/api/v1/admin/unions/bj-chaoyang/webhook";
    let wecom =
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

    // Plain http is refused where the server does not allow it; so is anything not a URL
    for bad in [
        "http://192.168.1.9/hook",
        "javascript:alert(1)",
        "",
        "https://a@b.example/x",
    ] {
        let res = set_robot(&app, &admin, "bj-chaoyang", bad, "wecom").await;
        assert_eq!(res.status(), 422, "{bad}");
        let body: Value = res.json().await.expect("json");
        assert!(body["error"]["fields"]["url"].is_string(), "{body}");
    }
    // An unknown format is refused as a malformed body, as every body of the wrong shape
    let res = app
        .request(Method::PUT, path, &admin)
        .json(&json!({"url": wecom, "format": "telegram"}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 400);

    // A WeCom robot is saved and shown without its key, and the audit log keeps no key
    let res = set_robot(&app, &admin, "bj-chaoyang", wecom, "wecom").await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.expect("json");
    assert_eq!(view["url"], "https://qyapi.weixin.qq.com/…5aaa", "{view}");
    assert_eq!(view["format"], "wecom");
    let audit = app
        .json_as(Method::GET, "/api/v1/admin/audit?limit=5", &admin)
        .await;
    assert!(audit.to_string().contains("union.webhook"), "{audit}");
    assert!(!audit.to_string().contains("693a91f6"), "{audit}");

    // A manager may not read it; another union's admin finds no such union
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let res = app
        .request(Method::GET, path, &manager)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 403);
    app.create_admin("bj-haidian", "haidian-admin", "haidian-admin-password")
        .await;
    let other = app.sign_in("haidian-admin", "haidian-admin-password").await;
    for method in [Method::GET, Method::DELETE] {
        let res = app
            .request(method, path, &other)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 404);
    }

    // Removed, it is gone, and a test message has nowhere to go
    let res = app
        .request(Method::DELETE, path, &admin)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 204);
    let view = app.json_as(Method::GET, path, &admin).await;
    assert_eq!(view["url"], Value::Null, "{view}");
    let res = app
        .request(Method::POST, &format!("{path}/test"), &admin)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 404);
}
