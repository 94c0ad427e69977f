//! The backup drill: seed, back up while serving, change everything, restore onto an empty
//! database, and find every table as it was backed up.

use std::collections::BTreeMap;

use futures::future::join_all;
use reqwest::Method;
use serde_json::json;
use sqlx::ConnectOptions;
use yizhan_server::backup::{backup, restore, BackupError};
use yizhan_server::bootstrap::{DEMO_ADMIN, DEMO_MANAGER};

use crate::applications::{applied, form, station_of};
use crate::helpers::TestApp;

/// Every table's rows, each row as its quoted values, sorted: two databases with equal dumps
/// hold the same data.
async fn dump(url: &str) -> BTreeMap<String, Vec<String>> {
    use std::str::FromStr;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .expect("url")
        .read_only(true)
        .connect()
        .await
        .expect("connect");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .expect("tables");
    let mut out = BTreeMap::new();
    for t in tables {
        let cols: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
            .bind(&t)
            .fetch_all(&mut conn)
            .await
            .expect("columns");
        let row = cols
            .iter()
            .map(|c| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM \"{t}\""))
            .fetch_all(&mut conn)
            .await
            .expect("rows");
        rows.sort();
        out.insert(t, rows);
    }
    out
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_every_table_onto_an_empty_database() {
    // Given a deployment with stations, accounts, a status, a report and an application
    let app = TestApp::spawn().await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let station = station_of(&app, "bj-chaoyang").await;
    applied(&app, &form(&station, "13800004444")).await;
    let created = app
        .request(Method::POST, "/api/v1/admin/accounts", &admin)
        .json(&json!({"username": "new-manager", "display_name": "新站长", "role": "manager"}))
        .send()
        .await
        .expect("request");
    assert_eq!(created.status(), 201);
    let db = yizhan_server::db::Db::connect(&app.database_url)
        .await
        .expect("db");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("backups").join("yizhan-1.db");
    if crate::helpers::on_postgres() {
        // PostgreSQL is backed up with its own tools: the command says so and writes nothing.
        let refused = backup(&db, &file).await.expect_err("refused");
        assert!(matches!(refused, BackupError::Postgres), "{refused}");
        assert!(refused.to_string().contains("pg_dump"), "{refused}");
        assert!(!file.exists());
        return;
    }

    // When it is backed up while riders keep sending reports
    let snapshot_before = dump(&app.database_url).await;
    let reports = (0..20).map(|i| {
        let (app, station) = (&app, station.as_str());
        async move {
            app.client
                .post(format!("{}/api/v1/stations/{station}/reports", app.base))
                .header("X-Device-Id", format!("device-{i:016}"))
                .json(&json!({"kind": "confirm"}))
                .send()
                .await
                .expect("request")
                .status()
        }
    });
    let (statuses, done) = tokio::join!(join_all(reports), backup(&db, &file));
    done.expect("backup");
    assert!(statuses.iter().all(|s| *s == 201));
    // Then the copy is whole, with anything between the state before and after it
    let copy_url = format!("sqlite://{}", file.display());
    let copy = dump(&copy_url).await;
    let n = |d: &BTreeMap<String, Vec<String>>| d["reports"].len();
    assert!(n(&copy) >= n(&snapshot_before) && n(&copy) <= n(&snapshot_before) + 20);
    // And it is never overwritten by the next backup
    assert!(matches!(
        backup(&db, &file).await,
        Err(BackupError::Exists(_))
    ));

    // When everything changes after it (a status, an account, more reports)
    let mine = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let id = mine["stations"][0]["id"].as_str().expect("id").to_owned();
    let version = mine["stations"][0]["version"].as_u64().expect("version");
    let res = app
        .request(
            Method::PATCH,
            &format!("/api/v1/stations/{id}/status"),
            &manager,
        )
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"state": "closed", "notice": "备份之后", "amenities": []}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    app.sql("DELETE FROM account_stations")
        .await
        .expect("change");
    assert_ne!(dump(&app.database_url).await, copy);

    // Then restoring onto this (non-empty) database is refused, and so is a file that is not
    // a backup
    assert!(matches!(
        restore(&file, &app.database_url).await,
        Err(BackupError::NotEmpty(..))
    ));
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database at all").expect("junk");
    let empty = format!("sqlite://{}", dir.path().join("restored.db").display());
    assert!(matches!(
        restore(&junk, &empty).await,
        Err(BackupError::NotABackup(..))
    ));
    // And restoring onto an empty database gives back every table as it was backed up
    restore(&file, &empty).await.expect("restore");
    assert_eq!(dump(&empty).await, copy);
    db.close().await;
}
