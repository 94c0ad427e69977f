//! The rider's endpoints: the only place in the map and station bundles that knows API URLs,
//! over the shared client ([`crate::shared::http`]).

use gloo_net::http::Method;
use yizhan_core::report::{DEVICE_ID_HEADER, IDEMPOTENCY_HEADER};
use yizhan_core::{Station, StationList};

use crate::shared::browser::random_id;
use crate::shared::http::{self, encode, request, send_as, ErrorShape, StatusOnly};
pub use crate::shared::http::{Error, Fetched};
use crate::shared::lang::Lang;

/// `GET /api/v1/stations?{query}`; `query` is already URL-encoded.
pub async fn stations(query: &str, lang: Lang) -> Result<Fetched<StationList>, Error> {
    http::get_fetched(&format!("/api/v1/stations?{query}"), lang, None).await
}

/// Map data for one view, cancelled by `signal` (from [`CurrentRequest::start`]): on a slow
/// link the answer for a view already left behind would only delay the one the rider is
/// looking at.
pub async fn stations_for_view(
    query: &str,
    lang: Lang,
    signal: Option<web_sys::AbortSignal>,
) -> Result<Fetched<StationList>, Error> {
    http::get_fetched(&format!("/api/v1/stations?{query}"), lang, signal.as_ref()).await
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
pub async fn station(id: &str, lang: Lang) -> Result<Station, Error> {
    http::get(&format!("/api/v1/stations/{id}"), lang).await
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
pub async fn visit(id: &str, lang: Lang) -> Result<bool, Error> {
    let url = format!("/api/v1/stations/{}/visits", encode(id));
    let req = request(Method::POST, &url, lang).header(DEVICE_ID_HEADER, &device_id());
    // Any refusal reads "try later": the status is all the page needs.
    let res = send_as::<StatusOnly>(req.build()).await?;
    Ok(res.status() == 201)
}

/// `POST /api/v1/stations/{id}/reports` as this device. `key` (the `Idempotency-Key`) stays the
/// same for every attempt at one report, so a retry never stores it twice.
pub async fn report(
    id: &str,
    report: &yizhan_core::NewReport,
    key: &str,
    lang: Lang,
) -> Result<yizhan_core::ReportReceipt, Error> {
    let body = serde_json::to_string(report).map_err(|_| Error::Network)?;
    http::json_of(post_report::<yizhan_core::ErrorHead>(id, key, body, lang).await?).await
}

/// [`report`] with its body already written as JSON (the outbox keeps it so): the accepted
/// answer, unread, and a refusal read as `B`.
pub async fn post_report<B: ErrorShape>(
    id: &str,
    key: &str,
    body: String,
    lang: Lang,
) -> Result<gloo_net::http::Response, Error> {
    let url = format!("/api/v1/stations/{}/reports", encode(id));
    let req = request(Method::POST, &url, lang)
        .header("Content-Type", "application/json")
        .header(DEVICE_ID_HEADER, &device_id())
        .header(IDEMPOTENCY_HEADER, key)
        .body(body);
    send_as::<B>(req).await
}
