//! The station filters shared by pages (`/`, `/embed`) and the API (`GET /api/v1/stations`).
//! Parsing keeps every valid parameter and reports each invalid one by field, so the API can
//! answer 400 naming the field while a page shows a hint and carries on.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::amenity::{Amenity, AmenityState};
use crate::field::FieldCode;
use crate::geo::{BBox, GeoError, LatLng};
use crate::holidays::Holidays;
use crate::ids::UnionId;
use crate::station::Station;
use crate::time::Timestamp;
use crate::url::QueryWriter;

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
    /// (see [`StationFilter::matches_in`]). No holidays are known: see
    /// [`StationFilter::matches_with`].
    pub fn matches(&self, s: &Station, now: Timestamp) -> bool {
        self.matches_with(s, now, &Holidays::default())
    }

    /// [`StationFilter::matches`] with the deployment's holidays, for "open now".
    pub fn matches_with(&self, s: &Station, now: Timestamp, holidays: &Holidays) -> bool {
        let amenities_ok = self.amenities.iter().all(|a| {
            matches!(
                s.amenity_at(*a, now),
                Some(AmenityState::Ok | AmenityState::Unknown)
            )
        });
        amenities_ok
            && (!self.open_now || s.is_open_with(now, holidays))
            && (!self.open_24h || s.hours.is_24_7())
            && self.district.as_ref().is_none_or(|d| &s.district == d)
            && self.q.as_ref().is_none_or(|q| text_matches(s, q))
    }

    /// [`StationFilter::matches_with`], plus `union`: the station's union must be in `unions`
    /// (the asked union and every union below it).
    pub fn matches_in(
        &self,
        s: &Station,
        now: Timestamp,
        unions: Option<&BTreeSet<UnionId>>,
        holidays: &Holidays,
    ) -> bool {
        unions.is_none_or(|set| set.contains(&s.union.id)) && self.matches_with(s, now, holidays)
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

/// Escapes the characters that separate a key's parts, so two queries never share a key.
fn key_text(out: &mut String, name: &str, value: &str) {
    out.push('&');
    out.push_str(name);
    out.push('=');
    for c in value.chars() {
        match c {
            '%' => out.push_str("%25"),
            '&' => out.push_str("%26"),
            '=' => out.push_str("%3D"),
            c => out.push(c),
        }
    }
}

impl StationQuery {
    /// The query in one canonical text, for caches and ETags: parameters in a fixed order,
    /// numbers as Rust prints them (the shortest text that reads back the same), amenities
    /// sorted, defaults and what does not change the list (`lang`, the page's `lat`/`lng`, a
    /// `zoom` without `bbox`) left out. Two queries with the same key get the same list.
    pub fn cache_key(&self) -> String {
        let mut out = String::new();
        if let Some(b) = &self.bbox {
            key_text(&mut out, "bbox", &b.to_param());
            if let Some(z) = self.zoom {
                key_text(&mut out, "zoom", &z.to_string());
            }
        }
        if let Some(p) = &self.near {
            key_text(
                &mut out,
                "near",
                &format!("{},{}", p.lat.get(), p.lng.get()),
            );
        }
        let f = &self.filter;
        if !f.amenities.is_empty() {
            let mut codes: Vec<&str> = f.amenities.iter().map(|a| a.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            key_text(&mut out, "amenities", &codes.join(","));
        }
        if f.open_now {
            out.push_str("&open_now=1");
        }
        if f.open_24h {
            out.push_str("&open_24h=1");
        }
        if let Some(u) = &f.union {
            key_text(&mut out, "union", u.as_str());
        }
        if let Some(d) = &f.district {
            key_text(&mut out, "district", d);
        }
        if let Some(q) = &f.q {
            key_text(&mut out, "q", q);
        }
        if let Some(n) = self.limit.filter(|&n| n != MAX_LIMIT) {
            key_text(&mut out, "limit", &n.to_string());
        }
        if let Some(c) = self.cursor.filter(|&c| c != 0) {
            key_text(&mut out, "cursor", &c.to_string());
        }
        out
    }

    /// The query as a URL query string (without `?`), values percent-encoded: what the map
    /// page, the embed builder and links write. [`StationQuery::parse`] reads it back to the
    /// same query (a property test holds them to that).
    pub fn to_query_string(&self) -> String {
        let mut w = QueryWriter::default();
        let f = &self.filter;
        // The embed builder's order (its snippets stay as they were): scope, then filters.
        if let Some(u) = &f.union {
            w.plain("union").push_str(u.as_str());
        }
        if let Some(d) = &f.district {
            w.text("district", d);
        }
        if !f.amenities.is_empty() {
            let out = w.plain("amenities");
            for (i, a) in f.amenities.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(a.as_str());
            }
        }
        if f.open_now {
            w.plain("open_now").push('1');
        }
        if f.open_24h {
            w.plain("open_24h").push('1');
        }
        if let Some(q) = &f.q {
            w.text("q", q);
        }
        if let Some(b) = &self.bbox {
            w.numbers("bbox", &b.to_array());
        }
        if let Some(z) = self.zoom {
            w.numbers("zoom", &[f64::from(z)]);
        }
        if let Some(c) = &self.center {
            w.numbers("lat", &[c.lat.get()]);
            w.numbers("lng", &[c.lng.get()]);
        }
        if let Some(p) = &self.near {
            w.numbers("near", &[p.lat.get(), p.lng.get()]);
        }
        // At most 5,000, so the float is exact.
        if let Some(n) = self.limit {
            w.numbers("limit", &[n as f64]);
        }
        if let Some(c) = self.cursor {
            let _ = write!(w.plain("cursor"), "{c}");
        }
        if let Some(l) = &self.lang {
            w.text("lang", l);
        }
        w.finish()
    }

    /// Whether the answer may change with the clock alone: `open_now` follows the hours, and an
    /// amenity filter reads states that turn `unknown` when a status expires. (Listed stations
    /// change too as their status expires; the server knows whether any are listed.)
    pub fn filter_follows_clock(&self) -> bool {
        self.filter.open_now || !self.filter.amenities.is_empty()
    }

    /// The rider's nearby list: the stations that pass `filter` (and lie in `bbox`, if given),
    /// the `limit` nearest to `(lat, lng)` first. The point is rounded to five decimals (about a
    /// metre), so a rider standing still asks the same again and caches hold the answer. The map
    /// page asks it, and the server names the first one in the map's shell so that the browser
    /// fetches it while the app is still downloading: both write it here, so the two agree.
    pub fn nearby(
        filter: StationFilter,
        (lat, lng): (f64, f64),
        limit: usize,
        bbox: Option<BBox>,
    ) -> StationQuery {
        let metre = |v: f64| (v * 1e5).round() / 1e5;
        StationQuery {
            filter,
            near: LatLng::new(metre(lat), metre(lng)).ok(),
            limit: Some(limit),
            bbox,
            ..StationQuery::default()
        }
    }
}

/// How many stations the nearby list asks for at first, and adds with each "show more" (the
/// server's preload of the first list asks as many).
pub const NEARBY_LIST_LEN: usize = 30;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::station::tests::sample;

    #[test]
    fn the_nearby_list_asks_from_a_point_rounded_to_a_metre() {
        let q = StationQuery::nearby(
            StationFilter::default(),
            (39.908_704_9, 116.397_5),
            NEARBY_LIST_LEN,
            None,
        );
        assert_eq!(q.to_query_string(), "near=39.9087,116.3975&limit=30");
    }

    #[test]
    fn the_same_query_written_differently_has_one_key() {
        let a = parse(
            "zoom=12&bbox=116.2,39.8,116.6,40.0&amenities=water,microwave&lang=en&limit=5000",
        );
        let b = parse("bbox=116.20,39.80,116.60,40.00&amenities=microwave,water,water&zoom=12&lat=39.9&lng=116.4");
        assert!(a.1.is_empty() && b.1.is_empty());
        assert_eq!(a.0.cache_key(), b.0.cache_key());
        assert_eq!(
            a.0.cache_key(),
            "&bbox=116.2,39.8,116.6,40&zoom=12&amenities=microwave,water"
        );
        // Different answers, different keys; text cannot forge another parameter.
        let keys: Vec<String> = [
            "bbox=116.2,39.8,116.6,40.0&zoom=13",
            "bbox=116.2,39.8,116.6,40.0",
            "q=a%26open_now%3D1",
            "q=a&open_now=1",
            "near=39.9,116.4&limit=30",
            "near=39.9,116.4&limit=30&cursor=30",
        ]
        .iter()
        .map(|q| {
            // Decoded as a server would: `%26` and `%3D` are text inside the value.
            let pairs: Vec<(String, String)> = q
                .split('&')
                .map(|p| p.split_once('=').unwrap_or((p, "")))
                .map(|(k, v)| (k.to_owned(), v.replace("%26", "&").replace("%3D", "=")))
                .collect();
            StationQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .0
                .cache_key()
        })
        .collect();
        let unique: BTreeSet<&String> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len(), "{keys:?}");
    }

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
