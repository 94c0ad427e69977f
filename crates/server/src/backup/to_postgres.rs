//! Moving a SQLite deployment onto PostgreSQL: `yizhan-server restore FILE` with a
//! `postgres://` YIZHAN_DATABASE_URL copies every row of a SQLite backup into the new, empty
//! database, in one transaction (all or nothing), then sets each table's id sequence past the
//! copied rows so new rows do not collide with them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use futures_util::TryStreamExt;
use sqlx::postgres::{PgArguments, PgConnectOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{Arguments, ConnectOptions, Connection, Row};

use super::checks::{BackupError, DATA_TABLES};
use crate::db::Db;

/// At most this many values per INSERT (PostgreSQL allows 65,535 parameters).
const VALUES_PER_INSERT: usize = 20_000;

/// One value as copied, typed by the PostgreSQL column it goes into.
enum Value {
    Int(Option<i64>),
    Int4(Option<i32>),
    Bool(Option<bool>),
    Float(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

/// A PostgreSQL column: its name, type and whether it takes its value from a sequence.
struct Column {
    name: String,
    data_type: String,
    sequenced: bool,
}

impl Column {
    /// Reads this column of a SQLite row as the PostgreSQL column's type wants it.
    fn read(&self, row: &SqliteRow) -> Result<Value, sqlx::Error> {
        let n = self.name.as_str();
        Ok(match self.data_type.as_str() {
            "bigint" => Value::Int(row.try_get(n)?),
            "integer" | "smallint" => Value::Int4(
                row.try_get::<Option<i64>, _>(n)?
                    .map(|v| i32::try_from(v).unwrap_or(i32::MAX)),
            ),
            // SQLite keeps booleans as 0 and 1.
            "boolean" => Value::Bool(row.try_get::<Option<i64>, _>(n)?.map(|v| v != 0)),
            "double precision" | "real" => Value::Float(row.try_get(n)?),
            "bytea" => Value::Bytes(row.try_get(n)?),
            _ => Value::Text(row.try_get(n)?),
        })
    }
}

fn bind(args: &mut PgArguments, v: Value) -> Result<(), BackupError> {
    let added = match v {
        Value::Int(v) => args.add(v),
        Value::Int4(v) => args.add(v),
        Value::Bool(v) => args.add(v),
        Value::Float(v) => args.add(v),
        Value::Text(v) => args.add(v),
        Value::Bytes(v) => args.add(v),
    };
    added.map_err(|e| BackupError::Db(sqlx::Error::Encode(e).into()))
}

/// Copies the backup `from` (already checked to be a whole Yizhan backup) into the empty
/// PostgreSQL database `database_url`.
pub(super) async fn restore(from: &Path, database_url: &str) -> Result<(), BackupError> {
    // The backup may come from an older release: a copy of it is brought up to date first,
    // so both sides have the same tables and columns.
    let source = Scratch::copy_of(from)?;
    Db::connect(&source.url()).await?.close().await;
    // The target's schema comes from the PostgreSQL migrations, as a server would make it.
    Db::connect(database_url).await?.close().await;

    let mut pg = PgConnectOptions::from_str(database_url)?.connect().await?;
    let mut held = Vec::new();
    for t in DATA_TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}"))
            .fetch_one(&mut pg)
            .await?;
        if n > 0 {
            held.push(format!("{n} {t}"));
        }
    }
    if !held.is_empty() {
        return Err(BackupError::NotEmpty(
            crate::db::shown_url(database_url),
            held.join(", "),
        ));
    }

    let mut lite = SqliteConnectOptions::from_str(&source.url())?
        .read_only(true)
        .connect()
        .await?;
    let tables = tables_in_order(&mut lite).await?.ok_or_else(|| {
        BackupError::NotABackup(
            from.to_owned(),
            "its tables refer to each other in a cycle".into(),
        )
    })?;
    let mut tx = pg.begin().await?;
    // What the migrations wrote (a new database's own secrets, say) gives way to the
    // deployment's: its report hashes and sign-in keys were made with those.
    for table in tables.iter().rev() {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await?;
    }
    for table in &tables {
        let columns = columns_of(&mut tx, table).await?;
        if columns.is_empty() {
            return Err(BackupError::NotABackup(
                from.to_owned(),
                format!("PostgreSQL has no table {table}"),
            ));
        }
        copy_table(&mut lite, &mut tx, table, &columns).await?;
        for c in columns.iter().filter(|c| c.sequenced) {
            // Past the highest copied id (or at 1 for an empty table).
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{col}'), \
                 COALESCE((SELECT MAX({col}) FROM {table}), 0) + 1, false)",
                col = c.name
            ))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    lite.close().await?;
    Ok(())
}

/// Yizhan's tables in the SQLite file, each after the tables it refers to; `None` when they
/// refer to each other in a cycle (no order works, and Yizhan's schema has none).
async fn tables_in_order(
    lite: &mut sqlx::SqliteConnection,
) -> Result<Option<Vec<String>>, BackupError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut *lite)
    .await?;
    let mut refers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &names {
        let parents: Vec<String> =
            sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list(?)")
                .bind(t)
                .fetch_all(&mut *lite)
                .await?;
        refers.insert(t.clone(), parents.into_iter().filter(|p| p != t).collect());
    }
    let mut done: Vec<String> = Vec::new();
    while done.len() < names.len() {
        let before = done.len();
        for t in &names {
            if !done.contains(t) && refers[t].iter().all(|p| done.contains(p)) {
                done.push(t.clone());
            }
        }
        if done.len() == before {
            return Ok(None);
        }
    }
    Ok(Some(done))
}

/// The PostgreSQL columns of `table`, in order.
async fn columns_of(tx: &mut sqlx::PgConnection, table: &str) -> Result<Vec<Column>, BackupError> {
    let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text, column_default::text, is_identity::text \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, data_type, default, identity)| Column {
            sequenced: identity == "YES" || default.is_some_and(|d| d.starts_with("nextval(")),
            name,
            data_type,
        })
        .collect())
}

/// Copies every row of `table`, many rows an INSERT.
async fn copy_table(
    lite: &mut sqlx::SqliteConnection,
    tx: &mut sqlx::PgConnection,
    table: &str,
    columns: &[Column],
) -> Result<(), BackupError> {
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let list = names.join(", ");
    let per_insert = (VALUES_PER_INSERT / columns.len().max(1)).max(1);
    // Identity columns declared GENERATED ALWAYS would refuse given ids; Yizhan's are BY
    // DEFAULT, and OVERRIDING keeps it working either way.
    let overriding = if columns.iter().any(|c| c.sequenced) {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    // Streamed a batch at a time: 100,000 stations have 600,000 amenity rows.
    let select = format!("SELECT {list} FROM {table}");
    let mut rows = sqlx::query(&select).fetch(&mut *lite);
    let mut chunk = Vec::with_capacity(per_insert);
    loop {
        let row = rows.try_next().await?;
        let last = row.is_none();
        chunk.extend(row);
        if chunk.len() < per_insert && !last {
            continue;
        }
        if chunk.is_empty() {
            break;
        }
        let mut args = PgArguments::default();
        let mut tuples = Vec::with_capacity(chunk.len());
        let mut n = 0;
        for row in chunk.drain(..) {
            let mut marks = Vec::with_capacity(columns.len());
            for c in columns {
                bind(&mut args, c.read(&row)?)?;
                n += 1;
                marks.push(format!("${n}"));
            }
            tuples.push(format!("({})", marks.join(", ")));
        }
        sqlx::query_with(
            &format!(
                "INSERT INTO {table} ({list}){overriding} VALUES {}",
                tuples.join(", ")
            ),
            args,
        )
        .execute(&mut *tx)
        .await?;
        if last {
            break;
        }
    }
    Ok(())
}

/// A temporary copy of a SQLite file, deleted (with its WAL) when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn copy_of(from: &Path) -> Result<Scratch, BackupError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path =
            std::env::temp_dir().join(format!("yizhan-restore-{}-{nanos}.db", std::process::id()));
        std::fs::copy(from, &path)?;
        Ok(Scratch(path))
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.0.display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", ".migrate-lock"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}
