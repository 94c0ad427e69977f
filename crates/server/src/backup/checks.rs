//! What a backup or restore may refuse or fail with, and the tables whose rows make a database
//! not empty: shared by the SQLite restore and the move onto PostgreSQL.

use std::path::PathBuf;

use crate::db::DbError;

/// Why a backup or restore was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The output file exists already: a backup never overwrites one.
    #[error("{0} exists already; choose a new file name")]
    Exists(PathBuf),
    /// The file to restore is missing, not a Yizhan database, or damaged.
    #[error("{0} is not a whole Yizhan backup: {1}")]
    NotABackup(PathBuf, String),
    /// The database to restore onto holds data already.
    #[error("the database {0} is not empty ({1}); restore onto a new, empty database")]
    NotEmpty(String, String),
    /// The database URL is neither a SQLite file nor PostgreSQL.
    #[error("restore needs a sqlite:// or postgres:// database URL")]
    NotSqlite,
    /// PostgreSQL keeps its own backups (pg_dump, or the provider's snapshots).
    #[error("the database is PostgreSQL: back it up with pg_dump (docs/deploy.md)")]
    Postgres,
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] DbError),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Db(DbError::Sqlx(e))
    }
}

/// The tables that hold a deployment's data: restoring onto any of them with rows would mix
/// two deployments.
pub(super) const DATA_TABLES: [&str; 5] =
    ["unions", "stations", "accounts", "applications", "reports"];
