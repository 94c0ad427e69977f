//! HTTP details every handler shares: private (`no-store`) answers, versions as ETags and
//! If-Match, and when to come back (`Retry-After`).

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;

use crate::error::AppError;

/// The version an `If-Match` names: `"7"`, `W/"7"` or the expired tag `"7-expired"`.
/// Missing → 428; unreadable → 412 (it cannot match anything).
pub fn if_match(headers: &HeaderMap) -> Result<Option<u64>, AppError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(AppError::PreconditionRequired);
    };
    let text = value.to_str().unwrap_or("").trim();
    let text = text.strip_prefix("W/").unwrap_or(text);
    let inner = text.trim_matches('"');
    let inner = inner.strip_suffix("-expired").unwrap_or(inner);
    Ok(inner.parse::<u64>().ok())
}

/// The version's ETag, as `GET /api/v1/stations/{id}` gives it for a fresh status.
pub fn etag(version: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Marks an answer `no-store`: it is personal or only meaningful signed in.
pub(crate) fn private(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A private answer to download: `body` of `content_type`, saved as `filename` (ASCII).
pub(crate) fn download(body: String, content_type: &'static str, filename: &str) -> Response {
    use axum::response::IntoResponse;
    let mut res = private(body.into_response());
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Seconds until the oldest counted failure (at `first`) leaves a window of `window` seconds:
/// the `Retry-After` of a limit's 429, at least one.
pub(crate) fn retry_after(
    first: Option<yizhan_core::Timestamp>,
    window: i64,
    now: yizhan_core::Timestamp,
) -> u64 {
    let until = first.map_or(now.unix(), |f| f.unix()) + window;
    u64::try_from((until - now.unix()).max(1)).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use yizhan_core::Timestamp;

    #[test]
    fn retry_waits_until_the_oldest_failure_leaves_the_window() {
        let now = Timestamp::from_unix(10_000);
        assert_eq!(
            retry_after(Some(Timestamp::from_unix(9_500)), 900, now),
            400
        );
        assert_eq!(retry_after(None, 900, now), 900);
        assert_eq!(retry_after(Some(Timestamp::from_unix(1)), 900, now), 1);
    }
}
