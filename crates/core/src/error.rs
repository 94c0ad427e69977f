//! The error body every API answer uses, and the per-field problem codes both sides understand.

use serde::{Deserialize, Serialize};

use crate::station::Station;

pub use crate::field::{FieldCode, FieldErrors};

/// What went wrong, as a whole; the code travels as `error.code`, a snake_case string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", from = "String")]
pub enum ErrorCode {
    /// 400: query parameters with bad values, named in `fields`.
    InvalidQuery,
    /// 400: the body is not JSON, or not JSON of the expected shape.
    InvalidBody,
    /// 400: a request header has a bad value, named in `fields`.
    InvalidHeader,
    /// 404: no such station, application or other thing.
    NotFound,
    /// 413: the body is larger than the endpoint accepts.
    PayloadTooLarge,
    /// 415: the body is not `application/json`.
    UnsupportedMediaType,
    /// 422: a report breaks its rules, by field.
    InvalidReport,
    /// 429: too many requests; `Retry-After` says when to try again.
    RateLimited,
    /// 404: no such API route.
    NoRoute,
    /// 401: not signed in.
    Unauthenticated,
    /// 401: the session ended (idle or absolute limit).
    SessionExpired,
    /// 401: the username or password is wrong (never says which).
    WrongCredentials,
    /// 403: signed in, but not allowed to do this.
    Forbidden,
    /// 401: right password, but the account's second step's code is missing.
    CodeRequired,
    /// 401: the second step's code (or recovery code) is wrong or used.
    WrongCode,
    /// 403: this admin must set up two-step sign-in first.
    TwoStepRequired,
    /// 403: a cookie-authenticated write without the session's CSRF token.
    CsrfFailed,
    /// 428: an update without `If-Match`.
    PreconditionRequired,
    /// 412: someone else changed the station first (the body carries it as it is now).
    Stale,
    /// 409: something with this id or name exists already, by field.
    Conflict,
    /// 422: a form breaks its rules, by field.
    InvalidInput,
    /// 400 or 422: an uploaded file cannot be read, or is not a station list.
    InvalidFile,
    /// 409: the phone already has a pending application at this union.
    DuplicateApplication,
    /// 409: the application's status does not allow this now.
    WrongStatus,
    /// 503: the database does not answer; try again shortly.
    Unavailable,
    /// 503: every password worker is busy; try again in a moment.
    Busy,
    /// 500: a bug or a failing dependency (the body names the request id).
    Internal,
    /// A code this build does not know, from a newer server: it still decodes, so the rest of
    /// the error body (its message, its fields) is kept. Never sent.
    Other,
}

/// Read through its string and [`ErrorCode::as_str`]'s table: serde's derived reader would
/// carry a second table of the names into every bundle.
impl From<String> for ErrorCode {
    fn from(code: String) -> Self {
        ErrorCode::KNOWN
            .into_iter()
            .find(|c| c.as_str() == code)
            .unwrap_or(ErrorCode::Other)
    }
}

impl ErrorCode {
    /// Every code a server sends.
    pub const KNOWN: [ErrorCode; 27] = [
        ErrorCode::InvalidQuery,
        ErrorCode::InvalidBody,
        ErrorCode::InvalidHeader,
        ErrorCode::NotFound,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::InvalidReport,
        ErrorCode::RateLimited,
        ErrorCode::NoRoute,
        ErrorCode::Unauthenticated,
        ErrorCode::SessionExpired,
        ErrorCode::WrongCredentials,
        ErrorCode::Forbidden,
        ErrorCode::CodeRequired,
        ErrorCode::WrongCode,
        ErrorCode::TwoStepRequired,
        ErrorCode::CsrfFailed,
        ErrorCode::PreconditionRequired,
        ErrorCode::Stale,
        ErrorCode::Conflict,
        ErrorCode::InvalidInput,
        ErrorCode::InvalidFile,
        ErrorCode::DuplicateApplication,
        ErrorCode::WrongStatus,
        ErrorCode::Unavailable,
        ErrorCode::Busy,
        ErrorCode::Internal,
    ];

    /// The snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidQuery => "invalid_query",
            ErrorCode::InvalidBody => "invalid_body",
            ErrorCode::InvalidHeader => "invalid_header",
            ErrorCode::NotFound => "not_found",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::InvalidReport => "invalid_report",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::NoRoute => "no_route",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::WrongCredentials => "wrong_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::CodeRequired => "code_required",
            ErrorCode::WrongCode => "wrong_code",
            ErrorCode::TwoStepRequired => "two_step_required",
            ErrorCode::CsrfFailed => "csrf_failed",
            ErrorCode::PreconditionRequired => "precondition_required",
            ErrorCode::Stale => "stale",
            ErrorCode::Conflict => "conflict",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::InvalidFile => "invalid_file",
            ErrorCode::DuplicateApplication => "duplicate_application",
            ErrorCode::WrongStatus => "wrong_status",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Busy => "busy",
            ErrorCode::Internal => "internal",
            ErrorCode::Other => "other",
        }
    }
}

/// `{"code", "message", "fields"}` inside every error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Machine-readable snake_case code, e.g. `invalid_query`, as [`ErrorCode::as_str`]
    /// spells it.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: ErrorCode,
    /// Human message in the request's language.
    pub message: String,
    /// Field name → problem code, for errors about specific inputs. On the wire each code is
    /// its snake_case string, as [`FieldCode::as_str`] spells it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
    pub fields: FieldErrors,
    /// On a 500 only: the request's id (also in `x-request-id`), to trace it in the logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// The whole error answer: `{"error": {...}}`, plus the current station on a 412.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ApiError,
    /// The station as it is now, when an update lost a race (412).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Box<Station>>,
}

/// [`ErrorBody`] read without its station: how a bundle that never shows a 412's station reads
/// every error answer, so it carries no station parser (opening hours and all).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ErrorHead {
    /// What went wrong.
    pub error: ApiError,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bodies the server sends today, byte for byte (the staff sign-in with nothing typed, a
    /// review filter with a bad status and date, a wrong password, a lost session, a 500 with
    /// its reference, a duplicate application): typed codes must not change the wire.
    const TODAY: [&str; 6] = [
        r#"{"error":{"code":"invalid_input","message":"Some fields are invalid; see the marked ones.","fields":{"password":"missing","username":"missing"}}}"#,
        r#"{"error":{"code":"invalid_query","message":"Some query parameters are invalid; see the named fields.","fields":{"from":"invalid","status":"unknown"}}}"#,
        r#"{"error":{"code":"wrong_credentials","message":"用户名或密码不对。","fields":{}}}"#,
        r#"{"error":{"code":"session_expired","message":"Your session has ended; please sign in again.","fields":{}}}"#,
        r#"{"error":{"code":"internal","message":"服务器出错了，请稍后再试。（编号 r-1f2e）","fields":{},"request_id":"r-1f2e"}}"#,
        r#"{"error":{"code":"duplicate_application","message":"m","fields":{}}}"#,
    ];

    #[test]
    fn todays_error_bodies_round_trip_exactly() {
        for json in TODAY {
            let body: ErrorBody = serde_json::from_str(json).expect("decodes");
            assert_eq!(serde_json::to_string(&body).expect("encodes"), json);
        }
        let body: ErrorBody = serde_json::from_str(TODAY[1]).expect("decodes");
        assert_eq!(body.error.code, ErrorCode::InvalidQuery);
        assert_eq!(body.error.fields["from"], FieldCode::Invalid);
        assert_eq!(body.error.fields["status"], FieldCode::Unknown);
        let body: ErrorBody = serde_json::from_str(TODAY[4]).expect("decodes");
        assert_eq!(body.error.code, ErrorCode::Internal);
        assert_eq!(body.error.request_id.as_deref(), Some("r-1f2e"));
    }

    #[test]
    fn every_error_code_is_sent_as_its_string() {
        for code in ErrorCode::KNOWN {
            let json = serde_json::to_string(&code).expect("encodes");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(
                serde_json::from_str::<ErrorCode>(&json).expect("decodes"),
                code
            );
        }
        let mut spelled: Vec<_> = ErrorCode::KNOWN.iter().map(|c| c.as_str()).collect();
        spelled.sort_unstable();
        spelled.dedup();
        assert_eq!(
            spelled.len(),
            ErrorCode::KNOWN.len(),
            "no two codes spelled alike"
        );
    }

    #[test]
    fn an_error_code_from_a_newer_server_still_decodes_the_body() {
        let json = r#"{"error":{"code":"too_sunny","message":"m","fields":{"name":"missing"}}}"#;
        let body: ErrorBody = serde_json::from_str(json).expect("the body is kept");
        assert_eq!(body.error.code, ErrorCode::Other);
        assert_eq!(body.error.message, "m");
        assert_eq!(body.error.fields["name"], FieldCode::Missing);
    }

    #[test]
    fn every_field_code_is_sent_as_its_string() {
        for code in FieldCode::KNOWN {
            let json = serde_json::to_string(&code).expect("encodes");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(
                serde_json::from_str::<FieldCode>(&json).expect("decodes"),
                code
            );
        }
    }

    #[test]
    fn a_field_code_from_a_newer_server_still_decodes_the_body() {
        let json = r#"{"error":{"code":"invalid_input","message":"m","fields":{"name":"missing","phone":"too_short"}}}"#;
        let body: ErrorBody = serde_json::from_str(json).expect("the body is kept");
        assert_eq!(body.error.code, ErrorCode::InvalidInput);
        assert_eq!(body.error.fields["name"], FieldCode::Missing);
        assert_eq!(body.error.fields["phone"], FieldCode::Other);
    }

    #[test]
    fn every_error_body_reads_as_its_head() {
        let mut body: ErrorBody = serde_json::from_str(TODAY[0]).expect("decodes");
        body.current = Some(Box::new(crate::station::tests::sample("24/7")));
        let json = serde_json::to_string(&body).expect("encodes");
        let head: ErrorHead = serde_json::from_str(&json).expect("the head is read");
        assert_eq!(head.error, body.error);
    }

    #[test]
    fn a_body_without_fields_has_none() {
        let json = r#"{"error":{"code":"not_found","message":"m"}}"#;
        let body: ErrorBody = serde_json::from_str(json).expect("decodes");
        assert!(body.error.fields.is_empty());
    }
}
