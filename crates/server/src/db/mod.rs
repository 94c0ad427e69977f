//! Every SQL statement the server runs lives in this module, so a second backend
//! (PostgreSQL) is a matter of this module alone. The schema sticks to SQL both accept.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use yizhan_core::{
    AdminStation, Amenity, AmenityState, AmenityStatus, LatLng, OpeningHours, Station, StationId,
    StationState, StationStatus, Timestamp, UnionId, UnionRef,
};

use crate::demo::{DemoData, DemoUnion};

mod accounts;
mod applications;
mod failures;
mod reports;
mod staff;
mod totp;

pub use accounts::{AccountRow, AccountUpdate, Credentials, SessionRow};

pub use applications::{
    AddressLimit, ApplicationFilter, ApplicationRow, PurgeReport, StoredApplication,
};
pub use failures::{Attempts, Reservation, Reserved};
pub use reports::{ReportLimits, ReportRow, StoredReport};
pub use staff::{AuditRecord, StatusWrite, WriteOutcome};
pub use totp::TotpRow;

/// A database failure; details are logged, never shown to users.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The driver reported an error.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// Migrations failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored row no longer parses into a domain value.
    #[error("corrupt row in {table} ({id}): {problem}")]
    Corrupt {
        /// Table.
        table: &'static str,
        /// Row id.
        id: String,
        /// What failed to parse.
        problem: String,
    },
}

impl DbError {
    /// Whether a UNIQUE constraint refused the write (e.g. a key already used).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

/// The connection pool.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
    /// Secrets read once: they never change, and reading them must not take the write lock.
    secrets: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>>,
    /// How long write transactions waited for a connection and the write lock (`/metrics`).
    write_wait: prometheus_client::metrics::histogram::Histogram,
}

/// How the server uses its database connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbOptions {
    /// Connections kept open (`YIZHAN_DB_POOL`, default 8): SQLite serves reads in parallel and
    /// one writer at a time.
    pub pool_size: u32,
    /// How long a writer waits for the write lock before the request fails
    /// (`YIZHAN_DB_BUSY_TIMEOUT`, default 5 s).
    pub busy_timeout: std::time::Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions {
            pool_size: 8,
            busy_timeout: std::time::Duration::from_secs(5),
        }
    }
}

/// A union row.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionRow {
    /// Id.
    pub id: UnionId,
    /// Name.
    pub name: String,
    /// The union above it.
    pub parent: Option<UnionId>,
}

fn corrupt(table: &'static str, id: &str, problem: impl ToString) -> DbError {
    DbError::Corrupt {
        table,
        id: id.to_owned(),
        problem: problem.to_string(),
    }
}

impl Db {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    /// WAL lets riders read while a manager writes; synchronous=FULL makes every commit durable.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Db::connect_with(url, DbOptions::default()).await
    }

    /// [`Db::connect`] with the pool size and busy timeout given.
    pub async fn connect_with(url: &str, o: DbOptions) -> Result<Db, DbError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(o.busy_timeout)
            .foreign_keys(true);
        if let Some(parent) = options.get_filename().parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(o.pool_size.max(1))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Db {
            pool,
            secrets: Default::default(),
            write_wait: prometheus_client::metrics::histogram::Histogram::new(
                prometheus_client::metrics::histogram::exponential_buckets(0.0005, 2.0, 15),
            ),
        })
    }

    /// A transaction that changes something. It takes the write lock at its start (`BEGIN
    /// IMMEDIATE`), waiting up to the busy timeout: a transaction that read first and wrote
    /// later would fail outright (SQLITE_BUSY) when another writer committed in between, where
    /// it should have waited and then seen the other's write (a 412, not a 500).
    pub(crate) async fn write_tx(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, DbError> {
        let started = std::time::Instant::now();
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        self.write_wait.observe(started.elapsed().as_secs_f64());
        Ok(tx)
    }

    /// The histogram of write waits, for `/metrics` to register.
    pub fn write_wait(&self) -> prometheus_client::metrics::histogram::Histogram {
        self.write_wait.clone()
    }

    /// Writes a consistent copy of the whole database to a new file `path` (one read
    /// transaction: writers go on meanwhile).
    pub async fn vacuum_into(&self, path: &str) -> Result<(), DbError> {
        sqlx::query("VACUUM INTO ?")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Connections open and idle.
    pub fn pool_use(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// How many stations are stored.
    pub async fn station_count(&self) -> Result<i64, DbError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM stations")
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// Every union.
    pub async fn unions(&self) -> Result<Vec<UnionRow>, DbError> {
        let rows = sqlx::query("SELECT id, name, parent_id FROM unions ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let parent: Option<String> = r.try_get("parent_id")?;
                Ok(UnionRow {
                    id: UnionId::parse(&id).map_err(|e| corrupt("unions", &id, e))?,
                    name: r.try_get("name")?,
                    parent: parent
                        .map(|p| UnionId::parse(&p).map_err(|e| corrupt("unions", &id, e)))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Every station riders may see, with raw (unexpired) status, ordered by id.
    pub async fn public_stations(&self) -> Result<Vec<Station>, DbError> {
        Ok(self
            .load_stations(Some(false), None)
            .await?
            .into_iter()
            .map(|s| s.station)
            .collect())
    }

    /// Stations with their hidden flag: only visible (`Some(false)`) or all (`None`), and only
    /// the one with id `only` when given.
    pub(crate) async fn load_stations(
        &self,
        hidden: Option<bool>,
        only: Option<&str>,
    ) -> Result<Vec<AdminStation>, DbError> {
        let mut filter = String::from("WHERE 1 = 1");
        if hidden == Some(false) {
            filter.push_str(" AND NOT s.hidden");
        }
        if only.is_some() {
            filter.push_str(" AND s.id = ?1");
        }
        let amenity_sql = format!(
            "SELECT a.station_id, a.code, a.state FROM station_amenities a \
             JOIN stations s ON s.id = a.station_id {filter} ORDER BY a.station_id, a.position"
        );
        let amenity_rows = sqlx::query(&amenity_sql)
            .bind(only)
            .fetch_all(&self.pool)
            .await?;
        let mut amenities: std::collections::HashMap<String, Vec<AmenityStatus>> =
            Default::default();
        for r in amenity_rows {
            let id: String = r.try_get("station_id")?;
            let code: String = r.try_get("code")?;
            let state: String = r.try_get("state")?;
            let status = AmenityStatus {
                code: Amenity::from_str(&code).map_err(|e| corrupt("station_amenities", &id, e))?,
                state: AmenityState::from_str(&state)
                    .map_err(|e| corrupt("station_amenities", &id, e))?,
            };
            amenities.entry(id).or_default().push(status);
        }
        let station_sql = format!(
            "SELECT s.id, s.name, s.address, s.district, s.union_id, u.name AS union_name, s.lat, s.lng, \
             s.hours, s.phone, s.status_state, s.confirmed_at, s.expires_at, s.notice, s.version, s.hidden \
             FROM stations s JOIN unions u ON u.id = s.union_id {filter} ORDER BY s.id"
        );
        let rows = sqlx::query(&station_sql)
            .bind(only)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let bad = |e: &dyn std::fmt::Display| corrupt("stations", &id, e);
                let union_id: String = r.try_get("union_id")?;
                let hours: String = r.try_get("hours")?;
                let state: String = r.try_get("status_state")?;
                let version: i64 = r.try_get("version")?;
                let station = Station {
                    id: StationId::parse(&id).map_err(|e| bad(&e))?,
                    name: r.try_get("name")?,
                    address: r.try_get("address")?,
                    district: r.try_get("district")?,
                    union: UnionRef {
                        id: UnionId::parse(&union_id).map_err(|e| bad(&e))?,
                        name: r.try_get("union_name")?,
                    },
                    location: LatLng::new(r.try_get("lat")?, r.try_get("lng")?)
                        .map_err(|e| bad(&e))?,
                    amenities: amenities.remove(&id).unwrap_or_default(),
                    hours: OpeningHours::parse(&hours).map_err(|e| bad(&e))?,
                    status: StationStatus {
                        state: StationState::parse(&state).ok_or_else(|| bad(&state))?,
                        confirmed_at: r
                            .try_get::<Option<i64>, _>("confirmed_at")?
                            .map(Timestamp::from_unix),
                        expires_at: r
                            .try_get::<Option<i64>, _>("expires_at")?
                            .map(Timestamp::from_unix),
                        notice: r.try_get("notice")?,
                    },
                    phone: r.try_get("phone")?,
                    version: u64::try_from(version).map_err(|e| bad(&e))?,
                    replies: Vec::new(),
                };
                Ok(AdminStation {
                    station,
                    hidden: r.try_get("hidden")?,
                })
            })
            .collect()
    }

    /// Writes demo unions and stations in one transaction (all or nothing). A union that
    /// exists already (made by `create-admin` before the first start) is kept as it is.
    pub async fn insert_demo(&self, data: &DemoData) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        for DemoUnion { id, name, parent } in &data.unions {
            sqlx::query(
                "INSERT INTO unions (id, name, parent_id) VALUES (?, ?, ?) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id.as_str())
            .bind(name)
            .bind(parent.as_ref().map(UnionId::as_str))
            .execute(&mut *tx)
            .await?;
        }
        for s in &data.stations {
            sqlx::query(
                "INSERT INTO stations (id, name, address, district, union_id, lat, lng, hours, phone, \
                 status_state, confirmed_at, expires_at, notice, version) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(s.id.as_str())
            .bind(&s.name)
            .bind(&s.address)
            .bind(&s.district)
            .bind(s.union.id.as_str())
            .bind(s.location.lat.get())
            .bind(s.location.lng.get())
            .bind(s.hours.as_str())
            .bind(&s.phone)
            .bind(s.status.state.as_str())
            .bind(s.status.confirmed_at.map(Timestamp::unix))
            .bind(s.status.expires_at.map(Timestamp::unix))
            .bind(&s.status.notice)
            .bind(i64::try_from(s.version).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
            for (position, a) in s.amenities.iter().enumerate() {
                sqlx::query("INSERT INTO station_amenities (station_id, code, state, position) VALUES (?, ?, ?, ?)")
                    .bind(s.id.as_str())
                    .bind(a.code.as_str())
                    .bind(a.state.as_str())
                    .bind(i64::try_from(position).unwrap_or(i64::MAX))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds a union (a fresh deployment's first, from the command line).
    pub async fn insert_union(
        &self,
        id: &UnionId,
        name: &str,
        parent: Option<&UnionId>,
    ) -> Result<(), DbError> {
        sqlx::query("INSERT INTO unions (id, name, parent_id) VALUES (?, ?, ?)")
            .bind(id.as_str())
            .bind(name)
            .bind(parent.map(UnionId::as_str))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool, flushing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
