//! Everything seen, nothing personal: request ids on every answer and every log line, a 500
//! that names its request id and nothing else, JSON logs, and no applicant's name or phone in
//! any log line.

use serde_json::{json, Value};

use crate::helpers::free_port;
use crate::reliability::{start_server_with, until_ready};

#[tokio::test]
async fn request_ids_reach_the_answer_and_the_log_and_no_personal_data_is_logged() {
    // Given the server binary writing JSON logs at info level, behind a proxy on loopback
    let dir = tempfile::tempdir().expect("dir");
    drop(crate::helpers::settings_in(dir.path()));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start_server_with(
        dir.path(),
        port,
        &[
            ("YIZHAN_LOG_FORMAT", "json"),
            ("RUST_LOG", "info,sqlx=warn"),
        ],
    );
    until_ready(&client, &base, &mut server).await;

    // Then every answer carries an id: made here, or the trusted proxy's when it is plain
    let plain = client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("get");
    let made = plain.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_owned();
    assert_eq!(made.len(), 16);
    let proxied = client
        .get(format!("{base}/healthz"))
        .header("X-Request-Id", "lb-7f3a9c")
        .send()
        .await
        .expect("get");
    assert_eq!(proxied.headers()["x-request-id"], "lb-7f3a9c");
    let injected = client
        .get(format!("{base}/healthz"))
        .header("X-Request-Id", "bad id\" with spaces")
        .send()
        .await
        .expect("get");
    assert_ne!(injected.headers()["x-request-id"], "bad id\" with spaces");

    // When a rider applies, follows and withdraws, and staff sign in (once wrongly)
    let list: Value = client
        .get(format!("{base}/api/v1/stations?limit=1"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let station = list["stations"][0]["id"].as_str().expect("id").to_owned();
    let (name, phone) = ("测试姓名甲乙", "13912345678");
    let form = json!({
        "station_id": station, "name": name, "phone": phone, "employer": "meituan",
        "occupation": "food_delivery", "work_district": "望京工作区",
        "consent": {"policy_version": "2026-11", "accepted": true},
    });
    let receipt: Value = client
        .post(format!("{base}/api/v1/applications"))
        .json(&form)
        .send()
        .await
        .expect("apply")
        .json()
        .await
        .expect("json");
    let reference = receipt["reference"].as_str().expect("reference").to_owned();
    for path in ["lookup", "withdraw"] {
        let res = client
            .post(format!("{base}/api/v1/applications/{path}"))
            .json(&json!({"reference": reference, "phone": phone}))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), 200, "{path}");
    }
    for password in ["wrong-password-1", "yizhan-demo-manager"] {
        let _ = client
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"username": "wangjing-manager", "password": password}))
            .send()
            .await
            .expect("sign in");
    }

    // And something fails inside (the reports table refuses writes)
    let url = crate::helpers::database_url_in(dir.path());
    {
        let mut conn = crate::helpers::connect(&url).await;
        let refuse: &[&str] = if crate::helpers::on_postgres() {
            &[
                "CREATE FUNCTION refuse_reports() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN RAISE EXCEPTION 'secret internal detail'; END; $$",
                "CREATE TRIGGER refuse_reports BEFORE INSERT ON reports FOR EACH ROW \
                 EXECUTE FUNCTION refuse_reports()",
            ]
        } else {
            &["CREATE TRIGGER refuse_reports BEFORE INSERT ON reports \
               BEGIN SELECT RAISE(ABORT, 'secret internal detail'); END"]
        };
        for statement in refuse {
            sqlx::query(statement)
                .execute(&mut conn)
                .await
                .expect("trigger");
        }
    }
    let failed = client
        .post(format!("{base}/api/v1/stations/{station}/reports"))
        .json(&json!({"kind": "other", "text": "坏了"}))
        .send()
        .await
        .expect("report");
    // Then the 500 names its request id, and nothing of what went wrong
    assert_eq!(failed.status(), 500);
    let id = failed.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_owned();
    let body = failed.text().await.expect("body");
    let parsed: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(parsed["error"]["request_id"], id.as_str());
    assert!(parsed["error"]["message"]
        .as_str()
        .expect("message")
        .contains(&id));
    assert!(
        !body.contains("secret internal detail") && !body.contains("reports"),
        "{body}"
    );

    // And the log, one JSON object a line, has the failure under that id with its detail,
    // and never the applicant's name or phone
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = server.wait();
    let log = std::fs::read_to_string(dir.path().join("server.log")).expect("log");
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    let failure = lines
        .iter()
        .find(|l| l["level"] == "ERROR" && l["span"]["request_id"] == id.as_str())
        .unwrap_or_else(|| panic!("no error line for {id} in:\n{log}"));
    assert!(failure.to_string().contains("secret internal detail"));
    // (and an ordinary line of a request, the sign-in, carries its id too)
    let signed_in = lines
        .iter()
        .find(|l| l["fields"]["message"] == "signed in")
        .expect("a sign-in line");
    assert_eq!(
        signed_in["span"]["request_id"].as_str().map(str::len),
        Some(16)
    );
    for personal in [name, phone, reference.as_str()] {
        assert!(!log.contains(personal), "{personal} is in the log");
    }
}

#[tokio::test]
async fn an_id_sent_by_anyone_but_a_trusted_proxy_is_replaced() {
    // Given a server with no trusted proxy
    let app = crate::helpers::TestApp::spawn().await;
    // When a client names its own request id
    let res = app
        .client
        .get(format!("{}/api/v1/stations?limit=1", app.base))
        .header("X-Request-Id", "client-chosen-id")
        .send()
        .await
        .expect("get");
    // Then the answer carries one made here (logs cannot be made to point elsewhere)
    let id = res.headers()["x-request-id"].to_str().expect("id");
    assert_ne!(id, "client-chosen-id");
    assert_eq!(id.len(), 16);
    // And an error answer carries one too, without naming it in the body (only 500s do)
    let missing = app.get("/api/v1/stations/no-such-station").await;
    assert!(missing.headers().get("x-request-id").is_some());
    let body: Value = missing.json().await.expect("json");
    assert!(body["error"].get("request_id").is_none());
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_outcomes_for_loopback_or_a_token_only() {
    // Given a server behind a proxy on loopback, with a metrics token
    let app = crate::helpers::TestApp::spawn_with(|s| {
        s.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
        s.metrics_token = Some("scrape-token-0123456789".into());
    })
    .await;
    // When riders and staff use it
    let station = crate::applications::station_of(&app, "bj-chaoyang").await;
    app.get_json(&format!("/api/v1/stations/{station}")).await;
    let form = crate::applications::form(&station, "13800005555");
    for _ in 0..2 {
        let res = crate::applications::apply(&app, &form, Some("metrics-key-0001")).await;
        assert_eq!(res.status(), 201);
    }
    for password in ["wrong-password", "yizhan-demo-manager"] {
        let _ = app
            .client
            .post(format!("{}/api/v1/session", app.base))
            .json(&json!({"username": "wangjing-manager", "password": password}))
            .send()
            .await
            .expect("sign in");
    }
    // Then loopback reads the counters by route template and outcome
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let text = res.text().await.expect("text");
    for line in [
        "yizhan_http_requests_total{method=\"GET\",route=\"/api/v1/stations/{id}\",status=\"200\"} 1",
        "yizhan_applications_total{outcome=\"stored\"} 1",
        "yizhan_applications_total{outcome=\"replayed\"} 1",
        "yizhan_sign_ins_total{outcome=\"wrong\"} 1",
        "yizhan_sign_ins_total{outcome=\"ok\"} 1",
        "yizhan_index_stations 300",
    ] {
        assert!(text.contains(line), "missing {line} in:\n{text}");
    }
    for family in [
        "yizhan_http_request_duration_seconds_bucket",
        "yizhan_db_write_wait_seconds_count",
        "yizhan_index_rebuild_seconds_count 1",
        "yizhan_db_pool_connections",
        "yizhan_http_in_flight",
    ] {
        assert!(text.contains(family), "missing {family} in:\n{text}");
    }
    // And no id, phone or address is a label
    assert!(
        !text.contains(&station) && !text.contains("13800005555") && !text.contains("127.0.0.1")
    );
    // But another address gets nothing, unless it bears the token
    let from = |token: Option<&str>| {
        let mut req = app
            .client
            .get(format!("{}/metrics", app.base))
            .header("X-Forwarded-For", "203.0.113.5");
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        async move { req.send().await.expect("get").status() }
    };
    assert_eq!(from(None).await, 404);
    assert_eq!(from(Some("scrape-token-wrong-one")).await, 404);
    assert_eq!(from(Some("scrape-token-0123456789")).await, 200);
}
