//! `GET /metrics`: answered only to loopback and the addresses of `YIZHAN_METRICS_ALLOW`, or to
//! a request bearing `YIZHAN_METRICS_TOKEN`; and the middleware that counts and times every
//! routed request.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::client::ClientAddr;
use crate::error::AppError;
use crate::state::AppState;

/// Middleware for routed requests: counts and times each by its route template.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().as_str().to_owned();
    state.metrics.started();
    let started = Instant::now();
    let res = next.run(req).await;
    state.metrics.answered(
        method,
        route,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
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
    let stations = state.index().len();
    let body = state
        .metrics
        .encode(state.db.pool_use(), stations)
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
