//! What the server is doing, counted for `GET /metrics` (routes/metrics.rs) in Prometheus text
//! (exposition by the `prometheus-client` crate). Labels are route templates and outcomes,
//! never ids, addresses or anything a person typed.

use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::error::AppError;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteStatus {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    outcome: &'static str,
}

fn latency() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// Every metric, registered once at start.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RouteStatus, Counter>,
    seconds: Family<Route, Histogram, fn() -> Histogram>,
    in_flight: Gauge,
    pool_size: Gauge,
    pool_idle: Gauge,
    stations: Gauge,
    rebuilds: Histogram,
    sign_ins: Family<Outcome, Counter>,
    applications: Family<Outcome, Counter>,
    reports: Family<Outcome, Counter>,
    webhook_tries: Family<Outcome, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("yizhan");
        let requests = Family::<RouteStatus, Counter>::default();
        let seconds = Family::<Route, Histogram, fn() -> Histogram>::new_with_constructor(latency);
        let (in_flight, pool_size, pool_idle, stations) = Default::default();
        let rebuilds = Histogram::new(exponential_buckets(0.001, 2.0, 15));
        let (sign_ins, applications, reports, webhook_tries) = Default::default();
        registry.register(
            "http_requests",
            "Answers by method, route template and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer, by method and route template",
            seconds.clone(),
        );
        registry.register(
            "http_in_flight",
            "Requests being answered",
            Gauge::clone(&in_flight),
        );
        registry.register(
            "db_pool_connections",
            "Database connections open",
            Gauge::clone(&pool_size),
        );
        registry.register(
            "db_pool_idle",
            "Database connections idle",
            Gauge::clone(&pool_idle),
        );
        registry.register(
            "index_stations",
            "Public stations in the in-memory index",
            Gauge::clone(&stations),
        );
        registry.register(
            "index_rebuild_seconds",
            "Time to rebuild the station index from the database",
            rebuilds.clone(),
        );
        registry.register(
            "sign_ins",
            "Sign-in attempts by outcome (ok, wrong, rate_limited, code_required, wrong_code, busy)",
            Family::clone(&sign_ins),
        );
        registry.register(
            "applications",
            "Membership applications by outcome (stored, replayed, duplicate, rate_limited)",
            Family::clone(&applications),
        );
        registry.register(
            "reports",
            "Rider reports by outcome (stored, replayed, rate_limited)",
            Family::clone(&reports),
        );
        registry.register(
            "webhook_tries",
            "Posts to unions' group-chat robots by outcome (sent, retry, given_up)",
            Family::clone(&webhook_tries),
        );
        Metrics {
            registry,
            requests,
            seconds,
            in_flight,
            pool_size,
            pool_idle,
            stations,
            rebuilds,
            sign_ins,
            applications,
            reports,
            webhook_tries,
        }
    }
}

impl Metrics {
    /// Registers the database's histogram of waits for the write lock.
    pub fn register_db(&mut self, db: &crate::db::Db) {
        self.registry.register(
            "db_write_wait_seconds",
            "Time write transactions waited for a connection and the write lock",
            db.write_wait(),
        );
    }

    /// Records a rebuild of the station index.
    pub fn index_rebuilt(&self, seconds: f64) {
        self.rebuilds.observe(seconds);
    }

    /// Counts a sign-in's outcome.
    pub fn sign_in(&self, outcome: &'static str) {
        self.sign_ins.get_or_create(&Outcome { outcome }).inc();
    }

    /// Counts an application's outcome.
    pub fn application(&self, outcome: &'static str) {
        self.applications.get_or_create(&Outcome { outcome }).inc();
    }

    /// Counts a report's outcome.
    pub fn report(&self, outcome: &'static str) {
        self.reports.get_or_create(&Outcome { outcome }).inc();
    }

    /// Counts one try of a post to a group-chat robot.
    pub fn webhook_try(&self, outcome: &'static str) {
        self.webhook_tries.get_or_create(&Outcome { outcome }).inc();
    }

    /// A request starts.
    pub fn started(&self) {
        self.in_flight.inc();
    }

    /// A request by route template ended with `status` after `seconds`.
    pub fn answered(&self, method: String, route: String, status: u16, seconds: f64) {
        self.in_flight.dec();
        self.seconds
            .get_or_create(&Route {
                method: method.clone(),
                route: route.clone(),
            })
            .observe(seconds);
        self.requests
            .get_or_create(&RouteStatus {
                method,
                route,
                status,
            })
            .inc();
    }

    /// Everything in Prometheus text, with the gauges read at this moment.
    pub fn encode(&self, pool: (u32, usize), stations: usize) -> Result<String, std::fmt::Error> {
        let (size, idle) = pool;
        self.pool_size.set(i64::from(size));
        self.pool_idle.set(i64::try_from(idle).unwrap_or(i64::MAX));
        self.stations
            .set(i64::try_from(stations).unwrap_or(i64::MAX));
        let mut body = String::new();
        prometheus_client::encoding::text::encode(&mut body, &self.registry)?;
        Ok(body)
    }
}

/// The outcome label of an error answer, for the counters above.
pub fn outcome_of(e: &AppError) -> &'static str {
    match e {
        AppError::RateLimited { .. } => "rate_limited",
        AppError::DuplicateApplication => "duplicate",
        AppError::WrongCredentials => "wrong",
        AppError::CodeRequired => "code_required",
        AppError::WrongCode => "wrong_code",
        AppError::Busy => "busy",
        AppError::Internal(_) | AppError::Unavailable(_) => "error",
        _ => "refused",
    }
}

/// Marks an answer that repeats a first one (an outbox's retry under the same key).
#[derive(Clone, Copy, Debug)]
pub struct Replayed;

/// `res`, marked as a replay for the outcome counters.
pub fn replayed(mut res: Response) -> Response {
    res.extensions_mut().insert(Replayed);
    res
}
