//! Signing in and out: `POST /api/v1/session`, `GET` and `DELETE` it, `DELETE /api/v1/sessions`
//! (sign out everywhere), and `POST /api/v1/session/password`.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use yizhan_core::query::FieldErrors;
use yizhan_core::staff::check_password;
use yizhan_core::{
    PasswordChange, RecoveryCodes, SessionInfo, SessionList, SessionSummary, SignIn, Timestamp,
    TwoStepConfirm, TwoStepSetup, Username,
};

use crate::auth::{self, Staff};
use crate::client::{address_key, salted_hash, ClientAddr};
use crate::db::{Attempts, AuditRecord, Reserved};
use crate::error::{AppError, JsonBody, PathId};
use crate::routes::http::private;
use crate::routes::http::retry_after;
use crate::routes::responses::{JsonBodyErrors, SignedIn, SignedInWrite};
use crate::state::AppState;
use crate::totp;

/// The window sign-in failures are counted over.
pub const FAILURE_WINDOW_SECS: i64 = 15 * 60;
/// Wrong passwords allowed for one account from one address per window; then that address is
/// refused for that account for the rest of it. The owner elsewhere is not affected.
pub const PER_ACCOUNT_AND_ADDRESS: i64 = 5;
/// Wrong passwords for one account from all addresses per window past which every sign-in to it
/// is slowed by [`SLOW_DOWN`]: many addresses guessing get fewer guesses in, and the owner is
/// never locked out.
pub const PER_ACCOUNT_SLOW: i64 = 10;
/// How long a slowed sign-in waits before its password is checked.
pub const SLOW_DOWN: std::time::Duration = std::time::Duration::from_secs(1);
/// Wrong passwords allowed per address per window, over all accounts (generous: carrier NAT).
pub const PER_ADDRESS: i64 = 20;

/// Wrong second-step codes allowed per account per hour, from anywhere: whoever reaches the
/// second step has the password, and a 6-digit code must not be guessable from many addresses.
/// Past it only recovery codes (80 bits) are checked.
pub const CODES_PER_ACCOUNT: i64 = 10;
/// The window wrong codes are counted over.
pub const CODE_WINDOW_SECS: i64 = 3600;

/// The salted keys a password attempt counts under.
struct SignInKeys {
    /// The account (for the slow-down, and second-step codes).
    account: String,
    /// The account from this address (the limit that refuses).
    pair: String,
    /// This address, over all accounts.
    address: String,
}

impl SignInKeys {
    fn new(salt: &[u8], name: &str, ip: std::net::IpAddr) -> SignInKeys {
        let address = address_key(ip);
        SignInKeys {
            account: salted_hash(salt, "sign-in-account", name),
            pair: salted_hash(salt, "sign-in-pair", &format!("{name}\n{address}")),
            address: salted_hash(salt, "sign-in-address", &address),
        }
    }
}

fn secure(state: &AppState) -> bool {
    state.settings.is_https()
}

/// Signs in: a new session (new id every time, so a planted cookie is useless), its cookie, and
/// the CSRF token. Wrong name and wrong password answer alike, and take as long. Each attempt is
/// counted as a failure before the password is checked and taken back if it was right, so
/// guesses sent at once cannot pass the limits.
#[utoipa::path(post, path = "/api/v1/session", request_body = SignIn, responses(
    (status = 200, description = "Signed in; sets the session cookie", body = SessionInfo,
        headers(("Set-Cookie" = String, description = "`yizhan_session=…; Path=/; HttpOnly; SameSite=Strict` (over https `__Host-yizhan_session=…; …; Secure`)"))),
    (status = 401, description = "`wrong_credentials`: wrong username or password, or a disabled account (alike); `code_required`: right password, and the account signs in with a second step (send `code`); `wrong_code`: that code is wrong or used", body = yizhan_core::ErrorBody),
    (status = 422, description = "`invalid_input`: `username` or `password` blank", body = yizhan_core::ErrorBody),
    (status = 429, description = "`rate_limited`: too many failures for this account from this address, or from this address", body = yizhan_core::ErrorBody,
        headers(("Retry-After" = u64, description = "Seconds until sign-in is allowed again"))),
    (status = 503, description = "`busy`: every password worker is taken", body = yizhan_core::ErrorBody,
        headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    JsonBodyErrors,
))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    JsonBody(body): JsonBody<SignIn>,
) -> Result<Response, AppError> {
    let metrics = state.metrics.clone();
    let result = sign_in_inner(State(state), ClientAddr(ip), headers, JsonBody(body)).await;
    metrics.sign_in(match &result {
        Ok(res) if res.extensions().get::<crate::metrics::Replayed>().is_some() => "replayed",
        Ok(_) => "ok",
        Err(e) => crate::metrics::outcome_of(e),
    });
    result
}

/// The handler proper; [`sign_in`] counts its outcome.
async fn sign_in_inner(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    JsonBody(body): JsonBody<SignIn>,
) -> Result<Response, AppError> {
    let mut missing = FieldErrors::new();
    if body.username.trim().is_empty() {
        missing.insert("username".into(), yizhan_core::FieldCode::Missing);
    }
    if body.password.is_empty() {
        missing.insert("password".into(), yizhan_core::FieldCode::Missing);
    }
    if !missing.is_empty() {
        return Err(AppError::InvalidInput(missing));
    }
    let now = Timestamp::now();
    let salt = state.db.secret("sign_in_salt").await?;
    let name = body.username.trim().to_ascii_lowercase();
    let SignInKeys {
        account: account_key,
        pair: pair_key,
        address: address_key,
    } = SignInKeys::new(&salt, &name, ip);
    let since = Timestamp::from_unix(now.unix() - FAILURE_WINDOW_SECS);
    let limits = [
        (pair_key.as_str(), PER_ACCOUNT_AND_ADDRESS),
        (address_key.as_str(), PER_ADDRESS),
        (account_key.as_str(), i64::MAX),
    ];
    let attempt = auth::random_token::<12>()?;
    let (reservation, counts) = match state
        .db
        .reserve(Attempts::SignIn, &limits, &attempt, since, now)
        .await?
    {
        Reserved::Granted {
            reservation,
            counts,
        } => (reservation, counts),
        Reserved::Refused { first, .. } => {
            return Err(AppError::RateLimited {
                retry_after: retry_after(first, FAILURE_WINDOW_SECS, now),
            });
        }
    };
    if counts.get(2).is_some_and(|n| *n > PER_ACCOUNT_SLOW) {
        tokio::time::sleep(SLOW_DOWN).await;
    }
    let credentials = match Username::parse(&name) {
        Ok(u) => state.db.credentials(&u).await?,
        Err(_) => None,
    };
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let good = match auth::verify_password(&state.hashers, body.password, hash).await {
        Ok(good) => good,
        Err(e) => {
            // Not checked (the pool was full): not a failure either.
            state.db.release(&reservation).await?;
            return Err(e);
        }
    };
    let account = match credentials {
        Some(c) if good && !c.account.disabled => c.account,
        _ => {
            // The reservation stays: it is this failure's record.
            tracing::info!("sign-in refused");
            return Err(AppError::WrongCredentials);
        }
    };
    if account.two_step {
        let code = body.code.as_deref().map(str::trim).unwrap_or_default();
        if code.is_empty() {
            // Not a failure: the app asks for the code and sends both again.
            state.db.release(&reservation).await?;
            return Err(AppError::CodeRequired);
        }
        // Each code is counted for the account before it is checked.
        let code_key = salted_hash(&salt, "sign-in-code", &account.id);
        let code_attempt = auth::random_token::<12>()?;
        let code_reservation = match state
            .db
            .reserve(
                Attempts::SignIn,
                &[(code_key.as_str(), CODES_PER_ACCOUNT)],
                &code_attempt,
                now.plus_seconds(-CODE_WINDOW_SECS),
                now,
            )
            .await?
        {
            Reserved::Granted { reservation, .. } => Some(reservation),
            Reserved::Refused { first, .. } if totp::looks_like_app_code(code) => {
                // The password was right: not a password failure.
                state.db.release(&reservation).await?;
                return Err(AppError::RateLimited {
                    retry_after: retry_after(first, CODE_WINDOW_SECS, now),
                });
            }
            // Recovery codes are still checked: the owner's way in while codes are refused.
            Reserved::Refused { .. } => None,
        };
        if !second_step(&state, &account, code, now).await? {
            tracing::info!("sign-in refused: second step");
            return Err(AppError::WrongCode);
        }
        if let Some(r) = code_reservation {
            state.db.release(&r).await?;
        }
    }
    state.db.release(&reservation).await?;
    state.db.clear_failures(Attempts::SignIn, &pair_key).await?;
    let cookie = auth::random_token::<32>()?;
    let csrf_token = auth::random_token::<32>()?;
    state
        .db
        .insert_session(
            &auth::session_hash(&cookie),
            &account.id,
            &csrf_token,
            &auth::device_label(&headers),
            now,
        )
        .await?;
    tracing::info!(account = %account.id, "signed in");
    let two_step = yizhan_core::TwoStep {
        enabled: account.two_step,
        required: state.settings.require_admin_totp && account.role == yizhan_core::Role::Admin,
    };
    let mut res = Json(SessionInfo {
        account,
        csrf_token,
        two_step,
    })
    .into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        auth::set_cookie(&cookie, secure(&state)),
    );
    Ok(private(res))
}

/// Checks the signed-in person's own password (to change it, or to turn on two-step), counted
/// like a sign-in from this address before it is checked: a stolen session cannot guess it.
async fn check_own_password(
    state: &AppState,
    staff: &Staff,
    ip: std::net::IpAddr,
    password: String,
) -> Result<bool, AppError> {
    let now = Timestamp::now();
    let salt = state.db.secret("sign_in_salt").await?;
    let keys = SignInKeys::new(&salt, staff.account.username.as_str(), ip);
    let attempt = auth::random_token::<12>()?;
    let limits = [
        (keys.pair.as_str(), PER_ACCOUNT_AND_ADDRESS),
        (keys.account.as_str(), i64::MAX),
    ];
    let since = now.plus_seconds(-FAILURE_WINDOW_SECS);
    let reservation = match state
        .db
        .reserve(Attempts::SignIn, &limits, &attempt, since, now)
        .await?
    {
        Reserved::Granted { reservation, .. } => reservation,
        Reserved::Refused { first, .. } => {
            return Err(AppError::RateLimited {
                retry_after: retry_after(first, FAILURE_WINDOW_SECS, now),
            })
        }
    };
    let hash = state.db.password_hash(&staff.account.id).await?;
    match auth::verify_password(&state.hashers, password, hash).await {
        Ok(true) => {
            state.db.release(&reservation).await?;
            Ok(true)
        }
        // The reservation stays: it is this failure's record.
        Ok(false) => Ok(false),
        Err(e) => {
            state.db.release(&reservation).await?;
            Err(e)
        }
    }
}

/// Checks the second step: an authenticator code not used before, or an unused recovery code
/// (used up, and logged).
async fn second_step(
    state: &AppState,
    account: &yizhan_core::Account,
    code: &str,
    now: Timestamp,
) -> Result<bool, AppError> {
    let Some(t) = state.db.totp(&account.id).await?.filter(|t| t.confirmed) else {
        return Ok(false);
    };
    let unix = u64::try_from(now.unix()).unwrap_or(0);
    if let Some(step) = totp::check(&t.secret, code, unix, t.last_step)? {
        return Ok(state.db.use_totp_step(&account.id, step).await?);
    }
    let rec = AuditRecord::about_account(&account.username, account, "account.recovery_code");
    Ok(state
        .db
        .use_recovery_code(&account.id, &totp::recovery_hash(code), &rec, now)
        .await?)
}

/// Who is signed in, and the CSRF token for writes.
#[utoipa::path(get, path = "/api/v1/session", security(("session" = [])), responses(
    (status = 200, description = "The signed-in account", body = SessionInfo),
    SignedIn,
))]
pub async fn current(staff: Staff) -> Response {
    private(
        Json(SessionInfo {
            account: staff.account,
            csrf_token: staff.csrf_token,
            two_step: staff.two_step,
        })
        .into_response(),
    )
}

/// Signs out of this session.
#[utoipa::path(delete, path = "/api/v1/session", security(("session" = [], "csrf" = [])), responses(
    (status = 204, description = "Signed out; the cookie is cleared"),
    SignedInWrite,
))]
pub async fn sign_out(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    state.db.delete_session(&staff.session_hash).await?;
    Ok(signed_out(&state))
}

fn signed_out(state: &AppState) -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, auth::clear_cookie(secure(state)));
    private(res)
}

/// Signs out of every session of the account (a lost phone).
#[utoipa::path(delete, path = "/api/v1/sessions", security(("session" = [], "csrf" = [])), responses(
    (status = 204, description = "Every session ended; the cookie is cleared"),
    SignedInWrite,
))]
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    state.db.delete_sessions_of(&staff.account.id).await?;
    Ok(signed_out(&state))
}

/// The signed-in person's live sessions (a phone left signed in somewhere shows here).
#[utoipa::path(get, path = "/api/v1/sessions", security(("session" = [])), responses(
    (status = 200, description = "Live sessions, most recently used first", body = SessionList),
    SignedIn,
))]
pub async fn list_sessions(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    let now = Timestamp::now();
    let sessions = state
        .db
        .sessions_of(&staff.account.id)
        .await?
        .into_iter()
        .filter(|(_, _, created, seen)| {
            now.unix() - seen.unix() <= auth::IDLE_SECS
                && now.unix() - created.unix() <= auth::ABSOLUTE_SECS
        })
        .map(|(hash, device, created_at, last_seen_at)| SessionSummary {
            id: auth::public_session_id(&hash),
            current: hash == staff.session_hash,
            device,
            created_at,
            last_seen_at,
        })
        .collect();
    Ok(private(Json(SessionList { sessions }).into_response()))
}

/// Ends one of the signed-in person's sessions (ending the current one signs out).
#[utoipa::path(delete, path = "/api/v1/sessions/{id}",
    params(("id" = String, Path, description = "A session's id from `GET /api/v1/sessions`")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Ended (the current one: signed out, the cookie cleared)"),
        (status = 404, description = "`not_found`: no such session of this account", body = yizhan_core::ErrorBody),
        SignedInWrite,
    ))]
pub async fn end_session(
    State(state): State<AppState>,
    staff: Staff,
    PathId(id): PathId,
) -> Result<Response, AppError> {
    let target = state
        .db
        .sessions_of(&staff.account.id)
        .await?
        .into_iter()
        .map(|(hash, ..)| hash)
        .find(|hash| auth::public_session_id(hash) == id)
        .ok_or(AppError::NotFound)?;
    state.db.delete_session(&target).await?;
    if target == staff.session_hash {
        return Ok(signed_out(&state));
    }
    Ok(private(StatusCode::NO_CONTENT.into_response()))
}

/// Starts setting up two-step sign-in: a new secret for the authenticator app (its QR code at
/// `GET /api/v1/session/two-step/qr.svg`). Replaces a set-up still waiting for its first code.
#[utoipa::path(post, path = "/api/v1/session/two-step", security(("session" = [], "csrf" = [])), responses(
    (status = 200, description = "The secret, as a link and as text", body = TwoStepSetup),
    (status = 409, description = "`conflict` (`two_step`: `duplicate`): two-step sign-in is on already (an admin can reset it)", body = yizhan_core::ErrorBody),
    SignedInWrite,
))]
pub async fn begin_two_step(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    let secret = totp::new_secret()?;
    if !state.db.begin_totp(&staff.account.id, &secret).await? {
        return Err(AppError::Conflict(FieldErrors::from([(
            "two_step".into(),
            yizhan_core::FieldCode::Duplicate,
        )])));
    }
    let uri = totp::uri(&secret, staff.account.username.as_str())?;
    Ok(private(
        Json(TwoStepSetup {
            secret: totp::grouped(&secret),
            uri,
        })
        .into_response(),
    ))
}

/// The set-up under way (its secret), or 404.
async fn pending_setup(state: &AppState, staff: &Staff) -> Result<crate::db::TotpRow, AppError> {
    state
        .db
        .totp(&staff.account.id)
        .await?
        .filter(|t| !t.confirmed)
        .ok_or(AppError::NotFound)
}

/// The QR code of the set-up under way, for the authenticator app to scan.
#[utoipa::path(get, path = "/api/v1/session/two-step/qr.svg", security(("session" = [])), responses(
    (status = 200, description = "SVG image of the otpauth link", content_type = "image/svg+xml"),
    (status = 404, description = "`not_found`: no set-up under way", body = yizhan_core::ErrorBody),
    SignedIn,
))]
pub async fn two_step_qr(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    let pending = pending_setup(&state, &staff).await?;
    let uri = totp::uri(&pending.secret, staff.account.username.as_str())?;
    let mut res = crate::poster::qr_svg(&uri).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("image/svg+xml"),
    );
    Ok(private(res))
}

/// Finishes set-up with the account's password and the app's first code; answers the recovery
/// codes, shown this once. The account's other sessions end (they began with a password only).
#[utoipa::path(post, path = "/api/v1/session/two-step/confirm", request_body = TwoStepConfirm,
    security(("session" = [], "csrf" = [])), responses(
    (status = 200, description = "On; keep the recovery codes somewhere safe", body = RecoveryCodes),
    (status = 404, description = "`not_found`: no set-up under way", body = yizhan_core::ErrorBody),
    (status = 422, description = "`invalid_input`: `password` wrong, or `code` wrong or not 6 digits", body = yizhan_core::ErrorBody),
    (status = 429, description = "`rate_limited`: too many wrong passwords from this address", body = yizhan_core::ErrorBody,
        headers(("Retry-After" = u64, description = "Seconds until it may be tried again"))),
    (status = 503, description = "`busy`: every password worker is taken", body = yizhan_core::ErrorBody,
        headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    SignedInWrite,
    JsonBodyErrors,
))]
pub async fn confirm_two_step(
    State(state): State<AppState>,
    staff: Staff,
    ClientAddr(ip): ClientAddr,
    JsonBody(body): JsonBody<TwoStepConfirm>,
) -> Result<Response, AppError> {
    let pending = pending_setup(&state, &staff).await?;
    if !check_own_password(&state, &staff, ip, body.password).await? {
        return Err(AppError::InvalidInput(FieldErrors::from([(
            "password".into(),
            yizhan_core::FieldCode::Invalid,
        )])));
    }
    let now = Timestamp::now();
    let unix = u64::try_from(now.unix()).unwrap_or(0);
    let Some(step) = totp::check(&pending.secret, &body.code, unix, None)? else {
        return Err(AppError::InvalidInput(FieldErrors::from([(
            "code".into(),
            yizhan_core::FieldCode::Invalid,
        )])));
    };
    let codes = totp::new_recovery_codes()?;
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_hash(c)).collect();
    let rec = AuditRecord::about_account(
        &staff.account.username,
        &staff.account,
        "account.two_step_on",
    );
    if !state
        .db
        .confirm_totp(
            &staff.account.id,
            &staff.session_hash,
            step,
            &hashes,
            &rec,
            now,
        )
        .await?
    {
        return Err(AppError::NotFound);
    }
    tracing::info!(account = %staff.account.id, "two-step sign-in on");
    Ok(private(Json(RecoveryCodes { codes }).into_response()))
}

/// Changes the signed-in person's password; other sessions end.
#[utoipa::path(post, path = "/api/v1/session/password", request_body = PasswordChange,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Changed; the account's other sessions end"),
        (status = 401, description = "`wrong_credentials`: the current password is wrong; or `unauthenticated` / `session_expired`", body = yizhan_core::ErrorBody),
        (status = 403, description = "`csrf_failed`: `X-CSRF-Token` is missing or not this session's", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: the new password is shorter than 12 or longer than 128 characters", body = yizhan_core::ErrorBody),
        (status = 429, description = "`rate_limited`: too many wrong current passwords from this address", body = yizhan_core::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until it may be tried again"))),
        (status = 503, description = "`busy`: every password worker is taken", body = yizhan_core::ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
        JsonBodyErrors,
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    ClientAddr(ip): ClientAddr,
    JsonBody(body): JsonBody<PasswordChange>,
) -> Result<Response, AppError> {
    if let Err(code) = check_password(&body.new) {
        return Err(AppError::InvalidInput(FieldErrors::from([(
            "new".into(),
            code,
        )])));
    }
    if !check_own_password(&state, &staff, ip, body.current).await? {
        return Err(AppError::WrongCredentials);
    }
    let new_hash = auth::hash_password(&state.hashers, body.new).await?;
    let rec = AuditRecord::about_account(
        &staff.account.username,
        &staff.account,
        "account.password_change",
    );
    state
        .db
        .set_password(
            &staff.account.id,
            &new_hash,
            Some(&staff.session_hash),
            &rec,
            Timestamp::now(),
        )
        .await?;
    Ok(private(StatusCode::NO_CONTENT.into_response()))
}
