//! The coverage dashboard: stations by state over the admin's unions only, sorted by how long
//! ago they were confirmed, filtered by state and district; its CSV and SVG map; and the
//! figures week by week, moved by visits, applications and reports.

use reqwest::Method;
use serde_json::{json, Value};
use yizhan_core::Timestamp;
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::applications::{applied, form};
use crate::helpers::{Session, TestApp};
use crate::insight::{rider, riders_visit_confirm_and_report_a_fault_resolved};

/// The Chaoyang union's stations, as riders find them (ids only).
async fn chaoyang_stations(app: &TestApp) -> Vec<String> {
    let list = app
        .get_json("/api/v1/stations?union=bj-chaoyang&limit=200")
        .await;
    list["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect()
}

/// Sets every station open and freshly confirmed, with no reports; then `stale` past its
/// expiry (confirmed long ago), `never` never confirmed, `closed` freshly closed.
async fn given_states(app: &TestApp, stale: &str, never: &str, closed: &str) {
    let now = Timestamp::now().unix();
    for sql in [
        "DELETE FROM reports".to_owned(),
        format!(
            "UPDATE stations SET status_state = 'open', confirmed_at = {}, expires_at = {}",
            now - 600,
            now + 3600
        ),
        format!(
            "UPDATE stations SET confirmed_at = {}, expires_at = {} WHERE id = '{stale}'",
            now - 100_000,
            now - 50_000
        ),
        format!(
            "UPDATE stations SET status_state = 'unknown', confirmed_at = NULL, expires_at = NULL \
             WHERE id = '{never}'"
        ),
        format!("UPDATE stations SET status_state = 'closed' WHERE id = '{closed}'"),
    ] {
        app.sql(&sql).await.expect("sql");
    }
}

async fn report_fault(app: &TestApp, station: &str, device: &str) {
    let path = format!("/api/v1/stations/{station}/reports");
    let body = json!({"kind": "closed_when_open"});
    assert_eq!(rider(app, &path, device, Some(body)).await, 201);
}

async fn coverage(app: &TestApp, who: &Session, query: &str) -> Value {
    app.json_as(Method::GET, &format!("/api/v1/admin/coverage{query}"), who)
        .await
}

fn ids(c: &Value) -> Vec<&str> {
    c["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .map(|s| s["id"].as_str().expect("id"))
        .collect()
}

fn row<'a>(c: &'a Value, id: &str) -> &'a Value {
    c["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("{id} not listed: {c}"))
}

#[tokio::test]
async fn each_station_has_one_state_and_the_table_lists_the_oldest_confirmations_first() {
    // Given the Chaoyang union's stations, all fresh but one past its expiry, one never
    // confirmed, one closed and one with an open fault report
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let mine = chaoyang_stations(&app).await;
    assert!(mine.len() >= 5, "{mine:?}");
    let (stale, never, closed, faulty) = (&mine[0], &mine[1], &mine[2], &mine[3]);
    given_states(&app, stale, never, closed).await;
    report_fault(&app, faulty, "device-aaaaaaaaaaaaaaaa").await;

    // When the admin opens the dashboard
    let c = coverage(&app, &admin, "").await;

    // Then every station of the union is counted once, in the state the rule gives it
    let total = c["counts"]["fresh"].as_u64().expect("fresh");
    assert_eq!(c["counts"]["stale"], 2, "{}", c["counts"]);
    assert_eq!(c["counts"]["closed"], 1);
    assert_eq!(c["counts"]["faults"], 1);
    assert_eq!(c["matching"].as_u64(), Some(total + 4));
    assert_eq!(row(&c, stale)["state"], "stale");
    assert_eq!(row(&c, never)["state"], "stale");
    assert_eq!(row(&c, never)["confirmed_at"], Value::Null);
    assert_eq!(row(&c, closed)["state"], "closed");
    assert_eq!(row(&c, faulty)["state"], "faults");
    assert_eq!(row(&c, faulty)["open_reports"], 1);
    assert_eq!(row(&c, &mine[4])["state"], "fresh");
    // And the never-confirmed station comes first, then the oldest confirmation
    let order = ids(&c);
    assert_eq!(&order[..2], &[never.as_str(), stale.as_str()], "{order:?}");
    let times: Vec<&str> = c["stations"].as_array().expect("rows")[1..]
        .iter()
        .map(|s| s["confirmed_at"].as_str().expect("confirmed"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    // And a state filter lists only that state, in the same order
    let only = coverage(&app, &admin, "?state=stale").await;
    assert_eq!(ids(&only), vec![never.as_str(), stale.as_str()]);
    assert_eq!(only["matching"], 2);
    assert_eq!(
        only["counts"], c["counts"],
        "counts stay over the whole scope"
    );

    // And a resolved report leaves its station to its status again
    app.sql("UPDATE reports SET resolved_at = created_at + 7200")
        .await
        .expect("sql");
    let after = coverage(&app, &admin, "?state=faults").await;
    assert_eq!(after["matching"], 0, "{after}");
}

#[tokio::test]
async fn the_district_filter_lists_one_district_and_bad_values_are_named() {
    // Given a Chaoyang station filed under another district
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let mine = chaoyang_stations(&app).await;
    given_states(&app, &mine[0], &mine[1], &mine[2]).await;
    app.sql(&format!(
        "UPDATE stations SET district = '测试区' WHERE id = '{}'",
        mine[0]
    ))
    .await
    .expect("sql");

    // When the admin filters by that district
    let c = coverage(
        &app,
        &admin,
        "?district=%E6%B5%8B%E8%AF%95%E5%8C%BA&state=stale",
    )
    .await;

    // Then it is listed among the districts and alone in the table
    let districts = c["districts"].as_array().expect("districts");
    assert!(districts.contains(&json!("测试区")), "{districts:?}");
    assert!(districts.contains(&json!("朝阳区")), "{districts:?}");
    assert_eq!(ids(&c), vec![mine[0].as_str()]);
    assert_eq!(c["matching"], 1);

    // And values that name nothing are refused with the field named, as 422 invalid_input
    for (query, field, code, why) in [
        ("?state=rotten", "state", "unknown", "not a state"),
        (
            "?district=海淀区",
            "district",
            "unknown",
            "no station of the admin's there",
        ),
        ("?state=FRESH", "state", "unknown", "codes are lower case"),
    ] {
        let res = app
            .send_as(
                Method::GET,
                &format!("/api/v1/admin/coverage{query}"),
                &admin,
            )
            .await;
        assert_eq!(res.status(), 422, "{why}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "invalid_input", "{why}");
        assert_eq!(body["error"]["fields"][field], code, "{why}: {body}");
    }
    for (query, field, code) in [
        ("?weeks=0", "weeks", "out_of_range"),
        ("?weeks=many", "weeks", "invalid"),
        ("?district=海淀区", "district", "unknown"),
        ("?station=bj-haidian-0001", "station", "unknown"),
    ] {
        let res = app
            .send_as(Method::GET, &format!("/api/v1/admin/weekly{query}"), &admin)
            .await;
        assert_eq!(res.status(), 422, "{query}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["fields"][field], code, "{query}: {body}");
    }
}

#[tokio::test]
async fn another_unions_admin_sees_none_of_these_stations_and_managers_are_refused() {
    // Given Chaoyang's stations and an admin of Haidian
    let app = TestApp::spawn().await;
    let mine = chaoyang_stations(&app).await;
    app.create_admin("bj-haidian", "haidian-admin", "haidian-admin-password")
        .await;
    let other = app.sign_in("haidian-admin", "haidian-admin-password").await;

    // When the Haidian admin opens the dashboard
    let c = coverage(&app, &other, "").await;

    // Then none of Chaoyang's stations or districts are there
    assert!(ids(&c).iter().all(|id| !mine.iter().any(|m| m == id)));
    assert!(!c["districts"]
        .as_array()
        .expect("districts")
        .contains(&json!("朝阳区")));
    // And a manager may not read it, nor anyone signed out
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    for path in [
        "/api/v1/admin/coverage",
        "/api/v1/admin/coverage.csv",
        "/api/v1/admin/coverage.svg",
        "/api/v1/admin/weekly",
        "/api/v1/admin/weekly.svg",
    ] {
        assert_eq!(
            app.send_as(Method::GET, path, &manager).await.status(),
            403,
            "{path}"
        );
        assert_eq!(
            app.send_as(Method::GET, path, &Session::anonymous())
                .await
                .status(),
            401,
            "{path}"
        );
    }
}

/// Whether `svg` is well-formed XML as far as a chart needs: tags nest and close, and every
/// `&` starts an entity.
fn well_formed(svg: &str) -> Result<(), String> {
    let body = svg
        .strip_prefix(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
        .ok_or("no XML declaration")?;
    let mut open: Vec<&str> = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt])?;
        let gt = rest[lt..].find('>').ok_or("unclosed tag")? + lt;
        let tag = &rest[lt + 1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            let top = open.pop().ok_or("close without open")?;
            if top != name {
                return Err(format!("</{name}> closes <{top}>"));
            }
        } else {
            let name = tag.split_whitespace().next().ok_or("empty tag")?;
            if tag.contains('<') {
                return Err(format!("< inside tag {name}"));
            }
            check_text(tag)?;
            if !tag.ends_with('/') {
                open.push(name);
            }
        }
        rest = &rest[gt + 1..];
    }
    check_text(rest)?;
    if open.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {open:?}"))
    }
}

fn check_text(text: &str) -> Result<(), String> {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..];
        let numeric = entity
            .strip_prefix("&#")
            .and_then(|r| r.split_once(';'))
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !numeric
            && !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| entity.starts_with(e))
        {
            return Err(format!("bare & at {entity:.20}"));
        }
    }
    Ok(())
}

#[tokio::test]
async fn the_csv_and_the_svgs_are_downloads_in_the_language_asked_with_texts_escaped() {
    // Given a Chaoyang station whose district holds markup, and one never confirmed
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let mine = chaoyang_stations(&app).await;
    given_states(&app, &mine[0], &mine[1], &mine[2]).await;
    app.sql(&format!(
        "UPDATE stations SET district = '<b>&区' WHERE id = '{}'",
        mine[0]
    ))
    .await
    .expect("sql");

    // When the admin downloads the table as CSV in Chinese and in English
    let zh = app
        .send_as(
            Method::GET,
            "/api/v1/admin/coverage.csv?state=stale",
            &admin,
        )
        .await;
    assert_eq!(zh.status(), 200);
    assert_eq!(
        zh.headers()["content-disposition"],
        "attachment; filename=\"yizhan-coverage.csv\""
    );
    assert_eq!(zh.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(zh.headers()["cache-control"], "no-store");
    let text = zh.text().await.expect("text");
    // Then the headers are in that language and the rows in the table's order
    assert!(
        text.starts_with("\u{feff}编号,名称,区,工会,状态,最后确认,未处理报告\r\n"),
        "{text}"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with(&format!("{},", mine[1])), "{text}");
    assert!(lines[1].contains(",已过期,,0"), "{text}");
    let en = app
        .send_as(Method::GET, "/api/v1/admin/coverage.csv?lang=en", &admin)
        .await
        .text()
        .await
        .expect("text");
    assert!(
        en.starts_with("\u{feff}id,name,district,union,state,confirmed_at,open_reports\r\n"),
        "{en}"
    );
    let weekly = app
        .send_as(
            Method::GET,
            "/api/v1/admin/weekly.csv?lang=en&weeks=3",
            &admin,
        )
        .await;
    assert_eq!(
        weekly.headers()["content-disposition"],
        "attachment; filename=\"yizhan-weekly.csv\""
    );
    assert_eq!(weekly.headers()["content-type"], "text/csv; charset=utf-8");
    let weekly = weekly.text().await.expect("text");
    assert!(weekly.starts_with("\u{feff}week,Applications,Approvals,Fault reports,Median hours to resolve,Visits (I'm here),Rider confirmations\r\n"), "{weekly}");
    assert_eq!(weekly.lines().count(), 4, "{weekly}");

    // And the map and the chart are SVG downloads, well-formed, the markup escaped
    for path in [
        "/api/v1/admin/coverage.svg?district=%3Cb%3E%26%E5%8C%BA",
        "/api/v1/admin/coverage.svg?lang=en",
        "/api/v1/admin/weekly.svg?district=%3Cb%3E%26%E5%8C%BA",
        "/api/v1/admin/weekly.svg?lang=en&weeks=52",
    ] {
        let res = app.send_as(Method::GET, path, &admin).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["content-type"], "image/svg+xml", "{path}");
        let name = if path.contains("weekly") {
            "yizhan-weekly.svg"
        } else {
            "yizhan-coverage.svg"
        };
        assert_eq!(
            res.headers()["content-disposition"],
            format!("attachment; filename=\"{name}\"").as_str(),
            "{path}"
        );
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
        let svg = res.text().await.expect("svg");
        if let Err(e) = well_formed(&svg) {
            panic!("{path}: {e}\n{svg}");
        }
        assert!(
            !svg.contains("<script") && !svg.contains("@font-face"),
            "{path}"
        );
        if path.contains("%3Cb%3E") {
            assert!(svg.contains("&lt;b&gt;&amp;区"), "{path}: {svg}");
            assert!(!svg.contains("<b>"), "{path}");
        }
    }
    let map = app
        .send_as(Method::GET, "/api/v1/admin/coverage.svg", &admin)
        .await
        .text()
        .await
        .expect("svg");
    assert!(map.contains("<title id=\"chart-title\">驿站状态图</title>"));
    assert!(map.contains("已过期 2") && map.contains("<circle"), "{map}");
}

#[tokio::test]
async fn a_visit_an_application_and_a_report_move_this_weeks_figures() {
    // Given the Chaoyang admin's figures for this week
    let app = TestApp::spawn().await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let theirs = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let station = theirs["stations"][0]["id"].as_str().expect("id").to_owned();
    let weekly = |query: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            let w = app
                .json_as(Method::GET, &format!("/api/v1/admin/weekly{query}"), admin)
                .await;
            let weeks = w["weeks"].as_array().expect("weeks").clone();
            (w, weeks)
        }
    };
    let (before, weeks) = weekly("").await;
    assert_eq!(weeks.len(), 12, "{before}");
    let this_week = &weeks[11];
    assert_eq!(this_week["visits"], 0);

    // When a rider visits and confirms, another reports a fault the manager resolves, and
    // someone applies at the station
    riders_visit_confirm_and_report_a_fault_resolved(&app, &manager, &station).await;
    applied(&app, &form(&station, "13800005555")).await;

    // Then this week's figures moved, for the union, its district and the station
    for query in [
        "",
        "?district=%E6%9C%9D%E9%98%B3%E5%8C%BA",
        "?weeks=1&station=",
    ] {
        let (w, weeks) = weekly(query).await;
        let now = weeks.last().expect("this week");
        for (key, n) in [
            ("visits", 1),
            ("reports", 1),
            ("resolved", 1),
            ("confirmations", 1),
            ("applications", 1),
            ("approvals", 0),
        ] {
            assert_eq!(now[key], n, "{query} {key}: {w}");
        }
        assert!(now["median_hours_to_resolve"].as_f64().is_some(), "{w}");
    }
    let (w, weeks) = weekly("?weeks=2").await;
    assert_eq!(weeks.len(), 2);
    assert_eq!(weeks[0]["visits"], 0, "{w}");
    assert_eq!(weeks[0]["median_hours_to_resolve"], Value::Null, "{w}");
    let by_station = app
        .json_as(
            Method::GET,
            &format!("/api/v1/admin/weekly?weeks=1&station={station}"),
            &admin,
        )
        .await;
    assert_eq!(by_station["station"], station.as_str());
    assert_eq!(by_station["weeks"][0]["visits"], 1, "{by_station}");
    // And a week starts on Monday in Beijing
    let monday = weeks[1]["week"].as_str().expect("week");
    let start: Timestamp = format!("{monday}T00:00:00+08:00").parse().expect("date");
    assert_eq!(start.beijing().weekday, yizhan_core::time::Weekday::Mo);
}
