//! Signing in and out: `POST /api/v1/session`, `GET` and `DELETE` it, `DELETE /api/v1/sessions`
//! (sign out everywhere), and `POST /api/v1/session/password`.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use yizhan_core::query::FieldErrors;
use yizhan_core::staff::check_password;
use yizhan_core::{PasswordChange, SessionInfo, SignIn, Timestamp, Username};

use crate::auth::{self, Staff};
use crate::db::Attempts;
use crate::error::{AppError, JsonBody};
use crate::routes::manage::private;
use crate::routes::openapi::{JsonBodyErrors, SignedIn, SignedInWrite};
use crate::routes::reports::{address_key, salted_hash, ClientAddr};
use crate::state::AppState;

/// The window sign-in failures are counted over.
pub const FAILURE_WINDOW_SECS: i64 = 15 * 60;
/// Wrong passwords allowed per account per window, before it is locked for the rest of it.
pub const PER_ACCOUNT: i64 = 5;
/// Wrong passwords allowed per address per window (generous: carrier NAT).
pub const PER_ADDRESS: i64 = 20;

fn secure(state: &AppState) -> bool {
    state.settings.public_url.starts_with("https://")
}

/// Signs in: a new session (new id every time, so a planted cookie is useless), its cookie, and
/// the CSRF token. Wrong name and wrong password answer alike.
#[utoipa::path(post, path = "/api/v1/session", request_body = SignIn, responses(
    (status = 200, description = "Signed in; sets the session cookie", body = SessionInfo,
        headers(("Set-Cookie" = String, description = "`yizhan_session=…; Path=/; HttpOnly; SameSite=Strict`"))),
    (status = 401, description = "`wrong_credentials`: wrong username or password, or a disabled account (alike)", body = yizhan_core::ErrorBody),
    (status = 422, description = "`invalid_input`: `username` or `password` blank", body = yizhan_core::ErrorBody),
    (status = 429, description = "`rate_limited`: too many failures for this account or from this address", body = yizhan_core::ErrorBody,
        headers(("Retry-After" = u64, description = "Seconds until sign-in is allowed again"))),
    JsonBodyErrors,
))]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
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
    let account_key = salted_hash(&salt, "sign-in-account", &name);
    let address_key = salted_hash(&salt, "sign-in-address", &address_key(ip));
    let since = Timestamp::from_unix(now.unix() - FAILURE_WINDOW_SECS);
    for (key, limit) in [(&account_key, PER_ACCOUNT), (&address_key, PER_ADDRESS)] {
        let (count, first) = state.db.failures(Attempts::SignIn, key, since).await?;
        if count >= limit {
            let until = first.map_or(now.unix(), |f| f.unix()) + FAILURE_WINDOW_SECS;
            return Err(AppError::RateLimited {
                retry_after: u64::try_from((until - now.unix()).max(1)).unwrap_or(1),
            });
        }
    }
    let credentials = match Username::parse(&name) {
        Ok(u) => state.db.credentials(&u).await?,
        Err(_) => None,
    };
    let hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let good = auth::verify_password(body.password, hash).await?;
    let account = match credentials {
        Some(c) if good && !c.account.disabled => c.account,
        _ => {
            state
                .db
                .record_failure(Attempts::SignIn, &[&account_key, &address_key], now)
                .await?;
            tracing::info!("sign-in refused");
            return Err(AppError::WrongCredentials);
        }
    };
    state
        .db
        .clear_failures(Attempts::SignIn, &account_key)
        .await?;
    let cookie = auth::random_token::<32>()?;
    let csrf_token = auth::random_token::<32>()?;
    state
        .db
        .insert_session(&auth::session_hash(&cookie), &account.id, &csrf_token, now)
        .await?;
    tracing::info!(account = %account.id, "signed in");
    let mut res = Json(SessionInfo {
        account,
        csrf_token,
    })
    .into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        auth::set_cookie(&cookie, secure(&state)),
    );
    Ok(private(res))
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

/// Changes the signed-in person's password; other sessions end.
#[utoipa::path(post, path = "/api/v1/session/password", request_body = PasswordChange,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Changed; the account's other sessions end"),
        (status = 401, description = "`wrong_credentials`: the current password is wrong; or `unauthenticated` / `session_expired`", body = yizhan_core::ErrorBody),
        (status = 403, description = "`csrf_failed`: `X-CSRF-Token` is missing or not this session's", body = yizhan_core::ErrorBody),
        (status = 422, description = "`invalid_input`: the new password is shorter than 12 or longer than 128 characters", body = yizhan_core::ErrorBody),
        JsonBodyErrors,
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    _headers: HeaderMap,
    JsonBody(body): JsonBody<PasswordChange>,
) -> Result<Response, AppError> {
    if let Err(code) = check_password(&body.new) {
        return Err(AppError::InvalidInput(FieldErrors::from([(
            "new".into(),
            code,
        )])));
    }
    let hash = state.db.password_hash(&staff.account.id).await?;
    if !auth::verify_password(body.current, hash).await? {
        return Err(AppError::WrongCredentials);
    }
    let new_hash = auth::hash_password(body.new).await?;
    state
        .db
        .set_password(&staff.account.id, &new_hash, Some(&staff.session_hash))
        .await?;
    Ok(private(StatusCode::NO_CONTENT.into_response()))
}
