//! A station as union staff type it (the admin form, one CSV row, one GeoJSON feature), and
//! the rules that turn it into a valid station. Coordinates may come in GCJ-02 or BD-09 (copied
//! from Amap or Baidu) and are converted to WGS-84 here, once.

use serde::{Deserialize, Serialize};

use crate::amenity::Amenity;
use crate::datum::Datum;
use crate::field::FieldCode;
use crate::geo::{GeoError, LatLng};
use crate::ids::{StationId, UnionId};
use crate::opening_hours::OpeningHours;
use crate::query::FieldErrors;

/// Longest station name.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest address.
pub const MAX_ADDRESS_CHARS: usize = 200;
/// Longest district name.
pub const MAX_DISTRICT_CHARS: usize = 20;
/// Longest phone number as typed.
pub const MAX_PHONE_CHARS: usize = 20;

/// A station as staff enter it; every field as typed, checked by [`StationDraft::validate`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationDraft {
    /// Stable id, `[a-z0-9-]{1,40}`; fixed once created.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9-]{1,40}$"))]
    pub id: String,
    /// Name (≤ 80 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub name: String,
    /// Street address (≤ 200 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub address: String,
    /// District, e.g. 朝阳区 (≤ 20 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 20))]
    pub district: String,
    /// The union that runs it: the admin's or one below it.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9-]{1,40}$"))]
    pub union_id: String,
    /// Latitude in `datum` (not 0 together with `lng`: that is an empty spreadsheet cell).
    #[cfg_attr(feature = "openapi", schema(minimum = -90, maximum = 90))]
    pub lat: f64,
    /// Longitude in `datum`.
    #[cfg_attr(feature = "openapi", schema(minimum = -180, maximum = 180))]
    pub lng: f64,
    /// The datum of `lat`/`lng`; stored as WGS-84.
    #[serde(default = "wgs84")]
    pub datum: Datum,
    /// OSM opening hours, e.g. `Mo-Su 08:00-20:00` or `24/7`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub hours: String,
    /// Contact phone: digits with optional `+`, spaces, `-` and parentheses (≤ 20 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9+() -]{0,20}$"))]
    pub phone: Option<String>,
    /// What it offers.
    #[serde(default)]
    pub amenities: Vec<Amenity>,
    /// Hidden stations are kept but not shown to riders.
    #[serde(default)]
    pub hidden: bool,
}

fn wgs84() -> Datum {
    Datum::Wgs84
}

/// A draft that passed [`StationDraft::validate`], in WGS-84.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidStation {
    /// Id.
    pub id: StationId,
    /// Name.
    pub name: String,
    /// Address.
    pub address: String,
    /// District.
    pub district: String,
    /// Union.
    pub union_id: UnionId,
    /// WGS-84 position.
    pub location: LatLng,
    /// Hours.
    pub hours: OpeningHours,
    /// Phone.
    pub phone: Option<String>,
    /// Amenities, without repeats, in the order given.
    pub amenities: Vec<Amenity>,
    /// Hidden from riders.
    pub hidden: bool,
}

fn required(field: &str, value: &str, max: usize, errors: &mut FieldErrors) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.insert(field.into(), FieldCode::Missing);
    } else if v.chars().count() > max {
        errors.insert(field.into(), FieldCode::TooLong);
    }
    v.to_owned()
}

/// A phone as people write it: digits with optional `+`, spaces, `-` and parentheses.
pub fn check_phone(p: &str) -> Result<(), FieldCode> {
    if p.chars().count() > MAX_PHONE_CHARS {
        return Err(FieldCode::TooLong);
    }
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let allowed = p
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
    if allowed && digits >= 3 {
        Ok(())
    } else {
        Err(FieldCode::Invalid)
    }
}

impl StationDraft {
    /// Checks every field, naming each bad one; converts the position to WGS-84.
    pub fn validate(&self) -> Result<ValidStation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let id = StationId::parse(self.id.trim())
            .map_err(|e| {
                let code = match e {
                    crate::ids::IdError::Empty => FieldCode::Missing,
                    crate::ids::IdError::TooLong => FieldCode::TooLong,
                    crate::ids::IdError::BadCharacter => FieldCode::Invalid,
                };
                errors.insert("id".into(), code);
            })
            .ok();
        let name = required("name", &self.name, MAX_NAME_CHARS, &mut errors);
        let address = required("address", &self.address, MAX_ADDRESS_CHARS, &mut errors);
        let district = required("district", &self.district, MAX_DISTRICT_CHARS, &mut errors);
        let union_id = UnionId::parse(self.union_id.trim())
            .map_err(|e| {
                let code = if e == crate::ids::IdError::Empty {
                    FieldCode::Missing
                } else {
                    FieldCode::Invalid
                };
                errors.insert("union_id".into(), code);
            })
            .ok();
        let location = match LatLng::new(self.lat, self.lng) {
            // A point of exactly 0,0 is an empty spreadsheet cell, not a station off Africa.
            Ok(_) if self.lat == 0.0 && self.lng == 0.0 => {
                errors.insert("lat".into(), FieldCode::Missing);
                errors.insert("lng".into(), FieldCode::Missing);
                None
            }
            Ok(p) => Some(self.datum.to_wgs84(p)),
            Err(e) => {
                let code = if e == GeoError::OutOfRange {
                    FieldCode::OutOfRange
                } else {
                    FieldCode::Invalid
                };
                if !(-90.0..=90.0).contains(&self.lat) || !self.lat.is_finite() {
                    errors.insert("lat".into(), code);
                }
                if !(-180.0..=180.0).contains(&self.lng) || !self.lng.is_finite() {
                    errors.insert("lng".into(), code);
                }
                None
            }
        };
        let hours = match self.hours.trim() {
            "" => {
                errors.insert("hours".into(), FieldCode::Missing);
                None
            }
            h => OpeningHours::parse(h)
                .map_err(|_| errors.insert("hours".into(), FieldCode::Invalid))
                .ok(),
        };
        let phone = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        if let Some(p) = &phone {
            if let Err(code) = check_phone(p) {
                errors.insert("phone".into(), code);
            }
        }
        let mut amenities = Vec::new();
        for a in &self.amenities {
            if !amenities.contains(a) {
                amenities.push(*a);
            }
        }
        match (id, union_id, location, hours) {
            (Some(id), Some(union_id), Some(location), Some(hours)) if errors.is_empty() => {
                Ok(ValidStation {
                    id,
                    name,
                    address,
                    district,
                    union_id,
                    location,
                    hours,
                    phone,
                    amenities,
                    hidden: self.hidden,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A station as union staff see it: what riders see (raw, unexpired status) plus whether it is
/// hidden from them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminStation {
    /// The station.
    #[serde(flatten)]
    pub station: crate::station::Station,
    /// Hidden from riders.
    pub hidden: bool,
}

impl AdminStation {
    /// The station as an editable draft (WGS-84).
    pub fn to_draft(&self) -> StationDraft {
        let s = &self.station;
        StationDraft {
            id: s.id.to_string(),
            name: s.name.clone(),
            address: s.address.clone(),
            district: s.district.clone(),
            union_id: s.union.id.to_string(),
            lat: s.location.lat.get(),
            lng: s.location.lng.get(),
            datum: Datum::Wgs84,
            hours: s.hours.as_str().to_owned(),
            phone: s.phone.clone(),
            amenities: s.amenities.iter().map(|a| a.code).collect(),
            hidden: self.hidden,
        }
    }
}

/// What an import would do (preview) or did (commit), row by row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// One entry per data row (CSV line or GeoJSON feature).
    pub rows: Vec<ImportRow>,
    /// Rows that would create a station.
    pub creates: usize,
    /// Rows that would update an existing station.
    pub updates: usize,
    /// Whether anything was written (only when no row has an error).
    pub committed: bool,
}

impl ImportReport {
    /// Whether every row is valid.
    pub fn is_clean(&self) -> bool {
        self.rows.iter().all(|r| r.errors.is_empty())
    }
}

/// One row of an import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRow {
    /// CSV line number (header is line 1) or GeoJSON feature number (from 1).
    pub line: usize,
    /// The row's station id as given.
    pub id: String,
    /// The row's name as given.
    pub name: String,
    /// `create` or `update` when valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Column → problem code (`missing`, `invalid`, `duplicate`, …).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
    pub errors: FieldErrors,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> StationDraft {
        StationDraft {
            id: "cy-0001".into(),
            name: "望京西园驿站".into(),
            address: "望京西园三区".into(),
            district: "朝阳区".into(),
            union_id: "chaoyang".into(),
            lat: 39.99,
            lng: 116.47,
            datum: Datum::Wgs84,
            hours: "24/7".into(),
            phone: Some("010-6543 2100".into()),
            amenities: vec![Amenity::Water, Amenity::Water, Amenity::Microwave],
            hidden: false,
        }
    }

    #[test]
    fn a_good_draft_validates_and_drops_repeated_amenities() {
        let v = draft().validate().expect("valid");
        assert_eq!(v.amenities, vec![Amenity::Water, Amenity::Microwave]);
        assert_eq!(v.phone.as_deref(), Some("010-6543 2100"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let d = StationDraft {
            id: "CY 1".into(),
            name: " ".into(),
            address: "x".repeat(201),
            district: String::new(),
            union_id: String::new(),
            lat: 95.0,
            lng: 116.0,
            hours: "whenever".into(),
            phone: Some("call me".into()),
            ..draft()
        };
        let e = d.validate().expect_err("invalid");
        assert_eq!(
            e,
            FieldErrors::from([
                ("id".into(), FieldCode::Invalid),
                ("name".into(), FieldCode::Missing),
                ("address".into(), FieldCode::TooLong),
                ("district".into(), FieldCode::Missing),
                ("union_id".into(), FieldCode::Missing),
                ("lat".into(), FieldCode::OutOfRange),
                ("hours".into(), FieldCode::Invalid),
                ("phone".into(), FieldCode::Invalid),
            ])
        );
        let zero = StationDraft {
            lat: 0.0,
            lng: 0.0,
            ..draft()
        };
        assert_eq!(
            zero.validate().expect_err("empty cells").get("lat"),
            Some(&FieldCode::Missing)
        );
    }

    #[test]
    fn gcj02_and_bd09_positions_are_stored_as_wgs84() {
        let wgs = draft().validate().expect("valid").location;
        for datum in [Datum::Gcj02, Datum::Bd09] {
            let shifted = datum.from_wgs84(wgs);
            let d = StationDraft {
                lat: shifted.lat.get(),
                lng: shifted.lng.get(),
                datum,
                ..draft()
            };
            let back = d.validate().expect("valid").location;
            assert!(back.distance_m(&wgs) < 1.0, "{datum:?}");
            assert!(shifted.distance_m(&wgs) > 100.0, "{datum:?} really shifts");
        }
    }

    #[test]
    fn html_in_text_fields_is_kept_as_text() {
        let d = StationDraft {
            name: "<script>alert(1)</script>".into(),
            ..draft()
        };
        assert_eq!(
            d.validate().expect("valid").name,
            "<script>alert(1)</script>"
        );
    }
}
