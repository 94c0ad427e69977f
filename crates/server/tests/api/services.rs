//! Unions' services cards (帮帮卡): a union's admins edit its items, the unions below inherit
//! them, and riders read the card of any station, cheaply revalidated by ETag.

use reqwest::Method;
use serde_json::{json, Value};
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::applications::station_of;
use crate::helpers::{Session, TestApp};

async fn put_card(app: &TestApp, who: &Session, union: &str, card: &Value) -> reqwest::Response {
    app.request(
        Method::PUT,
        &format!("/api/v1/admin/unions/{union}/services"),
        who,
    )
    .json(card)
    .send()
    .await
    .expect("request")
}

#[tokio::test]
async fn a_unions_card_reaches_every_station_below_it_after_the_unions_above() {
    // Given a district union's admin
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let station = station_of(&app, "bj-chaoyang-wangjing").await;
    let card_path = format!("/api/v1/stations/{station}/services");
    // A station's card starts empty (the app shows the 12351 hotline on its own)
    let empty = app.get(&card_path).await;
    assert_eq!(empty.status(), 200);
    let etag = empty.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(
        empty.json::<Value>().await.expect("json"),
        json!({"services": []})
    );

    // When the district union and one of its street unions each add services
    let district = json!({"services": [
        {"title": " 法律援助 ", "line": "劳动纠纷免费咨询", "contact": "010-6512 3456"},
        {"title": "互助保障", "line": "住院、意外互助金", "contact": "https://www.bjzgh.org/hzbz"},
    ]});
    let res = put_card(&app, &admin, "bj-chaoyang", &district).await;
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.expect("json");
    assert_eq!(
        saved["services"][0]["title"], "法律援助",
        "trimmed: {saved}"
    );
    let street = json!({"services": [
        {"title": "免费体检", "line": "每年一次", "contact": "010 8888 1234"},
    ]});
    assert_eq!(
        put_card(&app, &admin, "bj-chaoyang-wangjing", &street)
            .await
            .status(),
        200
    );

    // Then a station of the street union shows the district's items first, then its own
    let card = app.get(&card_path).await;
    assert_ne!(card.headers()["etag"].to_str().expect("etag"), etag);
    let etag = card.headers()["etag"].to_str().expect("etag").to_owned();
    let card: Value = card.json().await.expect("json");
    let titles: Vec<&str> = card["services"]
        .as_array()
        .expect("services")
        .iter()
        .filter_map(|s| s["title"].as_str())
        .collect();
    assert_eq!(titles, ["法律援助", "互助保障", "免费体检"]);
    // Each with the link that reaches it: a number to call, or the page itself
    assert_eq!(card["services"][0]["href"], "tel:01065123456");
    assert_eq!(card["services"][1]["href"], "https://www.bjzgh.org/hzbz");
    // And an unchanged card answers 304 to its ETag
    let again = app
        .client
        .get(format!("{}{card_path}", app.base))
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("request");
    assert_eq!(again.status(), 304);
    // And the street union's own card (what the join receipt shows) is the same
    let by_union = app
        .get_json("/api/v1/unions/bj-chaoyang-wangjing/services")
        .await;
    assert_eq!(by_union, card);
    assert_eq!(
        app.get("/api/v1/unions/no-such/services").await.status(),
        404
    );
    // And a station elsewhere does not show them
    let haidian = station_of(&app, "bj-haidian").await;
    let other = app
        .get_json(&format!("/api/v1/stations/{haidian}/services"))
        .await;
    assert_eq!(other, json!({"services": []}));
    assert_eq!(
        app.get("/api/v1/stations/no-such/services").await.status(),
        404
    );

    // And the street union's editor shows what it inherits, read-only, with the union's name
    let editor = app
        .json_as(
            Method::GET,
            "/api/v1/admin/unions/bj-chaoyang-wangjing/services",
            &admin,
        )
        .await;
    assert_eq!(editor["services"][0]["title"], "免费体检");
    assert_eq!(editor["inherited"][0]["union"], "bj-chaoyang");
    assert_eq!(editor["inherited"][0]["name"], "朝阳区总工会");
    assert_eq!(
        editor["inherited"][0]["services"].as_array().map(Vec::len),
        Some(2)
    );
    // And the change is in the union's log
    let audit = app
        .json_as(Method::GET, "/api/v1/admin/audit", &admin)
        .await;
    assert!(
        audit["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["action"] == "union.services" && e["entity_id"] == "bj-chaoyang"),
        "{audit}"
    );
}

#[tokio::test]
async fn a_card_with_bad_items_is_refused_by_field_and_only_its_admins_may_edit_it() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let good = json!({"services": [{"title": "法律援助", "line": "", "contact": "12351"}]});

    // Hostile or broken items are refused, each named by item and field, and nothing is saved
    let bad = json!({"services": [
        {"title": "法律援助", "line": "", "contact": "javascript:alert(1)"},
        {"title": "", "line": "很".repeat(61), "contact": "https://x.org/\"><script>"},
    ]});
    let res = put_card(&app, &admin, "bj-chaoyang", &bad).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    let fields = &body["error"]["fields"];
    assert_eq!(fields["services.0.contact"], "invalid", "{body}");
    assert_eq!(fields["services.1.title"], "missing");
    assert_eq!(fields["services.1.line"], "too_long");
    assert_eq!(fields["services.1.contact"], "invalid");
    let nine = json!({"services": vec![good["services"][0].clone(); 9]});
    let res = put_card(&app, &admin, "bj-chaoyang", &nine).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["fields"]["services"], "out_of_range");
    let editor = app
        .json_as(
            Method::GET,
            "/api/v1/admin/unions/bj-chaoyang/services",
            &admin,
        )
        .await;
    assert_eq!(editor["services"], json!([]));

    // A union above the admin's, or beside it, answers as if it did not exist
    for union in ["bj", "bj-haidian", "no-such-union"] {
        assert_eq!(
            put_card(&app, &admin, union, &good).await.status(),
            404,
            "{union}"
        );
        assert_eq!(
            app.send_as(
                Method::GET,
                &format!("/api/v1/admin/unions/{union}/services"),
                &admin
            )
            .await
            .status(),
            404
        );
    }
    // A manager may not edit it, nor may anyone signed out, nor a write without its CSRF token
    assert_eq!(
        put_card(&app, &manager, "bj-chaoyang", &good)
            .await
            .status(),
        403
    );
    assert_eq!(
        put_card(&app, &Session::anonymous(), "bj-chaoyang", &good)
            .await
            .status(),
        401
    );
    let no_token = app
        .client
        .put(format!(
            "{}/api/v1/admin/unions/bj-chaoyang/services",
            app.base
        ))
        .header("Cookie", &admin.cookie)
        .json(&good)
        .send()
        .await
        .expect("request");
    assert_eq!(no_token.status(), 403);
    assert_eq!(
        put_card(&app, &admin, "bj-chaoyang", &good).await.status(),
        200
    );
}
