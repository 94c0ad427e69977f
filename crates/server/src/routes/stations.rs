//! Station reads: the filtered list, one station, and the GeoJSON feed.

use axum::extract::{RawQuery, State};
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
fn json_with_etag(
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

fn to_json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(v).map_err(|e| AppError::Internal(e.to_string()))
}

/// List stations matching the contract's filters.
#[utoipa::path(get, path = "/api/v1/stations", params(ListParams), responses(
    (status = 200, description = "Matching stations, one page", body = yizhan_core::StationList),
    (status = 304, description = "Unchanged since the ETag in If-None-Match"),
    (status = 400, description = "`invalid_query`: a parameter is invalid (e.g. a box whose minimum is above its maximum); `error.fields` names it", body = yizhan_core::ErrorBody),
))]
pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let query = parse_query(raw.as_deref())?;
    let now = Timestamp::now();
    let list = state.index().query(&query, now);
    let body = to_json(&list)?;
    // Status expiry and `open_now` follow the clock: the tag changes with the minute.
    let minute = (now.unix() / 60).to_le_bytes();
    let etag = format!("\"{:016x}\"", fnv1a(&[&body, &minute]));
    Ok(json_with_etag(
        &headers,
        etag,
        "public, max-age=60",
        body,
        "application/json",
    ))
}

/// One station.
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
    // Staff answers to riders' reports of the last 30 days.
    station.replies = state
        .db
        .replies(&id, Timestamp::from_unix(now.unix() - 30 * 24 * 3600))
        .await?;
    // The version names the manager's data; an expired status reads differently, so it gets its own tag.
    let etag = if station.status.is_fresh(now) {
        format!("\"{}\"", station.version)
    } else {
        format!("\"{}-expired\"", station.version)
    };
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

    #[test]
    fn fnv_hash_is_stable() {
        // Pinned so ETags stay the same across releases for the same body.
        assert_eq!(fnv1a(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
    }
}
