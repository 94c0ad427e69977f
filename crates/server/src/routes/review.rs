//! `/api/v1/admin/applications...`: union admins review membership applications. Admins only
//! ([`Staff::admin`]), and only applications of their union and the unions below it; others
//! answer as if they did not exist (404) or are left out of lists, exports and counts.
//!
//! Lists mask phone numbers; the full record is shown only when one application is opened,
//! and every opening is written to the audit log (`application.view`: who opened which
//! reference, never the personal fields). Opening a `submitted` application moves it to
//! `under_review`, which the applicant sees. Decisions (`application.decide`) and CSV exports
//! (`application.export`) are logged too. URLs carry the random id, never the reference.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use yizhan_core::application::{ApplicationQuery, SentLimit};
use yizhan_core::{
    ApplicationList, ApplicationRecord, ApplicationStats, ApplicationStatus, ApplicationSummary,
    BulkDecision, BulkOutcome, Decision, DecisionKind, Phone, Timestamp,
};

use crate::auth::Staff;
use crate::db::{ApplicationFilter, AuditRecord, StoredApplication};
use crate::error::{AppError, JsonBody, PathId, QueryParams};
use crate::routes::http::private;
use crate::routes::responses::{AdminRead, JsonBodyErrors, SignedInWrite};
use crate::state::AppState;

/// Most applications one list answers with.
pub const MAX_LIST: i64 = 1_000;
/// Most rows one export writes.
pub const MAX_EXPORT: i64 = 100_000;

/// Filters of the queue.
#[derive(Debug, Default, Deserialize)]
pub struct ReviewQuery {
    /// `submitted`, `under_review`, `approved`, `rejected` or `withdrawn`.
    pub status: Option<String>,
    /// Only applications credited to this station.
    pub station: Option<String>,
    /// Sent on or after: a Beijing date `2026-11-01` or an RFC 3339 time.
    pub from: Option<String>,
    /// Sent on or before this Beijing date (the whole day), or before this RFC 3339 time.
    pub to: Option<String>,
}

impl ReviewQuery {
    /// The filters by the core's rules (the staff page writes them by the same type).
    fn filter(&self, staff: &Staff) -> Result<ApplicationFilter, AppError> {
        let given = [
            ("status", &self.status),
            ("station", &self.station),
            ("from", &self.from),
            ("to", &self.to),
        ];
        let (q, errors) =
            ApplicationQuery::parse(given.iter().filter_map(|(k, v)| Some((*k, v.as_deref()?))));
        if !errors.is_empty() {
            return Err(AppError::InvalidQuery(errors));
        }
        Ok(ApplicationFilter {
            unions: staff.scope_list(),
            status: q.status,
            station: q.station,
            from: q.from.as_ref().map(SentLimit::start),
            to: q.to.as_ref().map(SentLimit::end),
            limit: MAX_LIST,
        })
    }
}

fn summary(r: ApplicationRecord) -> ApplicationSummary {
    ApplicationSummary {
        // Withdrawn applications hold no phone: nothing to mask.
        phone_masked: Phone::parse(&r.phone)
            .map(|p| p.masked())
            .unwrap_or_default(),
        id: r.id,
        reference: r.reference,
        name: r.name,
        union: r.union,
        station: r.station,
        status: r.status,
        created_at: r.created_at,
    }
}

/// The queue: applications of the admin's unions, newest first (at most 1,000), phones masked.
#[utoipa::path(get, path = "/api/v1/admin/applications",
    params(
        ("status" = Option<String>, Query, nullable = false, description = "Only this status (blank: all)", pattern = "^(submitted|under_review|approved|rejected|withdrawn)?$"),
        ("station" = Option<String>, Query, nullable = false, description = "Only this station's (blank: all)", pattern = "^[a-z0-9-]{0,40}$"),
        ("from" = Option<String>, Query, nullable = false, description = "Sent on or after: a Beijing date `2026-11-01`, or an RFC 3339 time (blank: no limit). The pattern lists the days every month has; the 29th to 31st work where the month has them", pattern = r"^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])([Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?)?$"),
        ("to" = Option<String>, Query, nullable = false, description = "Sent on or before: a Beijing date (the whole day), or before an RFC 3339 time (blank: no limit); days as for `from`", pattern = r"^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])([Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?)?$"),
    ),
    security(("session" = [])),
    responses(
        (status = 200, description = "At most 1,000, newest first, phones masked", body = ApplicationList),
        (status = 400, description = "`invalid_query`: a filter with a bad value; `error.fields` names it", body = yizhan_core::ErrorBody),
        AdminRead,
    ))]
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<ReviewQuery>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let filter = q.filter(&staff)?;
    let applications = state
        .db
        .applications(&filter)
        .await?
        .into_iter()
        .map(summary)
        .collect();
    Ok(private(
        Json(ApplicationList { applications }).into_response(),
    ))
}

/// An application of the admin's unions, or 404 (also for ids that are not even well formed).
async fn in_scope(
    state: &AppState,
    staff: &Staff,
    id: &str,
) -> Result<StoredApplication, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    state
        .db
        .application(id)
        .await?
        .filter(|a| staff.scope.contains(&a.record.union.id))
        .ok_or(AppError::NotFound)
}

async fn reload(state: &AppState, id: &str) -> Result<ApplicationRecord, AppError> {
    Ok(state
        .db
        .application(id)
        .await?
        .ok_or(AppError::NotFound)?
        .record)
}

/// Opens one application in full (phone unmasked). Written to the audit log; a `submitted`
/// application moves to `under_review`.
#[utoipa::path(get, path = "/api/v1/admin/applications/{id}",
    params(("id" = String, Path, description = "Application id (not the reference)", pattern = "^[0-9a-f]{32}$")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The application in full", body = ApplicationRecord),
        (status = 404, description = "`not_found`: no such application in the admin's unions", body = yizhan_core::ErrorBody),
        AdminRead,
    ))]
pub async fn one(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let stored = in_scope(&state, &staff, &id).await?;
    let rec = AuditRecord {
        union_id: stored.record.union.id.clone(),
        actor: staff.account.username.as_str().to_owned(),
        action: "application.view",
        entity: "application",
        entity_id: stored.record.reference.as_str().to_owned(),
        before: None,
        after: None,
    };
    state
        .db
        .open_application(&stored.record.id, Timestamp::now(), &rec)
        .await?;
    let record = reload(&state, &stored.record.id).await?;
    Ok(private(Json(record).into_response()))
}

fn decide_record(staff: &Staff, stored: &StoredApplication, decision: DecisionKind) -> AuditRecord {
    let after = match decision {
        DecisionKind::Approve => ApplicationStatus::Approved,
        DecisionKind::Reject => ApplicationStatus::Rejected,
    };
    AuditRecord {
        union_id: stored.record.union.id.clone(),
        actor: staff.account.username.as_str().to_owned(),
        action: "application.decide",
        entity: "application",
        entity_id: stored.record.reference.as_str().to_owned(),
        // Statuses only: the reason may name the person and stays with the application.
        before: serde_json::to_string(&json!({"status": stored.record.status})).ok(),
        after: serde_json::to_string(&json!({"status": after})).ok(),
    }
}

/// Approves or rejects (with a reason the applicant sees) a pending application.
#[utoipa::path(post, path = "/api/v1/admin/applications/{id}/decision", request_body = Decision,
    params(("id" = String, Path, description = "Application id", pattern = "^[0-9a-f]{32}$")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Decided", body = ApplicationRecord),
        (status = 404, description = "`not_found`: no such application in the admin's unions", body = yizhan_core::ErrorBody),
        (status = 409, description = "`wrong_status`: already decided or withdrawn", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: `reason` missing (to reject) or too long", body = yizhan_core::ErrorBody),
        SignedInWrite,
        JsonBodyErrors,
    ))]
pub async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
    JsonBody(body): JsonBody<Decision>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let stored = in_scope(&state, &staff, &id).await?;
    let (decision, reason) = body.validate().map_err(AppError::InvalidInput)?;
    if !stored.record.status.is_pending() {
        return Err(AppError::WrongStatus);
    }
    let rec = decide_record(&staff, &stored, decision);
    let decided = state
        .db
        .decide_application(
            &stored.record.id,
            decision,
            reason.as_deref(),
            staff.account.username.as_str(),
            Timestamp::now(),
            &rec,
        )
        .await?;
    if !decided {
        return Err(AppError::WrongStatus);
    }
    tracing::info!(union = %stored.record.union.id, decision = decision.as_str(), "application decided");
    let record = reload(&state, &stored.record.id).await?;
    Ok(private(Json(record).into_response()))
}

/// Decides many applications at once (bulk approve by default). Ids that are not pending or not
/// the admin's are skipped and listed.
#[utoipa::path(post, path = "/api/v1/admin/applications/decisions", request_body = BulkDecision,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Decided; ids not pending or not the admin's are listed as skipped", body = BulkOutcome),
        (status = 422, description = "`invalid_input`: `ids` empty or over 500, or `reason` missing to reject", body = yizhan_core::ErrorBody),
        SignedInWrite,
        JsonBodyErrors,
    ))]
pub async fn decide_many(
    State(state): State<AppState>,
    staff: Staff,
    JsonBody(body): JsonBody<BulkDecision>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let (ids, decision, reason) = body.validate().map_err(AppError::InvalidInput)?;
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    for id in ids {
        match in_scope(&state, &staff, &id).await {
            Ok(stored) if stored.record.status.is_pending() => {
                let rec = decide_record(&staff, &stored, decision);
                items.push((id, rec));
            }
            Ok(_) | Err(AppError::NotFound) => skipped.push(id),
            Err(e) => return Err(e),
        }
    }
    let done = state
        .db
        .decide_applications(
            &items,
            decision,
            reason.as_deref(),
            staff.account.username.as_str(),
            Timestamp::now(),
        )
        .await?;
    skipped.extend(
        items
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| !done.contains(id)),
    );
    tracing::info!(
        decided = done.len(),
        skipped = skipped.len(),
        decision = decision.as_str(),
        "applications decided in bulk"
    );
    Ok(private(
        Json(BulkOutcome {
            decided: done.len(),
            skipped,
        })
        .into_response(),
    ))
}

use crate::transfer::guard;

/// The export's columns.
pub const CSV_COLUMNS: [&str; 17] = [
    "reference",
    "name",
    "phone",
    "employer",
    "employer_other",
    "occupation",
    "occupation_other",
    "work_district",
    "union_id",
    "union_name",
    "station_id",
    "station_name",
    "district",
    "created_at",
    "decided_at",
    "decided_by",
    "policy_version",
];

/// Approved applications as CSV (UTF-8 with BOM, CRLF, formula-guarded text cells).
pub fn export_csv(records: &[ApplicationRecord]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing str cells to a Vec cannot fail.
    let _ = writer.write_record(CSV_COLUMNS);
    for r in records {
        let record = [
            r.reference.as_str().to_owned(),
            guard(&r.name),
            guard(&r.phone),
            r.employer.map(|e| e.zh()).unwrap_or_default().to_owned(),
            guard(r.employer_other.as_deref().unwrap_or("")),
            r.occupation.map(|o| o.zh()).unwrap_or_default().to_owned(),
            guard(r.occupation_other.as_deref().unwrap_or("")),
            guard(&r.work_district),
            r.union.id.as_str().to_owned(),
            guard(&r.union.name),
            r.station
                .as_ref()
                .map(|s| s.id.as_str().to_owned())
                .unwrap_or_default(),
            guard(r.station.as_ref().map_or("", |s| s.name.as_str())),
            guard(r.district.as_deref().unwrap_or("")),
            r.created_at.beijing().to_string(),
            r.decided_at
                .map(|t| t.beijing().to_string())
                .unwrap_or_default(),
            guard(r.decided_by.as_deref().unwrap_or("")),
            guard(&r.policy_version),
        ];
        let _ = writer.write_record(&record);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!(
        "{}{}",
        crate::transfer::BOM,
        String::from_utf8(bytes).unwrap_or_default()
    )
}

/// Approved applications of the admin's unions as CSV for the union's member system. Logged.
#[utoipa::path(get, path = "/api/v1/admin/applications/export.csv", security(("session" = [])), responses(
    (status = 200, content_type = "text/csv", description = "UTF-8 with BOM; columns reference, name, phone, employer, employer_other, occupation, occupation_other, work_district, union_id, union_name, station_id, station_name, district, created_at, decided_at, decided_by, policy_version (times in Beijing time)"),
    AdminRead,
))]
pub async fn export(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let filter = ApplicationFilter {
        unions: staff.scope_list(),
        status: Some(ApplicationStatus::Approved),
        limit: MAX_EXPORT,
        ..ApplicationFilter::default()
    };
    let records = state.db.applications(&filter).await?;
    state
        .db
        .append_audit(
            &AuditRecord {
                union_id: staff.account.union.id.clone(),
                actor: staff.account.username.as_str().to_owned(),
                action: "application.export",
                entity: "application",
                entity_id: "export.csv".into(),
                before: None,
                after: serde_json::to_string(&json!({"approved": records.len()})).ok(),
            },
            Timestamp::now(),
        )
        .await?;
    let mut res = export_csv(&records).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"applications.csv\""),
    );
    Ok(private(res))
}

/// Applications and approvals per station of the admin's unions (the station gets credit).
#[utoipa::path(get, path = "/api/v1/admin/applications/stats", security(("session" = [])), responses(
    (status = 200, description = "Applications and approvals per station", body = ApplicationStats),
    AdminRead,
))]
pub async fn stats(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let stats = state.db.application_stats(&staff.scope_list()).await?;
    Ok(private(Json(stats).into_response()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yizhan_core::{Employer, Occupation, Reference, UnionId, UnionRef};

    #[test]
    fn csv_cells_that_look_like_formulas_are_escaped() {
        let record = ApplicationRecord {
            id: "x".into(),
            reference: Reference::generate("bj", [1, 2, 3, 4, 5]),
            status: ApplicationStatus::Approved,
            union: UnionRef {
                id: UnionId::parse("bj-chaoyang").expect("id"),
                name: "朝阳区总工会".into(),
            },
            station: None,
            district: Some("朝阳区".into()),
            name: "王丽".into(),
            phone: "13812341234".into(),
            employer: Some(Employer::Other),
            employer_other: Some("=HYPERLINK(\"http://x\")".into()),
            occupation: Some(Occupation::Courier),
            occupation_other: None,
            work_district: "@SUM(A1)".into(),
            policy_version: "2026-11".into(),
            consented_at: Timestamp::from_unix(1_800_000_000),
            created_at: Timestamp::from_unix(1_800_000_000),
            updated_at: Timestamp::from_unix(1_800_000_000),
            decided_at: Some(Timestamp::from_unix(1_800_000_000)),
            decided_by: Some("chaoyang-admin".into()),
            reason: None,
            timeline: vec![],
        };
        let csv = export_csv(&[record]);
        assert!(csv.starts_with('\u{feff}'));
        let row = csv.lines().nth(1).expect("row");
        assert!(row.contains("'=HYPERLINK"), "{row}");
        assert!(row.contains("'@SUM(A1)"), "{row}");
        assert!(row.contains(",13812341234,其他,"), "{row}");
        assert!(row.contains("2027-01-15 16:00"), "{row}");
    }
}
