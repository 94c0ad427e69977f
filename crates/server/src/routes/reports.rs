//! `POST /api/v1/stations/{id}/reports`: a rider says a station's page is right, or reports a
//! fault for its staff. Anonymous: the device id and the client address are kept only as salted
//! hashes, as much as the hourly limits need, and the rider's text is never logged.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use yizhan_core::report::DEVICE_ID_HEADER;
use yizhan_core::report::IDEMPOTENCY_HEADER;
use yizhan_core::{DeviceId, NewReport, ReportReceipt, StationId, Timestamp};

use crate::db::{ReportLimits, ReportRow};
use crate::error::{AppError, JsonBody, PathId};
use crate::routes::responses::JsonBodyErrors;
use crate::state::AppState;

/// The window the limits count over.
pub const WINDOW_SECS: i64 = 3600;
/// Reports one device may send about one station per window.
pub const PER_DEVICE_AND_STATION: i64 = 1;
/// Reports one client address may send per window, over all stations. Generous: many riders
/// share one carrier NAT address.
pub const PER_ADDRESS: i64 = 30;
/// The largest body accepted (a report is well under 2 KB even with 500 Chinese characters).
pub const MAX_BODY_BYTES: usize = 8 * 1024;

pub use crate::client::ClientAddr;
pub(crate) use crate::client::{address_key, salted_hash};

/// The device id header, if sent; a malformed one is refused rather than ignored, so a broken
/// client is noticed.
/// How long an `Idempotency-Key` is remembered.
const IDEMPOTENCY_SECS: i64 = 24 * 3600;

/// The `Idempotency-Key` header: 8–100 of `[A-Za-z0-9_-]` (a UUID fits), or none.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<Option<&str>, AppError> {
    let Some(value) = headers.get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .filter(|k| {
            (8..=100).contains(&k.len())
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(Some)
        .ok_or_else(|| {
            AppError::InvalidHeader(
                [(
                    IDEMPOTENCY_HEADER.to_owned(),
                    yizhan_core::FieldCode::Invalid,
                )]
                .into(),
            )
        })
}

fn receipt(id: String, kind: yizhan_core::ReportKind) -> Response {
    crate::routes::http::private(
        (StatusCode::CREATED, Json(ReportReceipt { id, kind })).into_response(),
    )
}

/// The `X-Device-Id` header: absent, or a well-formed id (else 400 naming it).
pub(crate) fn device_id(headers: &HeaderMap) -> Result<Option<DeviceId>, AppError> {
    let Some(value) = headers.get(DEVICE_ID_HEADER) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| DeviceId::parse(v).ok())
        .map(Some)
        .ok_or_else(|| {
            AppError::InvalidHeader(
                [(DEVICE_ID_HEADER.to_owned(), yizhan_core::FieldCode::Invalid)].into(),
            )
        })
}

/// Seconds until a limit frees a slot, from the times of the reports inside the window (newest
/// first): the `limit`-th newest leaving the window brings the count under the limit.
fn frees_in(times: &[Timestamp], limit: i64, now: Timestamp) -> Option<i64> {
    let nth = usize::try_from(limit).ok()?.checked_sub(1)?;
    times.get(nth).map(|t| t.unix() + WINDOW_SECS - now.unix())
}

/// Report a station: confirm what its page says, or report a fault for its staff.
#[utoipa::path(post, path = "/api/v1/stations/{id}/reports",
    params(
        ("id" = String, Path, description = "Station id", pattern = "^[a-z0-9-]{1,40}$"),
        ("X-Device-Id" = Option<String>, Header, nullable = false, description = "The app's random device id; limits reports to one per station per hour", pattern = "^[A-Za-z0-9-]{16,64}$"),
        ("Idempotency-Key" = Option<String>, Header, nullable = false, description = "A retry with the same key within 24 h gets the first answer (201, same id)", pattern = "^[A-Za-z0-9_-]{8,100}$"),
        ("lang" = Option<String>, Query, nullable = false, description = "`zh` or `en`: language of error messages (any other value: `Accept-Language` decides)"),
    ),
    request_body(content = NewReport, content_type = "application/json", description = "At most 8 KB"),
    responses(
        (status = 201, description = "Stored for the station's staff", body = ReportReceipt),
        (status = 404, description = "`not_found`: no such station", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_report`: the report breaks its rules (`amenity` missing for `amenity_broken`, given for another kind, or not one the station has; `text` missing for `other`); `error.fields` names the field", body = yizhan_core::ErrorBody),
        (status = 429, description = "`rate_limited`: this device already reported this station in the last hour, or its address sent too many reports",
            body = yizhan_core::ErrorBody, headers(("Retry-After" = u64, description = "Seconds until a report will be accepted"))),
        JsonBodyErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    PathId(id): PathId,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    JsonBody(report): JsonBody<NewReport>,
) -> Result<Response, AppError> {
    let metrics = state.metrics.clone();
    let result = create_inner(
        State(state),
        PathId(id),
        ClientAddr(client),
        headers,
        JsonBody(report),
    )
    .await;
    metrics.report(match &result {
        Ok(res) if res.extensions().get::<crate::metrics::Replayed>().is_some() => "replayed",
        Ok(_) => "stored",
        Err(e) => crate::metrics::outcome_of(e),
    });
    result
}

/// The handler proper; [`create`] counts its outcome.
async fn create_inner(
    State(state): State<AppState>,
    PathId(id): PathId,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    JsonBody(report): JsonBody<NewReport>,
) -> Result<Response, AppError> {
    let id = StationId::parse(&id).map_err(|_| AppError::NotFound)?;
    let now = Timestamp::now();
    // A retry of a report already stored gets the first answer before any other check.
    let key = idempotency_key(&headers)?;
    if let Some(key) = key {
        if let Some((first, kind)) = state
            .db
            .report_by_idempotency_key(key, now.plus_seconds(-IDEMPOTENCY_SECS))
            .await?
        {
            return Ok(crate::metrics::replayed(receipt(first, kind)));
        }
    }
    let (offered, union): (Vec<_>, _) = {
        let station = state.index().get(&id, now).ok_or(AppError::NotFound)?;
        (
            station.amenities.iter().map(|a| a.code).collect(),
            station.union.id,
        )
    };
    let device = device_id(&headers)?;
    report
        .validate_for(&offered)
        .map_err(AppError::InvalidReport)?;

    let salt = state.db.report_salt().await?;
    let device_hash = device.map(|d| salted_hash(&salt, "device", d.as_str()));
    let address_hash = salted_hash(&salt, "address", &address_key(client));
    // A fault reaches the group-chat robots of the station's union and the unions above it.
    let tell = if report.kind == yizhan_core::ReportKind::Confirm {
        Vec::new()
    } else {
        crate::db::union_chain(&state.db.unions().await?, &union)
    };
    let limits = ReportLimits {
        since: now.plus_seconds(-WINDOW_SECS),
        per_device_and_station: PER_DEVICE_AND_STATION,
        per_address: PER_ADDRESS,
    };
    let row = ReportRow {
        station: &id,
        kind: report.kind,
        amenity: report.amenity,
        text: report.trimmed_text(),
        device_hash: device_hash.as_deref(),
        address_hash: &address_hash,
        created_at: now,
        idempotency_key: key,
        tell: &tell,
    };
    let inserted = match state.db.insert_report(&row, limits).await {
        // The same key racing in twice: the loser answers with the winner's report.
        Err(e) if e.is_unique_violation() => match key {
            Some(key) => match state
                .db
                .report_by_idempotency_key(key, now.plus_seconds(-IDEMPOTENCY_SECS))
                .await?
            {
                Some((first, kind)) => return Ok(crate::metrics::replayed(receipt(first, kind))),
                None => return Err(e.into()),
            },
            None => return Err(e.into()),
        },
        other => other?,
    };
    let Some(report_id) = inserted else {
        let mut wait = None;
        if let Some(device_hash) = &device_hash {
            let times = state
                .db
                .device_reports_since(&id, device_hash, limits.since)
                .await?;
            wait = wait.max(frees_in(&times, PER_DEVICE_AND_STATION, now));
        }
        let times = state
            .db
            .address_reports_since(&address_hash, limits.since)
            .await?;
        wait = wait.max(frees_in(&times, PER_ADDRESS, now));
        // Both limits must free up; a race that has already cleared leaves at least a second.
        let retry_after = u64::try_from(wait.unwrap_or(1).max(1)).unwrap_or(1);
        return Err(AppError::RateLimited { retry_after });
    };
    tracing::info!(station = %id, kind = report.kind.as_str(), "report stored");
    if report.kind == yizhan_core::ReportKind::Confirm {
        // Shown in the list and on the station from now on (other instances within a minute).
        state.confirmed.recount(&state.db, &id, now).await?;
    }
    if !tell.is_empty() {
        state.webhooks.notify_one();
    }
    Ok(receipt(report_id, report.kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_counts_from_the_report_that_must_leave_the_window() {
        let now = Timestamp::from_unix(10_000);
        let times = [Timestamp::from_unix(9_000), Timestamp::from_unix(8_000)];
        assert_eq!(frees_in(&times, 1, now), Some(2_600));
        assert_eq!(frees_in(&times, 2, now), Some(1_600));
        assert_eq!(frees_in(&times, 3, now), None);
    }
}

#[cfg(test)]
mod never_panic {
    use super::*;
    use axum::http::HeaderValue;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn request_headers_of_any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            // Whatever a client puts in the headers: a value or a named refusal, never a panic.
            if let Ok(v) = HeaderValue::from_bytes(&bytes) {
                let mut h = HeaderMap::new();
                h.insert(IDEMPOTENCY_HEADER, v.clone());
                h.insert(DEVICE_ID_HEADER, v);
                let _ = idempotency_key(&h);
                let _ = device_id(&h);
            }
        }
    }
}

/// What riders did at a station today (Beijing time): how many said "this is right" (shown on
/// the station page) and how many visits they counted; it never changes the manager's status.
#[utoipa::path(get, path = "/api/v1/stations/{id}/today",
    params(("id" = String, Path, description = "Station id", pattern = "^[a-z0-9-]{1,40}$")),
    responses(
        (status = 200, description = "Today's counts; ETag names them", body = yizhan_core::StationToday),
        (status = 304, description = "Unchanged"),
        (status = 404, description = "`not_found`: no such station", body = yizhan_core::ErrorBody),
    ))]
pub async fn today(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = StationId::parse(&id).map_err(|_| AppError::NotFound)?;
    let now = Timestamp::now();
    state.index().get(&id, now).ok_or(AppError::NotFound)?;
    let midnight = now.beijing_midnight();
    let counts = yizhan_core::StationToday {
        confirmed_by: state.db.confirmed_by(&id, midnight).await?,
        visits: state.db.visits_since(&id, midnight).await?,
    };
    let body = crate::routes::stations::to_json(&counts)?;
    // The day is in the tag: the same counts tomorrow are another answer.
    let etag = format!(
        "\"d{}-{}-{}\"",
        midnight.unix(),
        counts.confirmed_by,
        counts.visits
    );
    Ok(crate::routes::stations::json_with_etag(
        &headers,
        etag,
        "no-cache",
        body,
        "application/json",
    ))
}
