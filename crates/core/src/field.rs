//! Per-field problem codes and the map of them a request's errors carry: the lowest layer of
//! validation, which every request type (stations, reports, staff forms, applications) uses.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What is wrong with one field of a request; the code travels in `error.fields`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", from = "String")]
pub enum FieldCode {
    /// Not in the expected form (e.g. `bbox=1,2,3`, `open_now=maybe`).
    Invalid,
    /// A number outside its allowed range (e.g. latitude 95).
    OutOfRange,
    /// Not one of the known codes (e.g. an amenity that does not exist).
    Unknown,
    /// Longer than allowed.
    TooLong,
    /// Required but missing.
    Missing,
    /// Already used (an id or username taken, or repeated within one upload).
    Duplicate,
    /// A code this build does not know, from a newer server: it still decodes, so the rest of
    /// the error body is kept and the field shows its general problem text. Never sent.
    Other,
}

/// Read through its string and [`FieldCode::as_str`]'s table (serde's derived reader would
/// carry a second table into every bundle).
impl From<String> for FieldCode {
    fn from(code: String) -> Self {
        FieldCode::KNOWN
            .into_iter()
            .find(|c| c.as_str() == code)
            .unwrap_or(FieldCode::Other)
    }
}

impl FieldCode {
    /// Every code a server sends.
    pub const KNOWN: [FieldCode; 6] = [
        FieldCode::Invalid,
        FieldCode::OutOfRange,
        FieldCode::Unknown,
        FieldCode::TooLong,
        FieldCode::Missing,
        FieldCode::Duplicate,
    ];

    /// The snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldCode::Invalid => "invalid",
            FieldCode::OutOfRange => "out_of_range",
            FieldCode::Unknown => "unknown",
            FieldCode::TooLong => "too_long",
            FieldCode::Missing => "missing",
            FieldCode::Duplicate => "duplicate",
            FieldCode::Other => "other",
        }
    }
}

/// Invalid parameters by name, with what is wrong with each.
pub type FieldErrors = BTreeMap<String, FieldCode>;
