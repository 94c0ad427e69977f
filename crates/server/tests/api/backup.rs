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

/// The rows of each of `tables` in the database `url` (either backend).
async fn counts(url: &str, tables: &[String]) -> BTreeMap<String, i64> {
    let mut conn = crate::helpers::connect(url).await;
    let mut out = BTreeMap::new();
    for t in tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&mut conn)
            .await
            .expect("count");
        out.insert(t.clone(), n);
    }
    out
}

#[tokio::test]
async fn a_sqlite_deployment_moves_onto_postgresql_with_every_row_and_keeps_working() {
    // Moving needs a PostgreSQL to move to: `make test` runs this under the throwaway cluster.
    if !crate::helpers::on_postgres() {
        return;
    }
    // Given a deployment on a SQLite file with a saved status, an application, reports and a
    // new account
    let lite_dir = tempfile::tempdir().expect("dir");
    let lite_url = format!("sqlite://{}", lite_dir.path().join("yizhan.db").display());
    let app = TestApp::spawn_with(|s| s.database_url = lite_url.clone()).await;
    let manager = app.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let admin = app.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let mine = app
        .json_as(Method::GET, "/api/v1/manage/stations", &manager)
        .await;
    let id = mine["stations"][0]["id"].as_str().expect("id").to_owned();
    let version = mine["stations"][0]["version"].as_u64().expect("version");
    let saved = app
        .request(
            Method::PATCH,
            &format!("/api/v1/stations/{id}/status"),
            &manager,
        )
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"state": "closed", "notice": "搬家之前", "amenities": []}))
        .send()
        .await
        .expect("request");
    assert_eq!(saved.status(), 200);
    let station = station_of(&app, "bj-chaoyang").await;
    applied(&app, &form(&station, "13800005555")).await;
    for i in 0..3 {
        let res = app
            .client
            .post(format!("{}/api/v1/stations/{station}/reports", app.base))
            .header("X-Device-Id", format!("device-{i:016}"))
            .json(&json!({"kind": "confirm"}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 201);
    }
    let created = app
        .request(Method::POST, "/api/v1/admin/accounts", &admin)
        .json(&json!({"username": "moved-manager", "display_name": "搬家站长", "role": "manager"}))
        .send()
        .await
        .expect("request");
    assert_eq!(created.status(), 201);
    let audit_before = app
        .json_as(Method::GET, "/api/v1/admin/audit", &admin)
        .await;
    let station_before = app.get(&format!("/api/v1/stations/{id}")).await;
    let etag_before = station_before.headers()["etag"].clone();
    let file = lite_dir.path().join("yizhan-backup.db");
    let db = yizhan_server::db::Db::connect(&lite_url).await.expect("db");
    backup(&db, &file).await.expect("backup");
    db.close().await;
    drop(app);
    let tables: Vec<String> = {
        let mut conn = crate::helpers::connect(&lite_url).await;
        sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '_sqlx_migrations' ORDER BY name",
        )
        .fetch_all(&mut conn)
        .await
        .expect("tables")
    };

    // When the backup is restored onto a new PostgreSQL database
    let pg_dir = tempfile::tempdir().expect("dir");
    let pg_url = crate::helpers::database_url_in(pg_dir.path());
    restore(&file, &pg_url).await.expect("moved");

    // Then every table holds as many rows as the SQLite file did
    let lite_counts = counts(&format!("sqlite://{}", file.display()), &tables).await;
    assert!(lite_counts["stations"] > 0 && lite_counts["reports"] >= 3);
    assert_eq!(counts(&pg_url, &tables).await, lite_counts);
    // And a server on it serves the saved status with the same version and ETag, signs the
    // same people in, shows the application and the same audit log
    let moved = TestApp::spawn_with(|s| s.database_url = pg_url.clone()).await;
    let station_after = moved.get(&format!("/api/v1/stations/{id}")).await;
    assert_eq!(station_after.headers()["etag"], etag_before);
    let body: serde_json::Value = station_after.json().await.expect("json");
    assert_eq!(body["status"]["notice"], "搬家之前");
    let manager = moved.sign_in(DEMO_MANAGER.0, DEMO_MANAGER.1).await;
    let admin = moved.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1).await;
    let list = moved
        .json_as(Method::GET, "/api/v1/admin/applications", &admin)
        .await;
    assert!(list.to_string().contains("王丽"), "{list}");
    assert_eq!(
        moved
            .json_as(Method::GET, "/api/v1/admin/audit", &admin)
            .await,
        audit_before
    );
    // And new rows take new ids after the copied ones (a report, a status save, its log entry)
    let report = moved
        .client
        .post(format!("{}/api/v1/stations/{station}/reports", moved.base))
        .header("X-Device-Id", format!("device-{:016}", 9))
        .json(&json!({"kind": "confirm"}))
        .send()
        .await
        .expect("request");
    assert_eq!(report.status(), 201);
    let version = body["version"].as_u64().expect("version");
    let saved = moved
        .request(
            Method::PATCH,
            &format!("/api/v1/stations/{id}/status"),
            &manager,
        )
        .header("If-Match", format!("\"{version}\""))
        .json(&json!({"state": "open", "notice": "搬家之后", "amenities": []}))
        .send()
        .await
        .expect("request");
    assert_eq!(saved.status(), 200);
    let audit_after = moved
        .json_as(Method::GET, "/api/v1/admin/audit", &admin)
        .await;
    assert_ne!(audit_after, audit_before);
    // And moving again onto the database now in use is refused, naming what it holds
    let again = restore(&file, &pg_url).await.expect_err("refused");
    assert!(matches!(again, BackupError::NotEmpty(..)), "{again}");
}
