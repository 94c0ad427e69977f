//! The one HTTP client under every bundle: how a request asks (JSON, the page language), and one
//! error type for every way an answer can fail. Each bundle's `api` module names its endpoints
//! on top of it; none of them decodes an answer or an error body itself.

use std::sync::Arc;

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use yizhan_core::query::FieldErrors;
use yizhan_core::{ApiError, ErrorBody, ErrorCode, ErrorHead, Station};

use crate::shared::lang::Lang;

/// Why a request failed.
#[derive(Clone)]
pub enum Error {
    /// No answer: offline, server down, a proxy's page, or a broken body. Worth trying again.
    Network,
    /// Cancelled because a newer request replaced it (not a failure to show).
    Aborted,
    /// The server answered with the contract's error body (its `message` is in the page
    /// language).
    Api {
        /// HTTP status.
        status: u16,
        /// The contract's error.
        error: ApiError,
        /// With a 412: the station as it is now (shared, so that bundles which never read it
        /// carry no code to copy, compare or print a station).
        current: Option<Arc<Station>>,
    },
    /// The server refused with this status, and the request read no more of the answer (see
    /// [`StatusOnly`]).
    Refused(u16),
}

impl PartialEq for Error {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Error::Network, Error::Network) | (Error::Aborted, Error::Aborted) => true,
            (Error::Refused(a), Error::Refused(b)) => a == b,
            (
                Error::Api {
                    status,
                    error,
                    current,
                },
                Error::Api {
                    status: s,
                    error: e,
                    current: c,
                },
            ) => {
                status == s
                    && error == e
                    && match (current, c) {
                        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                        (a, b) => a.is_none() && b.is_none(),
                    }
            }
            _ => false,
        }
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Network => f.write_str("Network"),
            Error::Aborted => f.write_str("Aborted"),
            Error::Refused(status) => write!(f, "Refused({status})"),
            Error::Api { status, error, .. } => write!(f, "Api({status}, {error:?})"),
        }
    }
}

impl Error {
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Refused(status) => Some(*status),
            Error::Network | Error::Aborted => None,
        }
    }

    /// The contract's error, if the server answered.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::Network | Error::Aborted | Error::Refused(_) => None,
        }
    }

    /// The error code, if the server answered.
    pub fn code(&self) -> Option<ErrorCode> {
        self.api().map(|e| e.code)
    }

    /// The server's message (already in the page language), if it answered.
    pub fn message(&self) -> Option<&str> {
        self.api().map(|e| e.message.as_str())
    }

    /// Field name → problem code, as the server named them (none without an answer).
    pub fn fields(&self) -> FieldErrors {
        self.api().map(|e| e.fields.clone()).unwrap_or_default()
    }

    /// Whether the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether this says the staff session is gone (not a wrong password or code).
    pub fn is_signed_out(&self) -> bool {
        self.status() == Some(401)
            && !matches!(
                self.code(),
                Some(ErrorCode::WrongCredentials | ErrorCode::CodeRequired | ErrorCode::WrongCode)
            )
    }

    /// Whether the server said the request broke a rule (a 4xx), as opposed to no answer or its
    /// own failure: a kept request that was refused is not worth sending again.
    pub fn is_refused(&self) -> bool {
        self.status().is_some_and(|s| s < 500)
    }
}

/// How a bundle reads error answers: [`ErrorHead`] (the default) skips a 412's station, so
/// only the staff bundle, which shows it, carries a station parser.
pub trait ErrorShape: DeserializeOwned {
    /// The error, with the station as it is now if this shape reads it.
    fn into_error(self, status: u16) -> Error;
}

impl ErrorShape for ErrorHead {
    fn into_error(self, status: u16) -> Error {
        Error::Api {
            status,
            error: self.error,
            current: None,
        }
    }
}

impl ErrorShape for ErrorBody {
    fn into_error(self, status: u16) -> Error {
        Error::Api {
            status,
            error: self.error,
            current: self.current.map(|c| Arc::new(*c)),
        }
    }
}

/// Reads no more of an error answer than its status: for requests whose page shows its own
/// words for any refusal (the map's lists, a kept visit or report), so that the map's first
/// view carries no reader of error bodies. (Any JSON object; a proxy's page is still no answer.)
#[derive(serde::Deserialize)]
pub struct StatusOnly {}

impl ErrorShape for StatusOnly {
    fn into_error(self, status: u16) -> Error {
        Error::Refused(status)
    }
}

/// How a request reads an error answer's body, given its status: a plain function, so that
/// the sending code exists once however many shapes a bundle reads.
type ReadError = fn(u16, &str) -> Error;

/// The error a non-2xx answer's body carries, read as `B`; a body without the contract's shape
/// (a proxy's page, say) counts as no answer.
fn read_as<B: ErrorShape>(status: u16, body: &str) -> Error {
    serde_json::from_str::<B>(body).map_or(Error::Network, |b| b.into_error(status))
}

/// Why a request came back without an answer: cancelled on purpose, or the network.
fn lost(signal: Option<&web_sys::AbortSignal>) -> Error {
    if signal.is_some_and(web_sys::AbortSignal::aborted) {
        Error::Aborted
    } else {
        Error::Network
    }
}

/// A request for JSON in `lang` (the server's messages come back in it).
pub fn request(method: Method, url: &str, lang: Lang) -> RequestBuilder {
    RequestBuilder::new(url)
        .method(method)
        .header("Accept", "application/json")
        .header("Accept-Language", lang.accept_language())
}

/// Sends a built request (a body that could not be written counts as no answer); a non-2xx
/// answer becomes its [`Error`], read as `B`.
pub async fn send_as<B: ErrorShape>(
    req: Result<Request, gloo_net::Error>,
) -> Result<Response, Error> {
    send_until(req, None, read_as::<B>).await
}

/// [`send_as`] reading errors as [`ErrorHead`].
pub async fn send(req: Result<Request, gloo_net::Error>) -> Result<Response, Error> {
    send_as::<ErrorHead>(req).await
}

/// [`send_as`] that `signal` can cancel, as [`Error::Aborted`].
async fn send_until(
    req: Result<Request, gloo_net::Error>,
    signal: Option<&web_sys::AbortSignal>,
    read: ReadError,
) -> Result<Response, Error> {
    let res = req
        .map_err(|_| Error::Network)?
        .send()
        .await
        .map_err(|_| lost(signal))?;
    if res.ok() {
        Ok(res)
    } else {
        let status = res.status();
        Err(match res.text().await {
            Ok(body) => read(status, &body),
            Err(_) => Error::Network,
        })
    }
}

/// The answer's JSON body (a body that does not decode counts as no answer).
pub async fn json_of<T: DeserializeOwned>(res: Response) -> Result<T, Error> {
    res.json::<T>().await.map_err(|_| Error::Network)
}

/// `GET url` for JSON.
pub async fn get<T: DeserializeOwned>(url: &str, lang: Lang) -> Result<T, Error> {
    json_of(send(request(Method::GET, url, lang).build()).await?).await
}

/// `POST url` with `body` as JSON.
pub async fn post<B: serde::Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    lang: Lang,
) -> Result<T, Error> {
    json_of(send(request(Method::POST, url, lang).json(body)).await?).await
}

/// An answer, and when it was fetched if it came from the offline copy.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched<T> {
    /// The answer.
    pub value: T,
    /// Unix seconds of the original fetch when the service worker answered offline.
    pub offline_since: Option<i64>,
}

/// `GET url` for JSON that `signal` can cancel, saying whether the service worker answered
/// from its offline copy. Errors are read as [`StatusOnly`] (the map's lists show their own
/// words).
pub async fn get_fetched<T: DeserializeOwned>(
    url: &str,
    lang: Lang,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<Fetched<T>, Error> {
    let req = request(Method::GET, url, lang).abort_signal(signal).build();
    let res = send_until(req, signal, read_as::<StatusOnly>).await?;
    // The service worker marks answers it gives from its copy while offline.
    let offline_since = res
        .headers()
        .get("X-Yizhan-Offline")
        .and_then(|_| res.headers().get("X-Yizhan-Fetched-At"))
        .and_then(|t| t.parse::<i64>().ok());
    let value = res.json::<T>().await.map_err(|_| lost(signal))?;
    Ok(Fetched {
        value,
        offline_since,
    })
}

/// `s` as one percent-encoded path segment or query value.
pub fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yizhan_core::FieldCode;

    fn api(status: u16, code: &str) -> Error {
        let json = format!(
            r#"{{"error":{{"code":"{code}","message":"m","fields":{{"phone":"missing"}}}}}}"#
        );
        let head: ErrorHead = serde_json::from_str(&json).expect("decodes");
        head.into_error(status)
    }

    #[test]
    fn only_a_lost_session_signs_staff_out() {
        assert!(api(401, "session_expired").is_signed_out());
        assert!(api(401, "unauthenticated").is_signed_out());
        for typed_wrong in ["wrong_credentials", "code_required", "wrong_code"] {
            assert!(!api(401, typed_wrong).is_signed_out(), "{typed_wrong}");
        }
        assert!(!api(403, "forbidden").is_signed_out());
        assert!(!Error::Network.is_signed_out());
    }

    #[test]
    fn a_refusal_is_a_4xx_answer_and_nothing_else() {
        assert!(api(422, "invalid_input").is_refused());
        assert!(api(429, "rate_limited").is_refused());
        assert!(!api(500, "internal").is_refused());
        assert!(!api(503, "unavailable").is_refused());
        assert!(!Error::Network.is_refused());
        assert!(!Error::Aborted.is_refused());
    }

    #[test]
    fn an_answer_brings_its_fields_and_no_answer_none() {
        let e = api(422, "invalid_input");
        assert_eq!(e.fields().get("phone"), Some(&FieldCode::Missing));
        assert_eq!(e.code(), Some(ErrorCode::InvalidInput));
        assert_eq!(e.message(), Some("m"));
        assert!(Error::Network.fields().is_empty());
        assert_eq!(Error::Aborted.code(), None);
    }

    #[test]
    fn a_status_only_read_keeps_the_status_and_nothing_else() {
        let body = r#"{"error":{"code":"rate_limited","message":"m","fields":{"kind":"invalid"}}}"#;
        let e = serde_json::from_str::<StatusOnly>(body)
            .expect("any error body")
            .into_error(429);
        assert_eq!(e, Error::Refused(429));
        assert_eq!(e.status(), Some(429));
        assert!(e.is_refused() && !e.is_not_found());
        assert_eq!((e.code(), e.message()), (None, None));
        assert!(e.fields().is_empty());
        assert!(!StatusOnly {}.into_error(503).is_refused());
    }

    #[test]
    fn errors_compare_by_answer_and_by_the_same_station() {
        assert_eq!(api(404, "not_found"), api(404, "not_found"));
        assert_ne!(api(404, "not_found"), api(410, "not_found"));
        assert_ne!(Error::Network, Error::Aborted);
        assert!(api(404, "not_found").is_not_found());
    }
}
