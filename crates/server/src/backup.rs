//! `yizhan-server backup --out FILE` and `yizhan-server restore FILE`: a consistent copy of the
//! SQLite database taken while the server runs (`VACUUM INTO`, a single read transaction), and
//! bringing one back onto an empty database: a SQLite file, or PostgreSQL (moving a deployment
//! onto a fleet's database).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

use crate::db::{Backend, Db};

mod checks;
mod to_postgres;

pub use checks::BackupError;
use checks::DATA_TABLES;

/// Writes a consistent copy of the database to `out` (a new file), while it serves.
pub async fn backup(db: &Db, out: &Path) -> Result<(), BackupError> {
    if db.backend() == crate::db::Backend::Postgres {
        return Err(BackupError::Postgres);
    }
    if out.exists() {
        return Err(BackupError::Exists(out.to_owned()));
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    db.vacuum_into(&out.to_string_lossy()).await?;
    Ok(())
}

async fn rows_in(url: &str) -> Result<Vec<(String, i64)>, BackupError> {
    let mut conn = SqliteConnectOptions::from_str(url)?
        .read_only(true)
        .connect()
        .await?;
    let mut out = Vec::new();
    for t in DATA_TABLES {
        let exists: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        )
        .bind(t)
        .fetch_one(&mut conn)
        .await?;
        if exists == 1 {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
                .fetch_one(&mut conn)
                .await?;
            out.push((t.to_owned(), n));
        }
    }
    Ok(out)
}

/// Brings the backup `from` back as the database `database_url` names, which must be new or
/// empty; then brings its schema up to date (a backup from an older release works). A
/// `postgres://` URL gets every row copied in (moving a SQLite deployment onto PostgreSQL).
pub async fn restore(from: &Path, database_url: &str) -> Result<(), BackupError> {
    let bad = |why: String| BackupError::NotABackup(from.to_owned(), why);
    if !from.is_file() {
        return Err(bad("no such file".into()));
    }
    // Checked before anything is touched: a whole SQLite file with Yizhan's tables.
    let source = format!("sqlite://{}", from.display());
    let check: Result<String, sqlx::Error> = async {
        let mut conn = SqliteConnectOptions::from_str(&source)?
            .read_only(true)
            .connect()
            .await?;
        sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
    }
    .await;
    match check {
        Ok(ok) if ok == "ok" => {}
        Ok(problem) => return Err(bad(problem)),
        Err(e) => return Err(bad(e.to_string())),
    }
    let found = rows_in(&source).await.map_err(|e| bad(e.to_string()))?;
    if found.len() != DATA_TABLES.len() {
        return Err(bad("it lacks Yizhan's tables".into()));
    }
    if Backend::of(database_url) == Some(Backend::Postgres) {
        return to_postgres::restore(from, database_url).await;
    }
    let target = SqliteConnectOptions::from_str(database_url)
        .map_err(|_| BackupError::NotSqlite)?
        .get_filename()
        .to_owned();
    if target.exists() {
        let held: Vec<String> = rows_in(database_url)
            .await?
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(t, n)| format!("{n} {t}"))
            .collect();
        if !held.is_empty() {
            return Err(BackupError::NotEmpty(
                crate::db::shown_url(database_url),
                held.join(", "),
            ));
        }
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // An empty database's files give way to the backup (its WAL too, or SQLite would replay
    // the empty one's pages over it).
    for suffix in ["", "-wal", "-shm"] {
        let f = PathBuf::from(format!("{}{suffix}", target.display()));
        if f.exists() {
            std::fs::remove_file(f)?;
        }
    }
    let copy = PathBuf::from(format!("{}.restoring", target.display()));
    std::fs::copy(from, &copy)?;
    std::fs::rename(&copy, &target)?;
    let db = Db::connect(database_url).await?;
    db.close().await;
    Ok(())
}
