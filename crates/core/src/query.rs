//! The station filters shared by pages (`/`, `/embed`) and the API (`GET /api/v1/stations`).
//! Parsing keeps every valid parameter and reports each invalid one by field, so the API can
//! answer 400 naming the field while a page shows a hint and carries on.

use std::collections::BTreeSet;

use crate::amenity::{Amenity, AmenityState};
use crate::field::FieldCode;
use crate::geo::{BBox, GeoError, LatLng};
use crate::ids::UnionId;
use crate::station::Station;
use crate::time::Timestamp;

/// Longest text search accepted, in characters.
pub const MAX_Q_CHARS: usize = 100;
/// Longest district name accepted, in characters.
pub const MAX_DISTRICT_CHARS: usize = 30;
/// Most stations in one answer (and the default).
pub const MAX_LIMIT: usize = 5_000;

/// What a station must satisfy to be listed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StationFilter {
    /// Every one of these, none out of order (`unknown` passes).
    pub amenities: Vec<Amenity>,
    /// Hours say open now and status is not closed.
    pub open_now: bool,
    /// Hours are 24/7.
    pub open_24h: bool,
    /// Run by this union (the server widens it to the unions below).
    pub union: Option<UnionId>,
    /// In this district.
    pub district: Option<String>,
    /// Case-insensitive text inside name, address or district.
    pub q: Option<String>,
}

impl StationFilter {
    /// Whether `s`, as a rider sees it at `now` (an expired status reads `unknown`), passes
    /// every filter except `union`, which needs the union tree
    /// (see [`StationFilter::matches_in`]).
    pub fn matches(&self, s: &Station, now: Timestamp) -> bool {
        let amenities_ok = self.amenities.iter().all(|a| {
            matches!(
                s.amenity_at(*a, now),
                Some(AmenityState::Ok | AmenityState::Unknown)
            )
        });
        amenities_ok
            && (!self.open_now || s.is_open_at(now))
            && (!self.open_24h || s.hours.is_24_7())
            && self.district.as_ref().is_none_or(|d| &s.district == d)
            && self.q.as_ref().is_none_or(|q| text_matches(s, q))
    }

    /// [`StationFilter::matches`], plus `union`: the station's union must be in `unions`
    /// (the asked union and every union below it).
    pub fn matches_in(
        &self,
        s: &Station,
        now: Timestamp,
        unions: Option<&BTreeSet<UnionId>>,
    ) -> bool {
        unions.is_none_or(|set| set.contains(&s.union.id)) && self.matches(s, now)
    }
}

fn text_matches(s: &Station, q: &str) -> bool {
    let q = q.to_lowercase();
    [&s.name, &s.address, &s.district]
        .iter()
        .any(|field| field.to_lowercase().contains(&q))
}

/// Everything `/`, `/embed` and `GET /api/v1/stations` understand.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StationQuery {
    /// Filters.
    pub filter: StationFilter,
    /// Only stations inside this box.
    pub bbox: Option<BBox>,
    /// Map zoom, 0..=22.
    pub zoom: Option<u8>,
    /// Map centre.
    pub center: Option<LatLng>,
    /// Sort by distance from here (`near=lat,lng`), nearest first.
    pub near: Option<LatLng>,
    /// Page size, 1..=5000.
    pub limit: Option<usize>,
    /// Where the previous page ended.
    pub cursor: Option<usize>,
    /// `en` or `zh`.
    pub lang: Option<String>,
}

pub use crate::field::FieldErrors;

fn geo_code(e: GeoError) -> FieldCode {
    match e {
        GeoError::OutOfRange | GeoError::Inverted => FieldCode::OutOfRange,
        GeoError::NotANumber | GeoError::WrongArity => FieldCode::Invalid,
    }
}

fn parse_flag(v: &str) -> Result<bool, FieldCode> {
    match v {
        "1" | "true" => Ok(true),
        "0" | "false" | "" => Ok(false),
        _ => Err(FieldCode::Invalid),
    }
}

impl StationQuery {
    /// Parses decoded query pairs. Unknown parameter names are ignored (pages and programs add
    /// their own); every known one with a bad value is reported and left out of the query.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (StationQuery, FieldErrors) {
        let mut q = StationQuery::default();
        let mut errors = FieldErrors::new();
        let (mut lat, mut lng) = (None, None);
        for (key, value) in pairs {
            let value = value.trim();
            let result: Result<(), FieldCode> = match key {
                "bbox" => BBox::parse(value)
                    .map(|b| q.bbox = Some(b))
                    .map_err(geo_code),
                "zoom" => match value.parse::<u8>() {
                    Ok(z) if z <= 22 => {
                        q.zoom = Some(z);
                        Ok(())
                    }
                    Ok(_) => Err(FieldCode::OutOfRange),
                    Err(_) => Err(FieldCode::Invalid),
                },
                "lat" | "lng" => match value.parse::<f64>() {
                    Ok(v) if v.is_finite() => {
                        let limit = if key == "lat" { 90.0 } else { 180.0 };
                        if v.abs() > limit {
                            Err(FieldCode::OutOfRange)
                        } else {
                            if key == "lat" {
                                lat = Some(v)
                            } else {
                                lng = Some(v)
                            }
                            Ok(())
                        }
                    }
                    _ => Err(FieldCode::Invalid),
                },
                "near" => match value
                    .split_once(',')
                    .map(|(a, b)| (a.trim().parse::<f64>(), b.trim().parse::<f64>()))
                {
                    Some((Ok(lat), Ok(lng))) => match LatLng::new(lat, lng) {
                        Ok(p) => {
                            q.near = Some(p);
                            Ok(())
                        }
                        Err(e) => Err(geo_code(e)),
                    },
                    _ => Err(FieldCode::Invalid),
                },
                "amenities" => Amenity::parse_list(value)
                    .map(|list| q.filter.amenities = list)
                    .map_err(|_| FieldCode::Unknown),
                "open_now" => parse_flag(value).map(|b| q.filter.open_now = b),
                "open_24h" => parse_flag(value).map(|b| q.filter.open_24h = b),
                "union" if value.is_empty() => Ok(()),
                "union" => UnionId::parse(value)
                    .map(|u| q.filter.union = Some(u))
                    .map_err(|_| FieldCode::Invalid),
                "district" if value.chars().count() > MAX_DISTRICT_CHARS => Err(FieldCode::TooLong),
                "district" => {
                    q.filter.district = Some(value.to_owned()).filter(|d| !d.is_empty());
                    Ok(())
                }
                "q" if value.chars().count() > MAX_Q_CHARS => Err(FieldCode::TooLong),
                "q" => {
                    q.filter.q = Some(value.to_owned()).filter(|t| !t.is_empty());
                    Ok(())
                }
                "limit" => match value.parse::<usize>() {
                    Ok(n) if (1..=MAX_LIMIT).contains(&n) => {
                        q.limit = Some(n);
                        Ok(())
                    }
                    Ok(_) => Err(FieldCode::OutOfRange),
                    Err(_) => Err(FieldCode::Invalid),
                },
                "cursor" => value
                    .parse::<usize>()
                    .map(|c| q.cursor = Some(c))
                    .map_err(|_| FieldCode::Invalid),
                "lang" => match value {
                    "zh" | "en" => {
                        q.lang = Some(value.to_owned());
                        Ok(())
                    }
                    _ => Err(FieldCode::Unknown),
                },
                _ => Ok(()),
            };
            if let Err(code) = result {
                errors.insert(key.to_owned(), code);
            }
        }
        match (lat, lng) {
            (Some(lat), Some(lng)) => q.center = LatLng::new(lat, lng).ok(),
            // A half given because the other half was invalid keeps that error.
            (Some(_), None) => {
                errors.entry("lng".into()).or_insert(FieldCode::Missing);
            }
            (None, Some(_)) => {
                errors.entry("lat".into()).or_insert(FieldCode::Missing);
            }
            (None, None) => {}
        }
        (q, errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::station::tests::sample;

    fn parse(s: &str) -> (StationQuery, FieldErrors) {
        let pairs: Vec<(&str, &str)> = s
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, "")))
            .collect();
        StationQuery::parse(pairs)
    }

    #[test]
    fn bad_values_are_reported_by_field_and_good_ones_kept() {
        let (q, errors) =
            parse("bbox=1,2,3&amenities=water,sauna&open_now=maybe&district=朝阳区&zoom=30");
        assert_eq!(errors.get("bbox"), Some(&FieldCode::Invalid));
        assert_eq!(errors.get("amenities"), Some(&FieldCode::Unknown));
        assert_eq!(errors.get("open_now"), Some(&FieldCode::Invalid));
        assert_eq!(errors.get("zoom"), Some(&FieldCode::OutOfRange));
        assert_eq!(q.filter.district.as_deref(), Some("朝阳区"));
    }

    #[test]
    fn near_takes_latitude_then_longitude() {
        let (q, errors) = parse("near=39.9,116.4");
        assert!(errors.is_empty());
        assert_eq!(
            q.near.map(|p| (p.lat.get(), p.lng.get())),
            Some((39.9, 116.4))
        );
        assert_eq!(
            parse("near=116.4,39.9").1.get("near"),
            Some(&FieldCode::OutOfRange)
        );
        assert_eq!(parse("near=here").1.get("near"), Some(&FieldCode::Invalid));
    }

    #[test]
    fn expired_closed_status_does_not_hide_a_station_from_open_now() {
        let mut s = sample("24/7");
        s.status.state = crate::station::StationState::Closed;
        let (q, _) = parse("open_now=1");
        assert!(
            !q.filter.matches(&s, Timestamp::from_unix(1_500)),
            "closed while fresh"
        );
        assert!(
            q.filter.matches(&s, Timestamp::from_unix(5_000)),
            "unknown once expired"
        );
    }

    #[test]
    fn oversized_search_text_is_rejected() {
        let (_, errors) = parse(&format!("q={}", "驿".repeat(MAX_Q_CHARS + 1)));
        assert_eq!(errors.get("q"), Some(&FieldCode::TooLong));
    }

    #[test]
    fn out_of_range_latitude_is_not_reported_as_missing() {
        let (_, errors) = parse("lat=95&lng=116");
        assert_eq!(errors.get("lat"), Some(&FieldCode::OutOfRange));
    }

    #[test]
    fn latitude_without_longitude_is_reported() {
        let (_, errors) = parse("lat=39.9");
        assert_eq!(errors.get("lng"), Some(&FieldCode::Missing));
    }

    #[test]
    fn broken_microwave_fails_the_microwave_filter() {
        let (q, _) = parse("amenities=microwave");
        assert!(!q
            .filter
            .matches(&sample("24/7"), Timestamp::from_unix(1_500)));
        let (q, _) = parse("amenities=water");
        assert!(q
            .filter
            .matches(&sample("24/7"), Timestamp::from_unix(1_500)));
    }

    #[test]
    fn unknown_amenity_state_passes_the_filter() {
        let s = sample("24/7").as_seen_at(Timestamp::from_unix(5_000));
        let (q, _) = parse("amenities=microwave");
        assert!(q.filter.matches(&s, Timestamp::from_unix(5_000)));
    }

    #[test]
    fn one_chinese_character_is_enough_to_search() {
        let (q, _) = parse("q=望");
        assert!(q
            .filter
            .matches(&sample("24/7"), Timestamp::from_unix(1_500)));
        let (q, _) = parse("q=海淀");
        assert!(!q
            .filter
            .matches(&sample("24/7"), Timestamp::from_unix(1_500)));
    }

    #[test]
    fn open_24h_needs_round_the_clock_hours() {
        let (q, _) = parse("open_24h=1");
        assert!(q
            .filter
            .matches(&sample("24/7"), Timestamp::from_unix(1_500)));
        assert!(!q
            .filter
            .matches(&sample("Mo-Fr 09:00-17:00"), Timestamp::from_unix(1_500)));
    }
}
