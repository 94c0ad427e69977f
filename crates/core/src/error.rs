//! The error body every API answer uses, and the per-field problem codes both sides understand.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::station::Station;

pub use crate::field::FieldCode;

/// `{"code", "message", "fields"}` inside every error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Machine-readable snake_case code, e.g. `invalid_query`.
    pub code: String,
    /// Human message in the request's language.
    pub message: String,
    /// Field name → problem code, for errors about specific inputs.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
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
