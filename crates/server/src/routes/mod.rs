//! HTTP routes: the JSON API under `/api/v1`, the health check, and the app shell.

pub mod health;
pub mod openapi;
pub mod reports;
pub mod stations;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

use crate::error::AppError;
use crate::state::AppState;

/// The `/api/v1` routes.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/stations", get(stations::list))
        .route("/stations.geojson", get(stations::geojson))
        .route("/stations/{id}", get(stations::one))
        .route(
            "/stations/{id}/reports",
            post(reports::create).layer(DefaultBodyLimit::max(reports::MAX_BODY_BYTES)),
        )
        .route("/openapi.json", get(openapi::spec))
        .fallback(|| async { AppError::NoRoute })
}
