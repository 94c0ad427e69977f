//! What a station's manager does from the counter: set status (`PATCH
//! /api/v1/stations/{id}/status`), see their stations, and answer riders' reports.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use yizhan_core::query::FieldErrors;
use yizhan_core::{
    AdminStation, InboxReport, Resolve, Role, Station, StationId, StatusUpdate, Timestamp,
};

use crate::auth::Staff;
use crate::db::{AuditRecord, StatusWrite, WriteOutcome};
use crate::error::{AppError, JsonBody, PathId, QueryParams};
use crate::routes::http::{etag, if_match, private};
use crate::routes::responses::{JsonBodyErrors, SignedIn, SignedInWrite};
use crate::state::AppState;
pub use yizhan_core::envelope::{Inbox, StaffStations};

/// The station's fields that matter to the log, as JSON text.
pub(crate) fn snapshot(s: &AdminStation) -> Option<String> {
    serde_json::to_string(&json!({
        "name": s.station.name,
        "address": s.station.address,
        "district": s.station.district,
        "union": s.station.union.id,
        "location": s.station.location,
        "hours": s.station.hours.as_str(),
        "phone": s.station.phone,
        "amenities": s.station.amenities,
        "state": s.station.status.state,
        "notice": s.station.status.notice,
        "hidden": s.hidden,
    }))
    .ok()
}

/// Sets a station's status, amenity states, notice and hours. Sending the same status again
/// re-confirms it ("still accurate") and restarts its expiry. With an `Idempotency-Key`, a
/// retry of a save that went through gets its first answer instead of a 412.
#[utoipa::path(patch, path = "/api/v1/stations/{id}/status", request_body = StatusUpdate,
    params(
        ("id" = String, Path, description = "Station id", pattern = "^[a-z0-9-]{1,40}$"),
        ("If-Match" = String, Header, description = "The station's version as its ETag, e.g. `\"7\"`; a value that names no version cannot match (412)", pattern = r#"^(W/)?"[0-9]{1,19}(-expired)?"$"#),
        ("Idempotency-Key" = Option<String>, Header, nullable = false, description = "8–100 of [A-Za-z0-9_-]; a save sent again under a key this account used for this station gets the first answer again (200), before any other check", pattern = "^[A-Za-z0-9_-]{8,100}$"),
    ),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Saved; the station as it is now, ETag its version", body = Station,
            headers(("ETag" = String, description = "The new version, e.g. `\"8\"`"))),
        (status = 404, description = "`not_found`: no such station", body = yizhan_core::ErrorBody),
        (status = 412, description = "`stale`: changed by someone else since that version; `current` carries the station as it is now", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: `state` `unknown`, an amenity the station does not have, a notice over 200 characters or hours that do not parse; `error.fields` names them", body = yizhan_core::ErrorBody),
        (status = 428, description = "`precondition_required`: If-Match missing", body = yizhan_core::ErrorBody),
        SignedInWrite,
        JsonBodyErrors,
    ))]
pub async fn set_status(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
    headers: HeaderMap,
    JsonBody(body): JsonBody<StatusUpdate>,
) -> Result<Response, AppError> {
    let id = StationId::parse(&id).map_err(|_| AppError::NotFound)?;
    let current = state
        .db
        .admin_station(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff.may_keep(&id, &current.station.union.id) {
        return Err(AppError::Forbidden);
    }
    // A retry of a save already made gets its first answer, before any other check (its
    // If-Match is stale by now: the save itself moved the version on).
    let key = crate::routes::reports::idempotency_key(&headers)?.map(str::to_owned);
    if let Some(k) = &key {
        if let Some((answer, version)) = state
            .db
            .status_write_answer(&staff.account.id, k, &id)
            .await?
        {
            let mut res = ([(header::CONTENT_TYPE, "application/json")], answer).into_response();
            res.headers_mut().insert(header::ETAG, etag(version));
            return Ok(crate::metrics::replayed(private(res)));
        }
    }
    let expected = if_match(&headers)?;
    let offered: Vec<_> = current.station.amenities.iter().map(|a| a.code).collect();
    let (notice, hours) = body.validate(&offered).map_err(AppError::InvalidInput)?;
    let Some(expected) = expected else {
        return Err(AppError::Stale(Box::new(current.station)));
    };
    let now = Timestamp::now();
    let expiry = i64::try_from(state.settings.status_expiry.as_secs()).unwrap_or(i64::MAX);
    let write = StatusWrite {
        state: body.state,
        amenities: body.amenities.clone(),
        notice,
        hours,
        confirmed_at: now,
        expires_at: Timestamp::from_unix(now.unix().saturating_add(expiry)),
        idempotency: key.map(|k| (staff.account.id.clone(), k)),
    };
    let actor = staff.account.username.as_str().to_owned();
    let outcome = state
        .db
        .write_status(&current, expected, &write, |before, after| AuditRecord {
            union_id: before.station.union.id.clone(),
            actor,
            action: "station.status",
            entity: "station",
            entity_id: id.to_string(),
            before: snapshot(before),
            after: snapshot(after),
        })
        .await?;
    match outcome {
        WriteOutcome::Written(after, change) => {
            state.catch_up_with(Some((&after, change))).await?;
            let mut res = Json(&after.station).into_response();
            res.headers_mut()
                .insert(header::ETAG, etag(after.station.version));
            Ok(private(res))
        }
        WriteOutcome::Stale(now) => Err(AppError::Stale(Box::new(now.station))),
        WriteOutcome::Missing => Err(AppError::NotFound),
    }
}

/// Paging of staff station lists: a city union's 100,000 stations come a page at a time.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StationPage {
    /// The `next` of the previous page.
    #[param(pattern = "^[a-z0-9-]{0,40}$")]
    pub after: Option<String>,
    /// Stations per page, 1–1000 (default 500).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Default and largest page of staff station lists.
pub const STATION_PAGE: (u32, u32) = (500, 1000);

impl StationPage {
    fn limit(&self) -> Result<i64, AppError> {
        match self.limit {
            None => Ok(i64::from(STATION_PAGE.0)),
            Some(n) if (1..=STATION_PAGE.1).contains(&n) => Ok(i64::from(n)),
            Some(_) => Err(AppError::InvalidQuery(FieldErrors::from([(
                "limit".to_owned(),
                yizhan_core::FieldCode::OutOfRange,
            )]))),
        }
    }
}

/// One page of the stations of an admin's unions, scoped and paged in SQL.
pub async fn station_page(
    state: &AppState,
    staff: &Staff,
    page: &StationPage,
) -> Result<StaffStations, AppError> {
    let limit = page.limit()?;
    let scope = staff.scope_list();
    let after = page.after.as_deref().unwrap_or("");
    if !after.is_empty() && StationId::parse(after).is_err() {
        return Err(AppError::InvalidQuery(FieldErrors::from([(
            "after".to_owned(),
            yizhan_core::FieldCode::Invalid,
        )])));
    }
    let stations = state.db.stations_page(&scope, after, limit).await?;
    let total = state.db.count_stations_in(&scope).await?;
    let next = (i64::try_from(stations.len()).unwrap_or(i64::MAX) == limit)
        .then(|| stations.last().map(|s| s.station.id.as_str().to_owned()))
        .flatten();
    Ok(StaffStations {
        stations,
        total,
        next,
    })
}

/// The stations the signed-in person keeps: a manager's own, or (a page at a time) every one
/// of an admin's unions.
#[utoipa::path(get, path = "/api/v1/manage/stations", params(StationPage), security(("session" = [])), responses(
    (status = 200, description = "Stations with raw status (not expired into unknown), ordered by union, then id", body = StaffStations),
    (status = 400, description = "`invalid_query`: `after` or `limit` is malformed or out of range", body = yizhan_core::ErrorBody),
    SignedIn,
))]
pub async fn my_stations(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(page): QueryParams<StationPage>,
) -> Result<Response, AppError> {
    let body = match staff.account.role {
        Role::Manager => {
            let stations = state.db.stations_by_id(&staff.account.stations).await?;
            StaffStations {
                total: u64::try_from(stations.len()).unwrap_or(0),
                stations,
                next: None,
            }
        }
        Role::Admin => station_page(&state, &staff, &page).await?,
    };
    Ok(private(Json(body).into_response()))
}

/// Filters of the inbox.
#[derive(Debug, Deserialize)]
pub struct InboxQuery {
    /// Only this station.
    pub station: Option<String>,
}

/// Riders' fault reports about the stations the signed-in person keeps, newest first.
#[utoipa::path(get, path = "/api/v1/manage/reports",
    params(("station" = Option<String>, Query, nullable = false, description = "Only this station's (blank: all)", pattern = "^[a-z0-9-]{0,40}$")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Reports, newest first", body = Inbox),
        (status = 400, description = "`invalid_query`: `station` is not a station id", body = yizhan_core::ErrorBody),
        SignedIn,
    ))]
pub async fn inbox(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<InboxQuery>,
) -> Result<Response, AppError> {
    let only = match q.station.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(StationId::parse(s).map_err(|_| {
            AppError::InvalidQuery(FieldErrors::from([(
                "station".into(),
                yizhan_core::FieldCode::Invalid,
            )]))
        })?),
        None => None,
    };
    let reports = match staff.account.role {
        Role::Manager => {
            let mut ids = staff.account.stations.clone();
            if let Some(only) = &only {
                ids.retain(|i| i == only);
            }
            state.db.inbox(&ids).await?
        }
        Role::Admin => {
            state
                .db
                .union_inbox(&staff.scope_list(), only.as_ref())
                .await?
        }
    };
    Ok(private(Json(Inbox { reports }).into_response()))
}

/// Marks a report dealt with, with a short reply riders then see on the station page.
#[utoipa::path(post, path = "/api/v1/manage/reports/{id}/resolve", request_body = Resolve,
    params(("id" = String, Path, description = "Report id", pattern = "^[0-9a-f]{32}$")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Resolved", body = InboxReport),
        (status = 404, description = "`not_found`: no such report", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: `reply` blank or over 200 characters", body = yizhan_core::ErrorBody),
        SignedInWrite,
        JsonBodyErrors,
    ))]
pub async fn resolve(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Resolve>,
) -> Result<Response, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let station = state
        .db
        .report_station(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = state
        .db
        .admin_station(&station)
        .await?
        .ok_or(AppError::NotFound)?;
    if !staff.may_keep(&station, &current.station.union.id) {
        return Err(AppError::Forbidden);
    }
    let reply = body.validate().map_err(AppError::InvalidInput)?;
    let rec = AuditRecord {
        union_id: current.station.union.id.clone(),
        actor: staff.account.username.as_str().to_owned(),
        action: "report.resolve",
        entity: "station",
        entity_id: station.to_string(),
        before: None,
        after: serde_json::to_string(&json!({"report": id, "reply": reply})).ok(),
    };
    let report = state
        .db
        .resolve_report(&id, &reply, Timestamp::now(), &rec)
        .await?
        .ok_or(AppError::NotFound)?;
    state.catch_up().await?;
    Ok(private(Json(report).into_response()))
}
