//! `GET /metrics`: what the server is doing, in Prometheus text (exposition by the
//! `prometheus-client` crate). Answered only to loopback and the addresses of
//! `YIZHAN_METRICS_ALLOW`, or to a request bearing `YIZHAN_METRICS_TOKEN`. Labels are route
//! templates and outcomes, never ids, addresses or anything a person typed.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::error::AppError;
use crate::routes::reports::ClientAddr;
use crate::state::AppState;

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
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("yizhan");
        let requests = Family::<RouteStatus, Counter>::default();
        let seconds = Family::<Route, Histogram, fn() -> Histogram>::new_with_constructor(latency);
        let (in_flight, pool_size, pool_idle, stations) = Default::default();
        let rebuilds = Histogram::new(exponential_buckets(0.001, 2.0, 15));
        let (sign_ins, applications, reports) = Default::default();
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

/// Middleware for routed requests: counts and times each by its route template.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    let m = &state.metrics;
    m.in_flight.inc();
    let started = Instant::now();
    let res = next.run(req).await;
    m.in_flight.dec();
    m.seconds
        .get_or_create(&Route {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    m.requests
        .get_or_create(&RouteStatus {
            method,
            route,
            status: res.status().as_u16(),
        })
        .inc();
    res
}

fn allowed(state: &AppState, client: std::net::IpAddr, headers: &axum::http::HeaderMap) -> bool {
    let s = &state.settings;
    if client.is_loopback() || s.metrics_allow.contains(&client) {
        return true;
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match (&s.metrics_token, bearer) {
        (Some(token), Some(sent)) => crate::secret::same_token(token, sent),
        _ => false,
    }
}

/// `GET /metrics`.
pub async fn metrics(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    if !allowed(&state, client, &headers) {
        // Not found, as for any path that is not there for this caller.
        return Err(AppError::NoRoute);
    }
    let m: &Arc<Metrics> = &state.metrics;
    let (size, idle) = state.db.pool_use();
    m.pool_size.set(i64::from(size));
    m.pool_idle.set(i64::try_from(idle).unwrap_or(i64::MAX));
    m.stations
        .set(i64::try_from(state.index().len()).unwrap_or(i64::MAX));
    let mut body = String::new();
    prometheus_client::encoding::text::encode(&mut body, &m.registry)
        .map_err(|e| AppError::Internal(format!("metrics: {e}")))?;
    let mut res = (StatusCode::OK, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Marks an answer that repeats a first one (an outbox's retry under the same key).
#[derive(Clone, Copy, Debug)]
pub struct Replayed;

/// `res`, marked as a replay for the outcome counters.
pub fn replayed(mut res: Response) -> Response {
    res.extensions_mut().insert(Replayed);
    res
}
