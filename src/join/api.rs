//! The join bundle's only knowledge of API URLs: a typed client for the applicant's endpoints.
//! Reference and phone travel in request bodies only, never in a URL.

use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use yizhan_core::report::IDEMPOTENCY_HEADER;
use yizhan_core::{
    ApplicationReceipt, ApplicationView, Lookup, NewApplication, PrivacyPolicy, Resubmit, UnionRef,
};

pub use crate::shared::http::Error;
use crate::shared::http::{encode, get, json_of, post, request, send};
use crate::shared::lang::Lang;

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

/// `POST url` with `body` and `key` as its `Idempotency-Key`.
async fn post_once<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    key: &str,
    lang: Lang,
) -> Result<T, Error> {
    let req = request(Method::POST, url, lang).header(IDEMPOTENCY_HEADER, key);
    json_of(send(req.json(body)).await?).await
}

/// `GET /api/v1/applications/policy`: the notice version in force and the retention.
pub async fn policy(lang: Lang) -> Result<PrivacyPolicy, Error> {
    get("/api/v1/applications/policy", lang).await
}

/// `GET /api/v1/stations/{id}`: where an application through this station goes.
pub async fn station(id: &str, lang: Lang) -> Result<StationHead, Error> {
    get(&format!("/api/v1/stations/{}", encode(id)), lang).await
}

/// `/api/v1/unions/{id}/services`: the services card of the union that took the application
/// (the card reads it itself).
pub fn services_url(union: &str) -> String {
    format!("/api/v1/unions/{}/services", encode(union))
}

/// `POST /api/v1/applications` with `key` as its `Idempotency-Key`: every attempt at one
/// application carries the same key, so the server stores it once.
pub async fn apply(
    application: &NewApplication,
    key: &str,
    lang: Lang,
) -> Result<ApplicationReceipt, Error> {
    post_once("/api/v1/applications", application, key, lang).await
}

/// `POST /api/v1/applications/lookup`.
pub async fn lookup(lookup: &Lookup, lang: Lang) -> Result<ApplicationView, Error> {
    post("/api/v1/applications/lookup", lookup, lang).await
}

/// `POST /api/v1/applications/withdraw`: erases the personal fields; the reference remains.
pub async fn withdraw(lookup: &Lookup, lang: Lang) -> Result<ApplicationView, Error> {
    post("/api/v1/applications/withdraw", lookup, lang).await
}

/// `POST /api/v1/applications/resubmit`: a rejected application, corrected.
pub async fn resubmit(body: &Resubmit, lang: Lang) -> Result<ApplicationView, Error> {
    post("/api/v1/applications/resubmit", body, lang).await
}
