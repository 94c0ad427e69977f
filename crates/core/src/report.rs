//! Rider reports on a station: "yes, this is right", or a short fault report for the station's
//! staff. The same rules check a report in the browser (before it is sent) and on the server
//! (before it is stored), so both name the same fields with the same codes.

use serde::{Deserialize, Serialize};

use crate::amenity::Amenity;
use crate::field::{FieldCode, FieldErrors};

/// The longest `text` a report may carry, in characters after trimming.
pub const MAX_TEXT_CHARS: usize = 500;

/// What a rider says about a station.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReportKind {
    /// What the page shows is right.
    Confirm,
    /// The station is closed although it should be open.
    ClosedWhenOpen,
    /// One of its amenities is broken (`amenity` says which).
    AmenityBroken,
    /// Something else (`text` says what).
    Other,
}

impl ReportKind {
    /// Every kind, in the order the app offers them.
    pub const ALL: [ReportKind; 4] = [
        ReportKind::Confirm,
        ReportKind::ClosedWhenOpen,
        ReportKind::AmenityBroken,
        ReportKind::Other,
    ];

    /// The wire code, e.g. `amenity_broken`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Confirm => "confirm",
            ReportKind::ClosedWhenOpen => "closed_when_open",
            ReportKind::AmenityBroken => "amenity_broken",
            ReportKind::Other => "other",
        }
    }

    /// Parses a wire code.
    pub fn parse(s: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The body of `POST /api/v1/stations/{id}/reports`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewReport {
    /// What kind of report this is.
    pub kind: ReportKind,
    /// Which amenity is broken: required for `amenity_broken`, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amenity: Option<Amenity>,
    /// The rider's words: required for `other`, optional otherwise; at most 500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub text: Option<String>,
}

impl NewReport {
    /// A report of `kind` with nothing else.
    pub fn of(kind: ReportKind) -> NewReport {
        NewReport {
            kind,
            amenity: None,
            text: None,
        }
    }

    /// The text without surrounding blanks; `None` when there is nothing left.
    pub fn trimmed_text(&self) -> Option<&str> {
        self.text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    /// Checks the report's own rules: an amenity exactly for `amenity_broken`, text for `other`,
    /// and no text over [`MAX_TEXT_CHARS`]. Errors name the body's fields.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        match (self.kind, self.amenity) {
            (ReportKind::AmenityBroken, None) => {
                errors.insert("amenity".into(), FieldCode::Missing);
            }
            // An amenity on another kind would reach the manager as a fault nobody reported.
            (ReportKind::Confirm | ReportKind::ClosedWhenOpen | ReportKind::Other, Some(_)) => {
                errors.insert("amenity".into(), FieldCode::Invalid);
            }
            _ => {}
        }
        match self.trimmed_text() {
            None if self.kind == ReportKind::Other => {
                errors.insert("text".into(), FieldCode::Missing);
            }
            Some(t) if t.chars().count() > MAX_TEXT_CHARS => {
                errors.insert("text".into(), FieldCode::TooLong);
            }
            _ => {}
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// [`NewReport::validate`], plus: the broken amenity is one the station offers.
    pub fn validate_for(&self, offered: &[Amenity]) -> Result<(), FieldErrors> {
        let mut errors = self.validate().err().unwrap_or_default();
        if let Some(a) = self.amenity {
            if !offered.contains(&a) {
                errors.entry("amenity".into()).or_insert(FieldCode::Unknown);
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The answer to an accepted report (201).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportReceipt {
    /// The report's id: random, never sequential.
    pub id: String,
    /// The kind that was stored.
    pub kind: ReportKind,
}

/// The header that carries a device's id.
pub const DEVICE_ID_HEADER: &str = "X-Device-Id";
/// The header that makes a retried write safe: the same key gets the first answer again.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// A random id a browser keeps in local storage and sends as `X-Device-Id`, so reports can be
/// limited per device: 16–64 characters of `[A-Za-z0-9-]`. It names no person.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DeviceId(String);

impl DeviceId {
    /// The fewest characters a device id has.
    pub const MIN_LEN: usize = 16;
    /// The most characters a device id has.
    pub const MAX_LEN: usize = 64;

    /// Parses a device id.
    pub fn parse(s: &str) -> Result<DeviceId, FieldCode> {
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&s.len()) {
            return Err(FieldCode::Invalid);
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(FieldCode::Invalid);
        }
        Ok(DeviceId(s.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for DeviceId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A resolved report as riders see it on the station page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffReply {
    /// What had been reported.
    pub kind: ReportKind,
    /// The amenity it was about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amenity: Option<Amenity>,
    /// The staff's answer.
    pub reply: String,
    /// When it was resolved.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub resolved_at: crate::time::Timestamp,
}

/// `GET /api/v1/stations/{id}/today`: what riders did at a station today (Beijing time): who
/// said it is right, and how many said they were there. It never changes the station's status:
/// that is the manager's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationToday {
    /// Riders (devices) who said "this is right" today.
    pub confirmed_by: u32,
    /// Visits ("我到了") counted today.
    #[serde(default)]
    pub visits: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(kind: ReportKind, amenity: Option<Amenity>, text: Option<&str>) -> NewReport {
        NewReport {
            kind,
            amenity,
            text: text.map(str::to_owned),
        }
    }

    fn field(r: &NewReport, name: &str) -> Option<FieldCode> {
        r.validate().err().and_then(|e| e.get(name).copied())
    }

    #[test]
    fn a_bare_confirmation_is_valid() {
        assert_eq!(NewReport::of(ReportKind::Confirm).validate(), Ok(()));
        assert_eq!(NewReport::of(ReportKind::ClosedWhenOpen).validate(), Ok(()));
    }

    #[test]
    fn broken_amenity_without_saying_which_is_missing_the_amenity() {
        let r = report(ReportKind::AmenityBroken, None, None);
        assert_eq!(field(&r, "amenity"), Some(FieldCode::Missing));
        let ok = report(ReportKind::AmenityBroken, Some(Amenity::Microwave), None);
        assert_eq!(ok.validate(), Ok(()));
    }

    #[test]
    fn amenity_on_a_report_about_something_else_is_refused() {
        let r = report(ReportKind::ClosedWhenOpen, Some(Amenity::Water), None);
        assert_eq!(field(&r, "amenity"), Some(FieldCode::Invalid));
    }

    #[test]
    fn other_needs_words_and_blanks_are_not_words() {
        for text in [None, Some(""), Some("  \n\t ")] {
            let r = report(ReportKind::Other, None, text);
            assert_eq!(field(&r, "text"), Some(FieldCode::Missing), "{text:?}");
        }
        assert_eq!(
            report(ReportKind::Other, None, Some("门口堆满了东西")).validate(),
            Ok(())
        );
    }

    #[test]
    fn five_hundred_chinese_characters_fit_and_five_hundred_and_one_do_not() {
        let fits = "坏".repeat(MAX_TEXT_CHARS);
        assert_eq!(
            report(ReportKind::Other, None, Some(&fits)).validate(),
            Ok(())
        );
        let long = "坏".repeat(MAX_TEXT_CHARS + 1);
        let r = report(ReportKind::Other, None, Some(&long));
        assert_eq!(field(&r, "text"), Some(FieldCode::TooLong));
    }

    #[test]
    fn surrounding_blanks_do_not_count_toward_the_limit() {
        let text = format!("  {}  ", "a".repeat(MAX_TEXT_CHARS));
        let r = report(ReportKind::Other, None, Some(&text));
        assert_eq!(r.validate(), Ok(()));
        assert_eq!(r.trimmed_text().map(str::len), Some(MAX_TEXT_CHARS));
    }

    #[test]
    fn amenity_the_station_does_not_have_is_unknown() {
        let r = report(ReportKind::AmenityBroken, Some(Amenity::Shower), None);
        let errors = r
            .validate_for(&[Amenity::Water, Amenity::Microwave])
            .expect_err("no shower there");
        assert_eq!(errors.get("amenity"), Some(&FieldCode::Unknown));
        assert_eq!(r.validate_for(&[Amenity::Shower]), Ok(()));
    }

    #[test]
    fn kinds_travel_as_snake_case_codes() {
        for k in ReportKind::ALL {
            let json = serde_json::to_string(&k).expect("serialise");
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(ReportKind::parse(k.as_str()), Some(k));
        }
        let r: NewReport =
            serde_json::from_str(r#"{"kind":"amenity_broken","amenity":"microwave"}"#)
                .expect("parse");
        assert_eq!(r.amenity, Some(Amenity::Microwave));
        assert_eq!(r.text, None);
    }

    #[test]
    fn device_id_is_sixteen_to_sixty_four_letters_digits_or_dashes() {
        assert!(DeviceId::parse("abcdEFGH-1234-xyz").is_ok());
        assert!(DeviceId::parse(&"a".repeat(64)).is_ok());
        for bad in [
            "short",
            &"a".repeat(65),
            "abcdefgh_12345678",
            "abcdefgh 12345678",
            "设备设备设备设备设备设备",
        ] {
            assert_eq!(DeviceId::parse(bad), Err(FieldCode::Invalid), "{bad:?}");
        }
    }
}
