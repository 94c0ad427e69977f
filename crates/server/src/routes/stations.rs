//! Station reads: the filtered list, one station, and the GeoJSON feed.
//!
//! A list's ETag names the index revision, the normalised query and, where the answer follows
//! the clock, the minute: it is known before any body is built, so a matching If-None-Match is
//! answered 304 without serialising (and, for a hot answer, without querying). Hot answers are
//! kept serialised, with their brotli and gzip twins made on first demand, for one revision.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use axum::extract::{Extension, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use yizhan_core::{Station, StationId, StationQuery, Timestamp};

use crate::error::{AppError, PathId};
use crate::routes::reports::{address_key, ClientAddr};
use crate::state::AppState;

/// Query parameters of the station list (for the OpenAPI description; parsing is
/// `StationQuery::parse`, shared with the app). The patterns say what the parser accepts, so a
/// request the description allows is never refused as malformed; the one rule a pattern cannot
/// say is that a box's minimum is not above its maximum. Blank values of the text filters
/// (`union=`, `district=`, `q=`, `open_now=`) mean "no filter".
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code, reason = "describes the query for OpenAPI only")]
pub struct ListParams {
    /// `minLng,minLat,maxLng,maxLat` (WGS-84 decimal degrees; longitudes within ±180,
    /// latitudes within ±90, each minimum at most its maximum), e.g. `116.3,39.8,116.5,40.0`.
    #[param(
        pattern = r"^-?(180(\.0+)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]+)?),-?(90(\.0+)?|[0-8]?[0-9](\.[0-9]+)?),-?(180(\.0+)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]+)?),-?(90(\.0+)?|[0-8]?[0-9](\.[0-9]+)?)$",
        example = "116.3,39.8,116.5,40.0"
    )]
    bbox: Option<String>,
    /// Map zoom 0–22; with `bbox`, dense areas come back as `clusters`.
    #[param(minimum = 0, maximum = 22)]
    zoom: Option<u8>,
    /// Comma list of amenity codes: each present and not out of order.
    #[param(
        pattern = "^((water|charging|microwave|rest|toilet|first_aid|repair|battery_swap|shower|climate|wifi|books)(,(water|charging|microwave|rest|toilet|first_aid|repair|battery_swap|shower|climate|wifi|books))*)?$",
        example = "water,microwave"
    )]
    amenities: Option<String>,
    /// `1` (or `true`): open now (Asia/Shanghai) and not closed; `0`, `false` or blank: any.
    #[param(pattern = "^(0|1|true|false)?$")]
    open_now: Option<String>,
    /// `1` (or `true`): hours are 24/7; `0`, `false` or blank: any.
    #[param(pattern = "^(0|1|true|false)?$")]
    open_24h: Option<String>,
    /// Union id: that union and those below it.
    #[param(pattern = "^[a-z0-9-]{0,40}$")]
    union: Option<String>,
    /// District name, e.g. 朝阳区.
    #[param(max_length = 30)]
    district: Option<String>,
    /// Text inside name, address or district.
    #[param(max_length = 100)]
    q: Option<String>,
    /// `lat,lng`: order by distance from this point, nearest first.
    #[param(
        pattern = r"^-?(90(\.0+)?|[0-8]?[0-9](\.[0-9]+)?),-?(180(\.0+)?|(1[0-7][0-9]|[0-9]{1,2})(\.[0-9]+)?)$",
        example = "39.99,116.47"
    )]
    near: Option<String>,
    /// Page size (default 5000).
    #[param(minimum = 1, maximum = 5000)]
    limit: Option<u16>,
    /// `next` from the previous page.
    #[param(pattern = "^[0-9]{1,9}$")]
    cursor: Option<String>,
    /// Language of error messages.
    #[param(inline)]
    lang: Option<Lang>,
}

/// A language the API answers in.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code, reason = "describes the query for OpenAPI only")]
pub enum Lang {
    /// Chinese (the default).
    Zh,
    /// English.
    En,
}

fn parse_query(raw: Option<&str>) -> Result<StationQuery, AppError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let (query, errors) = StationQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if errors.is_empty() {
        Ok(query)
    } else {
        Err(AppError::InvalidQuery(errors))
    }
}

/// FNV-1a: a stable, dependency-free hash for ETags (not for security).
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Answers `body` as JSON with `etag`, or 304 when the client already has it.
pub(crate) fn json_with_etag(
    headers: &HeaderMap,
    etag: String,
    cache: &'static str,
    body: impl Into<axum::body::Bytes>,
    content_type: &'static str,
) -> Response {
    let etag_value =
        HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag)
        });
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        body.into().into_response()
    };
    let h = res.headers_mut();
    if !matches {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    h.insert(header::ETAG, etag_value);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// `v` as JSON bytes; a value that does not serialize is a bug (500).
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(v).map_err(|e| AppError::Internal(e.to_string()))
}

/// Answers kept at most (a few hundred views: what most maps open with, and recent pans).
pub const ANSWERS_MAX: usize = 256;

/// Larger answers are not kept: they are rare (a desktop's filtered list), and would crowd out
/// the hot ones.
const ANSWER_MAX_BYTES: usize = 1024 * 1024;

/// JSON bytes kept in all (their compressed twins add about a fifth).
const ANSWERS_MAX_BYTES: usize = 32 * 1024 * 1024;

/// A list answer ready to send.
#[derive(Debug)]
pub struct Answer {
    /// The minute it holds for, or `None` when it does not follow the clock.
    minute: Option<i64>,
    etag: HeaderValue,
    json: Bytes,
    br: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

/// What a client accepts, best first.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Coding {
    Br,
    Gzip,
    Identity,
}

impl Coding {
    /// The best of brotli and gzip that `Accept-Encoding` allows (a `q=0` refuses one).
    fn accepted(headers: &HeaderMap) -> Coding {
        let mut br = false;
        let mut gzip = false;
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            for item in value.to_str().unwrap_or("").split(',') {
                let mut parts = item.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                if refused {
                    continue;
                }
                br |= name.eq_ignore_ascii_case("br");
                gzip |= name.eq_ignore_ascii_case("gzip");
            }
        }
        if br {
            Coding::Br
        } else if gzip {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }
}

impl Answer {
    fn new(minute: Option<i64>, etag: HeaderValue, json: Vec<u8>) -> Answer {
        Answer {
            minute,
            etag,
            json: json.into(),
            br: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    /// The body in `coding`, compressed once and then kept. Falls back to plain JSON should
    /// compressing into memory ever fail.
    fn body(&self, coding: Coding) -> (Bytes, Option<&'static str>) {
        let packed = match coding {
            Coding::Identity => None,
            // Quality 5: a little smaller than on-the-fly compression's 4, paid once.
            Coding::Br => Some((
                self.br.get_or_init(|| {
                    let mut out = Vec::new();
                    let written = {
                        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                        w.write_all(&self.json).and_then(|()| w.flush())
                    };
                    written.map_or_else(|_| Bytes::new(), |()| out.into())
                }),
                "br",
            )),
            Coding::Gzip => Some((
                self.gzip.get_or_init(|| {
                    let mut w =
                        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                    w.write_all(&self.json)
                        .and_then(|()| w.finish())
                        .map_or_else(|_| Bytes::new(), Bytes::from)
                }),
                "gzip",
            )),
        };
        match packed {
            Some((bytes, name)) if !bytes.is_empty() => (bytes.clone(), Some(name)),
            _ => (self.json.clone(), None),
        }
    }
}

/// Hot list answers of one index revision, keyed by normalised query; a new revision (any
/// change to the stations) drops them all. Bounded: the least recently used goes first.
#[derive(Debug, Default)]
pub struct Answers {
    inner: Mutex<AnswersInner>,
}

#[derive(Debug, Default)]
struct AnswersInner {
    revision: u64,
    tick: u64,
    /// JSON bytes of the entries.
    bytes: usize,
    entries: HashMap<String, (Arc<Answer>, u64)>,
}

impl Answers {
    /// The kept answer for `key` at `revision`, if it still holds at `minute`.
    fn get(&self, revision: u64, key: &str, minute: i64) -> Option<Arc<Answer>> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.revision != revision {
            return None;
        }
        inner.tick += 1;
        let tick = inner.tick;
        let (answer, used) = inner.entries.get_mut(key)?;
        if answer.minute.is_some_and(|m| m != minute) {
            return None;
        }
        *used = tick;
        Some(answer.clone())
    }

    fn put(&self, revision: u64, key: String, answer: Arc<Answer>) {
        if answer.json.len() > ANSWER_MAX_BYTES {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.revision != revision {
            // Revisions only grow: an older one's answer is never kept over a newer one's.
            if revision < inner.revision {
                return;
            }
            inner.revision = revision;
            inner.entries.clear();
            inner.bytes = 0;
        }
        if let Some((old, _)) = inner.entries.remove(&key) {
            inner.bytes -= old.json.len();
        }
        while inner.entries.len() >= ANSWERS_MAX
            || inner.bytes + answer.json.len() > ANSWERS_MAX_BYTES
        {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone());
            let Some((old, _)) = oldest.and_then(|k| inner.entries.remove(&k)) else {
                break;
            };
            inner.bytes -= old.json.len();
        }
        inner.tick += 1;
        let tick = inner.tick;
        inner.bytes += answer.json.len();
        inner.entries.insert(key, (answer, tick));
    }

    /// How many answers are kept (for tests).
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entries
            .len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whether `If-None-Match` names `etag` (weak or strong, or `*`).
fn none_match(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.trim_start_matches("W/") == etag
            })
        })
}

const LIST_CACHE: &str = "public, max-age=60";

fn not_modified(etag: HeaderValue) -> Response {
    let mut res = StatusCode::NOT_MODIFIED.into_response();
    let h = res.headers_mut();
    h.insert(header::ETAG, etag);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(LIST_CACHE));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    res
}

/// The answer, compressed as the client accepts; the compression layer leaves a body that
/// already has a Content-Encoding alone.
fn send(headers: &HeaderMap, answer: &Answer) -> Response {
    if none_match(headers, &answer.etag) {
        return not_modified(answer.etag.clone());
    }
    let (body, coding) = answer.body(Coding::accepted(headers));
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(coding) = coding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(header::ETAG, answer.etag.clone());
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(LIST_CACHE));
    res
}

/// The list's ETag: the revision in clear (it only grows), then a hash of the normalised query
/// and the minute when the answer follows the clock.
fn list_etag(revision: u64, key: &str, minute: Option<i64>) -> HeaderValue {
    let hash = match minute {
        Some(m) => fnv1a(&[key.as_bytes(), b"@", &m.to_le_bytes()]),
        None => fnv1a(&[key.as_bytes()]),
    };
    HeaderValue::from_str(&format!("\"{revision:x}-{hash:016x}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// List stations matching the contract's filters.
#[utoipa::path(get, path = "/api/v1/stations", params(ListParams), responses(
    (status = 200, description = "Matching stations, one page", body = yizhan_core::StationList),
    (status = 304, description = "Unchanged since the ETag in If-None-Match"),
    (status = 400, description = "`invalid_query`: a parameter is invalid (e.g. a box whose minimum is above its maximum); `error.fields` names it", body = yizhan_core::ErrorBody),
))]
pub async fn list(
    State(state): State<AppState>,
    Extension(answers): Extension<Arc<Answers>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let query = parse_query(raw.as_deref())?;
    let now = Timestamp::now();
    let minute = now.unix() / 60;
    let key = query.cache_key();
    let (revision, list) = {
        let index = state.index();
        let revision = index.revision();
        if let Some(hot) = answers.get(revision, &key, minute) {
            return Ok(send(&headers, &hot));
        }
        let mut list = index.query(&query, now);
        state.confirmed.stamp(&mut list.stations, now);
        (revision, list)
    };
    // Listed stations read `unknown` once their status expires, and some filters follow the
    // clock: those answers hold for their minute. Clusters alone change only with the data.
    let follows_clock = query.filter_follows_clock() || !list.stations.is_empty();
    let minute = follows_clock.then_some(minute);
    let etag = list_etag(revision, &key, minute);
    if none_match(&headers, &etag) {
        return Ok(not_modified(etag));
    }
    let answer = Arc::new(Answer::new(minute, etag, to_json(&list)?));
    answers.put(revision, key, answer.clone());
    Ok(send(&headers, &answer))
}

/// One station.
/// How long a station's answer waits for its replies before it goes without them.
const REPLIES_WITHIN: std::time::Duration = std::time::Duration::from_millis(500);

#[utoipa::path(get, path = "/api/v1/stations/{id}", params(("id" = String, Path, description = "Station id", pattern = "^[a-z0-9-]{1,40}$")), responses(
    (status = 200, description = "The station; ETag is its version", body = Station),
    (status = 304, description = "Unchanged"),
    (status = 404, description = "`not_found`: no such station", body = yizhan_core::ErrorBody),
))]
pub async fn one(
    State(state): State<AppState>,
    PathId(id): PathId,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = StationId::parse(&id).map_err(|_| AppError::NotFound)?;
    let now = Timestamp::now();
    let mut station = state.index().get(&id, now).ok_or(AppError::NotFound)?;
    station.confirmed_today = state.confirmed.of(&station.id, now);
    // The version names the manager's data; an expired status reads differently, and a new
    // count of riders' confirmations too, so each gets its own tag.
    let expired = if station.status.is_fresh(now) {
        ""
    } else {
        "-expired"
    };
    let etag = match station.confirmed_today {
        0 => format!("\"{}{expired}\"", station.version),
        n => format!("\"{}{expired}-c{n}\"", station.version),
    };
    // Known before the replies are read: an unchanged station costs no database query.
    if let Ok(tag) = HeaderValue::from_str(&etag) {
        if none_match(&headers, &tag) {
            let mut res = StatusCode::NOT_MODIFIED.into_response();
            res.headers_mut().insert(header::ETAG, tag);
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            return Ok(res);
        }
    }
    // Staff answers to riders' reports of the last 30 days. The status comes from memory, so
    // with the database gone (or too slow to answer soon) a rider still gets it, without the
    // answers and uncached, rather than an error.
    let since = Timestamp::from_unix(now.unix() - 30 * 24 * 3600);
    match tokio::time::timeout(REPLIES_WITHIN, state.db.replies(&id, since)).await {
        Ok(Ok(replies)) => station.replies = replies,
        Ok(Err(e)) if !e.is_unavailable() => return Err(e.into()),
        failed => {
            let why = failed.map_or_else(|_| "timed out".to_owned(), |r| format!("{:?}", r.err()));
            tracing::warn!(%why, "station served without replies: the database did not answer");
            let mut res = (
                [(header::CONTENT_TYPE, "application/json")],
                to_json(&station)?,
            )
                .into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return Ok(res);
        }
    }
    let body = to_json(&station)?;
    Ok(json_with_etag(
        &headers,
        etag,
        "no-cache",
        body,
        "application/json",
    ))
}

fn feature(s: Station) -> Result<Value, AppError> {
    let (lng, lat) = (s.location.lng.get(), s.location.lat.get());
    let mut props = serde_json::to_value(&s).map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(map) = props.as_object_mut() {
        map.remove("location");
    }
    Ok(
        json!({"type": "Feature", "id": s.id.as_str(), "geometry": {"type": "Point", "coordinates": [lng, lat]}, "properties": props}),
    )
}

/// Feed requests one address may make per minute: the feed is large, and meant for programs
/// that fetch it now and then (the app never does).
pub const FEED_PER_MINUTE: u32 = 30;

/// Every public station as a GeoJSON FeatureCollection (coordinates WGS-84, `[lng, lat]`).
/// Built once per version of the data and minute (statuses expire with the clock), then served
/// from memory; rate limited per address.
#[utoipa::path(get, path = "/api/v1/stations.geojson", responses(
    (status = 200, description = "GeoJSON FeatureCollection of every public station", content_type = "application/geo+json"),
    (status = 304, description = "Unchanged since the ETag in If-None-Match"),
    (status = 429, description = "`rate_limited`: more than 30 requests a minute from this address", body = yizhan_core::ErrorBody,
        headers(("Retry-After" = u64, description = "Seconds until the next minute"))),
))]
pub async fn geojson(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let now = Timestamp::now();
    let minute = now.unix() / 60;
    if !state
        .feed
        .admit(&address_key(client), minute, FEED_PER_MINUTE)
    {
        return Err(AppError::RateLimited {
            retry_after: u64::try_from(60 - now.unix() % 60).unwrap_or(60),
        });
    }
    let mut cached = state.feed.body.lock().await;
    let revision = state.index().revision();
    let fresh = cached
        .as_ref()
        .is_some_and(|c| c.revision == revision && c.minute == minute);
    if !fresh {
        let features = state
            .index()
            .all(now)
            .map(feature)
            .collect::<Result<Vec<_>, _>>()?;
        let body = to_json(&json!({"type": "FeatureCollection", "features": features}))?;
        let etag = format!("\"{:016x}\"", fnv1a(&[&body, &minute.to_le_bytes()]));
        *cached = Some(crate::state::FeedBody {
            revision,
            minute,
            body: body.into(),
            etag,
        });
    }
    let Some(feed) = cached.as_ref() else {
        return Err(AppError::Internal("feed not built".into()));
    };
    Ok(json_with_etag(
        &headers,
        feed.etag.clone(),
        "public, max-age=60",
        feed.body.clone(),
        "application/geo+json",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(minute: Option<i64>) -> Arc<Answer> {
        Arc::new(Answer::new(
            minute,
            HeaderValue::from_static("\"t\""),
            b"{}".to_vec(),
        ))
    }

    #[test]
    fn kept_answers_are_dropped_when_the_data_changes() {
        let answers = Answers::default();
        answers.put(7, "a".into(), answer(None));
        assert!(answers.get(7, "a", 100).is_some());
        assert!(answers.get(8, "a", 100).is_none(), "a newer revision");
        answers.put(8, "b".into(), answer(None));
        assert!(
            answers.get(8, "a", 100).is_none(),
            "dropped with its revision"
        );
        answers.put(7, "a".into(), answer(None));
        assert!(
            answers.get(7, "a", 100).is_none(),
            "a slow request of the old revision keeps nothing"
        );
    }

    #[test]
    fn an_answer_that_follows_the_clock_holds_for_its_minute_only() {
        let answers = Answers::default();
        answers.put(1, "listed".into(), answer(Some(100)));
        answers.put(1, "clusters".into(), answer(None));
        assert!(answers.get(1, "listed", 100).is_some());
        assert!(answers.get(1, "listed", 101).is_none());
        assert!(answers.get(1, "clusters", 101).is_some());
    }

    #[test]
    fn kept_answers_stay_bounded_and_the_least_recently_used_goes_first() {
        let answers = Answers::default();
        for i in 0..ANSWERS_MAX {
            answers.put(1, i.to_string(), answer(None));
        }
        assert!(answers.get(1, "0", 1).is_some(), "0 used again");
        answers.put(1, "new".into(), answer(None));
        assert_eq!(answers.len(), ANSWERS_MAX);
        assert!(answers.get(1, "0", 1).is_some());
        assert!(answers.get(1, "1", 1).is_none(), "the oldest unused went");
    }

    #[test]
    fn kept_answers_stay_within_their_byte_budget() {
        let answers = Answers::default();
        let big = || {
            Arc::new(Answer::new(
                None,
                HeaderValue::from_static("\"t\""),
                vec![b' '; ANSWER_MAX_BYTES],
            ))
        };
        for i in 0..ANSWERS_MAX_BYTES / ANSWER_MAX_BYTES + 5 {
            answers.put(1, i.to_string(), big());
        }
        assert_eq!(answers.len(), ANSWERS_MAX_BYTES / ANSWER_MAX_BYTES);
        answers.put(
            1,
            "too big".into(),
            Arc::new(Answer::new(
                None,
                HeaderValue::from_static("\"t\""),
                vec![b' '; ANSWER_MAX_BYTES + 1],
            )),
        );
        assert!(answers.get(1, "too big", 0).is_none());
    }

    #[test]
    fn compressed_twins_unpack_to_the_json() {
        let json = serde_json::to_vec(&json!({"stations": [], "total": 0, "n": "驿站".repeat(50)}))
            .expect("json");
        let a = Answer::new(None, HeaderValue::from_static("\"t\""), json.clone());
        let (br, coding) = a.body(Coding::Br);
        assert_eq!(coding, Some("br"));
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).expect("brotli");
        assert_eq!(out, json);
        let (gz, coding) = a.body(Coding::Gzip);
        assert_eq!(coding, Some("gzip"));
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .expect("gzip");
        assert_eq!(out, json);
        assert_eq!(a.body(Coding::Identity), (Bytes::from(json), None));
    }

    #[test]
    fn accept_encoding_picks_brotli_then_gzip_and_honours_q_zero() {
        let pick = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(v).expect("header"),
            );
            Coding::accepted(&h)
        };
        assert_eq!(pick("gzip, deflate, br"), Coding::Br);
        assert_eq!(pick("gzip"), Coding::Gzip);
        assert_eq!(pick("br;q=0, gzip;q=0.5"), Coding::Gzip);
        assert_eq!(pick("identity"), Coding::Identity);
        assert_eq!(Coding::accepted(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn fnv_hash_is_stable() {
        // Pinned so ETags stay the same across releases for the same body.
        assert_eq!(fnv1a(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
    }
}
