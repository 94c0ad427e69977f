//! `POST /api/v1/stations/{id}/visits`: a rider taps "我到了" at a station. Counted once per
//! device, station and hour, with nothing kept that names the device beyond the hour; the
//! union's numbers ("服务户外劳动者 N 人次") come from these counts.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use yizhan_core::report::DEVICE_ID_HEADER;
use yizhan_core::{FieldCode, StationId, Timestamp};

use crate::client::salted_hash;
use crate::db::{hour_of, VisitOutcome};
use crate::error::{AppError, PathId};
use crate::routes::http::private;
use crate::routes::reports::{address_key, device_id, ClientAddr};
use crate::state::AppState;

/// Visits one address may send per hour (riders share carrier NAT, so generously).
pub const PER_ADDRESS: i64 = 60;

/// The answer: whether this visit was counted (a second tap within the hour is not).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct VisitReceipt {
    /// `false` when this device was counted at this station this hour already.
    pub counted: bool,
}

/// Counts a visit: "我到了".
#[utoipa::path(post, path = "/api/v1/stations/{id}/visits",
    params(
        ("id" = String, Path, description = "Station id", pattern = "^[a-z0-9-]{1,40}$"),
        ("X-Device-Id" = String, Header, description = "The app's random device id: one visit per device, station and hour. It is hashed with a salt that changes daily and kept for the hour only", pattern = "^[A-Za-z0-9-]{16,64}$"),
    ),
    responses(
        (status = 201, description = "Counted", body = VisitReceipt),
        (status = 200, description = "This device was counted here this hour already", body = VisitReceipt),
        (status = 400, description = "`invalid_header`: `X-Device-Id` missing or malformed", body = yizhan_core::ErrorBody),
        (status = 404, description = "`not_found`: no such station", body = yizhan_core::ErrorBody),
        (status = 429, description = "`rate_limited`: this address sent 60 visits this hour",
            body = yizhan_core::ErrorBody, headers(("Retry-After" = u64, description = "Seconds until the next hour"))),
    ))]
pub async fn create(
    State(state): State<AppState>,
    PathId(id): PathId,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = StationId::parse(&id).map_err(|_| AppError::NotFound)?;
    let now = Timestamp::now();
    state.index().get(&id, now).ok_or(AppError::NotFound)?;
    // Reports may come without a device; a visit is counted per device, so it needs one.
    let device = device_id(&headers)?.ok_or_else(|| {
        AppError::InvalidHeader([(DEVICE_ID_HEADER.to_owned(), FieldCode::Missing)].into())
    })?;
    let daily = state.db.visit_salt(now).await?;
    let mark = salted_hash(
        &daily,
        "visit",
        &format!("{}\n{}", device.as_str(), id.as_str()),
    );
    let address = salted_hash(
        &state.db.report_salt().await?,
        "visit-address",
        &address_key(client),
    );
    let outcome = state
        .db
        .count_visit(&id, &mark, &address, PER_ADDRESS, now)
        .await?;
    let answer =
        |status, counted| private((status, Json(VisitReceipt { counted })).into_response());
    match outcome {
        VisitOutcome::Counted => Ok(answer(StatusCode::CREATED, true)),
        VisitOutcome::AlreadyCounted => Ok(answer(StatusCode::OK, false)),
        VisitOutcome::Limited => Err(AppError::RateLimited {
            retry_after: u64::try_from(hour_of(now) + 3600 - now.unix())
                .unwrap_or(1)
                .max(1),
        }),
    }
}
