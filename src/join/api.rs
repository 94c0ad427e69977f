//! The join bundle's only knowledge of API URLs: a typed client for the applicant's endpoints.
//! Reference and phone travel in request bodies only, never in a URL.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use yizhan_core::query::FieldErrors;
use yizhan_core::report::IDEMPOTENCY_HEADER;
use yizhan_core::{
    ApiError, ApplicationReceipt, ApplicationView, ErrorBody, ErrorCode, Lookup, NewApplication,
    PrivacyPolicy, Resubmit, UnionRef,
};

use crate::shared::lang::Lang;

/// Why a request failed.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// No answer: offline, server down, a proxy's page, or a broken body. Worth trying again.
    Network,
    /// The server answered with the contract's error body (its `message` is in the page
    /// language).
    Api {
        /// HTTP status.
        status: u16,
        /// The contract's error.
        error: ApiError,
    },
}

impl Error {
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::Network => None,
        }
    }

    /// The error code, if the server answered.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Api { error, .. } => Some(error.code),
            Error::Network => None,
        }
    }

    /// The server's message (already in the page language), if it answered.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => Some(error.message.as_str()),
            Error::Network => None,
        }
    }

    /// Field name → problem code, as the server named them.
    pub fn fields(&self) -> FieldErrors {
        match self {
            Error::Api { error, .. } => error.fields.clone(),
            Error::Network => FieldErrors::new(),
        }
    }
}

/// The little of a station the form shows (the rest of `Station` is not read, which keeps its
/// parsers out of this bundle).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StationHead {
    /// Name, e.g. 链家望京西园店暖心驿站.
    pub name: String,
    /// District, e.g. 朝阳区.
    #[serde(default)]
    pub district: String,
    /// The union that runs it and receives its applications.
    pub union: UnionRef,
}

async fn answer<T: DeserializeOwned>(res: Response) -> Result<T, Error> {
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

async fn get<T: DeserializeOwned>(url: &str, lang: Lang) -> Result<T, Error> {
    let res = Request::get(url)
        .header("Accept", "application/json")
        .header("Accept-Language", lang.accept_language())
        .send()
        .await
        .map_err(|_| Error::Network)?;
    answer(res).await
}

async fn post<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    key: Option<&str>,
    lang: Lang,
) -> Result<T, Error> {
    let mut req = Request::post(url)
        .header("Accept", "application/json")
        .header("Accept-Language", lang.accept_language());
    if let Some(k) = key {
        req = req.header(IDEMPOTENCY_HEADER, k);
    }
    let res = req
        .json(body)
        .map_err(|_| Error::Network)?
        .send()
        .await
        .map_err(|_| Error::Network)?;
    answer(res).await
}

/// `GET /api/v1/applications/policy`: the notice version in force and the retention.
pub async fn policy(lang: Lang) -> Result<PrivacyPolicy, Error> {
    get("/api/v1/applications/policy", lang).await
}

/// `GET /api/v1/stations/{id}`: where an application through this station goes.
pub async fn station(id: &str, lang: Lang) -> Result<StationHead, Error> {
    let id = js_sys::encode_uri_component(id);
    get(&format!("/api/v1/stations/{id}"), lang).await
}

/// `/api/v1/unions/{id}/services`: the services card of the union that took the application
/// (the card reads it itself).
pub fn services_url(union: &str) -> String {
    format!(
        "/api/v1/unions/{}/services",
        js_sys::encode_uri_component(union)
    )
}

/// `POST /api/v1/applications` with `key` as its `Idempotency-Key`: every attempt at one
/// application carries the same key, so the server stores it once.
pub async fn apply(
    application: &NewApplication,
    key: &str,
    lang: Lang,
) -> Result<ApplicationReceipt, Error> {
    post("/api/v1/applications", application, Some(key), lang).await
}

/// `POST /api/v1/applications/lookup`.
pub async fn lookup(lookup: &Lookup, lang: Lang) -> Result<ApplicationView, Error> {
    post("/api/v1/applications/lookup", lookup, None, lang).await
}

/// `POST /api/v1/applications/withdraw`: erases the personal fields; the reference remains.
pub async fn withdraw(lookup: &Lookup, lang: Lang) -> Result<ApplicationView, Error> {
    post("/api/v1/applications/withdraw", lookup, None, lang).await
}

/// `POST /api/v1/applications/resubmit`: a rejected application, corrected.
pub async fn resubmit(body: &Resubmit, lang: Lang) -> Result<ApplicationView, Error> {
    post("/api/v1/applications/resubmit", body, None, lang).await
}
