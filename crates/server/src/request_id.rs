//! Request ids: every answer carries `x-request-id`, and every log line of the request (and a
//! 500's body) names it, so a rider's screenshot of an error can be traced to its log lines.
//! The id is a trusted proxy's when it sent one, else made here.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::config::Settings;

/// The header.
pub const HEADER: &str = "x-request-id";

/// The request's id, in its extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

/// A proxy's id is taken when it is short and plain (no room for log injection).
fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn made() -> String {
    crate::secret::random_bytes::<8>()
        .map(|b| crate::secret::hex(&b))
        .unwrap_or_else(|_| "0000000000000000".into())
}

/// Middleware: names the request, runs it inside a span carrying the id, and answers with it.
pub async fn middleware(
    State(settings): State<std::sync::Arc<Settings>>,
    mut req: Request,
    next: Next,
) -> Response {
    let trusted = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .is_some_and(|ConnectInfo(peer)| {
            settings.trusted_proxies.contains(&peer.ip().to_canonical())
        });
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| trusted && acceptable(v))
        .map_or_else(made, str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    // The path only: query strings and bodies may carry what people typed.
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.uri().path()
    );
    let mut res = next.run(req).instrument(span).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HEADER, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_taken_from_a_proxy() {
        assert!(acceptable("0f1e2d3c-aaaa.bbbb_cc"));
        for bad in ["", "a b", "x\ny", "id\"", &"a".repeat(65)] {
            assert!(!acceptable(bad), "{bad:?}");
        }
        assert_eq!(made().len(), 16);
        assert_ne!(made(), made());
    }
}
