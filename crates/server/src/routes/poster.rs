//! `GET /api/v1/stations/{id}/poster.svg`: the printable A4 poster with the station's join QR.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use yizhan_core::{StationId, Timestamp};

use crate::error::{AppError, PathId};
use crate::poster::{self, Poster};
use crate::state::AppState;

/// The poster of a public station; its QR code encodes `{public URL}/join?station={id}`.
#[utoipa::path(get, path = "/api/v1/stations/{id}/poster.svg", params(("id" = String, Path, description = "Station id", pattern = "^[a-z0-9-]{1,40}$")), responses(
    (status = 200, description = "A4 SVG poster", content_type = "image/svg+xml"),
    (status = 404, description = "`not_found`: no such station", body = yizhan_core::ErrorBody),
))]
pub async fn svg(State(state): State<AppState>, PathId(id): PathId) -> Result<Response, AppError> {
    let id = StationId::parse(&id).map_err(|_| AppError::NotFound)?;
    let station = state
        .index()
        .get(&id, Timestamp::now())
        .ok_or(AppError::NotFound)?;
    let join_url = format!(
        "{}/join?station={}",
        state.settings.public_url.trim_end_matches('/'),
        station.id
    );
    let body = poster::svg(&Poster {
        station_name: &station.name,
        union_name: &station.union.name,
        district: &station.district,
        join_url: &join_url,
        station_id: station.id.as_str(),
    });
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(res)
}
