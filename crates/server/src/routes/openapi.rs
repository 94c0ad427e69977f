//! `GET /api/v1/openapi.json`, generated from the handlers and domain types, and the answers
//! many operations share: those of the JSON body extractor and of the signed-in `Staff`
//! extractor, listed once here and named in each operation's `responses(...)`.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use yizhan_core::ErrorBody;

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Yizhan API",
        description = "Rest stations for outdoor workers: map, status, union membership.\n\n\
            Every error answer is `{\"error\": {\"code\", \"message\", \"fields\"}}` (`ErrorBody`). \
            Staff operations need the session cookie from `POST /api/v1/session` (scheme `session`); \
            those that change something also need its `csrf_token` in `X-CSRF-Token` (scheme `csrf`)."
    ),
    modifiers(&StaffSecurity),
    components(schemas(ErrorBody)),
    paths(
        super::stations::list,
        super::stations::one,
        super::stations::geojson,
        super::reports::create,
        super::poster::svg,
        super::session::sign_in,
        super::session::current,
        super::session::sign_out,
        super::session::sign_out_everywhere,
        super::session::list_sessions,
        super::session::end_session,
        super::session::change_password,
        super::session::begin_two_step,
        super::session::two_step_qr,
        super::session::confirm_two_step,
        super::manage::set_status,
        super::manage::my_stations,
        super::manage::inbox,
        super::manage::resolve,
        super::admin::unions,
        super::admin::stations,
        super::admin::create_station,
        super::admin::update_station,
        super::admin::import,
        super::admin::export_csv,
        super::admin::export_geojson,
        super::admin::accounts,
        super::admin::create_account,
        super::admin::update_account,
        super::admin::reset_password,
        super::admin::reset_two_step,
        super::admin::audit,
        super::applications::create,
        super::applications::lookup,
        super::applications::withdraw,
        super::applications::resubmit,
        super::applications::policy,
        super::review::list,
        super::review::one,
        super::review::decide,
        super::review::decide_many,
        super::review::export,
        super::review::stats,
        super::health::health,
        super::health::ready
    )
)]
pub struct ApiDoc;

/// Serves the OpenAPI 3 description.
pub async fn spec() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The security scheme of the session cookie.
pub const SESSION: &str = "session";
/// The security scheme of the CSRF token header.
pub const CSRF: &str = "csrf";

/// Declares the two halves of staff authentication: the session cookie (every staff operation)
/// and the CSRF token header (every staff operation that changes something).
struct StaffSecurity;

impl Modify for StaffSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::COOKIE,
                "The session cookie set by `POST /api/v1/session` (HttpOnly, SameSite=Strict)",
            ))),
        );
        components.add_security_scheme(
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's `csrf_token`, on every cookie-authenticated write",
            ))),
        );
    }
}

/// What an operation reading a JSON body ([`crate::error::JsonBody`]) may answer besides its
/// own rules (422, listed by each operation with what it checks).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code, reason = "describes answers for OpenAPI only")]
pub enum JsonBodyErrors {
    /// `invalid_body`: not JSON, or JSON of the wrong shape (a wrong type, an unknown code, a
    /// malformed id); also `invalid_query` / `invalid_header` for a malformed parameter or
    /// header. `error.fields` names it.
    #[response(status = 400)]
    Malformed(ErrorBody),
    /// `payload_too_large`: the body is larger than this operation accepts.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// `unsupported_media_type`: the body is not `application/json`.
    #[response(status = 415)]
    NotJson(ErrorBody),
}

/// What an operation behind the signed-in [`crate::auth::Staff`] extractor may answer when it
/// only reads.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code, reason = "describes answers for OpenAPI only")]
pub enum SignedIn {
    /// `unauthenticated` (no session cookie, or an unknown one) or `session_expired`.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// `two_step_required`: the operator requires two-step sign-in of admins
    /// (`YIZHAN_REQUIRE_ADMIN_TOTP`) and this one has not set it up (only `/api/v1/session…`
    /// answers until then); `forbidden` where the operation is for admins only.
    #[response(status = 403)]
    Forbidden(ErrorBody),
}

/// [`SignedIn`], for admins only.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code, reason = "describes answers for OpenAPI only")]
pub enum AdminRead {
    /// `unauthenticated` (no session cookie, or an unknown one) or `session_expired`.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// `forbidden`: the account is not an admin; `two_step_required`: it has not set up the
    /// two-step sign-in the operator requires.
    #[response(status = 403)]
    Forbidden(ErrorBody),
}

/// What an operation behind [`crate::auth::Staff`] may answer when it changes something: the
/// CSRF token is checked before anything else.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code, reason = "describes answers for OpenAPI only")]
pub enum SignedInWrite {
    /// `unauthenticated` (no session cookie, or an unknown one) or `session_expired`.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// `csrf_failed`: `X-CSRF-Token` is missing or not this session's; or `forbidden`: the
    /// account may not do this (not an admin, not this station's keeper, a union outside the
    /// admin's); `two_step_required`: an admin who has not set up the two-step sign-in the
    /// operator requires.
    #[response(status = 403)]
    Forbidden(ErrorBody),
}
