//! `GET /api/v1/openapi.json` says exactly what the server answers: the statuses each operation
//! can give (with the error body), who may call it, and which parameter values it takes.
//! Schemathesis checks the same by generating requests (`make api-schema`); these tests pin the
//! rules it relies on, and fail on a description that leaves them out.

use regex::Regex;
use reqwest::Method;
use serde_json::Value;
use yizhan_core::Amenity;
use yizhan_server::bootstrap::DEMO_ADMIN;

use crate::helpers::TestApp;

/// Every operation of the document: method, path, operation.
fn operations(spec: &Value) -> Vec<(Method, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (name, method) in [
            ("get", Method::GET),
            ("post", Method::POST),
            ("put", Method::PUT),
            ("patch", Method::PATCH),
            ("delete", Method::DELETE),
        ] {
            if let Some(op) = item.get(name) {
                out.push((method, path.clone(), op.clone()));
            }
        }
    }
    out
}

/// The path with every `{param}` filled in: a station of the demo admin's union (other ids
/// simply name nothing).
fn filled(path: &str) -> String {
    path.replace("{id}", "bj-chaoyang-0001")
}

fn documents(op: &Value, status: u16) -> bool {
    op["responses"].get(status.to_string()).is_some()
}

/// Whether the operation's security requirements name `scheme`.
fn requires(op: &Value, scheme: &str) -> bool {
    op["security"]
        .as_array()
        .is_some_and(|reqs| reqs.iter().any(|r| r.get(scheme).is_some()))
}

fn takes_json(op: &Value) -> bool {
    op["requestBody"]["content"]
        .get("application/json")
        .is_some()
}

async fn spec(app: &TestApp) -> Value {
    app.get_json("/api/v1/openapi.json").await
}

async fn error_code(res: reqwest::Response) -> String {
    let body: Value = res.json().await.expect("error body");
    body["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn every_documented_error_answer_carries_the_error_body() {
    // Given the description
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    // Then every 4xx and 5xx of every operation is `{"error": {...}}`, as JSON
    for (method, path, op) in operations(&spec) {
        for (status, response) in op["responses"].as_object().expect("responses") {
            if status.as_str() < "400" {
                continue;
            }
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(
                schema, "#/components/schemas/ErrorBody",
                "{method} {path} {status}"
            );
        }
    }
}

#[tokio::test]
async fn the_error_code_is_described_as_a_plain_string() {
    // Given the description
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    // Then `error.code` is a string, as before the codes were typed in core: clients built
    // from the document keep reading codes this server does not send yet
    let code = &spec["components"]["schemas"]["ApiError"]["properties"]["code"];
    assert_eq!(code["type"], "string", "{code}");
    assert!(
        code.get("enum").is_none() && code.get("$ref").is_none(),
        "{code}"
    );
}

/// Every `$ref` anywhere in `value`.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_names_a_schema_the_document_defines() {
    // Given the description (doc-only types such as the states a manager may set are only
    // referenced, so a missing one would go unnoticed by the server)
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    let mut all = Vec::new();
    refs(&spec, &mut all);
    assert!(all.len() > 50);
    // Then each one resolves
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}"));
        assert!(
            spec["components"]["schemas"].get(name).is_some(),
            "{r} is not defined"
        );
    }
}

#[tokio::test]
async fn every_operation_that_takes_a_json_body_documents_its_refusals_and_gives_them() {
    // Given the description and a signed-in admin (staff operations check the session first)
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let json_ops: Vec<_> = operations(&spec)
        .into_iter()
        .filter(|(_, _, op)| takes_json(op))
        .collect();
    assert!(json_ops.len() >= 15, "{}", json_ops.len());
    for (method, path, op) in json_ops {
        // Then it documents malformed JSON (400), a body over its limit (413), another media
        // type (415) and a body that breaks its rules (422)
        for status in [400, 413, 415, 422] {
            assert!(documents(&op, status), "{method} {path} documents {status}");
        }
        // And it answers a body that is not JSON with 415, an array with 400
        let res = app
            .request(method.clone(), &filled(&path), &admin)
            .header("content-type", "text/plain")
            .body("kind=confirm")
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 415, "{method} {path} with text/plain");
        let res = app
            .request(method.clone(), &filled(&path), &admin)
            .header("content-type", "application/json")
            .body("[null, null]")
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 400, "{method} {path} with a JSON array");
    }
}

#[tokio::test]
async fn every_operation_behind_the_session_documents_401_and_answers_it_to_strangers() {
    // Given the description
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    let mut behind = 0;
    for (method, path, op) in operations(&spec) {
        // When someone without a session calls the operation
        let res = app
            .client
            .request(method.clone(), format!("{}{}", app.base, filled(&path)))
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("request");
        let refused = res.status() == 401 && error_code(res).await == "unauthenticated";
        // Then it is refused exactly when the description names the session scheme, and then
        // the description documents the 401
        assert_eq!(refused, requires(&op, "session"), "{method} {path}");
        if refused {
            assert!(documents(&op, 401), "{method} {path} documents 401");
            behind += 1;
        }
    }
    assert!(behind >= 25, "{behind} staff operations");
}

#[tokio::test]
async fn every_staff_write_documents_403_and_refuses_a_missing_csrf_token() {
    // Given the description and a signed-in admin's session cookie
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    for (method, path, op) in operations(&spec) {
        if method == Method::GET {
            continue;
        }
        // When a write is sent with the cookie but without `X-CSRF-Token`
        let res = app
            .client
            .request(method.clone(), format!("{}{}", app.base, filled(&path)))
            .header("Cookie", &admin.cookie)
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("request");
        let refused = res.status() == 403 && error_code(res).await == "csrf_failed";
        // Then it is refused exactly when the description names the CSRF scheme, and then the
        // description documents the 403
        assert_eq!(refused, requires(&op, "csrf"), "{method} {path}");
        if refused {
            assert!(documents(&op, 403), "{method} {path} documents 403");
        }
    }
}

/// The schema of a parameter of an operation.
fn param<'a>(op: &'a Value, name: &str) -> &'a Value {
    let params = op["parameters"].as_array().expect("parameters");
    let p = params
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("parameter {name}"));
    &p["schema"]
}

/// Whether a query value meets its schema: pattern, length, enum and integer range.
fn allows(schema: &Value, value: &str) -> bool {
    if let Some(pattern) = schema["pattern"].as_str() {
        if !Regex::new(pattern).expect("pattern").is_match(value) {
            return false;
        }
    }
    if let Some(max) = schema["maxLength"].as_u64() {
        if value.chars().count() as u64 > max {
            return false;
        }
    }
    if let Some(values) = schema["enum"].as_array() {
        if !values.iter().any(|v| v == value) {
            return false;
        }
    }
    if schema["type"] == "integer" {
        let Ok(n) = value.parse::<i64>() else {
            return false;
        };
        let min = schema["minimum"].as_i64().unwrap_or(i64::MIN);
        let max = schema["maximum"].as_i64().unwrap_or(i64::MAX);
        return (min..=max).contains(&n);
    }
    true
}

#[tokio::test]
async fn station_list_parameters_carry_the_constraints_the_server_checks() {
    // Given the description of the station list
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    let op = &spec["paths"]["/api/v1/stations"]["get"];
    // Then the box is four numbers in range, zoom and limit have their ranges, and lang its
    // two values
    assert!(param(op, "bbox")["pattern"].is_string());
    assert_eq!(
        (
            param(op, "zoom")["minimum"].as_i64(),
            param(op, "zoom")["maximum"].as_i64()
        ),
        (Some(0), Some(22))
    );
    assert_eq!(
        (
            param(op, "limit")["minimum"].as_i64(),
            param(op, "limit")["maximum"].as_i64()
        ),
        (Some(1), Some(5000))
    );
    assert_eq!(param(op, "lang")["enum"], serde_json::json!(["zh", "en"]));
    // And the amenity pattern takes every code of the contract, alone and in a list
    let amenities = param(op, "amenities");
    for a in Amenity::ALL {
        assert!(allows(amenities, a.as_str()), "{a}");
        assert!(allows(amenities, &format!("water,{a}")), "water,{a}");
    }
    assert!(!allows(amenities, "sauna"));
    // And station ids in paths are the contract's `[a-z0-9-]{1,40}`
    let one = &spec["paths"]["/api/v1/stations/{id}"]["get"];
    assert_eq!(param(one, "id")["pattern"], "^[a-z0-9-]{1,40}$");
}

#[tokio::test]
async fn a_station_list_value_is_refused_exactly_when_the_description_does_not_allow_it() {
    // Given the description of the station list
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    let op = &spec["paths"]["/api/v1/stations"]["get"];
    // (parameter, value, what it shows)
    let table = [
        (
            "bbox",
            "",
            "an empty box (the earlier description allowed it, the server never did)",
        ),
        ("bbox", "1,2,3", "three numbers"),
        ("bbox", "116.3,39.8,116.5,40.0", "a box of Beijing"),
        ("bbox", "-180,-90,180,90", "the whole world"),
        ("bbox", "116.3,95,116.5,96", "latitudes past the pole"),
        ("bbox", "east,39.8,116.5,40.0", "a word for a number"),
        ("zoom", "22", "the deepest zoom"),
        ("zoom", "23", "past the deepest zoom"),
        ("zoom", "", "an empty zoom"),
        ("limit", "1", "the smallest page"),
        ("limit", "5000", "the largest page"),
        ("limit", "0", "an empty page"),
        ("limit", "5001", "past the largest page"),
        ("amenities", "", "no amenity"),
        ("amenities", "water,microwave", "two amenities"),
        ("amenities", "water,sauna", "an amenity the contract lacks"),
        ("open_now", "", "a blank flag"),
        ("open_now", "1", "the flag set"),
        ("open_now", "maybe", "a flag that is neither"),
        ("union", "", "a blank union"),
        ("union", "bj-chaoyang", "a union id"),
        ("union", "Chaoyang District", "a name for an id"),
        ("district", "朝阳区", "a district"),
        ("q", "", "a blank search"),
        ("q", "驿", "one Chinese character"),
        ("near", "", "an empty point"),
        ("near", "39.99,116.47", "latitude then longitude"),
        ("near", "116.47,39.99", "longitude first: latitude 116"),
        ("cursor", "", "an empty cursor"),
        ("cursor", "5", "a cursor"),
        ("lang", "", "an empty language"),
        ("lang", "en", "English"),
        ("lang", "fr", "a language the API does not speak"),
    ];
    for (name, value, why) in table {
        let allowed = allows(param(op, name), value);
        // When the list is asked with it
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair(name, value)
            .finish();
        let res = app.get(&format!("/api/v1/stations?{query}")).await;
        // Then the server takes it exactly when the description allows it
        let status = res.status().as_u16();
        assert_eq!(status == 200, allowed, "{name}={value}: {why} ({status})");
        if !allowed {
            assert_eq!(status, 400, "{name}={value}: {why}");
        }
    }
    // Except the one rule a pattern cannot say, which the description says in words: a box's
    // minimum is at most its maximum
    let bbox = param(op, "bbox");
    assert!(allows(bbox, "116.5,39.8,116.3,40.0"));
    let res = app.get("/api/v1/stations?bbox=116.5,39.8,116.3,40.0").await;
    assert_eq!(res.status(), 400);
    let description = op["parameters"][0]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        description.contains("each minimum at most its maximum"),
        "{description}"
    );
}

#[tokio::test]
async fn idempotency_keys_and_device_ids_are_described_as_the_server_reads_them() {
    // Given the description of the two anonymous writes that take these headers
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    let apply = &spec["paths"]["/api/v1/applications"]["post"];
    let report = &spec["paths"]["/api/v1/stations/{id}/reports"]["post"];
    // Then both are plain optional strings with the server's pattern (never `null`, which a
    // header cannot carry anyway and the server would read as the text "null")
    for (op, name, pattern) in [
        (apply, "Idempotency-Key", "^[A-Za-z0-9_-]{8,100}$"),
        (report, "Idempotency-Key", "^[A-Za-z0-9_-]{8,100}$"),
        (report, "X-Device-Id", "^[A-Za-z0-9-]{16,64}$"),
    ] {
        let schema = param(op, name);
        assert_eq!(schema["type"], "string", "{name}");
        assert_eq!(schema["pattern"], pattern, "{name}");
    }
    // And a key the pattern refuses is refused by the server
    let res = app
        .client
        .post(format!(
            "{}/api/v1/stations/bj-chaoyang-0001/reports",
            app.base
        ))
        .header("Idempotency-Key", "null")
        .json(&serde_json::json!({"kind": "confirm"}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn malformed_query_values_and_undecodable_ids_get_the_error_body() {
    // Given a signed-in admin
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    // When the audit log is paged with a word, a number below 1, or the parameter twice; and a
    // station is asked for by bytes that are not UTF-8
    for (query, code) in [
        ("before=soon", "invalid"),
        ("before=0", "out_of_range"),
        ("before=5&before=6", "duplicate"),
    ] {
        let res = app
            .request(Method::GET, &format!("/api/v1/admin/audit?{query}"), &admin)
            .send()
            .await
            .expect("request");
        // Then each is a 400 naming the parameter, in the error body (not axum's plain text)
        assert_eq!(res.status(), 400, "{query}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "invalid_query", "{query}");
        assert_eq!(body["error"]["fields"]["before"], code, "{query}");
    }
    let res = app.get("/api/v1/stations/%FF").await;
    assert_eq!(res.status(), 404);
    assert_eq!(error_code(res).await, "not_found");
}
