//! The only place that knows API URLs: a typed client over gloo-net.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use yizhan_core::{ApiError, ErrorBody, Station, StationList};

use crate::shared::browser::random_id;

/// Why a request failed.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// No answer: offline, server down, or a broken body.
    Network,
    /// Cancelled because a newer request replaced it (not a failure to show).
    Aborted,
    /// The server answered with an error body.
    Api {
        /// HTTP status.
        status: u16,
        /// The contract's error.
        error: ApiError,
    },
}

impl Error {
    /// Whether the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api { status: 404, .. })
    }
}

/// The error a non-2xx answer carries; an answer without the contract's body (a proxy's page,
/// say) counts as no answer.
async fn error_of(res: gloo_net::http::Response) -> Error {
    let status = res.status();
    match res.json::<ErrorBody>().await {
        Ok(body) => Error::Api {
            status,
            error: body.error,
        },
        Err(_) => Error::Network,
    }
}

/// An answer, and when it was fetched if it came from the offline copy.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched<T> {
    /// The answer.
    pub value: T,
    /// Unix seconds of the original fetch when the service worker answered offline.
    pub offline_since: Option<i64>,
}

async fn get_fetched<T: DeserializeOwned>(url: &str, lang: &str) -> Result<Fetched<T>, Error> {
    get_fetched_until(url, lang, None).await
}

/// Why a request came back without an answer: cancelled on purpose, or the network.
fn lost(signal: Option<&web_sys::AbortSignal>) -> Error {
    if signal.is_some_and(web_sys::AbortSignal::aborted) {
        Error::Aborted
    } else {
        Error::Network
    }
}

/// [`get_fetched`] that `signal` can cancel (a request the rider has panned away from).
async fn get_fetched_until<T: DeserializeOwned>(
    url: &str,
    lang: &str,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<Fetched<T>, Error> {
    let res = Request::get(url)
        .header("Accept", "application/json")
        .header("Accept-Language", lang)
        .abort_signal(signal)
        .send()
        .await
        .map_err(|_| lost(signal))?;
    if res.ok() {
        // The service worker marks answers it gives from its copy while offline.
        let offline_since = res
            .headers()
            .get("X-Yizhan-Offline")
            .and_then(|_| res.headers().get("X-Yizhan-Fetched-At"))
            .and_then(|t| t.parse::<i64>().ok());
        let value = res.json::<T>().await.map_err(|_| lost(signal))?;
        return Ok(Fetched {
            value,
            offline_since,
        });
    }
    Err(error_of(res).await)
}

async fn get_json<T: DeserializeOwned>(url: &str, lang: &str) -> Result<T, Error> {
    get_fetched(url, lang).await.map(|f| f.value)
}

/// `GET /api/v1/stations?{query}`; `query` is already URL-encoded.
pub async fn stations(query: &str, lang: &str) -> Result<Fetched<StationList>, Error> {
    get_fetched(&format!("/api/v1/stations?{query}"), lang).await
}

/// Map data for one view, cancelled by `signal` (from [`CurrentRequest::start`]): on a slow
/// link the answer for a view already left behind would only delay the one the rider is
/// looking at.
pub async fn stations_for_view(
    query: &str,
    lang: &str,
    signal: Option<web_sys::AbortSignal>,
) -> Result<Fetched<StationList>, Error> {
    get_fetched_until(&format!("/api/v1/stations?{query}"), lang, signal.as_ref()).await
}

/// The one map request in flight, cancelled when the next starts.
#[derive(Default)]
pub struct CurrentRequest(std::cell::RefCell<Option<web_sys::AbortController>>);

impl CurrentRequest {
    /// Aborts the request in flight and returns the signal of a new one.
    pub fn start(&self) -> Option<web_sys::AbortSignal> {
        let next = web_sys::AbortController::new().ok();
        let signal = next.as_ref().map(web_sys::AbortController::signal);
        if let Some(previous) = self.0.replace(next) {
            previous.abort();
        }
        signal
    }
}

/// `GET /api/v1/stations/{id}`; `id` is already percent-encoded.
pub async fn station(id: &str, lang: &str) -> Result<Station, Error> {
    get_json(&format!("/api/v1/stations/{id}"), lang).await
}

/// `/api/v1/stations/{id}/services`: the station's services card (the card reads it itself);
/// `id` is already percent-encoded.
pub fn services_url(id: &str) -> String {
    format!("/api/v1/stations/{id}/services")
}

/// Where this browser keeps its random device id.
const DEVICE_ID_KEY: &str = "yizhan.deviceId";

thread_local! {
    /// The device id for this page's lifetime, when local storage cannot keep it.
    static DEVICE_ID: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// This browser's device id (`X-Device-Id`): made once and kept in local storage, so the server
/// can limit reports per device without knowing who anyone is.
pub fn device_id() -> String {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let stored = storage
        .as_ref()
        .and_then(|s| s.get_item(DEVICE_ID_KEY).ok().flatten())
        .filter(|id| yizhan_core::DeviceId::parse(id).is_ok());
    if let Some(id) = stored {
        return id;
    }
    DEVICE_ID.with(|cell| {
        let mut cell = cell.borrow_mut();
        let id = cell.get_or_insert_with(random_id).clone();
        if let Some(s) = &storage {
            // Private modes may refuse; the in-memory id then lasts as long as the page.
            let _ = s.set_item(DEVICE_ID_KEY, &id);
        }
        id
    })
}

/// `POST /api/v1/stations/{id}/visits` ("我到了"): `Ok(true)` when counted, `Ok(false)` when
/// this phone was counted there this hour already.
pub async fn visit(id: &str, lang: &str) -> Result<bool, Error> {
    let id = js_sys::encode_uri_component(id);
    let res = Request::post(&format!("/api/v1/stations/{id}/visits"))
        .header("Accept", "application/json")
        .header("Accept-Language", lang)
        .header(yizhan_core::report::DEVICE_ID_HEADER, &device_id())
        .send()
        .await
        .map_err(|_| Error::Network)?;
    if res.ok() {
        return Ok(res.status() == 201);
    }
    Err(error_of(res).await)
}

/// `POST /api/v1/stations/{id}/reports` as this device. `key` (the `Idempotency-Key`) stays the
/// same for every attempt at one report, so a retry never stores it twice.
pub async fn report(
    id: &str,
    report: &yizhan_core::NewReport,
    key: &str,
    lang: &str,
) -> Result<yizhan_core::ReportReceipt, Error> {
    let body = serde_json::to_string(report).map_err(|_| Error::Network)?;
    let res = post_report(id, key, body, lang).await?;
    res.json().await.map_err(|_| Error::Network)
}

/// [`report`] with its body already written as JSON (the outbox keeps it so): the accepted
/// answer, unread.
pub async fn post_report(
    id: &str,
    key: &str,
    body: String,
    lang: &str,
) -> Result<gloo_net::http::Response, Error> {
    let id = js_sys::encode_uri_component(id);
    let res = Request::post(&format!("/api/v1/stations/{id}/reports"))
        .header("Accept", "application/json")
        .header("Accept-Language", lang)
        .header("Content-Type", "application/json")
        .header(yizhan_core::report::DEVICE_ID_HEADER, &device_id())
        .header(yizhan_core::report::IDEMPOTENCY_HEADER, key)
        .body(body)
        .map_err(|_| Error::Network)?
        .send()
        .await
        .map_err(|_| Error::Network)?;
    if res.ok() {
        return Ok(res);
    }
    Err(error_of(res).await)
}
