//! The applicant's side of union membership: `POST /api/v1/applications` (apply),
//! `/applications/lookup` (follow), `/applications/withdraw` (erase) and
//! `/applications/resubmit` (correct a rejected one), plus `GET /applications/policy` for the
//! consent step.
//!
//! Anonymous and sensitive: bodies are JSON only, every answer is `no-store`, phones and
//! references travel in bodies only and are never logged, and everything used as a key (phone,
//! reference, client address) is kept as a salted hash. A wrong phone and an unknown reference
//! get the same 404; lookups are limited per reference and per address so neither can be
//! guessed. A rejected application is corrected in place: same row, same reference, back to
//! `submitted`, with its timeline showing the rejection and the new submission.

use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use yizhan_core::query::FieldErrors;
use yizhan_core::{
    ApplicationReceipt, ApplicationStatus, ApplicationView, FieldCode, Lookup, NewApplication,
    Phone, PrivacyPolicy, Reference, Resubmit, Timestamp, UnionRef, ValidApplication,
};

use crate::auth;
use crate::client::{address_key, salted_hash, ClientAddr};
use crate::db::{AddressLimit, ApplicationRow, Attempts, Reserved, StoredApplication, UnionRow};
use crate::error::{AppError, JsonBody};
use crate::routes::http::private;
use crate::routes::http::retry_after;
use crate::routes::reports::idempotency_key;
use crate::routes::responses::JsonBodyErrors;
use crate::state::AppState;

/// The largest body accepted (an application is well under 2 KB).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The window the application limit counts over.
pub const WINDOW_SECS: i64 = 3600;
/// Applications (and refused duplicates) one address may send per window. Generous: riders
/// resting together share one carrier NAT address.
pub const PER_ADDRESS: i64 = 10;
/// The window failed lookups are counted over.
pub const LOOKUP_WINDOW_SECS: i64 = 15 * 60;
/// Failed lookups (wrong phone or unknown reference) allowed per reference per window.
pub const LOOKUPS_PER_REFERENCE: i64 = 5;
/// Failed lookups allowed per address per window.
pub const LOOKUPS_PER_ADDRESS: i64 = 20;
/// The secret that salts every hash here.
const SALT: &str = "application_salt";

fn receipt(reference: Reference, union: UnionRef) -> Response {
    private(
        (
            StatusCode::CREATED,
            Json(ApplicationReceipt {
                reference,
                status: ApplicationStatus::Submitted,
                union,
            }),
        )
            .into_response(),
    )
}

fn field_error(field: &str, code: FieldCode) -> AppError {
    AppError::InvalidInput(FieldErrors::from([(field.to_owned(), code)]))
}

/// The district union (`{district}总工会`) of one of the deployment's `districts` for what a
/// rider typed: a district name with or without 区 (`朝阳区`, `朝阳`), its pinyin
/// (`chaoyang`) or the union's id (`bj-chaoyang`). Returns the union and the district's
/// canonical name.
fn district_union(
    unions: &[UnionRow],
    districts: &[String],
    typed: &str,
) -> Option<(UnionRef, String)> {
    let typed = typed.trim();
    let lower = typed.to_ascii_lowercase();
    let is_district_union = |u: &UnionRow| {
        districts
            .iter()
            .find(|d| u.name == format!("{d}总工会"))
            .cloned()
    };
    unions.iter().find_map(|u| {
        let district = is_district_union(u)?;
        let by_name = district == typed || district.strip_suffix('区') == Some(typed);
        // `bj-chaoyang`, or `chaoyang` after the city's code.
        let by_id = u.id.as_str() == lower
            || u.id.as_str().split_once('-').map(|(_, d)| d) == Some(lower.as_str());
        (by_name || by_id).then(|| {
            (
                UnionRef {
                    id: u.id.clone(),
                    name: u.name.clone(),
                },
                district,
            )
        })
    })
}

/// The union an application goes to: its station's (a public one), or its district's.
/// Returns the form with the district in canonical form.
async fn route(
    state: &AppState,
    mut form: ValidApplication,
    now: Timestamp,
    prefix: &str,
) -> Result<(UnionRef, ValidApplication), AppError> {
    if let Some(id) = &form.station_id {
        // The index holds public stations only: a hidden station takes no applications.
        let station = state
            .index()
            .get(id, now)
            .ok_or_else(|| field_error(&format!("{prefix}station_id"), FieldCode::Unknown))?;
        return Ok((station.union, form));
    }
    let typed = form.district.clone().unwrap_or_default();
    let unions = state.db.unions().await?;
    let (union, district) = district_union(&unions, &state.city.districts, &typed)
        .ok_or_else(|| field_error(&format!("{prefix}district"), FieldCode::Unknown))?;
    form.district = Some(district);
    Ok((union, form))
}

fn lookup_hash(salt: &[u8], reference: &Reference, phone: &Phone) -> String {
    salted_hash(
        salt,
        "application-lookup",
        &format!("{}\n{}", reference.as_str(), phone.as_str()),
    )
}

/// Apply to join the union (the `/join` form).
#[utoipa::path(post, path = "/api/v1/applications",
    params(
        ("Idempotency-Key" = Option<String>, Header, nullable = false, description = "A request with a key seen before gets the first answer again (201, same reference) before any other check", pattern = "^[A-Za-z0-9_-]{8,100}$"),
        ("lang" = Option<String>, Query, nullable = false, description = "`zh` or `en`: language of error messages (any other value: `Accept-Language` decides)"),
    ),
    request_body(content = NewApplication, content_type = "application/json", description = "At most 16 KB"),
    responses(
        (status = 201, description = "Stored durably; keep the reference", body = ApplicationReceipt),
        (status = 409, description = "`duplicate_application`: this phone has a pending application at this union (its reference is not revealed)", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: invalid fields, named in `error.fields` (`station_id`/`district`: `unknown` when no union takes it; `consent`: `missing`, or `invalid` for another notice version than `GET /api/v1/applications/policy` names)", body = yizhan_core::ErrorBody),
        (status = 429, description = "`rate_limited`: too many applications from this address", body = yizhan_core::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until an application will be accepted"))),
        JsonBodyErrors,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    req: Request,
) -> Result<Response, AppError> {
    let metrics = state.metrics.clone();
    let result = create_inner(State(state), ClientAddr(client), req).await;
    metrics.application(match &result {
        Ok(res) if res.extensions().get::<crate::metrics::Replayed>().is_some() => "replayed",
        Ok(_) => "stored",
        Err(e) => crate::metrics::outcome_of(e),
    });
    result
}

/// The handler proper; [`create`] counts its outcome.
async fn create_inner(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    req: Request,
) -> Result<Response, AppError> {
    // A retry of an application already stored gets the first answer before any other check,
    // even before the body is read: the outbox may resend after the form's rules changed.
    let key = idempotency_key(req.headers())?.map(str::to_owned);
    if let Some(k) = &key {
        if let Some((reference, union)) = state.db.application_by_idempotency_key(k).await? {
            return Ok(crate::metrics::replayed(receipt(reference, union)));
        }
    }
    let JsonBody(body) = JsonBody::<NewApplication>::from_request(req, &state).await?;
    let form = body
        .validate_for_policy(&state.settings.privacy_policy_version)
        .map_err(AppError::InvalidInput)?;
    let now = Timestamp::now();
    let (union, form) = route(&state, form, now, "").await?;

    let salt = state.db.secret(SALT).await?;
    let phone_hash = salted_hash(&salt, "application-phone", form.phone.as_str());
    let address_hash = salted_hash(&salt, "application-address", &address_key(client));
    let limit = AddressLimit {
        since: now.plus_seconds(-WINDOW_SECS),
        max: PER_ADDRESS,
    };
    let over_limit = |times: &[Timestamp]| -> Option<AppError> {
        let n = i64::try_from(times.len()).unwrap_or(i64::MAX);
        (n >= PER_ADDRESS).then(|| {
            // The oldest attempts that must leave the window for one more to fit.
            let idx = usize::try_from(n - PER_ADDRESS).unwrap_or(0);
            AppError::RateLimited {
                retry_after: retry_after(times.get(idx).copied(), WINDOW_SECS, now),
            }
        })
    };
    // Counted before the duplicate check, so answers to parallel requests cannot test more
    // phone numbers than the limit allows; taken back when the application is stored.
    let attempt = auth::random_token::<12>()?;
    if !state
        .db
        .reserve_application_attempt(&address_hash, &attempt, limit, now)
        .await?
    {
        let attempts = state
            .db
            .application_attempts_since(&address_hash, limit.since)
            .await?;
        return Err(over_limit(&attempts).unwrap_or(AppError::RateLimited { retry_after: 1 }));
    }
    if state
        .db
        .pending_application_exists(&union.id, &phone_hash, None)
        .await?
    {
        // The reservation stays: a refusal counts toward the address limit, so the 409 cannot
        // be used to test which phone numbers have applied.
        return Err(AppError::DuplicateApplication);
    }
    let id = auth::hex(&auth::random_bytes::<16>()?);
    let prefix = Reference::prefix_for(union.id.as_str());
    // 40 random bits: a collision is unlikely but possible among many applications; try again.
    for _ in 0..4 {
        let reference = Reference::generate(&prefix, auth::random_bytes::<5>()?);
        let row = ApplicationRow {
            id: &id,
            reference: &reference,
            union_id: &union.id,
            form: &form,
            phone_hash: &phone_hash,
            lookup_hash: &lookup_hash(&salt, &reference, &form.phone),
            address_hash: &address_hash,
            idempotency_key: key.as_deref(),
            now,
        };
        match state.db.insert_application(&row, limit, &attempt).await {
            Ok(true) => {
                tracing::info!(union = %union.id, "application stored");
                return Ok(receipt(reference, union));
            }
            Ok(false) => {
                let attempts = state
                    .db
                    .application_attempts_since(&address_hash, limit.since)
                    .await?;
                return Err(
                    over_limit(&attempts).unwrap_or(AppError::RateLimited { retry_after: 1 })
                );
            }
            Err(e) if e.is_unique_violation() => {
                // The same key racing in twice: the loser answers with the winner's receipt.
                if let Some(k) = &key {
                    if let Some((reference, union)) =
                        state.db.application_by_idempotency_key(k).await?
                    {
                        return Ok(receipt(reference, union));
                    }
                }
                if state
                    .db
                    .pending_application_exists(&union.id, &phone_hash, None)
                    .await?
                {
                    return Err(AppError::DuplicateApplication);
                }
                if !state.db.reference_exists(&reference).await? {
                    return Err(e.into());
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal("no free reference after 4 tries".into()))
}

/// Checks a reference + phone pair within the failure limits; the application, or the same
/// 404 whether the reference is unknown or the phone wrong.
async fn verify(
    state: &AppState,
    client: std::net::IpAddr,
    lookup: &Lookup,
) -> Result<StoredApplication, AppError> {
    let (reference, phone) = lookup.validate().map_err(AppError::InvalidInput)?;
    let now = Timestamp::now();
    let salt = state.db.secret(SALT).await?;
    let reference_key = salted_hash(&salt, "lookup-reference", reference.as_str());
    let address_key = salted_hash(&salt, "lookup-address", &address_key(client));
    let since = now.plus_seconds(-LOOKUP_WINDOW_SECS);
    // Counted as a failure before the check, taken back when it matches: parallel guesses
    // cannot pass the limits.
    let limits = [
        (reference_key.as_str(), LOOKUPS_PER_REFERENCE),
        (address_key.as_str(), LOOKUPS_PER_ADDRESS),
    ];
    let attempt = auth::random_token::<12>()?;
    let reservation = match state
        .db
        .reserve(Attempts::Lookup, &limits, &attempt, since, now)
        .await?
    {
        Reserved::Granted { reservation, .. } => reservation,
        Reserved::Refused { first, .. } => {
            return Err(AppError::RateLimited {
                retry_after: retry_after(first, LOOKUP_WINDOW_SECS, now),
            })
        }
    };
    let expected = lookup_hash(&salt, &reference, &phone);
    match state.db.application_by_reference(&reference).await? {
        Some(stored) if stored.lookup_hash == expected => {
            state.db.release(&reservation).await?;
            Ok(stored)
        }
        _ => Err(AppError::ApplicationNotFound),
    }
}

/// What the applicant sees: status, timeline, the reason when rejected, and then the form as
/// sent so it can be corrected without retyping.
fn view(stored: &StoredApplication) -> ApplicationView {
    let r = &stored.record;
    let rejected = r.status == ApplicationStatus::Rejected;
    ApplicationView {
        reference: r.reference.clone(),
        status: r.status,
        next_step: r.status.next_step(),
        union: r.union.clone(),
        station: r.station.clone(),
        created_at: r.created_at,
        timeline: r.timeline.clone(),
        reason: r.reason.clone().filter(|_| rejected),
        application: rejected.then(|| NewApplication {
            station_id: r.station.as_ref().map(|s| s.id.clone()),
            district: r.district.clone(),
            name: r.name.clone(),
            phone: r.phone.clone(),
            employer: r.employer,
            employer_other: r.employer_other.clone(),
            occupation: r.occupation,
            occupation_other: r.occupation_other.clone(),
            work_district: r.work_district.clone(),
            consent: None,
        }),
    }
}

/// Follow an application: its status and timeline, by reference and phone (in the body).
#[utoipa::path(post, path = "/api/v1/applications/lookup",
    params(("lang" = Option<String>, Query, nullable = false, description = "`zh` or `en`: language of error messages (any other value: `Accept-Language` decides)")),
    request_body(content = Lookup, content_type = "application/json", description = "At most 16 KB"),
    responses(
        (status = 200, description = "The application as its applicant sees it", body = ApplicationView),
        (status = 404, description = "`not_found`: no application with this reference and phone (the same answer for a wrong phone and an unknown reference)", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: `reference` or `phone` malformed", body = yizhan_core::ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed lookups for this reference or from this address", body = yizhan_core::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until lookups are accepted again"))),
        JsonBodyErrors,
    )
)]
pub async fn lookup(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(body): JsonBody<Lookup>,
) -> Result<Response, AppError> {
    let stored = verify(&state, client, &body).await?;
    Ok(private(Json(view(&stored)).into_response()))
}

/// Withdraw an application at any time: its personal fields are erased at once; the reference
/// remains, `withdrawn`, until the retention purge. Withdrawing again answers the same.
#[utoipa::path(post, path = "/api/v1/applications/withdraw",
    params(("lang" = Option<String>, Query, nullable = false, description = "`zh` or `en`: language of error messages (any other value: `Accept-Language` decides)")),
    request_body(content = Lookup, content_type = "application/json", description = "At most 16 KB"),
    responses(
        (status = 200, description = "Withdrawn and erased", body = ApplicationView),
        (status = 404, description = "`not_found`, as for a lookup", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: `reference` or `phone` malformed", body = yizhan_core::ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed attempts", body = yizhan_core::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until attempts are accepted again"))),
        JsonBodyErrors,
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(body): JsonBody<Lookup>,
) -> Result<Response, AppError> {
    let stored = verify(&state, client, &body).await?;
    let id = stored.record.id.clone();
    state.db.withdraw_application(&id, Timestamp::now()).await?;
    let after = state
        .db
        .application(&id)
        .await?
        .ok_or(AppError::ApplicationNotFound)?;
    tracing::info!(union = %after.record.union.id, "application withdrawn and erased");
    Ok(private(Json(view(&after)).into_response()))
}

fn nested(errors: FieldErrors) -> AppError {
    AppError::InvalidInput(
        errors
            .into_iter()
            .map(|(k, v)| (format!("application.{k}"), v))
            .collect(),
    )
}

/// Correct a rejected application and send it again: same reference, back to `submitted`,
/// consent given again. Only a rejected application can be resubmitted (409 `wrong_status`).
/// Errors in the corrected form are named `application.{field}`.
#[utoipa::path(post, path = "/api/v1/applications/resubmit",
    params(("lang" = Option<String>, Query, nullable = false, description = "`zh` or `en`: language of error messages (any other value: `Accept-Language` decides)")),
    request_body(content = Resubmit, content_type = "application/json", description = "At most 16 KB"),
    responses(
        (status = 200, description = "Sent again", body = ApplicationView),
        (status = 404, description = "`not_found`, as for a lookup", body = yizhan_core::ErrorBody),
        (status = 409, description = "`wrong_status` (not rejected) or `duplicate_application`", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: invalid fields, named `reference`, `phone` or `application.{field}`", body = yizhan_core::ErrorBody),
        (status = 429, description = "`rate_limited`: too many failed attempts", body = yizhan_core::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until attempts are accepted again"))),
        JsonBodyErrors,
    )
)]
pub async fn resubmit(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(body): JsonBody<Resubmit>,
) -> Result<Response, AppError> {
    let lookup = Lookup {
        reference: body.reference.clone(),
        phone: body.phone.clone(),
    };
    let stored = verify(&state, client, &lookup).await?;
    if stored.record.status != ApplicationStatus::Rejected {
        return Err(AppError::WrongStatus);
    }
    let form = body
        .application
        .validate_for_policy(&state.settings.privacy_policy_version)
        .map_err(nested)?;
    let now = Timestamp::now();
    let (union, form) = route(&state, form, now, "application.").await?;
    let salt = state.db.secret(SALT).await?;
    let phone_hash = salted_hash(&salt, "application-phone", form.phone.as_str());
    let id = stored.record.id.clone();
    // The duplicate check would tell whether another phone has applied: counted first, like a
    // failed lookup, and taken back when the correction goes through.
    let attempt = auth::random_token::<12>()?;
    let address_limit = [(
        salted_hash(&salt, "lookup-address", &address_key(client)),
        LOOKUPS_PER_ADDRESS,
    )];
    let limits: Vec<(&str, i64)> = address_limit
        .iter()
        .map(|(k, n)| (k.as_str(), *n))
        .collect();
    let reservation = match state
        .db
        .reserve(
            Attempts::Lookup,
            &limits,
            &attempt,
            now.plus_seconds(-LOOKUP_WINDOW_SECS),
            now,
        )
        .await?
    {
        Reserved::Granted { reservation, .. } => reservation,
        Reserved::Refused { first, .. } => {
            return Err(AppError::RateLimited {
                retry_after: retry_after(first, LOOKUP_WINDOW_SECS, now),
            })
        }
    };
    if state
        .db
        .pending_application_exists(&union.id, &phone_hash, Some(&id))
        .await?
    {
        return Err(AppError::DuplicateApplication);
    }
    let reference = stored.record.reference.clone();
    let row = ApplicationRow {
        id: &id,
        reference: &reference,
        union_id: &union.id,
        form: &form,
        phone_hash: &phone_hash,
        lookup_hash: &lookup_hash(&salt, &reference, &form.phone),
        address_hash: &salted_hash(&salt, "application-address", &address_key(client)),
        idempotency_key: None,
        now,
    };
    match state.db.resubmit_application(&row).await {
        Ok(true) => state.db.release(&reservation).await?,
        Ok(false) => return Err(AppError::WrongStatus),
        Err(e) if e.is_unique_violation() => return Err(AppError::DuplicateApplication),
        Err(e) => return Err(e.into()),
    }
    let after = state
        .db
        .application(&id)
        .await?
        .ok_or(AppError::ApplicationNotFound)?;
    tracing::info!(union = %union.id, "application resubmitted");
    Ok(private(Json(view(&after)).into_response()))
}

/// What the consent step must state that the server decides: the notice version in force
/// (send it back in `consent.policy_version`) and how long applications are kept.
#[utoipa::path(get, path = "/api/v1/applications/policy", responses(
    (status = 200, description = "The privacy notice version and retention", body = PrivacyPolicy),
))]
pub async fn policy(State(state): State<AppState>) -> Response {
    private(
        Json(PrivacyPolicy {
            version: state.settings.privacy_policy_version.clone(),
            retention_days: state
                .settings
                .application_retention
                .as_secs()
                .div_ceil(86_400),
        })
        .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use yizhan_core::UnionId;

    fn u(id: &str, name: &str) -> UnionRow {
        UnionRow {
            id: UnionId::parse(id).expect("id"),
            name: name.into(),
            parent: None,
        }
    }

    #[test]
    fn a_district_is_found_by_name_short_name_pinyin_or_union_id() {
        let unions = [
            u("bj", "北京市总工会"),
            u("bj-chaoyang", "朝阳区总工会"),
            u("bj-chaoyang-wangjing", "望京街道总工会"),
            u("bj-haidian", "海淀区总工会"),
        ];
        let beijing = crate::city::City::default().districts;
        for typed in ["朝阳区", " 朝阳 ", "chaoyang", "Chaoyang", "bj-chaoyang"] {
            let (union, district) = district_union(&unions, &beijing, typed).expect(typed);
            assert_eq!(union.id.as_str(), "bj-chaoyang", "{typed}");
            assert_eq!(district, "朝阳区");
        }
        for unknown in ["望京", "北京市", "bj", "上海", "wangjing", ""] {
            assert!(
                district_union(&unions, &beijing, unknown).is_none(),
                "{unknown}"
            );
        }
    }

    #[test]
    fn a_shanghai_deployment_finds_its_own_districts_unions() {
        let unions = [
            u("sh", "上海市总工会"),
            u("sh-pudong", "浦东新区总工会"),
            u("bj-chaoyang", "朝阳区总工会"),
        ];
        let shanghai = ["浦东新区".to_owned(), "黄浦区".to_owned()];
        for typed in ["浦东新区", "pudong", "sh-pudong"] {
            let (union, district) = district_union(&unions, &shanghai, typed).expect(typed);
            assert_eq!(union.id.as_str(), "sh-pudong", "{typed}");
            assert_eq!(district, "浦东新区");
        }
        // A district outside the deployment's city takes no applications
        assert!(district_union(&unions, &shanghai, "朝阳区").is_none());
    }
}
