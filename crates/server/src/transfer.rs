//! Station bulk import and export for union admins: the CSV and GeoJSON formats.
//!
//! Parsing turns an upload into one [`StationDraft`] per data row plus that row's problems, by
//! column name; it never touches the database. Whole-file problems are a [`FileError`].
//!
//! # CSV
//!
//! - UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8" writes one; it is stripped).
//!   Lines may end in LF or CRLF. Fields containing commas, quotes or line breaks are quoted the
//!   usual way (`"a ""quoted"" word"`).
//! - A header row is required. Column names are matched ignoring case and surrounding spaces;
//!   order does not matter and unknown extra columns are ignored. The columns, in the order
//!   [`export_csv`] writes them ([`CSV_COLUMNS`]):
//!
//! | column     | required | content                                                           |
//! |------------|----------|-------------------------------------------------------------------|
//! | `id`       | yes      | stable station id, `[a-z0-9-]{1,40}`; a repeat within one file is `duplicate` |
//! | `name`     | yes      | station name                                                      |
//! | `address`  | yes      | street address                                                    |
//! | `district` | yes      | district, e.g. `朝阳区`                                           |
//! | `union_id` | yes      | id of the union that runs it                                      |
//! | `lat`      | yes      | latitude, decimal degrees, in `datum`                             |
//! | `lng`      | yes      | longitude, decimal degrees, in `datum`                            |
//! | `datum`    | no       | `wgs84`, `gcj02` or `bd09` (also `WGS-84`, `GCJ-02`, `BD-09`, `bd09ll`); empty: the union's default |
//! | `hours`    | yes      | OSM opening hours, e.g. `Mo-Fr 09:00-21:00` or `24/7`             |
//! | `phone`    | no       | contact phone                                                     |
//! | `amenities`| no       | amenity codes separated by `;`, `\|`, `、` or `,` (e.g. `water;charging`) |
//! | `hidden`   | no       | `1`/`0`, `true`/`false`, `是`/`否`; empty: `0`                    |
//!
//! A file missing a required column is rejected as a whole ([`FileError::MissingColumns`]).
//! Rows with too few cells read the missing cells as empty; blank lines are skipped. Line numbers
//! count physical lines, header = line 1, so a quoted cell spanning lines moves later rows down
//! exactly as a text editor shows them. At most [`MAX_ROWS`] data rows.
//!
//! Row problems use the contract's field codes: `lat: invalid` (not a number), `amenities:
//! unknown`, `datum: invalid`, `hidden: invalid`, `id: duplicate`, and everything
//! [`StationDraft::validate`] reports (`name: missing`, `hours: invalid`, …).
//!
//! A text cell whose first character is `'` followed by `=`, `+`, `-`, `@`, tab or CR has the
//! `'` removed: it is the guard [`export_csv`] adds (see below), so an exported file imports back
//! unchanged.
//!
//! # GeoJSON
//!
//! A `FeatureCollection` of `Point` features, `geometry.coordinates` = `[lng, lat]`. Properties
//! use the CSV column names (`lat`/`lng` come from the geometry); `amenities` may be an array of
//! codes (or of `{"code": …}` objects, as [`export_geojson`] writes) or a separated string;
//! `hidden` a boolean (the CSV spellings are accepted too); `union_id` may also be given as
//! `union.id`. A top-level `"datum"` member sets the datum for features without their own.
//! Features are numbered from 1 and that number is the row's `line`.
//!
//! # Export
//!
//! [`export_csv`] writes the columns above, always in WGS-84 (`datum` = `wgs84`), amenities
//! joined with `;`, `hidden` as `1`/`0`, coordinates with at most 7 decimals (about 1 cm), CRLF
//! line ends. It does not start with a byte-order mark; a download meant for Excel should be
//! prefixed with [`BOM`] so Excel reads the Chinese text as UTF-8.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, tab or CR as a formula (CSV
//! injection), so every text cell starting with one gets a leading `'`. That includes phone
//! numbers such as `+86 10 …`: Excel would otherwise read them as a formula or a number and lose
//! the `+`, so the guard helps there too. Generated columns (`lat`, `lng`, `datum`, `hidden`)
//! are never prefixed.
//!
//! [`export_geojson`] writes a `FeatureCollection` whose properties are the station's JSON (as
//! the API serves it, without `location`, which is the geometry) plus `hidden`, and a top-level
//! `"datum": "wgs84"` so re-importing it never applies a union's GCJ-02 default.

use std::collections::HashSet;

use serde_json::{json, Map, Value};
use yizhan_core::datum::Datum;
use yizhan_core::query::FieldErrors;
use yizhan_core::{Amenity, FieldCode, ImportRow, Station, StationDraft};

/// At most this many data rows (CSV) or features (GeoJSON) per file.
pub const MAX_ROWS: usize = 20_000;

/// The CSV columns, in the order [`export_csv`] writes them.
pub const CSV_COLUMNS: [&str; 12] = [
    "id",
    "name",
    "address",
    "district",
    "union_id",
    "lat",
    "lng",
    "datum",
    "hours",
    "phone",
    "amenities",
    "hidden",
];

/// Columns a CSV upload must have.
pub const REQUIRED_COLUMNS: [&str; 8] = [
    "id", "name", "address", "district", "union_id", "lat", "lng", "hours",
];

/// The UTF-8 byte-order mark; put it before [`export_csv`]'s text in a download for Excel.
pub const BOM: &str = "\u{feff}";

/// Characters that make a spreadsheet treat a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Parsed upload: one entry per data row, each a draft and its errors by column name
/// (empty when the row is valid).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    /// Data rows in file order.
    pub rows: Vec<ParsedRow>,
}

/// One data row of an upload.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedRow {
    /// CSV line number (header = 1) or GeoJSON feature number (from 1).
    pub line: usize,
    /// The row as typed; cells that did not parse are left at their defaults.
    pub draft: StationDraft,
    /// Column → problem; empty when the row is a valid station.
    pub errors: FieldErrors,
}

impl ParsedRow {
    /// Whether the row is a valid station.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The row as the import report shows it (no `action`: the caller decides create/update).
    pub fn to_import_row(&self) -> ImportRow {
        ImportRow {
            line: self.line,
            id: self.draft.id.clone(),
            name: self.draft.name.clone(),
            action: None,
            errors: self.errors.clone(),
        }
    }
}

/// Whole-file problems: nothing in the file is imported.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum FileError {
    /// The file is not UTF-8 text.
    #[error("the file is not UTF-8 text")]
    NotUtf8,
    /// Required CSV columns are absent from the header (named, in [`CSV_COLUMNS`] order).
    #[error("missing required columns: {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    /// Not CSV, JSON or a GeoJSON FeatureCollection as expected.
    #[error("malformed file: {0}")]
    Malformed(String),
    /// More data rows than allowed; carries the limit, [`MAX_ROWS`].
    #[error("more than {0} rows")]
    TooManyRows(usize),
}

fn decode(bytes: &[u8]) -> Result<&str, FileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
    Ok(text.strip_prefix(BOM).unwrap_or(text))
}

/// Parses a CSV upload (format in the [module docs](self)); `default_datum` applies to rows
/// with an empty `datum` cell.
pub fn parse_csv(bytes: &[u8], default_datum: Datum) -> Result<Parsed, FileError> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FileError::Malformed(e.to_string()))?
        .clone();
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
    // The first column with a name wins; later repeats are ignored like unknown columns.
    let column = |name: &str| names.iter().position(|n| n == name);
    let missing: Vec<String> = REQUIRED_COLUMNS
        .iter()
        .filter(|c| column(c).is_none())
        .map(|c| (*c).to_owned())
        .collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns(missing));
    }
    let index: Vec<Option<usize>> = CSV_COLUMNS.iter().map(|c| column(c)).collect();

    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    let mut lines = LineCounter::new(text);
    for record in reader.records() {
        let record = record.map_err(|e| FileError::Malformed(e.to_string()))?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileError::TooManyRows(MAX_ROWS));
        }
        let start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(0);
        let line = lines.line_at(start);
        let cells: Vec<&str> = index
            .iter()
            .map(|i| i.and_then(|i| record.get(i)).map_or("", str::trim))
            .collect();
        let cell = |name: &str| {
            CSV_COLUMNS
                .iter()
                .position(|c| *c == name)
                .map_or("", |i| cells[i])
        };
        let text = |name: &str| unguard(cell(name)).to_owned();
        let mut errors = FieldErrors::new();
        let mut draft = StationDraft {
            id: text("id"),
            name: text("name"),
            address: text("address"),
            district: text("district"),
            union_id: text("union_id"),
            hours: text("hours"),
            phone: Some(text("phone")).filter(|p| !p.is_empty()),
            datum: default_datum,
            ..StationDraft::default()
        };
        draft.lat = number("lat", cell("lat"), &mut errors);
        draft.lng = number("lng", cell("lng"), &mut errors);
        match cell("datum") {
            "" => {}
            d => match Datum::parse(d) {
                Some(d) => draft.datum = d,
                None => {
                    errors.insert("datum".into(), FieldCode::Invalid);
                }
            },
        }
        match amenity_list(cell("amenities")) {
            Ok(a) => draft.amenities = a,
            Err(code) => {
                errors.insert("amenities".into(), code);
            }
        }
        match flag(cell("hidden")) {
            Some(h) => draft.hidden = h,
            None => {
                errors.insert("hidden".into(), FieldCode::Invalid);
            }
        }
        rows.push(finish(line, draft, errors, &mut seen));
    }
    Ok(Parsed { rows })
}

/// Parses a GeoJSON upload (format in the [module docs](self)); `default_datum` applies to
/// features without a `datum` when the collection has none either.
pub fn parse_geojson(bytes: &[u8], default_datum: Datum) -> Result<Parsed, FileError> {
    let text = decode(bytes)?;
    let root: Value =
        serde_json::from_str(text).map_err(|e| FileError::Malformed(format!("not JSON: {e}")))?;
    let not_collection = || FileError::Malformed("not a GeoJSON FeatureCollection".into());
    if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(not_collection());
    }
    let features = root
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(not_collection)?;
    if features.len() > MAX_ROWS {
        return Err(FileError::TooManyRows(MAX_ROWS));
    }
    let collection_datum = match root.get("datum") {
        None | Some(Value::Null) => default_datum,
        Some(v) => v
            .as_str()
            .and_then(|s| {
                if s.trim().is_empty() {
                    Some(default_datum)
                } else {
                    Datum::parse(s)
                }
            })
            .ok_or_else(|| FileError::Malformed(format!("unknown datum {v}")))?,
    };

    let empty = Map::new();
    let mut rows = Vec::with_capacity(features.len());
    let mut seen = HashSet::new();
    for (i, feature) in features.iter().enumerate() {
        let props = feature
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut errors = FieldErrors::new();
        let mut text = |name: &str, value: Option<&Value>| -> String {
            match value {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.trim().to_owned(),
                // A spreadsheet-made file may carry an id or phone as a number.
                Some(Value::Number(n)) => n.to_string(),
                Some(_) => {
                    errors.insert(name.into(), FieldCode::Invalid);
                    String::new()
                }
            }
        };
        let union_id = match props.get("union_id") {
            None | Some(Value::Null) => props.get("union").and_then(|u| u.get("id")),
            given => given,
        };
        let mut draft = StationDraft {
            id: text("id", props.get("id")),
            name: text("name", props.get("name")),
            address: text("address", props.get("address")),
            district: text("district", props.get("district")),
            union_id: text("union_id", union_id),
            hours: text("hours", props.get("hours")),
            datum: collection_datum,
            ..StationDraft::default()
        };
        draft.phone = Some(text("phone", props.get("phone"))).filter(|p| !p.is_empty());
        match props.get("datum") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.trim().is_empty() => {}
            Some(v) => match v.as_str().and_then(Datum::parse) {
                Some(d) => draft.datum = d,
                None => {
                    errors.insert("datum".into(), FieldCode::Invalid);
                }
            },
        }
        match json_amenities(props.get("amenities")) {
            Ok(a) => draft.amenities = a,
            Err(code) => {
                errors.insert("amenities".into(), code);
            }
        }
        let hidden = match props.get("hidden") {
            None | Some(Value::Null) => Some(false),
            Some(Value::Bool(b)) => Some(*b),
            Some(Value::String(s)) => flag(s.trim()),
            Some(Value::Number(n)) => flag(&n.to_string()),
            Some(_) => None,
        };
        match hidden {
            Some(h) => draft.hidden = h,
            None => {
                errors.insert("hidden".into(), FieldCode::Invalid);
            }
        }
        match point(feature.get("geometry")) {
            Ok((lng, lat)) => {
                draft.lat = lat;
                draft.lng = lng;
            }
            Err(code) => {
                errors.insert("lat".into(), code);
                errors.insert("lng".into(), code);
            }
        }
        rows.push(finish(i + 1, draft, errors, &mut seen));
    }
    Ok(Parsed { rows })
}

/// Writes stations as CSV (format in the [module docs](self)): [`CSV_COLUMNS`], WGS-84,
/// formula-guarded text cells, CRLF line ends, no byte-order mark.
pub fn export_csv(stations: &[(Station, bool)]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail, and every cell is a str: errors are impossible here, and
    // a failure would only truncate the export, so it is not worth a Result in the signature.
    let _ = writer.write_record(CSV_COLUMNS);
    for (s, hidden) in stations {
        let amenities: Vec<&str> = s.amenities.iter().map(|a| a.code.as_str()).collect();
        let record = [
            guard(s.id.as_str()),
            guard(&s.name),
            guard(&s.address),
            guard(&s.district),
            guard(s.union.id.as_str()),
            decimal(s.location.lat.get()),
            decimal(s.location.lng.get()),
            Datum::Wgs84.as_str().to_owned(),
            guard(s.hours.as_str()),
            guard(s.phone.as_deref().unwrap_or("")),
            guard(&amenities.join(";")),
            if *hidden { "1" } else { "0" }.to_owned(),
        ];
        let _ = writer.write_record(&record);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    // Every cell came from a str, so the bytes are UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes stations as a GeoJSON FeatureCollection (format in the [module docs](self)).
pub fn export_geojson(stations: &[(Station, bool)]) -> String {
    let features: Vec<Value> = stations
        .iter()
        .map(|(s, hidden)| {
            let mut props = match serde_json::to_value(s) {
                Ok(Value::Object(m)) => m,
                _ => Map::new(),
            };
            props.remove("location");
            props.insert("hidden".into(), Value::Bool(*hidden));
            json!({
                "type": "Feature",
                "id": s.id.as_str(),
                "geometry": {
                    "type": "Point",
                    "coordinates": [s.location.lng.get(), s.location.lat.get()],
                },
                "properties": props,
            })
        })
        .collect();
    json!({
        "type": "FeatureCollection",
        "datum": Datum::Wgs84.as_str(),
        "features": features,
    })
    .to_string()
}

/// Physical line numbers of CSV records, counted forward as the records come.
///
/// A csv record's position is where the reader stood when it began, which is still on the
/// previous record's line terminator, and its line count lags the same way; so the terminator
/// and any blank lines after it are skipped here before counting.
struct LineCounter<'a> {
    text: &'a [u8],
    /// Bytes counted so far.
    at: usize,
    /// Line breaks before `at`.
    breaks: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            at: 0,
            breaks: 0,
        }
    }

    /// The 1-based line of the first character at or after `from` that is not a line break.
    fn line_at(&mut self, from: usize) -> usize {
        let from = from.clamp(self.at, self.text.len());
        let skipped = self.text[from..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let start = from + skipped;
        for i in self.at..start {
            // LF, CRLF (counted at its LF) and a lone CR (old Mac files) each end a line.
            let b = self.text[i];
            if b == b'\n' || (b == b'\r' && self.text.get(i + 1) != Some(&b'\n')) {
                self.breaks += 1;
            }
        }
        self.at = start;
        self.breaks + 1
    }
}

/// Validates the parsed draft, merges its problems under the parse problems (which win: a
/// `lat` that was not a number stays `invalid`, not the `missing` its 0 default would give),
/// and marks repeated ids.
fn finish(
    line: usize,
    draft: StationDraft,
    mut errors: FieldErrors,
    seen: &mut HashSet<String>,
) -> ParsedRow {
    if let Err(found) = draft.validate() {
        for (field, code) in found {
            errors.entry(field).or_insert(code);
        }
    }
    let id = draft.id.trim();
    if !id.is_empty() && !seen.insert(id.to_owned()) {
        errors.entry("id".into()).or_insert(FieldCode::Duplicate);
    }
    ParsedRow {
        line,
        draft,
        errors,
    }
}

/// A coordinate cell: empty is `missing`, anything but a decimal number is `invalid`.
fn number(field: &str, cell: &str, errors: &mut FieldErrors) -> f64 {
    if cell.is_empty() {
        errors.insert(field.into(), FieldCode::Missing);
        return 0.0;
    }
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => v,
        // "NaN" and "inf" parse as f64 but are not coordinates.
        _ => {
            errors.insert(field.into(), FieldCode::Invalid);
            0.0
        }
    }
}

/// `1/0`, `true/false` (any case), `是/否`; empty is false; anything else `None`.
fn flag(cell: &str) -> Option<bool> {
    match cell.to_lowercase().as_str() {
        "" | "0" | "false" | "否" => Some(false),
        "1" | "true" | "是" => Some(true),
        _ => None,
    }
}

/// Amenity codes separated by `;`, `|`, `、` or commas (ASCII or full-width); codes are
/// matched ignoring ASCII case, repeats are dropped.
fn amenity_list(cell: &str) -> Result<Vec<Amenity>, FieldCode> {
    let parts = cell.split([';', '；', '|', '、', ',', '，']);
    amenity_codes(parts)
}

fn amenity_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Vec<Amenity>, FieldCode> {
    let mut out = Vec::new();
    for code in codes.into_iter().map(str::trim).filter(|c| !c.is_empty()) {
        let a: Amenity = code
            .to_ascii_lowercase()
            .parse()
            .map_err(|_| FieldCode::Unknown)?;
        if !out.contains(&a) {
            out.push(a);
        }
    }
    Ok(out)
}

/// GeoJSON `amenities`: absent, a separated string, or an array of codes or `{"code": …}`.
fn json_amenities(value: Option<&Value>) -> Result<Vec<Amenity>, FieldCode> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => amenity_list(s),
        Some(Value::Array(items)) => {
            let codes = items
                .iter()
                .map(|item| {
                    item.as_str()
                        .or_else(|| item.get("code").and_then(Value::as_str))
                        .ok_or(FieldCode::Invalid)
                })
                .collect::<Result<Vec<&str>, FieldCode>>()?;
            amenity_codes(codes)
        }
        Some(_) => Err(FieldCode::Invalid),
    }
}

/// A Point geometry's `(lng, lat)`: absent or null is `missing`; anything else that is not a
/// Point with two numbers is `invalid`.
fn point(geometry: Option<&Value>) -> Result<(f64, f64), FieldCode> {
    let g = match geometry {
        None | Some(Value::Null) => return Err(FieldCode::Missing),
        Some(g) => g,
    };
    if g.get("type").and_then(Value::as_str) != Some("Point") {
        return Err(FieldCode::Invalid);
    }
    match g
        .get("coordinates")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([lng, lat, ..]) => match (lng.as_f64(), lat.as_f64()) {
            (Some(lng), Some(lat)) => Ok((lng, lat)),
            _ => Err(FieldCode::Invalid),
        },
        _ => Err(FieldCode::Invalid),
    }
}

/// A CSV for spreadsheets (UTF-8 with a BOM so Excel reads Chinese, CRLF line ends) of
/// `header` and `rows`, every cell formula-guarded.
pub(crate) fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing str cells to a Vec cannot fail.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| guard(c)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// Prefixes `'` to a cell a spreadsheet would run as a formula.
pub(crate) fn guard(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// Removes the `'` that [`guard`] added.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

/// A coordinate with at most 7 decimals and no trailing zeros.
fn decimal(v: f64) -> String {
    let s = format!("{v:.7}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yizhan_core::LatLng;

    const HEADER: &str =
        "id,name,address,district,union_id,lat,lng,datum,hours,phone,amenities,hidden";

    fn csv_of(rows: &[&str]) -> Vec<u8> {
        let mut s = String::from(HEADER);
        for r in rows {
            s.push_str("\r\n");
            s.push_str(r);
        }
        s.push_str("\r\n");
        s.into_bytes()
    }

    fn parse(rows: &[&str]) -> Parsed {
        parse_csv(&csv_of(rows), Datum::Wgs84).expect("file parses")
    }

    fn code(row: &ParsedRow, field: &str) -> Option<FieldCode> {
        row.errors.get(field).copied()
    }

    const GOOD: &str =
        "cy-0001,望京西园驿站,望京西园三区,朝阳区,chaoyang,39.99,116.47,,24/7,010-6543 2100,water;charging,0";

    fn station(id: &str, name: &str, phone: &str, lat: f64, lng: f64) -> Station {
        serde_json::from_value(json!({
            "id": id,
            "name": name,
            "address": "望京西园三区, 2号楼 \"东门\"",
            "district": "朝阳区",
            "union": {"id": "chaoyang", "name": "朝阳区总工会"},
            "location": {"lat": lat, "lng": lng},
            "amenities": [
                {"code": "water", "state": "ok"},
                {"code": "first_aid", "state": "out_of_order"}
            ],
            "hours": "Mo-Fr 09:00-21:00; Sa,Su 10:00-18:00",
            "status": {"state": "open", "confirmed_at": null, "expires_at": null, "notice": null},
            "phone": phone,
            "version": 3
        }))
        .expect("station json")
    }

    #[test]
    fn excel_csv_with_bom_and_crlf_parses_into_valid_drafts() {
        let mut bytes = BOM.as_bytes().to_vec();
        bytes.extend(csv_of(&[
            GOOD,
            "",
            "cy-0002,工人之家,建国路 1 号,朝阳区,chaoyang,39.9,116.4,WGS-84,Mo-Su 08:00-20:00,,Water|water、wifi,是",
        ]));
        let parsed = parse_csv(&bytes, Datum::Gcj02).expect("parses");
        assert_eq!(parsed.rows.len(), 2);
        let first = &parsed.rows[0];
        assert_eq!(first.line, 2);
        assert!(first.is_valid(), "{:?}", first.errors);
        assert_eq!(first.draft.id, "cy-0001");
        assert_eq!(
            first.draft.datum,
            Datum::Gcj02,
            "empty datum takes the default"
        );
        assert_eq!(
            first.draft.amenities,
            vec![Amenity::Water, Amenity::Charging]
        );
        assert_eq!(first.draft.phone.as_deref(), Some("010-6543 2100"));
        assert!(!first.draft.hidden);
        let second = &parsed.rows[1];
        assert_eq!(
            second.line, 4,
            "the blank line is skipped but still counted"
        );
        assert!(second.is_valid(), "{:?}", second.errors);
        assert_eq!(second.draft.datum, Datum::Wgs84);
        assert_eq!(second.draft.amenities, vec![Amenity::Water, Amenity::Wifi]);
        assert_eq!(second.draft.phone, None);
        assert!(second.draft.hidden);
    }

    #[test]
    fn header_names_ignore_case_spaces_order_and_extra_columns() {
        let text = " Name ,ID,Address,District,Union_ID,LNG,LAT,Hours,Notes\n\
                    驿站,cy-1,某路,朝阳区,chaoyang,116.47,39.99,24/7,whatever\n";
        let parsed = parse_csv(text.as_bytes(), Datum::Wgs84).expect("parses");
        let row = &parsed.rows[0];
        assert!(row.is_valid(), "{:?}", row.errors);
        assert_eq!(row.line, 2);
        assert_eq!((row.draft.lat, row.draft.lng), (39.99, 116.47));
    }

    #[test]
    fn missing_required_column_is_named() {
        let text = "id,name,address,district,lat,lng\ncy-1,a,b,c,39,116\n";
        let err = parse_csv(text.as_bytes(), Datum::Wgs84).expect_err("rejected");
        assert_eq!(
            err,
            FileError::MissingColumns(vec!["union_id".into(), "hours".into()])
        );
        assert!(err.to_string().contains("union_id"));
    }

    #[test]
    fn file_that_is_not_utf8_is_rejected() {
        // "驿站" in GBK, as an old Excel might save it.
        let mut bytes = b"id,name\n1,".to_vec();
        bytes.extend([0xD2, 0xDB, 0xD5, 0xBE]);
        assert_eq!(parse_csv(&bytes, Datum::Wgs84), Err(FileError::NotUtf8));
    }

    #[test]
    fn lat_that_is_not_a_number_is_invalid_not_missing() {
        let parsed = parse(&[
            "cy-1,a,b,朝阳区,chaoyang,北纬39度,116.47,,24/7,,,",
            "cy-2,a,b,朝阳区,chaoyang,NaN,abc,,24/7,,,",
        ]);
        let first = &parsed.rows[0];
        assert_eq!(code(first, "lat"), Some(FieldCode::Invalid));
        assert_eq!(code(first, "lng"), None);
        let second = &parsed.rows[1];
        assert_eq!(code(second, "lat"), Some(FieldCode::Invalid));
        assert_eq!(code(second, "lng"), Some(FieldCode::Invalid));
    }

    #[test]
    fn draft_problems_are_merged_into_the_row() {
        let parsed = parse(&["cy-1,,b,朝阳区,chaoyang,95,116.47,,whenever,,,"]);
        let row = &parsed.rows[0];
        assert_eq!(code(row, "name"), Some(FieldCode::Missing));
        assert_eq!(code(row, "lat"), Some(FieldCode::OutOfRange));
        assert_eq!(code(row, "hours"), Some(FieldCode::Invalid));
    }

    #[test]
    fn unknown_amenity_bad_datum_and_bad_hidden_are_named() {
        let parsed =
            parse(&["cy-1,a,b,朝阳区,chaoyang,39.99,116.47,osgb36,24/7,,water;sauna,maybe"]);
        let row = &parsed.rows[0];
        assert_eq!(code(row, "amenities"), Some(FieldCode::Unknown));
        assert_eq!(code(row, "datum"), Some(FieldCode::Invalid));
        assert_eq!(code(row, "hidden"), Some(FieldCode::Invalid));
        assert_eq!(row.errors.len(), 3, "{:?}", row.errors);
        assert_eq!(
            row.to_import_row().errors.get("amenities"),
            Some(&FieldCode::Unknown)
        );
    }

    #[test]
    fn repeated_id_in_one_file_is_duplicate_from_the_second_time() {
        let parsed = parse(&[GOOD, GOOD, GOOD]);
        assert!(parsed.rows[0].is_valid());
        assert_eq!(code(&parsed.rows[1], "id"), Some(FieldCode::Duplicate));
        assert_eq!(code(&parsed.rows[2], "id"), Some(FieldCode::Duplicate));
    }

    #[test]
    fn gcj02_row_is_converted_to_wgs84() {
        let (lat, lng) = (39.99, 116.47);
        let parsed = parse(&[&format!(
            "cy-1,a,b,朝阳区,chaoyang,{lat},{lng},gcj02,24/7,,,"
        )]);
        let row = &parsed.rows[0];
        assert_eq!(row.draft.datum, Datum::Gcj02);
        let stored = row.draft.validate().expect("valid").location;
        let typed = LatLng::new(lat, lng).expect("point");
        assert!(stored.distance_m(&typed) > 100.0);
        assert_eq!(stored, Datum::Gcj02.to_wgs84(typed));
    }

    #[test]
    fn quoted_multi_line_cell_keeps_later_line_numbers_right() {
        let parsed = parse(&[
            "cy-1,\"驿站\n（二楼）\",\"某路\r\n1 号\",朝阳区,chaoyang,39.99,116.47,,24/7,,,",
            "cy-2,a,b,朝阳区,chaoyang,39.99,116.47,,24/7,,,",
            "cy-3,a,b,朝阳区,chaoyang,x,116.47,,24/7,,,",
        ]);
        let lines: Vec<usize> = parsed.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 5, 6]);
        assert_eq!(parsed.rows[0].draft.name, "驿站\n（二楼）");
        assert_eq!(code(&parsed.rows[2], "lat"), Some(FieldCode::Invalid));
    }

    #[test]
    fn short_rows_read_missing_cells_as_empty() {
        let parsed = parse(&["cy-1,a,b,朝阳区,chaoyang,39.99,116.47"]);
        let row = &parsed.rows[0];
        assert_eq!(code(row, "hours"), Some(FieldCode::Missing));
        assert_eq!(row.errors.len(), 1, "{:?}", row.errors);
    }

    #[test]
    fn more_than_max_rows_is_rejected() {
        let rows: Vec<String> = (0..=MAX_ROWS)
            .map(|i| format!("s-{i},a,b,c,u,1,2,,24/7"))
            .collect();
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        assert_eq!(
            parse_csv(&csv_of(&refs), Datum::Wgs84),
            Err(FileError::TooManyRows(MAX_ROWS))
        );
        assert_eq!(parse(&refs[..MAX_ROWS]).rows.len(), MAX_ROWS);
    }

    #[test]
    fn geojson_features_parse_with_array_amenities_and_collection_datum() {
        let doc = json!({
            "type": "FeatureCollection",
            "datum": "gcj02",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [116.47, 39.99]},
                    "properties": {
                        "id": "cy-1", "name": "a", "address": "b", "district": "朝阳区",
                        "union_id": "chaoyang", "hours": "24/7", "phone": "010-12345678",
                        "amenities": ["water", "microwave"], "hidden": true
                    }
                },
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [116.4, 39.9]},
                    "properties": {
                        "id": "cy-2", "name": "a", "address": "b", "district": "朝阳区",
                        "union_id": "chaoyang", "hours": "24/7", "datum": "WGS-84",
                        "amenities": "water;wifi"
                    }
                }
            ]
        });
        let parsed = parse_geojson(doc.to_string().as_bytes(), Datum::Wgs84).expect("parses");
        let first = &parsed.rows[0];
        assert!(first.is_valid(), "{:?}", first.errors);
        assert_eq!(first.line, 1);
        assert_eq!((first.draft.lat, first.draft.lng), (39.99, 116.47));
        assert_eq!(first.draft.datum, Datum::Gcj02);
        assert_eq!(
            first.draft.amenities,
            vec![Amenity::Water, Amenity::Microwave]
        );
        assert!(first.draft.hidden);
        let second = &parsed.rows[1];
        assert!(second.is_valid(), "{:?}", second.errors);
        assert_eq!(second.line, 2);
        assert_eq!(second.draft.datum, Datum::Wgs84);
        assert_eq!(second.draft.amenities, vec![Amenity::Water, Amenity::Wifi]);
    }

    #[test]
    fn geojson_feature_without_geometry_names_lat_and_lng() {
        let props = json!({
            "id": "cy-1", "name": "a", "address": "b", "district": "朝阳区",
            "union_id": "chaoyang", "hours": "24/7", "amenities": ["water", "sauna"]
        });
        let doc = json!({
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": null, "properties": props},
                {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}, "properties": props},
                {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["116", 39.9]}, "properties": props}
            ]
        });
        let parsed = parse_geojson(doc.to_string().as_bytes(), Datum::Wgs84).expect("parses");
        let codes: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| (code(r, "lat"), code(r, "lng"), code(r, "amenities")))
            .collect();
        let unknown = Some(FieldCode::Unknown);
        assert_eq!(
            codes,
            vec![
                (Some(FieldCode::Missing), Some(FieldCode::Missing), unknown),
                (Some(FieldCode::Invalid), Some(FieldCode::Invalid), unknown),
                (Some(FieldCode::Invalid), Some(FieldCode::Invalid), unknown),
            ]
        );
    }

    #[test]
    fn json_that_is_not_a_feature_collection_is_malformed() {
        for bad in [
            "{",
            r#"{"type": "Feature"}"#,
            r#"{"type": "FeatureCollection"}"#,
            r#"{"type": "FeatureCollection", "datum": "osgb36", "features": []}"#,
        ] {
            assert!(
                matches!(
                    parse_geojson(bad.as_bytes(), Datum::Wgs84),
                    Err(FileError::Malformed(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn text_cells_that_look_like_formulas_are_escaped_on_export() {
        let s = station(
            "cy-1",
            "=HYPERLINK(\"http://x\",\"点我\")",
            "+86 10 6543 2100",
            39.99,
            116.47,
        );
        let out = export_csv(&[(s, false)]);
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let record = reader.records().next().expect("one row").expect("csv");
        assert_eq!(&record[1], "'=HYPERLINK(\"http://x\",\"点我\")");
        assert_eq!(&record[9], "'+86 10 6543 2100");
        assert_eq!(&record[5], "39.99", "numbers are not escaped");
        // And the guard comes off again on import.
        let parsed = parse_csv(out.as_bytes(), Datum::Wgs84).expect("parses");
        assert_eq!(
            parsed.rows[0].draft.name,
            "=HYPERLINK(\"http://x\",\"点我\")"
        );
        assert_eq!(
            parsed.rows[0].draft.phone.as_deref(),
            Some("+86 10 6543 2100")
        );
        for cell in ["@SUM(A1)", "-2+3", "\tx", "\rx"] {
            assert!(guard(cell).starts_with('\''), "{cell:?}");
            assert_eq!(unguard(&guard(cell)), cell);
        }
        assert_eq!(guard("望京"), "望京");
    }

    #[test]
    fn export_csv_writes_the_documented_columns() {
        let out = export_csv(&[(station("cy-1", "驿站", "010-1", 39.123456789, 116.5), true)]);
        let mut lines = out.split("\r\n");
        assert_eq!(lines.next(), Some(CSV_COLUMNS.join(",").as_str()));
        let row = lines.next().expect("row");
        assert!(row.starts_with("cy-1,驿站,\"望京西园三区, 2号楼 \"\"东门\"\"\",朝阳区,chaoyang,39.1234568,116.5,wgs84,"), "{row}");
        assert!(row.ends_with(",010-1,water;first_aid,1"), "{row}");
        assert_eq!(decimal(-0.00000001), "0");
        assert_eq!(decimal(116.0), "116");
    }

    #[test]
    fn export_then_import_csv_keeps_ids_names_and_positions() {
        let stations = vec![
            (
                station(
                    "cy-1",
                    "望京西园驿站",
                    "010-6543 2100",
                    39.9912345,
                    116.4712345,
                ),
                false,
            ),
            (
                station("hd-22", "-中关村 \"户外\" 之家\n二楼", "", 39.98, 116.31),
                true,
            ),
        ];
        let out = export_csv(&stations);
        let parsed = parse_csv(out.as_bytes(), Datum::Gcj02).expect("parses");
        assert_eq!(parsed.rows.len(), stations.len());
        for (row, (s, hidden)) in parsed.rows.iter().zip(&stations) {
            let v = row.draft.validate().expect("valid");
            assert_eq!(v.id, s.id);
            assert_eq!(v.name, s.name);
            assert_eq!(v.hidden, *hidden);
            assert!((v.location.lat.get() - s.location.lat.get()).abs() < 1e-6);
            assert!((v.location.lng.get() - s.location.lng.get()).abs() < 1e-6);
            let codes: Vec<Amenity> = s.amenities.iter().map(|a| a.code).collect();
            assert_eq!(v.amenities, codes);
        }
    }

    #[test]
    fn export_then_import_geojson_keeps_ids_and_positions() {
        let stations = vec![(station("cy-1", "驿站", "010-1", 39.99, 116.47), true)];
        let out = export_geojson(&stations);
        let doc: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(doc["type"], "FeatureCollection");
        let f = &doc["features"][0];
        assert_eq!(f["geometry"]["coordinates"], json!([116.47, 39.99]));
        assert_eq!(f["properties"]["hidden"], true);
        assert_eq!(f["properties"]["union"]["name"], "朝阳区总工会");
        assert!(f["properties"].get("location").is_none());
        // The collection says wgs84, so a union default of GCJ-02 does not shift it on import.
        let parsed = parse_geojson(out.as_bytes(), Datum::Gcj02).expect("parses");
        let row = &parsed.rows[0];
        assert!(row.is_valid(), "{:?}", row.errors);
        let v = row.draft.validate().expect("valid");
        assert_eq!(v.id.as_str(), "cy-1");
        assert_eq!(v.location, stations[0].0.location);
        assert_eq!(v.amenities, vec![Amenity::Water, Amenity::FirstAid]);
        assert!(v.hidden);
    }
}
