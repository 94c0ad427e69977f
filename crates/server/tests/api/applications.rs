//! Membership applications from the applicant's side: applying (bad inputs, duplicates,
//! idempotent retries, limits), following by reference + phone, withdrawing, and correcting a
//! rejected application.

use reqwest::Method;
use serde_json::{json, Value};
use yizhan_server::bootstrap::DEMO_ADMIN;

use crate::helpers::{Session, TestApp};

/// A count straight from the database (the API never exposes one).
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = crate::helpers::connect(&app.database_url).await;
    sqlx::query_scalar(sql)
        .fetch_one(&mut conn)
        .await
        .expect("count")
}

/// One text value straight from the database.
pub async fn text(app: &TestApp, sql: &str) -> Option<String> {
    let mut conn = crate::helpers::connect(&app.database_url).await;
    sqlx::query_scalar(sql)
        .fetch_optional(&mut conn)
        .await
        .expect("query")
        .flatten()
}

/// A public station of `union` (or a union below it).
pub async fn station_of(app: &TestApp, union: &str) -> String {
    let list = app
        .get_json(&format!("/api/v1/stations?union={union}&limit=1"))
        .await;
    list["stations"][0]["id"]
        .as_str()
        .expect("a station")
        .to_owned()
}

/// A complete, valid application to `station` from `phone`.
pub fn form(station: &str, phone: &str) -> Value {
    json!({
        "station_id": station,
        "name": "王丽",
        "phone": phone,
        "employer": "meituan",
        "occupation": "food_delivery",
        "work_district": "望京",
        "consent": {"policy_version": "2026-11", "accepted": true},
    })
}

/// `POST /api/v1/applications`, with an `Idempotency-Key` when given.
pub async fn apply(app: &TestApp, body: &Value, key: Option<&str>) -> reqwest::Response {
    let mut req = app
        .client
        .post(format!("{}/api/v1/applications", app.base))
        .json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    req.send().await.expect("request")
}

/// Applies and returns the 201 body.
pub async fn applied(app: &TestApp, body: &Value) -> Value {
    let res = apply(app, body, None).await;
    assert_eq!(res.status(), 201);
    res.json().await.expect("json")
}

/// `POST /api/v1/applications/{what}` with a JSON body.
pub async fn post(app: &TestApp, what: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/applications/{what}", app.base))
        .json(body)
        .send()
        .await
        .expect("request")
}

fn is_reference(r: &str) -> bool {
    let b = r.as_bytes();
    let crockford = |c: &u8| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c);
    b.len() == 12
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2] == b'-'
        && b[7] == b'-'
        && b[3..7].iter().all(crockford)
        && b[8..].iter().all(crockford)
}

#[tokio::test]
async fn bad_applications_are_refused_naming_the_field_and_store_nothing() {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    let good = form(&station, "13812341234");
    let with = |key: &str, value: Value| {
        let mut b = good.clone();
        b[key] = value;
        b
    };
    let without = |key: &str| {
        let mut b = good.clone();
        b.as_object_mut().expect("object").remove(key);
        b
    };
    // (why it must be refused, body, status, field, code)
    let cases: Vec<(&str, Value, u16, &str, &str)> = vec![
        (
            "12345678901: eleven digits, but 12 is no mobile prefix",
            with("phone", json!("12345678901")),
            422,
            "phone",
            "invalid",
        ),
        (
            "a two-digit phone cannot reach anyone",
            with("phone", json!("13")),
            422,
            "phone",
            "invalid",
        ),
        (
            "no phone: the union cannot call back",
            without("phone"),
            422,
            "phone",
            "missing",
        ),
        (
            "a name with digits is a typo or not a name",
            with("name", json!("王丽2")),
            422,
            "name",
            "invalid",
        ),
        (
            "a one-character name is too short to identify anyone",
            with("name", json!("王")),
            422,
            "name",
            "invalid",
        ),
        (
            "31 characters is over the 30 a name may have",
            with("name", json!("王".repeat(31))),
            422,
            "name",
            "too_long",
        ),
        (
            "an employer code the form never offers",
            with("employer", json!("uber")),
            400,
            "employer",
            "unknown",
        ),
        (
            "`other` employer without saying which one",
            with("employer", json!("other")),
            422,
            "employer_other",
            "missing",
        ),
        (
            "`other` occupation without saying which one",
            with("occupation", json!("other")),
            422,
            "occupation_other",
            "missing",
        ),
        (
            "consent not ticked: PIPL needs explicit consent",
            with(
                "consent",
                json!({"policy_version": "2026-11", "accepted": false}),
            ),
            422,
            "consent",
            "missing",
        ),
        (
            "no consent at all",
            without("consent"),
            422,
            "consent",
            "missing",
        ),
        (
            "consent to another version of the notice than the one in force",
            with(
                "consent",
                json!({"policy_version": "2020-01", "accepted": true}),
            ),
            422,
            "consent",
            "invalid",
        ),
        (
            "neither station nor district: no union to send it to",
            without("station_id"),
            422,
            "district",
            "missing",
        ),
        (
            "a station that does not exist routes nowhere",
            with("station_id", json!("bj-nowhere-9999")),
            422,
            "station_id",
            "unknown",
        ),
        (
            "a district with no Beijing district union",
            {
                let mut b = without("station_id");
                b["district"] = json!("浦东新区");
                b
            },
            422,
            "district",
            "unknown",
        ),
        (
            "no work district",
            with("work_district", json!("  ")),
            422,
            "work_district",
            "missing",
        ),
    ];
    for (why, body, status, field, code) in &cases {
        let res = apply(&app, body, None).await;
        assert_eq!(res.status().as_u16(), *status, "{why}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{why}");
        let text = res.text().await.expect("body");
        // Error answers never echo personal data.
        assert!(
            !text.contains("1381234") && !text.contains("王丽"),
            "{why}: {text}"
        );
        let err: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(err["error"]["fields"][*field], *code, "{why}: {err}");
    }

    // Not JSON: anonymous writes accept application/json only.
    let res = app
        .client
        .post(format!("{}/api/v1/applications", app.base))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("name=%E7%8E%8B%E4%B8%BD&phone=13812341234")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 415);
    // 17 KB: over the 16 KB an application may take.
    let mut huge = good.clone();
    huge["work_district"] = json!("x".repeat(17 * 1024));
    assert_eq!(apply(&app, &huge, None).await.status(), 413);
    // Broken JSON is a 400 naming no personal data.
    let res = app
        .client
        .post(format!("{}/api/v1/applications", app.base))
        .header("Content-Type", "application/json")
        .body("{\"name\": \"王丽\", ")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 400);

    assert_eq!(count(&app, "SELECT COUNT(*) FROM applications").await, 0);
}

#[tokio::test]
async fn an_application_is_stored_durably_and_can_be_followed() {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    // Given a rider who scanned a station's poster,
    // when they apply (typing the phone with spaces),
    let res = apply(
        &app,
        &form(&station, "138 1234 1234"),
        Some("key-happy-0001"),
    )
    .await;
    // then they get 201 with a reference, and nothing is cached.
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: Value = res.json().await.expect("json");
    let reference = body["reference"].as_str().expect("reference").to_owned();
    assert!(is_reference(&reference), "{reference}");
    assert!(reference.starts_with("BJ-"), "{reference}");
    assert_eq!(body["status"], "submitted");
    assert!(body["union"]["id"]
        .as_str()
        .expect("union")
        .starts_with("bj-chaoyang"));
    assert!(body["union"]["name"]
        .as_str()
        .expect("name")
        .ends_with("总工会"));

    // It is on disk before the answer: a new connection sees it.
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM applications WHERE reference = '{reference}'")
        )
        .await,
        1
    );
    // The phone is stored normalised, and its hash is salted (not a bare SHA-256 of it).
    assert_eq!(
        text(&app, "SELECT phone FROM applications")
            .await
            .as_deref(),
        Some("13812341234")
    );
    assert_eq!(
        text(&app, "SELECT policy_version FROM applications")
            .await
            .as_deref(),
        Some("2026-11")
    );

    // The applicant follows it by reference + phone, typed loosely.
    let compact = reference.to_lowercase().replace('-', "");
    let res = post(
        &app,
        "lookup",
        &json!({"reference": compact, "phone": "138-1234-1234"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let view: Value = res.json().await.expect("json");
    assert_eq!(view["reference"], reference.as_str());
    assert_eq!(view["status"], "submitted");
    assert_eq!(view["next_step"], "wait");
    assert_eq!(view["station"]["id"], station.as_str());
    assert_eq!(view["timeline"].as_array().map(Vec::len), Some(1));
    assert_eq!(view["timeline"][0]["status"], "submitted");
    assert!(
        view.get("application").is_none(),
        "the form only comes back to correct it"
    );
}

#[tokio::test]
async fn an_application_by_district_goes_to_that_district_union() {
    let app = TestApp::spawn().await;
    let mut body = form("x", "13912340000");
    body.as_object_mut().expect("object").remove("station_id");
    body["district"] = json!("海淀");
    let receipt = applied(&app, &body).await;
    assert_eq!(receipt["union"]["id"], "bj-haidian");
    assert_eq!(receipt["union"]["name"], "海淀区总工会");
    assert_eq!(
        text(&app, "SELECT district FROM applications")
            .await
            .as_deref(),
        Some("海淀区")
    );
}

#[tokio::test]
async fn a_second_pending_application_from_the_same_phone_is_refused_without_its_reference() {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    let first = applied(&app, &form(&station, "13812345678")).await;
    let reference = first["reference"].as_str().expect("reference").to_owned();

    // Same phone, same union, a new key (another device): 409, and nothing says which one.
    let mut again = form(&station, "138 1234 5678");
    again["name"] = json!("王小丽");
    let res = apply(&app, &again, Some("another-key-0002")).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let text_body = res.text().await.expect("body");
    let compact = reference.replace('-', "");
    assert!(
        !text_body.contains(&reference) && !text_body.contains(&compact[2..]),
        "{text_body}"
    );
    let err: Value = serde_json::from_str(&text_body).expect("json");
    assert_eq!(err["error"]["code"], "duplicate_application");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM applications").await, 1);

    // Another union is another application.
    let mut elsewhere = form("x", "13812345678");
    elsewhere
        .as_object_mut()
        .expect("object")
        .remove("station_id");
    elsewhere["district"] = json!("海淀区");
    applied(&app, &elsewhere).await;
}

#[tokio::test]
async fn a_retry_with_the_same_key_gets_the_first_answer_and_stores_one_application() {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    let body = form(&station, "13700001111");
    let key = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let first = apply(&app, &body, Some(key)).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    // The outbox sends again (the first answer was lost): same 201, same reference.
    let second = apply(&app, &body, Some(key)).await;
    assert_eq!(second.status(), 201);
    let second: Value = second.json().await.expect("json");
    assert_eq!(first, second);
    // Before any other check: even a body the rules would now refuse gets the first answer.
    let res = apply(&app, &json!({"nonsense": true}), Some(key)).await;
    assert_eq!(res.status(), 201);
    let third: Value = res.json().await.expect("json");
    assert_eq!(third["reference"], first["reference"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM applications").await, 1);
    // A malformed key is refused rather than ignored.
    let res = apply(&app, &body, Some("bad key!")).await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn a_wrong_phone_and_an_unknown_reference_get_the_same_404() {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    let receipt = applied(&app, &form(&station, "13600002222")).await;
    let reference = receipt["reference"].as_str().expect("reference");

    let wrong_phone = post(
        &app,
        "lookup",
        &json!({"reference": reference, "phone": "13600002223"}),
    )
    .await;
    let unknown = post(
        &app,
        "lookup",
        &json!({"reference": "BJ-0000-0000", "phone": "13600002222"}),
    )
    .await;
    assert_eq!(wrong_phone.status(), 404);
    assert_eq!(unknown.status(), 404);
    assert_eq!(wrong_phone.headers()["cache-control"], "no-store");
    let a = wrong_phone.text().await.expect("body");
    let b = unknown.text().await.expect("body");
    assert_eq!(a, b, "the answers must not tell the cases apart");
    let err: Value = serde_json::from_str(&a).expect("json");
    assert_eq!(err["error"]["code"], "not_found");
    // A malformed reference is a form error, which reveals nothing either.
    let res = post(
        &app,
        "lookup",
        &json!({"reference": "nope", "phone": "13600002222"}),
    )
    .await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn lookups_of_one_reference_stop_after_five_failures() {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    let receipt = applied(&app, &form(&station, "13500003333")).await;
    let reference = receipt["reference"].as_str().expect("reference");
    for i in 0..5 {
        let res = post(
            &app,
            "lookup",
            &json!({"reference": reference, "phone": format!("1350000400{i}")}),
        )
        .await;
        assert_eq!(res.status(), 404, "guess {i}");
    }
    // The sixth guess is refused, and so is the right phone until the window passes.
    for phone in ["13500004005", "13500003333"] {
        let res = post(
            &app,
            "lookup",
            &json!({"reference": reference, "phone": phone}),
        )
        .await;
        assert_eq!(res.status(), 429);
        let wait: u64 = res.headers()["retry-after"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("seconds");
        assert!((1..=900).contains(&wait), "{wait}");
    }
    // Withdrawing is the same proof and shares the limit.
    let res = post(
        &app,
        "withdraw",
        &json!({"reference": reference, "phone": "13500003333"}),
    )
    .await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn lookups_from_one_address_stop_after_twenty_failures() {
    let app = TestApp::spawn().await;
    for i in 0..20 {
        let res = post(
            &app,
            "lookup",
            &json!({"reference": format!("BJ-0000-{i:04}"), "phone": "13500003333"}),
        )
        .await;
        assert_eq!(res.status(), 404, "guess {i}");
    }
    let res = post(
        &app,
        "lookup",
        &json!({"reference": "BJ-1111-1111", "phone": "13500003333"}),
    )
    .await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn applications_from_one_address_stop_after_ten_an_hour() {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    for i in 0..10 {
        let res = apply(&app, &form(&station, &format!("1330000{i:04}")), None).await;
        assert_eq!(res.status(), 201, "application {i}");
    }
    let res = apply(&app, &form(&station, "13300009999"), None).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM applications").await, 10);
}

#[tokio::test]
async fn withdrawing_erases_personal_fields_and_keeps_the_reference() {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    let mut body = form(&station, "13800001234");
    body["employer"] = json!("other");
    body["employer_other"] = json!("曹操出行");
    let receipt = applied(&app, &body).await;
    let reference = receipt["reference"].as_str().expect("reference").to_owned();
    let proof = json!({"reference": reference, "phone": "13800001234"});

    let res = post(&app, "withdraw", &proof).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let view: Value = res.json().await.expect("json");
    assert_eq!(view["status"], "withdrawn");
    assert_eq!(view["next_step"], "none");

    // The row keeps its reference and status; every personal field is gone.
    let erased = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM applications WHERE reference = '{reference}' \
             AND status = 'withdrawn' AND name = '' AND phone = '' AND phone_hash IS NULL \
             AND employer = '' AND employer_other IS NULL AND occupation = '' \
             AND work_district = '' AND address_hash IS NULL"
        ),
    )
    .await;
    assert_eq!(erased, 1);
    // The applicant still sees it as withdrawn; withdrawing again answers the same.
    let again = post(&app, "withdraw", &proof).await;
    assert_eq!(again.status(), 200);
    let looked: Value = post(&app, "lookup", &proof)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(looked["status"], "withdrawn");
    let steps: Vec<&str> = looked["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["status"].as_str())
        .collect();
    assert_eq!(steps, ["submitted", "withdrawn"]);
    // No longer pending: the same phone may apply again.
    applied(&app, &form(&station, "13800001234")).await;
}

async fn admin_list(app: &TestApp, admin: &Session) -> Value {
    app.request(Method::GET, "/api/v1/admin/applications", admin)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn a_rejected_application_comes_back_to_be_corrected_and_resubmitted() {
    let app = TestApp::spawn().await;
    let station = station_of(&app, "bj-chaoyang").await;
    let mut body = form(&station, "13811112222");
    body["name"] = json!("王 丽丽");
    let receipt = applied(&app, &body).await;
    let reference = receipt["reference"].as_str().expect("reference").to_owned();
    let proof = json!({"reference": reference, "phone": "13811112222"});

    // Resubmitting what is not rejected is refused.
    let mut resubmit = proof.clone();
    resubmit["application"] = form(&station, "13811112222");
    let res = post(&app, "resubmit", &resubmit).await;
    assert_eq!(res.status(), 409);
    let err: Value = res.json().await.expect("json");
    assert_eq!(err["error"]["code"], "wrong_status");

    // The union rejects it with a reason.
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let list = admin_list(&app, &admin).await;
    let id = list["applications"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let res = app
        .request(
            Method::POST,
            &format!("/api/v1/admin/applications/{id}/decision"),
            &admin,
        )
        .json(&json!({"decision": "reject", "reason": "姓名与证件不符，请核对"}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);

    // The applicant sees the reason and the form as sent.
    let view: Value = post(&app, "lookup", &proof)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(view["status"], "rejected");
    assert_eq!(view["next_step"], "resubmit");
    assert_eq!(view["reason"], "姓名与证件不符，请核对");
    assert_eq!(view["application"]["name"], "王 丽丽");
    assert_eq!(view["application"]["employer"], "meituan");

    // They correct the name and send it again: same reference, back to submitted.
    let mut corrected = view["application"].clone();
    corrected["name"] = json!("王丽丽");
    // Without fresh consent it is refused, named inside `application`.
    let mut resubmit = proof.clone();
    resubmit["application"] = corrected.clone();
    let res = post(&app, "resubmit", &resubmit).await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.expect("json");
    assert_eq!(err["error"]["fields"]["application.consent"], "missing");
    corrected["consent"] = json!({"policy_version": "2026-11", "accepted": true});
    resubmit["application"] = corrected;
    let res = post(&app, "resubmit", &resubmit).await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.expect("json");
    assert_eq!(view["reference"], reference.as_str());
    assert_eq!(view["status"], "submitted");
    assert!(view.get("reason").is_none());
    let steps: Vec<&str> = view["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["status"].as_str())
        .collect();
    // Listed, not opened: it went from submitted straight to rejected.
    assert_eq!(steps, ["submitted", "rejected", "submitted"]);
    assert_eq!(view["timeline"][1]["reason"], "姓名与证件不符，请核对");
    assert_eq!(
        text(&app, "SELECT name FROM applications").await.as_deref(),
        Some("王丽丽")
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM applications").await, 1);
}

#[tokio::test]
async fn the_consent_step_learns_the_policy_version_and_retention() {
    let app = TestApp::spawn_with(|s| {
        s.privacy_policy_version = "2027-02".into();
        s.application_retention = std::time::Duration::from_secs(180 * 86_400);
    })
    .await;
    let res = app.get("/api/v1/applications/policy").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let policy: Value = res.json().await.expect("json");
    assert_eq!(policy, json!({"version": "2027-02", "retention_days": 180}));
    // Consent to the default version is now stale.
    let station = station_of(&app, "bj-chaoyang").await;
    let res = apply(&app, &form(&station, "13811110000"), None).await;
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn the_application_endpoints_are_described_in_openapi() {
    let app = TestApp::spawn().await;
    let spec = app.get_json("/api/v1/openapi.json").await;
    for (path, method) in [
        ("/api/v1/applications", "post"),
        ("/api/v1/applications/lookup", "post"),
        ("/api/v1/applications/withdraw", "post"),
        ("/api/v1/applications/resubmit", "post"),
        ("/api/v1/applications/policy", "get"),
        ("/api/v1/admin/applications", "get"),
        ("/api/v1/admin/applications/{id}", "get"),
        ("/api/v1/admin/applications/{id}/decision", "post"),
        ("/api/v1/admin/applications/decisions", "post"),
        ("/api/v1/admin/applications/export.csv", "get"),
        ("/api/v1/admin/applications/stats", "get"),
    ] {
        assert!(spec["paths"][path][method].is_object(), "{method} {path}");
    }
    for schema in [
        "NewApplication",
        "ApplicationView",
        "ApplicationRecord",
        "Employer",
    ] {
        assert!(
            spec["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
}
