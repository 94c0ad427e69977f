//! The error body every API answer uses, and the per-field problem codes both sides understand.

use serde::{Deserialize, Serialize};

use crate::station::Station;

pub use crate::field::{FieldCode, FieldErrors};

/// `{"code", "message", "fields"}` inside every error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Machine-readable snake_case code, e.g. `invalid_query`.
    pub code: String,
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

    /// Bodies the server sends today, byte for byte (the staff sign-in with nothing typed, and
    /// a review filter with a bad status and date): typed codes must not change the wire.
    const TODAY: [&str; 2] = [
        r#"{"error":{"code":"invalid_input","message":"Some fields are invalid; see the marked ones.","fields":{"password":"missing","username":"missing"}}}"#,
        r#"{"error":{"code":"invalid_query","message":"Some query parameters are invalid; see the named fields.","fields":{"from":"invalid","status":"unknown"}}}"#,
    ];

    #[test]
    fn todays_error_bodies_round_trip_exactly() {
        for json in TODAY {
            let body: ErrorBody = serde_json::from_str(json).expect("decodes");
            assert_eq!(serde_json::to_string(&body).expect("encodes"), json);
        }
        let body: ErrorBody = serde_json::from_str(TODAY[1]).expect("decodes");
        assert_eq!(body.error.fields["from"], FieldCode::Invalid);
        assert_eq!(body.error.fields["status"], FieldCode::Unknown);
    }

    #[test]
    fn every_code_is_sent_as_its_string() {
        for code in [
            FieldCode::Invalid,
            FieldCode::OutOfRange,
            FieldCode::Unknown,
            FieldCode::TooLong,
            FieldCode::Missing,
            FieldCode::Duplicate,
        ] {
            let json = serde_json::to_string(&code).expect("encodes");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(
                serde_json::from_str::<FieldCode>(&json).expect("decodes"),
                code
            );
        }
    }

    #[test]
    fn a_code_from_a_newer_server_still_decodes_the_body() {
        let json = r#"{"error":{"code":"invalid_input","message":"m","fields":{"name":"missing","phone":"too_short"}}}"#;
        let body: ErrorBody = serde_json::from_str(json).expect("the body is kept");
        assert_eq!(body.error.code, "invalid_input");
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
