//! The only place that knows API URLs: a typed client over gloo-net.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use yizhan_core::{ApiError, ErrorBody, Station, StationList};

/// Why a request failed.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// No answer: offline, server down, or a broken body.
    Network,
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

async fn get_json<T: DeserializeOwned>(url: &str, lang: &str) -> Result<T, Error> {
    let res = Request::get(url)
        .header("Accept", "application/json")
        .header("Accept-Language", lang)
        .send()
        .await
        .map_err(|_| Error::Network)?;
    if res.ok() {
        return res.json::<T>().await.map_err(|_| Error::Network);
    }
    let status = res.status();
    match res.json::<ErrorBody>().await {
        Ok(body) => Err(Error::Api {
            status,
            error: body.error,
        }),
        Err(_) => Err(Error::Network),
    }
}

/// `GET /api/v1/stations?{query}`; `query` is already URL-encoded.
pub async fn stations(query: &str, lang: &str) -> Result<StationList, Error> {
    get_json(&format!("/api/v1/stations?{query}"), lang).await
}

/// `GET /api/v1/stations/{id}`.
pub async fn station(id: &str, lang: &str) -> Result<Station, Error> {
    let id = js_sys::encode_uri_component(id);
    get_json(&format!("/api/v1/stations/{id}"), lang).await
}
