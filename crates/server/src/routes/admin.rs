//! `/api/v1/admin/...`: union staff run their stations and people. Every handler starts from
//! [`Staff::admin`] and acts only inside the admin's union and the unions below it; anything
//! outside answers as if it did not exist (404), or 403 for a write naming a foreign union.

use std::collections::{HashMap, HashSet};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use yizhan_core::datum::Datum;
use yizhan_core::query::FieldErrors;
use yizhan_core::staff::check_password;
use yizhan_core::{
    Account, AccountChange, AdminStation, AuditChange, AuditEntry, FieldCode, ImportReport,
    IssuedPassword, NewAccount, Role, StationDraft, StationId, Timestamp, UnionId, ValidStation,
};

use crate::auth::{self, Staff};
use crate::db::{AuditRecord, WriteOutcome};
use crate::error::{AppError, JsonBody, PathId, QueryParams};
use crate::routes::http::{etag, if_match, private};
use crate::routes::manage::{snapshot, StaffStations};
use crate::routes::responses::{AdminRead, JsonBodyErrors, SignedInWrite};
use crate::state::AppState;
use crate::transfer;
pub use yizhan_core::envelope::{Accounts, AuditPage, UnionItem, Unions};

/// Largest upload accepted by the import (20,000 rows fit easily).
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

/// The admin's union and every union below it.
#[utoipa::path(get, path = "/api/v1/admin/unions", security(("session" = [])), responses(
    (status = 200, description = "The admin's union and every union below it", body = Unions),
    AdminRead,
))]
pub async fn unions(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let unions = state
        .db
        .unions()
        .await?
        .into_iter()
        .filter(|u| staff.scope.contains(&u.id))
        .map(|u| UnionItem {
            id: u.id,
            name: u.name,
            parent: u.parent,
        })
        .collect();
    Ok(private(Json(Unions { unions }).into_response()))
}

/// Every station of the admin's unions, read page by page in SQL (exports).
async fn scoped_stations(state: &AppState, staff: &Staff) -> Result<Vec<AdminStation>, AppError> {
    const PAGE: i64 = 5000;
    let scope = staff.scope_list();
    let mut out: Vec<AdminStation> = Vec::new();
    loop {
        let after = out
            .last()
            .map(|s| s.station.id.as_str().to_owned())
            .unwrap_or_default();
        let page = state.db.stations_page(&scope, &after, PAGE).await?;
        let last = i64::try_from(page.len()).unwrap_or(0) < PAGE;
        out.extend(page);
        if last {
            return Ok(out);
        }
    }
}

/// The stations of the admin's unions, hidden ones too, a page at a time.
#[utoipa::path(get, path = "/api/v1/admin/stations", params(crate::routes::manage::StationPage), security(("session" = [])), responses(
    (status = 200, description = "One page of the stations of the admin's unions, hidden ones too, ordered by union, then id", body = StaffStations),
    (status = 400, description = "`invalid_query`: `after` or `limit` is malformed or out of range", body = yizhan_core::ErrorBody),
    AdminRead,
))]
pub async fn stations(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(page): QueryParams<crate::routes::manage::StationPage>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let body = crate::routes::manage::station_page(&state, &staff, &page).await?;
    Ok(private(Json(body).into_response()))
}

fn valid_in_scope(staff: &Staff, draft: &StationDraft) -> Result<ValidStation, AppError> {
    let valid = draft.validate().map_err(AppError::InvalidInput)?;
    if !staff.scope.contains(&valid.union_id) {
        return Err(AppError::Forbidden);
    }
    Ok(valid)
}

fn draft_snapshot(v: &ValidStation) -> Option<String> {
    serde_json::to_string(&json!({
        "name": v.name, "address": v.address, "district": v.district, "union": v.union_id,
        "location": v.location, "hours": v.hours.as_str(), "phone": v.phone,
        "amenities": v.amenities, "hidden": v.hidden,
    }))
    .ok()
}

fn written(outcome: WriteOutcome, status: StatusCode) -> Result<Response, AppError> {
    match outcome {
        WriteOutcome::Written(s, _) => {
            let mut res = (status, Json(&*s)).into_response();
            res.headers_mut()
                .insert(header::ETAG, etag(s.station.version));
            Ok(private(res))
        }
        WriteOutcome::Stale(s) => Err(AppError::Stale(Box::new(s.station))),
        WriteOutcome::Missing => Err(AppError::NotFound),
    }
}

/// Creates a station.
#[utoipa::path(post, path = "/api/v1/admin/stations", request_body = StationDraft, security(("session" = [], "csrf" = [])), responses(
    (status = 201, description = "Created; ETag its version", body = AdminStation,
        headers(("ETag" = String, description = "The station's version, e.g. `\"1\"`"))),
    (status = 409, description = "`conflict`: the id is taken (`error.fields.id`: `duplicate`)", body = yizhan_core::ErrorBody),
    (status = 422, description = "`invalid_input`: fields that break the rules (hours that do not parse, a point of 0,0, …); `error.fields` names them", body = yizhan_core::ErrorBody),
    SignedInWrite,
    JsonBodyErrors,
))]
pub async fn create_station(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(draft): JsonBody<StationDraft>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let valid = valid_in_scope(&staff, &draft)?;
    let rec = AuditRecord {
        union_id: valid.union_id.clone(),
        actor: staff.account.username.as_str().to_owned(),
        action: "station.create",
        entity: "station",
        entity_id: valid.id.to_string(),
        before: None,
        after: draft_snapshot(&valid),
    };
    let outcome = match state
        .db
        .write_station(&valid, None, Timestamp::now(), &rec)
        .await
    {
        Err(e) if e.is_unique_violation() => {
            return Err(AppError::Conflict(FieldErrors::from([(
                "id".into(),
                FieldCode::Duplicate,
            )])))
        }
        other => other?,
    };
    state.catch_up().await?;
    written(outcome, StatusCode::CREATED)
}

/// Edits a station (including hiding it), if it is still at the version in `If-Match`.
#[utoipa::path(put, path = "/api/v1/admin/stations/{id}", request_body = StationDraft,
    params(
        ("id" = String, Path, description = "Station id", pattern = "^[a-z0-9-]{1,40}$"),
        ("If-Match" = String, Header, description = "The station's version as its ETag, e.g. `\"7\"`; a value that names no version cannot match (412)", pattern = r#"^(W/)?"[0-9]{1,19}(-expired)?"$"#),
    ),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Saved; ETag its version", body = AdminStation,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "`not_found`: no such station in the admin's unions", body = yizhan_core::ErrorBody),
        (status = 412, description = "`stale`: changed by someone else since that version; `current` carries the station as it is now", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: fields that break the rules, or an `id` other than the path's; `error.fields` names them", body = yizhan_core::ErrorBody),
        (status = 428, description = "`precondition_required`: If-Match missing", body = yizhan_core::ErrorBody),
        SignedInWrite,
        JsonBodyErrors,
    ))]
pub async fn update_station(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
    headers: HeaderMap,
    JsonBody(draft): JsonBody<StationDraft>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let id = StationId::parse(&id).map_err(|_| AppError::NotFound)?;
    let before = state
        .db
        .admin_station(&id)
        .await?
        .filter(|s| staff.scope.contains(&s.station.union.id))
        .ok_or(AppError::NotFound)?;
    let expected = if_match(&headers)?;
    if draft.id.trim() != id.as_str() {
        return Err(AppError::InvalidInput(FieldErrors::from([(
            "id".into(),
            FieldCode::Invalid,
        )])));
    }
    let valid = valid_in_scope(&staff, &draft)?;
    let Some(expected) = expected else {
        return Err(AppError::Stale(Box::new(before.station)));
    };
    let rec = AuditRecord {
        union_id: before.station.union.id.clone(),
        actor: staff.account.username.as_str().to_owned(),
        action: "station.update",
        entity: "station",
        entity_id: id.to_string(),
        before: snapshot(&before),
        after: draft_snapshot(&valid),
    };
    let outcome = state
        .db
        .write_station(&valid, Some(expected), Timestamp::now(), &rec)
        .await?;
    state.catch_up().await?;
    written(outcome, StatusCode::OK)
}

/// Parameters of an import.
#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    /// `csv` or `geojson`; blank or absent: the body's `Content-Type` decides.
    pub format: Option<String>,
    /// Datum of rows that do not name one: `wgs84` (default), `gcj02`, `bd09`.
    pub datum: Option<String>,
    /// `1` writes (only when every row is valid); otherwise a preview.
    pub commit: Option<String>,
}

/// A CSV station file (UTF-8): a header row naming at least the columns `id`, `name`, `address`,
/// `district`, `union_id`, `lat`, `lng` and `hours` (any order and case; also `datum`, `phone`,
/// `amenities`, `hidden`; others are ignored), then one row per station. A file without them
/// is refused whole (422 `invalid_file`); a row's problems are listed with the row.
#[derive(utoipa::ToSchema)]
#[schema(
    value_type = String,
    example = "id,name,address,district,union_id,lat,lng,datum,hours,phone,amenities,hidden\r\nbj-cy-0001,望京驿站,望京街 1 号,朝阳区,bj-chaoyang,39.99,116.47,wgs84,24/7,,water;charging,0\r\n"
)]
#[allow(dead_code, reason = "describes the body for OpenAPI only")]
pub struct CsvFile(String);

/// A GeoJSON station file: a `FeatureCollection` of `Point` features whose properties use the
/// CSV column names.
#[derive(utoipa::ToSchema)]
#[allow(dead_code, reason = "describes the body for OpenAPI only")]
pub struct GeoJsonFile {
    /// Always `FeatureCollection`.
    #[schema(rename = "type", inline)]
    kind: FeatureCollection,
    /// At most 20,000 features.
    #[schema(max_items = 20_000)]
    features: Vec<serde_json::Value>,
    /// The datum of features that do not name one: `wgs84`, `gcj02` or `bd09` (any case; also
    /// `WGS-84`, `GCJ-02`, `BD-09`, `bd09ll`); blank or absent: the `datum` parameter.
    #[schema(
        pattern = r"^\s*([Ww][Gg][Ss]-?84|[Gg][Cc][Jj]-?02|[Bb][Dd]-09|[Bb][Dd]09([Ll][Ll])?)?\s*$"
    )]
    datum: Option<String>,
}

/// The GeoJSON collection type.
#[derive(utoipa::ToSchema)]
#[allow(dead_code, reason = "describes the body for OpenAPI only")]
pub enum FeatureCollection {
    /// The only one accepted.
    FeatureCollection,
}

/// Whether the body says it is JSON (`application/json`, `application/geo+json`).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .is_some_and(|t| t == "application/json" || t == "application/geo+json")
}

fn query_error(field: &str) -> AppError {
    AppError::InvalidQuery(FieldErrors::from([(field.into(), FieldCode::Invalid)]))
}

/// Previews (default) or commits a bulk import from CSV or GeoJSON; all or nothing.
#[utoipa::path(post, path = "/api/v1/admin/import",
    params(
        ("format" = Option<String>, Query, nullable = false, description = "How to read the body: `csv` or `geojson` (`json` too); blank or absent: `application/geo+json` or `application/json` bodies as GeoJSON, any other as CSV", pattern = "^(csv|geojson|json)?$"),
        ("datum" = Option<String>, Query, nullable = false, description = "The datum of rows that do not name one: `wgs84` (default), `gcj02` or `bd09` (any case; `WGS-84`, `GCJ-02`, `BD-09`, `bd09ll` too)", pattern = r"^(\s*([Ww][Gg][Ss]-?84|[Gg][Cc][Jj]-?02|[Bb][Dd]-09|[Bb][Dd]09([Ll][Ll])?)\s*)?$"),
        ("commit" = Option<String>, Query, nullable = false, description = "`1` (or `true`) writes, only when every row is valid; `0`, `false`, blank or absent: a preview", pattern = "^(0|1|true|false)?$"),
    ),
    request_body(content((CsvFile = "text/csv"), (GeoJsonFile = "application/geo+json")), description = "The file, at most 10 MB and 20,000 stations"),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Preview, or what was written", body = ImportReport),
        (status = 400, description = "`invalid_query`: a parameter with a bad value; or `invalid_file`: the file cannot be read at all (not UTF-8, not CSV, not a GeoJSON FeatureCollection); `error.fields` names it", body = yizhan_core::ErrorBody),
        (status = 413, description = "`payload_too_large`: over 10 MB", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_file`: the file is not a station list (`columns.{name}`: `missing`; `file`: `too_long` over 20,000 rows); or `invalid_input`: commit refused, rows with errors, named `rows[N].field`", body = yizhan_core::ErrorBody),
        SignedInWrite,
    ))]
pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<ImportQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::InvalidBody(FieldErrors::new())
        }
    })?;
    let datum = match q.datum.as_deref() {
        None | Some("") => Datum::Wgs84,
        Some(d) => Datum::parse(d).ok_or_else(|| query_error("datum"))?,
    };
    let commit = match q.commit.as_deref() {
        None | Some("" | "0" | "false") => false,
        Some("1" | "true") => true,
        Some(_) => return Err(query_error("commit")),
    };
    let geojson = match q.format.as_deref() {
        None | Some("") => is_json(&headers),
        Some("csv") => false,
        Some("geojson" | "json") => true,
        Some(_) => return Err(query_error("format")),
    };
    let parsed = if geojson {
        transfer::parse_geojson(&body, datum)
    } else {
        transfer::parse_csv(&body, datum)
    }
    .map_err(file_error)?;
    // Only the stations the file names are read (a city union's 100,000 others are not), and
    // what an update overwrites goes into its audit entry, so the log can say what it was.
    let named: Vec<StationId> = parsed
        .rows
        .iter()
        .filter_map(|r| StationId::parse(r.draft.id.trim()).ok())
        .collect();
    let current: HashMap<StationId, AdminStation> = state
        .db
        .stations_by_id(&named)
        .await?
        .into_iter()
        .map(|s| (s.station.id.clone(), s))
        .collect();
    let existing: HashMap<StationId, UnionId> = current
        .iter()
        .map(|(id, s)| (id.clone(), s.station.union.id.clone()))
        .collect();
    let mut report = ImportReport::default();
    let mut writes = Vec::new();
    let actor = staff.account.username.as_str().to_owned();
    for row in &parsed.rows {
        let mut out = row.to_import_row();
        if out.errors.is_empty() {
            match row.draft.validate() {
                Err(errors) => {
                    out.errors = errors;
                }
                Ok(valid) => {
                    let owner = existing.get(&valid.id);
                    if !staff.scope.contains(&valid.union_id) {
                        out.errors.insert("union_id".into(), FieldCode::Unknown);
                    } else if owner.is_some_and(|u| !staff.scope.contains(u)) {
                        // Another union's station: its id is taken, and nothing more is said.
                        out.errors.insert("id".into(), FieldCode::Duplicate);
                    } else {
                        let update = owner.is_some();
                        out.action = Some(if update { "update" } else { "create" }.into());
                        if update {
                            report.updates += 1;
                        } else {
                            report.creates += 1;
                        }
                        let rec = AuditRecord {
                            union_id: valid.union_id.clone(),
                            actor: actor.clone(),
                            action: "station.import",
                            entity: "station",
                            entity_id: valid.id.to_string(),
                            before: current.get(&valid.id).and_then(snapshot),
                            after: draft_snapshot(&valid),
                        };
                        writes.push((valid, update, rec));
                    }
                }
            }
        }
        report.rows.push(out);
    }
    if commit {
        if !report.is_clean() {
            let fields: FieldErrors = report
                .rows
                .iter()
                .flat_map(|r| {
                    r.errors
                        .iter()
                        .map(move |(field, &code)| (format!("rows[{}].{field}", r.line), code))
                })
                .collect();
            return Err(AppError::InvalidInput(fields));
        }
        state.db.import_stations(&writes, Timestamp::now()).await?;
        state.catch_up().await?;
        report.committed = true;
        tracing::info!(
            creates = report.creates,
            updates = report.updates,
            "stations imported"
        );
    }
    Ok(private(Json(report).into_response()))
}

fn file_error(e: transfer::FileError) -> AppError {
    match e {
        transfer::FileError::NotUtf8 | transfer::FileError::Malformed(_) => {
            AppError::UnreadableFile(FieldErrors::from([("file".into(), FieldCode::Invalid)]))
        }
        transfer::FileError::MissingColumns(cols) => AppError::InvalidFile(
            cols.into_iter()
                .map(|c| (format!("columns.{c}"), FieldCode::Missing))
                .collect(),
        ),
        transfer::FileError::TooManyRows(_) => {
            AppError::InvalidFile(FieldErrors::from([("file".into(), FieldCode::TooLong)]))
        }
    }
}

fn download(body: String, content_type: &'static str, name: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(name));
    private(res)
}

/// The admin's stations as CSV (UTF-8 with BOM for Excel; the import's columns).
#[utoipa::path(get, path = "/api/v1/admin/export.csv", security(("session" = [])), responses(
    (status = 200, description = "UTF-8 with BOM, the import's columns, an attachment", content_type = "text/csv"),
    AdminRead,
))]
pub async fn export_csv(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let rows: Vec<_> = scoped_stations(&state, &staff)
        .await?
        .into_iter()
        .map(|s| (s.station, s.hidden))
        .collect();
    let body = format!("{}{}", transfer::BOM, transfer::export_csv(&rows));
    Ok(download(
        body,
        "text/csv; charset=utf-8",
        "attachment; filename=\"stations.csv\"",
    ))
}

/// The admin's stations as GeoJSON.
#[utoipa::path(get, path = "/api/v1/admin/export.geojson", security(("session" = [])), responses(
    (status = 200, description = "A FeatureCollection in WGS-84, an attachment", content_type = "application/geo+json"),
    AdminRead,
))]
pub async fn export_geojson(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let rows: Vec<_> = scoped_stations(&state, &staff)
        .await?
        .into_iter()
        .map(|s| (s.station, s.hidden))
        .collect();
    Ok(download(
        transfer::export_geojson(&rows),
        "application/geo+json",
        "attachment; filename=\"stations.geojson\"",
    ))
}

/// Accounts of the admin's unions.
#[utoipa::path(get, path = "/api/v1/admin/accounts", security(("session" = [])), responses(
    (status = 200, description = "Accounts of the admin's unions", body = Accounts),
    AdminRead,
))]
pub async fn accounts(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let accounts = state.db.accounts_in(&staff.scope_list()).await?;
    Ok(private(Json(Accounts { accounts }).into_response()))
}

fn account_snapshot(a: &Account) -> Option<String> {
    serde_json::to_string(&json!({
        "username": a.username, "display_name": a.display_name, "role": a.role,
        "union": a.union.id, "stations": a.stations, "disabled": a.disabled,
    }))
    .ok()
}

/// Stations named in a form must all be the admin's; otherwise 422 naming them.
async fn check_stations(
    state: &AppState,
    staff: &Staff,
    ids: &[StationId],
) -> Result<(), AppError> {
    let mine: HashSet<StationId> = state
        .db
        .stations_by_id(ids)
        .await?
        .into_iter()
        .filter(|s| staff.scope.contains(&s.station.union.id))
        .map(|s| s.station.id)
        .collect();
    let bad: FieldErrors = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !mine.contains(id))
        .map(|(i, _)| (format!("stations[{i}]"), FieldCode::Unknown))
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(AppError::InvalidInput(bad))
    }
}

/// Creates an account (a station manager, or an admin of a union in scope) with a one-time
/// password to hand over.
#[utoipa::path(post, path = "/api/v1/admin/accounts", request_body = NewAccount, security(("session" = [], "csrf" = [])), responses(
    (status = 201, description = "Created, with its one-time password", body = IssuedPassword),
    (status = 409, description = "`conflict`: the username is taken (`error.fields.username`: `duplicate`)", body = yizhan_core::ErrorBody),
    (status = 422, description = "`invalid_input`: a bad username or display name, or stations outside the admin's unions (`stations[N]`: `unknown`)", body = yizhan_core::ErrorBody),
    SignedInWrite,
    JsonBodyErrors,
))]
pub async fn create_account(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(body): JsonBody<NewAccount>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let (username, display_name) = body.validate().map_err(AppError::InvalidInput)?;
    let union_id = body
        .union_id
        .clone()
        .unwrap_or_else(|| staff.account.union.id.clone());
    if !staff.scope.contains(&union_id) {
        return Err(AppError::Forbidden);
    }
    let stations = if body.role == Role::Manager {
        body.stations.clone()
    } else {
        Vec::new()
    };
    check_stations(&state, &staff, &stations).await?;
    let password = auth::generated_password()?;
    let hash = auth::hash_password(&state.hashers, password.clone()).await?;
    let id = auth::random_token::<12>()?;
    let row = crate::db::AccountRow {
        id: &id,
        username: &username,
        display_name: &display_name,
        role: body.role,
        union_id: &union_id,
        password_hash: &hash,
        stations: &stations,
    };
    let rec = AuditRecord {
        union_id: union_id.clone(),
        actor: staff.account.username.as_str().to_owned(),
        action: "account.create",
        entity: "account",
        entity_id: username.as_str().to_owned(),
        before: None,
        after: serde_json::to_string(&json!({
            "username": username, "display_name": display_name, "role": body.role,
            "union": union_id, "stations": stations, "disabled": false,
        }))
        .ok(),
    };
    match state.db.insert_account(&row, Timestamp::now(), &rec).await {
        Err(e) if e.is_unique_violation() => {
            return Err(AppError::Conflict(FieldErrors::from([(
                "username".into(),
                FieldCode::Duplicate,
            )])))
        }
        other => other?,
    }
    let account = state
        .db
        .account(&id)
        .await?
        .ok_or_else(|| AppError::Internal("account vanished after insert".into()))?;
    Ok(private(
        (
            StatusCode::CREATED,
            Json(IssuedPassword { account, password }),
        )
            .into_response(),
    ))
}

async fn account_in_scope(state: &AppState, staff: &Staff, id: &str) -> Result<Account, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    state
        .db
        .account(id)
        .await?
        .filter(|a| staff.scope.contains(&a.union.id))
        .ok_or(AppError::NotFound)
}

/// Assigns stations, renames, disables (ending its sessions) or enables an account.
#[utoipa::path(patch, path = "/api/v1/admin/accounts/{id}", request_body = AccountChange,
    params(("id" = String, Path, description = "Account id", pattern = "^[A-Za-z0-9_-]{16}$")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Changed", body = Account),
        (status = 404, description = "`not_found`: no such account in the admin's unions", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: a blank or too long display name, stations outside the admin's unions, or disabling one's own account", body = yizhan_core::ErrorBody),
        SignedInWrite,
        JsonBodyErrors,
    ))]
pub async fn update_account(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
    JsonBody(body): JsonBody<AccountChange>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let before = account_in_scope(&state, &staff, &id).await?;
    if before.id == staff.account.id && body.disabled == Some(true) {
        // Locking oneself out leaves a union without its admin by accident.
        return Err(AppError::InvalidInput(FieldErrors::from([(
            "disabled".into(),
            FieldCode::Invalid,
        )])));
    }
    if let Some(list) = &body.stations {
        check_stations(&state, &staff, list).await?;
    }
    let mut errors = FieldErrors::new();
    let name = yizhan_core::staff::clean_text(
        "display_name",
        body.display_name.as_deref(),
        yizhan_core::staff::MAX_DISPLAY_NAME_CHARS,
        &mut errors,
    );
    if body.display_name.is_some() && name.is_none() {
        errors.insert("display_name".into(), FieldCode::Missing);
    }
    if !errors.is_empty() {
        return Err(AppError::InvalidInput(errors));
    }
    // The entry is written with the change, so what it says happened did happen.
    let mut expected = before.clone();
    if let Some(list) = &body.stations {
        expected.stations = list.clone();
    }
    if let Some(d) = body.disabled {
        expected.disabled = d;
    }
    if let Some(n) = &name {
        expected.display_name = n.clone();
    }
    let rec = AuditRecord {
        union_id: before.union.id.clone(),
        actor: staff.account.username.as_str().to_owned(),
        action: "account.update",
        entity: "account",
        entity_id: before.username.as_str().to_owned(),
        before: account_snapshot(&before),
        after: account_snapshot(&expected),
    };
    let change = crate::db::AccountUpdate {
        stations: body.stations.as_deref(),
        disabled: body.disabled,
        display_name: name.as_deref(),
    };
    state
        .db
        .update_account(&before.id, change, &rec, Timestamp::now())
        .await?;
    let after = account_in_scope(&state, &staff, &id).await?;
    Ok(private(Json(after).into_response()))
}

/// Resets an account's password to a new one-time password; its sessions end.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/password",
    params(("id" = String, Path, description = "Account id", pattern = "^[A-Za-z0-9_-]{16}$")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Reset; the account's sessions end", body = IssuedPassword),
        (status = 404, description = "`not_found`: no such account in the admin's unions", body = yizhan_core::ErrorBody),
        SignedInWrite,
    ))]
pub async fn reset_password(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let account = account_in_scope(&state, &staff, &id).await?;
    let password = auth::generated_password()?;
    debug_assert!(check_password(&password).is_ok());
    let hash = auth::hash_password(&state.hashers, password.clone()).await?;
    let rec = AuditRecord::about_account(&staff.account.username, &account, "account.password");
    state
        .db
        .set_password(&account.id, &hash, None, &rec, Timestamp::now())
        .await?;
    Ok(private(
        Json(IssuedPassword { account, password }).into_response(),
    ))
}

/// Turns off someone's two-step sign-in (a lost phone): they sign in with their password and
/// set it up again. Their sessions end; the union's log records who reset it. Not for oneself.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/two-step/reset",
    params(("id" = String, Path, description = "Account id", pattern = "^[A-Za-z0-9_-]{16}$")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Reset; the account's sessions end"),
        (status = 404, description = "`not_found`: no such account in the admin's unions, or it has no two-step sign-in", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: `id` is one's own (another admin resets it)", body = yizhan_core::ErrorBody),
        SignedInWrite,
    ))]
pub async fn reset_two_step(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let account = account_in_scope(&state, &staff, &id).await?;
    if account.id == staff.account.id {
        return Err(AppError::InvalidInput(FieldErrors::from([(
            "id".into(),
            FieldCode::Invalid,
        )])));
    }
    let rec =
        AuditRecord::about_account(&staff.account.username, &account, "account.two_step_reset");
    if !state
        .db
        .reset_totp(&account.id, &rec, Timestamp::now())
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(private(StatusCode::NO_CONTENT.into_response()))
}

/// The largest `before` accepted: 2^53 − 1, the largest whole number every JSON reader keeps
/// exactly (audit ids are a sequence, far below it).
pub const MAX_AUDIT_ID: i64 = 9_007_199_254_740_991;

/// Paging of the audit log.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    /// Entries older than this id.
    pub before: Option<i64>,
}

/// The changed fields between two JSON objects, as JSON text.
fn changes(before: Option<&str>, after: Option<&str>) -> Vec<AuditChange> {
    let parse = |s: Option<&str>| -> serde_json::Map<String, serde_json::Value> {
        s.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    };
    let (b, a) = (parse(before), parse(after));
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| AuditChange {
            field: k.clone(),
            before: b.get(k).map(|v| v.to_string()),
            after: a.get(k).map(|v| v.to_string()),
        })
        .collect()
}

/// The audit log of the admin's unions, newest first.
#[utoipa::path(get, path = "/api/v1/admin/audit",
    params(("before" = Option<i64>, Query, nullable = false, description = "Only entries older than this id (the last `id` of the previous page)", minimum = 1, maximum = 9_007_199_254_740_991_i64)),
    security(("session" = [])),
    responses(
        (status = 200, description = "At most 50 entries, newest first", body = AuditPage),
        (status = 400, description = "`invalid_query`: `before` is not a whole number from 1 to 2^53 − 1", body = yizhan_core::ErrorBody),
        AdminRead,
    ))]
pub async fn audit(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<AuditQuery>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    if q.before.is_some_and(|b| !(1..=MAX_AUDIT_ID).contains(&b)) {
        return Err(AppError::InvalidQuery(FieldErrors::from([(
            "before".into(),
            FieldCode::OutOfRange,
        )])));
    }
    let rows = state
        .db
        .audit_entries(&staff.scope_list(), q.before, 50)
        .await?;
    let entries = rows
        .into_iter()
        .map(|r| AuditEntry {
            changes: changes(r.before.as_deref(), r.after.as_deref()),
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
        })
        .collect();
    Ok(private(Json(AuditPage { entries }).into_response()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_list_only_fields_that_differ() {
        let c = changes(
            Some(r#"{"state":"open","notice":null,"name":"A"}"#),
            Some(r#"{"state":"closed","notice":"修","name":"A"}"#),
        );
        let fields: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, vec!["notice", "state"]);
        assert_eq!(c[1].before.as_deref(), Some("\"open\""));
        assert_eq!(changes(None, Some(r#"{"a":1}"#))[0].before, None);
    }
}
