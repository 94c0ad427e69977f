//! `GET /healthz`: 200 when the database answers.

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

/// Health check for operators and load balancers.
#[utoipa::path(get, path = "/healthz", responses(
    (status = 200, description = "The database answers", body = Health),
    (status = 503, description = "`unavailable`: the database does not answer", body = yizhan_core::ErrorBody),
))]
pub async fn health(State(state): State<AppState>) -> Result<Response, AppError> {
    state
        .db
        .ping()
        .await
        .map_err(|e| AppError::Unavailable(e.to_string()))?;
    // Never cached: a proxy or browser must not answer for a server that has gone.
    Ok(crate::routes::manage::private(
        Json(Health {
            status: "ok",
            stations: state.index().len(),
        })
        .into_response(),
    ))
}
