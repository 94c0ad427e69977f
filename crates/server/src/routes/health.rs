//! `GET /healthz`: 200 while the process runs. `GET /readyz`: 200 when the database answers and
//! the station index is loaded, else 503, so a load balancer drains an instance whose database
//! went away. Neither is ever cached.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::error::AppError;
use crate::state::AppState;

/// Health answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok` on a 200.
    pub status: &'static str,
    /// Public stations being served.
    pub stations: usize,
}

/// Liveness: the process runs and answers.
#[utoipa::path(get, path = "/healthz", responses(
    (status = 200, description = "The process runs", body = Health),
))]
pub async fn health(State(state): State<AppState>) -> Response {
    // Never cached: a proxy or browser must not answer for a server that has gone.
    crate::routes::http::private(
        Json(Health {
            status: "ok",
            stations: state.index().len(),
        })
        .into_response(),
    )
}

/// Readiness: the database answers and the index is loaded.
#[utoipa::path(get, path = "/readyz", responses(
    (status = 200, description = "Ready to serve", body = Health),
    (status = 503, description = "`unavailable`: the database does not answer", body = yizhan_core::ErrorBody),
))]
pub async fn ready(State(state): State<AppState>) -> Result<Response, AppError> {
    state
        .db
        .ping()
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    Ok(crate::routes::http::private(
        Json(Health {
            status: "ready",
            stations: state.index().len(),
        })
        .into_response(),
    ))
}
