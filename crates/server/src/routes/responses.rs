//! The answers many operations share, described once for the OpenAPI document: those of the
//! JSON body extractor and of the signed-in `Staff` extractor, named in each operation's
//! `responses(...)`.

use yizhan_core::ErrorBody;

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
