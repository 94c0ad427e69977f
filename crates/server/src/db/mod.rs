//! Every SQL statement the server runs lives in this module. One set of statements serves
//! SQLite (the embedded default) and PostgreSQL (a fleet), through sqlx's `Any` driver: the
//! statements use `$n` parameters and SQL both accept; what differs between the two (connection
//! settings, how a writer takes the lock, the migrations) is in [`Backend`] and below.

use std::str::FromStr;

use futures_util::TryStreamExt;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use yizhan_core::{
    AdminStation, Amenity, AmenityState, AmenityStatus, LatLng, OpeningHours, Station, StationId,
    StationState, StationStatus, Timestamp, UnionId, UnionRef,
};

mod accounts;
mod applications;
pub mod coverage;
mod failures;
mod insight;
mod reports;
mod services;
mod staff;
mod totp;
mod visits;
mod webhooks;

pub use accounts::{AccountRow, AccountUpdate, Credentials, SessionRow};

pub use applications::{
    AddressLimit, ApplicationFilter, ApplicationRow, PurgeReport, StoredApplication,
};
pub use failures::{Attempts, Reservation, Reserved};
pub use reports::{ReportLimits, ReportRow, StoredReport};
pub use staff::{AuditRecord, StatusWrite, WriteOutcome};
pub use totp::TotpRow;
pub use visits::{hour_of, VisitOutcome};
pub use webhooks::{DuePost, TryOutcome};

/// A database failure; details are logged, never shown to users.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The driver reported an error.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// Migrations failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The URL names no database engine the server knows.
    #[error("unsupported database URL (use sqlite://… or postgres://…)")]
    UnsupportedUrl,
    /// The operating system gave no random bytes.
    #[error("no randomness: {0}")]
    Random(String),
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
    /// Whether the database could not be reached or was too busy (connection lost or
    /// refused, no connection free in time, PostgreSQL shutting down, a lock not had in time):
    /// a 503 the client may retry, rather than a 500.
    pub fn is_unavailable(&self) -> bool {
        let DbError::Sqlx(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(d) => d.code().is_some_and(|c| {
                // PostgreSQL: connection exceptions (08…), shutting down or starting (57P…),
                // lock_timeout (55P03); its codes are five characters. SQLite: busy (5) or
                // locked (6), with their extended codes (the low byte).
                c.starts_with("08")
                    || c.starts_with("57P")
                    || c == "55P03"
                    || (c.len() < 5 && matches!(c.parse::<i32>().map(|n| n & 0xff), Ok(5 | 6)))
            }),
            _ => false,
        }
    }

    /// Whether a UNIQUE constraint refused the write (e.g. a key already used).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

/// Which database engine a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file (`sqlite://path`): one server, the embedded default.
    Sqlite,
    /// PostgreSQL (`postgres://…`): any number of servers on one database.
    Postgres,
}

impl Backend {
    /// The engine of `url`, or `None` when it is neither.
    pub fn of(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// `url` as it may be shown or logged: a PostgreSQL password is left out.
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split_once(':').map_or(user, |(name, _)| name);
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// PostgreSQL advisory-lock key every write transaction takes: writers run one after another,
/// as on SQLite, so a count checked before an insert (sign-in limits, report limits) holds on
/// every instance of a fleet. Reads never take it.
const WRITE_LOCK: i64 = 0x7969_7a68_616e; // "yizhan"

/// `$first, $first+1, …`: `n` numbered parameters for an `IN (…)` list.
pub(crate) fn marks(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `N` random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], DbError> {
    crate::secret::random_bytes::<N>().map_err(|e| DbError::Random(e.to_string()))
}

/// `N` random bytes in lowercase hex (row ids).
pub(crate) fn random_hex<const N: usize>() -> Result<String, DbError> {
    Ok(crate::secret::hex(&random_bytes::<N>()?))
}

/// The unions an admin of `root` acts on: `root` and every union below it.
pub fn union_scope(unions: &[UnionRow], root: &UnionId) -> Vec<UnionId> {
    let mut scope = vec![root.clone()];
    let mut i = 0;
    while i < scope.len() {
        let parent = scope[i].clone();
        scope.extend(
            unions
                .iter()
                .filter(|u| u.parent.as_ref() == Some(&parent))
                .map(|u| u.id.clone()),
        );
        i += 1;
    }
    scope
}

/// The unions from the top of the tree down to `id` (the unions whose items its card holds);
/// empty when `id` is not a union.
pub fn union_chain(unions: &[UnionRow], id: &UnionId) -> Vec<UnionId> {
    let mut out = Vec::new();
    let mut at = Some(id.clone());
    while let Some(u) = at.and_then(|a| unions.iter().find(|u| u.id == a)) {
        // A cycle in the tree cannot happen through the API; stop rather than loop if it did.
        if out.contains(&u.id) {
            break;
        }
        out.push(u.id.clone());
        at = u.parent.clone();
    }
    out.reverse();
    out
}

/// The connection pool.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
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
    /// How long a writer waits for the write lock, and any request for a connection, before
    /// the request fails with 503 (`YIZHAN_DB_BUSY_TIMEOUT`, default 5 s).
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

/// Which stations a read wants; each names its own SQL, so no caller passes SQL around.
#[derive(Clone, Copy, Debug)]
pub enum Selection<'a> {
    /// Every station riders may see.
    Public,
    /// These stations (a manager's few).
    Ids(&'a [StationId]),
    /// A page of the stations of `unions`: after the id `after`, at most `limit`.
    Page {
        /// The unions in scope.
        unions: &'a [UnionId],
        /// The union and id of the last station of the previous page (both "" for the first).
        after: (&'a str, &'a str),
        /// Page size.
        limit: i64,
    },
}

impl Selection<'_> {
    /// The WHERE clause over `stations s` (numbered parameters from $1) and the LIMIT.
    fn sql(&self) -> (String, String) {
        match self {
            Selection::Public => ("WHERE NOT s.hidden".into(), String::new()),
            Selection::Ids(ids) => (
                format!("WHERE s.id IN ({})", marks(1, ids.len().max(1))),
                String::new(),
            ),
            // Ordered by union, then id, so the (union_id, id) index reads a page in order.
            Selection::Page { unions, .. } => {
                let n = unions.len().max(1);
                (
                    format!(
                        "WHERE s.union_id IN ({}) AND (s.union_id > ${u} OR (s.union_id = ${u} AND s.id > ${i}))",
                        marks(1, n),
                        u = n + 1,
                        i = n + 2
                    ),
                    format!("LIMIT ${}", n + 3),
                )
            }
        }
    }

    /// Binds the parameters [`Selection::sql`] numbered.
    fn bind<'q, O>(
        &self,
        mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>
    where
        Self: 'q,
    {
        match *self {
            Selection::Public => q,
            Selection::Ids(ids) => {
                if ids.is_empty() {
                    // IN () is not SQL: ask for an id no station has.
                    return q.bind(String::new());
                }
                for id in ids {
                    q = q.bind(id.as_str().to_owned());
                }
                q
            }
            Selection::Page {
                unions,
                after,
                limit,
            } => {
                if unions.is_empty() {
                    q = q.bind(String::new());
                }
                for u in unions {
                    q = q.bind(u.as_str().to_owned());
                }
                let (union, id) = after;
                q.bind(union.to_owned()).bind(id.to_owned()).bind(limit)
            }
        }
    }
}

/// A station's amenity as stored.
#[derive(sqlx::FromRow)]
struct AmenityRow {
    station_id: String,
    code: String,
    state: String,
}

/// The columns of [`StationRow`], over `stations s JOIN unions u`: one list for every read that
/// builds a station.
const STATION_COLUMNS: &str = "s.id, s.name, s.address, s.district, s.union_id, \
     u.name AS union_name, s.lat, s.lng, s.hours, s.phone, s.status_state, s.confirmed_at, \
     s.expires_at, s.notice, s.version, CAST(s.hidden AS INTEGER) AS hidden";

/// An amenity row's code and state as the domain's; a row that no longer parses is corrupt.
fn amenity_status(station: &str, code: &str, state: &str) -> Result<AmenityStatus, DbError> {
    let bad = |e: &dyn std::fmt::Display| corrupt("station_amenities", station, e);
    Ok(AmenityStatus {
        code: Amenity::from_str(code).map_err(|e| bad(&e))?,
        state: AmenityState::from_str(state).map_err(|e| bad(&e))?,
    })
}

/// A station as stored (amenities apart).
#[derive(sqlx::FromRow)]
struct StationRow {
    id: String,
    name: String,
    address: String,
    district: String,
    union_id: String,
    union_name: String,
    lat: f64,
    lng: f64,
    hours: String,
    phone: Option<String>,
    status_state: String,
    confirmed_at: Option<i64>,
    expires_at: Option<i64>,
    notice: Option<String>,
    version: i64,
    hidden: i64,
}

impl StationRow {
    /// Parses the row into the domain's station; a row that no longer parses is corrupt.
    fn into_station(self, amenities: Vec<AmenityStatus>) -> Result<AdminStation, DbError> {
        let bad = |e: &dyn std::fmt::Display| corrupt("stations", &self.id, e);
        let station = Station {
            id: StationId::parse(&self.id).map_err(|e| bad(&e))?,
            union: UnionRef {
                id: UnionId::parse(&self.union_id).map_err(|e| bad(&e))?,
                name: self.union_name,
            },
            location: LatLng::new(self.lat, self.lng).map_err(|e| bad(&e))?,
            amenities,
            hours: OpeningHours::parse(&self.hours).map_err(|e| bad(&e))?,
            status: StationStatus {
                state: StationState::parse(&self.status_state)
                    .ok_or_else(|| bad(&self.status_state))?,
                confirmed_at: self.confirmed_at.map(Timestamp::from_unix),
                expires_at: self.expires_at.map(Timestamp::from_unix),
                notice: self.notice,
            },
            phone: self.phone,
            version: u64::try_from(self.version).map_err(|e| bad(&e))?,
            replies: Vec::new(),
            confirmed_today: 0,
            name: self.name,
            address: self.address,
            district: self.district,
        };
        Ok(AdminStation {
            station,
            hidden: self.hidden != 0,
        })
    }
}

/// A station with one of its amenities (none: `code` is NULL), as the one-station read joins them.
#[derive(sqlx::FromRow)]
struct StationAmenityRow {
    #[sqlx(flatten)]
    station: StationRow,
    code: Option<String>,
    state: Option<String>,
}

/// One entry of the change log.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRow {
    /// Position in the log.
    pub seq: i64,
    /// The station that changed; `None`: reload everything.
    pub station_id: Option<String>,
}

/// A change-log row as read, with the oldest position kept.
#[derive(sqlx::FromRow)]
struct ChangeRecord {
    seq: i64,
    station_id: Option<String>,
    oldest: i64,
}

/// A page of the change log.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// The changes, oldest first.
    pub rows: Vec<ChangeRow>,
    /// The oldest change kept, if any.
    pub oldest: Option<u64>,
}

/// Records in the change log that `station` (or, with `None`, everything) changed, in the
/// writer's transaction: the log commits with the change or not at all. Returns its position:
/// writers hold the write lock, so positions commit in order (with gaps where one rolled back).
pub(crate) async fn note_change(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    station: Option<&str>,
    now: Timestamp,
) -> Result<u64, DbError> {
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO station_changes (station_id, at) VALUES ($1, $2) RETURNING seq",
    )
    .bind(station)
    .bind(now.unix())
    .fetch_one(&mut **tx)
    .await?;
    Ok(u64::try_from(seq).unwrap_or(0))
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

/// A union as stored.
#[derive(sqlx::FromRow)]
struct UnionRecord {
    id: String,
    name: String,
    parent_id: Option<String>,
}

impl UnionRecord {
    /// Parses the row into a union; a row that no longer parses is corrupt.
    fn into_union(self) -> Result<UnionRow, DbError> {
        let bad = |e: &dyn std::fmt::Display| corrupt("unions", &self.id, e);
        Ok(UnionRow {
            id: UnionId::parse(&self.id).map_err(|e| bad(&e))?,
            parent: self
                .parent_id
                .map(|p| UnionId::parse(&p).map_err(|e| bad(&e)))
                .transpose()?,
            name: self.name,
        })
    }
}

/// Every union, ordered by id; `conn` is the pool or a transaction that must see its own
/// writes (a station move reads the tree in the writer's transaction).
async fn all_unions<'e, E>(conn: E) -> Result<Vec<UnionRow>, DbError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<UnionRecord> =
        sqlx::query_as("SELECT id, name, parent_id FROM unions ORDER BY id")
            .fetch_all(conn)
            .await?;
    rows.into_iter().map(UnionRecord::into_union).collect()
}

/// A SQLite URL that creates its file when missing, and the file's path.
fn sqlite_url(url: &str) -> (String, String) {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or(rest).to_owned();
    let url = if rest.contains("mode=") {
        format!("sqlite://{rest}")
    } else if rest.contains('?') {
        format!("sqlite://{rest}&mode=rwc")
    } else {
        format!("sqlite://{rest}?mode=rwc")
    };
    (url, path)
}

fn corrupt(table: &'static str, id: &str, problem: impl ToString) -> DbError {
    DbError::Corrupt {
        table,
        id: id.to_owned(),
        problem: problem.to_string(),
    }
}

impl Db {
    /// Opens (creating a SQLite file if needed) the database at `url` and brings its schema up
    /// to date. On SQLite, WAL lets riders read while a manager writes and synchronous=FULL
    /// makes every commit durable.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Db::connect_with(url, DbOptions::default()).await
    }

    /// [`Db::connect`] with the pool size and busy timeout given.
    pub async fn connect_with(url: &str, o: DbOptions) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of(url).ok_or(DbError::UnsupportedUrl)?;
        // A request waits at most the busy timeout for a connection: with the database gone
        // it answers 503 then, instead of hanging for sqlx's default 30 s.
        let options = AnyPoolOptions::new()
            .max_connections(o.pool_size.max(1))
            .acquire_timeout(o.busy_timeout.max(std::time::Duration::from_secs(1)));
        let pool = match backend {
            Backend::Sqlite => {
                let (url, path) = sqlite_url(url);
                if let Some(parent) = std::path::Path::new(&path).parent() {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
                    }
                }
                let busy = o.busy_timeout.as_millis();
                options
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            for pragma in [
                                "PRAGMA journal_mode = WAL".to_owned(),
                                "PRAGMA synchronous = FULL".to_owned(),
                                format!("PRAGMA busy_timeout = {busy}"),
                                "PRAGMA foreign_keys = ON".to_owned(),
                            ] {
                                conn.execute(pragma.as_str()).await?;
                            }
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => {
                let busy = o.busy_timeout.as_millis();
                options
                    .after_connect(move |conn, _| {
                        Box::pin(async move {
                            // The same bound on waiting for the write lock as SQLite's busy
                            // timeout: a writer stuck behind another fails instead of piling up.
                            conn.execute(format!("SET lock_timeout = {busy}").as_str())
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
        };
        match backend {
            Backend::Sqlite => {
                // PostgreSQL's migrator takes a lock; SQLite's does not, so two servers starting
                // on one file at once would both run the first migration. A lock file beside
                // the database makes them take turns.
                let (_, path) = sqlite_url(url);
                let lock = std::fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(format!("{path}.migrate-lock"))
                    .map_err(sqlx::Error::Io)?;
                let lock = tokio::task::spawn_blocking(move || lock.lock().map(|()| lock))
                    .await
                    .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?
                    .map_err(sqlx::Error::Io)?;
                let migrated = sqlx::migrate!("./migrations/sqlite").run(&pool).await;
                drop(lock);
                migrated?;
            }
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
        }
        Ok(Db {
            pool,
            backend,
            secrets: Default::default(),
            write_wait: prometheus_client::metrics::histogram::Histogram::new(
                prometheus_client::metrics::histogram::exponential_buckets(0.0005, 2.0, 15),
            ),
        })
    }

    /// The engine behind this pool.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction that changes something. It takes the write lock at its start, waiting up
    /// to the busy timeout: on SQLite `BEGIN IMMEDIATE` (a transaction that read first and
    /// wrote later would fail outright with SQLITE_BUSY when another writer committed in
    /// between, where it should have waited and then seen the other's write: a 412, not a
    /// 500); on PostgreSQL a transaction-scoped advisory lock, so writes from every instance
    /// of a fleet run one after another exactly as on SQLite.
    pub(crate) async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, DbError> {
        let started = std::time::Instant::now();
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            // One round trip: both statements go as one simple query.
            Backend::Postgres => {
                let begin = format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})");
                self.pool.begin_with(begin).await?
            }
        };
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
        sqlx::query("VACUUM INTO $1")
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
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM stations")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Each district of the visible stations: how many, their mean position, and the box
    /// around them.
    pub async fn districts(&self) -> Result<Vec<crate::city::DistrictRow>, DbError> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(String, i64, f64, f64, f64, f64, f64, f64)> = sqlx::query_as(
            "SELECT district, COUNT(*), AVG(lat), AVG(lng), MIN(lng), MIN(lat), MAX(lng), MAX(lat) \
             FROM stations WHERE hidden = FALSE GROUP BY district",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(name, stations, lat, lng, west, south, east, north)| crate::city::DistrictRow {
                    name,
                    stations,
                    lat,
                    lng,
                    extent: [west, south, east, north],
                },
            )
            .collect())
    }

    /// Every union.
    pub async fn unions(&self) -> Result<Vec<UnionRow>, DbError> {
        all_unions(&self.pool).await
    }

    /// Every station riders may see, with raw (unexpired) status, ordered by id.
    pub async fn public_stations(&self) -> Result<Vec<Station>, DbError> {
        Ok(self
            .load_stations(&Selection::Public)
            .await?
            .into_iter()
            .map(|s| s.station)
            .collect())
    }

    /// The stations `which` names, with their hidden flag, ordered by id (a page: by union,
    /// then id).
    pub(crate) async fn load_stations(
        &self,
        which: &Selection<'_>,
    ) -> Result<Vec<AdminStation>, DbError> {
        let (filter, limit) = which.sql();
        let order = match which {
            Selection::Page { .. } => "s.union_id, s.id",
            _ => "s.id",
        };
        let amenity_sql = format!(
            "SELECT a.station_id, a.code, a.state FROM station_amenities a \
             WHERE a.station_id IN (SELECT s.id FROM stations s {filter} ORDER BY {order} {limit}) \
             ORDER BY a.station_id, a.position"
        );
        // Rows are streamed, not collected first: 100,000 stations bring 600,000 amenity rows,
        // and holding them all at once was most of the server's peak memory at start.
        let mut amenity_rows = which
            .bind(sqlx::query_as::<_, AmenityRow>(&amenity_sql))
            .fetch(&self.pool);
        let mut amenities: std::collections::HashMap<String, Vec<AmenityStatus>> =
            Default::default();
        while let Some(r) = amenity_rows.try_next().await? {
            let status = amenity_status(&r.station_id, &r.code, &r.state)?;
            amenities.entry(r.station_id).or_default().push(status);
        }
        let station_sql = format!(
            "SELECT {STATION_COLUMNS} \
             FROM stations s JOIN unions u ON u.id = s.union_id {filter} ORDER BY {order} {limit}"
        );
        drop(amenity_rows);
        let mut rows = which
            .bind(sqlx::query_as::<_, StationRow>(&station_sql))
            .fetch(&self.pool);
        let mut out = Vec::new();
        while let Some(r) = rows.try_next().await? {
            let amenities = amenities.remove(&r.id).unwrap_or_default();
            out.push(r.into_station(amenities)?);
        }
        Ok(out)
    }

    /// One station with its amenities, in one query: a status save reads it first, and on a
    /// fleet's PostgreSQL every round trip counts toward the save's latency.
    pub(crate) async fn load_station(
        &self,
        id: &StationId,
    ) -> Result<Option<AdminStation>, DbError> {
        let sql = format!(
            "SELECT {STATION_COLUMNS}, a.code, a.state \
             FROM stations s JOIN unions u ON u.id = s.union_id \
             LEFT JOIN station_amenities a ON a.station_id = s.id \
             WHERE s.id = $1 ORDER BY a.position"
        );
        let rows: Vec<StationAmenityRow> = sqlx::query_as(&sql)
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
        let mut amenities = Vec::with_capacity(rows.len());
        let mut station = None;
        for r in rows {
            if let (Some(code), Some(state)) = (&r.code, &r.state) {
                amenities.push(amenity_status(&r.station.id, code, state)?);
            }
            station = Some(r.station);
        }
        station.map(|s| s.into_station(amenities)).transpose()
    }

    /// How many stations `unions` hold, hidden ones too.
    pub async fn count_stations_in(&self, unions: &[UnionId]) -> Result<u64, DbError> {
        if unions.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "SELECT COUNT(*) FROM stations WHERE union_id IN ({})",
            marks(1, unions.len())
        );
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        for u in unions {
            q = q.bind(u.as_str());
        }
        Ok(u64::try_from(q.fetch_one(&self.pool).await?).unwrap_or(0))
    }

    /// Writes a seed (unions and stations) in one transaction, all or nothing, when the
    /// database holds no station yet; `false` when it held some (another instance seeded it
    /// first). A union that exists already (made by `create-admin` before the first start) is
    /// kept as it is. Rows go in many at a time: 100,000 stations are a few hundred statements.
    pub async fn insert_seed(
        &self,
        unions: &[UnionRow],
        stations: &[Station],
    ) -> Result<bool, DbError> {
        let mut tx = self.write_tx().await?;
        let held: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM stations LIMIT 1) AS s")
                .fetch_one(&mut *tx)
                .await?;
        if held > 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        for u in unions {
            sqlx::query(
                "INSERT INTO unions (id, name, parent_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(u.id.as_str())
            .bind(&u.name)
            .bind(u.parent.as_ref().map(UnionId::as_str))
            .execute(&mut *tx)
            .await?;
        }
        const STATION_COLUMNS: usize = 14;
        for chunk in stations.chunks(500) {
            let rows = (0..chunk.len())
                .map(|i| format!("({})", marks(i * STATION_COLUMNS + 1, STATION_COLUMNS)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO stations (id, name, address, district, union_id, lat, lng, hours, phone, \
                 status_state, confirmed_at, expires_at, notice, version) VALUES {rows}"
            );
            let mut q = sqlx::query(&sql);
            for s in chunk {
                q = q
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
                    .bind(i64::try_from(s.version).unwrap_or(i64::MAX));
            }
            q.execute(&mut *tx).await?;
        }
        let amenities: Vec<(&Station, usize, &AmenityStatus)> = stations
            .iter()
            .flat_map(|s| s.amenities.iter().enumerate().map(move |(i, a)| (s, i, a)))
            .collect();
        for chunk in amenities.chunks(2000) {
            let rows = (0..chunk.len())
                .map(|i| format!("({})", marks(i * 4 + 1, 4)))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO station_amenities (station_id, code, state, position) VALUES {rows}"
            );
            let mut q = sqlx::query(&sql);
            for (s, position, a) in chunk {
                q = q
                    .bind(s.id.as_str())
                    .bind(a.code.as_str())
                    .bind(a.state.as_str())
                    .bind(i64::try_from(*position).unwrap_or(i64::MAX));
            }
            q.execute(&mut *tx).await?;
        }
        note_change(&mut tx, None, Timestamp::now()).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Adds a union (a fresh deployment's first, from the command line).
    pub async fn insert_union(
        &self,
        id: &UnionId,
        name: &str,
        parent: Option<&UnionId>,
    ) -> Result<(), DbError> {
        let mut tx = self.write_tx().await?;
        sqlx::query("INSERT INTO unions (id, name, parent_id) VALUES ($1, $2, $3)")
            .bind(id.as_str())
            .bind(name)
            .bind(parent.map(UnionId::as_str))
            .execute(&mut *tx)
            .await?;
        // The union tree is part of every instance's index.
        note_change(&mut tx, None, Timestamp::now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest entry of the change log (0 when empty): what an index loaded now includes.
    pub async fn last_change(&self) -> Result<u64, DbError> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM station_changes")
            .fetch_one(&self.pool)
            .await?;
        Ok(seq.and_then(|s| u64::try_from(s).ok()).unwrap_or(0))
    }

    /// Up to `limit` changes after `after`, oldest first, and the oldest change still kept
    /// (older ones are pruned after a day).
    pub async fn changes_since(&self, after: u64, limit: i64) -> Result<Changes, DbError> {
        // One round trip: every row carries the oldest kept position beside it.
        let rows: Vec<ChangeRecord> = sqlx::query_as(
            "SELECT seq, station_id, (SELECT MIN(seq) FROM station_changes) AS oldest \
             FROM station_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let oldest = rows.first().and_then(|r| u64::try_from(r.oldest).ok());
        Ok(Changes {
            rows: rows
                .into_iter()
                .map(|r| ChangeRow {
                    seq: r.seq,
                    station_id: r.station_id,
                })
                .collect(),
            oldest,
        })
    }

    /// Forgets changes made before `before`; how many.
    pub async fn prune_changes(&self, before: Timestamp) -> Result<u64, DbError> {
        // The newest entry stays whatever its age: it is what instances compare against.
        Ok(sqlx::query(
            "DELETE FROM station_changes WHERE at < $1 \
             AND seq < (SELECT MAX(seq) FROM station_changes)",
        )
        .bind(before.unix())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Closes the pool, flushing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::{shown_url, union_chain, union_scope, UnionRow};
    use yizhan_core::UnionId;

    fn id(s: &str) -> UnionId {
        UnionId::parse(s).expect("id")
    }

    /// A city, two districts, and a street under one of them.
    fn tree() -> Vec<UnionRow> {
        [
            ("bj", None),
            ("bj-cy", Some("bj")),
            ("bj-cy-wj", Some("bj-cy")),
            ("bj-hd", Some("bj")),
        ]
        .into_iter()
        .map(|(u, parent)| UnionRow {
            id: id(u),
            name: u.into(),
            parent: parent.map(id),
        })
        .collect()
    }

    #[test]
    fn an_admin_acts_on_their_union_and_every_union_below_only() {
        let unions = tree();
        let mut cy = union_scope(&unions, &id("bj-cy"));
        cy.sort();
        assert_eq!(cy, vec![id("bj-cy"), id("bj-cy-wj")]);
        assert_eq!(union_scope(&unions, &id("bj")).len(), 4);
        assert_eq!(union_scope(&unions, &id("bj-cy-wj")), vec![id("bj-cy-wj")]);
    }

    #[test]
    fn a_card_holds_the_unions_from_the_top_down_to_the_stations_own() {
        let unions = tree();
        assert_eq!(
            union_chain(&unions, &id("bj-cy-wj")),
            vec![id("bj"), id("bj-cy"), id("bj-cy-wj")]
        );
        assert_eq!(union_chain(&unions, &id("bj")), vec![id("bj")]);
        assert!(union_chain(&unions, &id("sh")).is_empty());
    }

    #[test]
    fn a_shown_url_keeps_the_user_host_and_database_but_never_the_password() {
        assert_eq!(
            shown_url("postgres://yizhan:s3cr%40t@db.internal:5432/yizhan"),
            "postgres://yizhan@db.internal:5432/yizhan"
        );
        assert_eq!(
            shown_url("postgres://db.internal/yizhan"),
            "postgres://db.internal/yizhan"
        );
        assert_eq!(
            shown_url("sqlite:///srv/yizhan/yizhan.db"),
            "sqlite:///srv/yizhan/yizhan.db"
        );
    }
}
