//! Reports and visits ("我到了") made with no signal wait here, in local storage, and are sent
//! once the connection returns. Each report keeps the `Idempotency-Key` of its first attempt, so
//! however often it is retried, the server stores it once; a visit is counted once per phone,
//! station and hour whatever the retries.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yizhan_core::NewReport;

use crate::api;

const STORAGE_KEY: &str = "yizhan.outbox";

/// A report waiting to be sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// The station it is about.
    pub station: String,
    /// The report.
    pub report: NewReport,
    /// Its idempotency key.
    pub key: String,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn load() -> Vec<Pending> {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn save(all: &[Pending]) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(all)) {
        let _ = s.set_item(STORAGE_KEY, &json);
    }
}

/// Keeps a report to send later (once per key).
pub fn push(p: Pending) {
    let mut all = load();
    if !all.iter().any(|x| x.key == p.key) {
        all.push(p);
        save(&all);
    }
}

/// Forgets a report the server has (or refused for good).
pub fn remove(key: &str) {
    let mut all = load();
    all.retain(|p| p.key != key);
    save(&all);
}

const VISITS_KEY: &str = "yizhan.visits";

/// Station ids waiting for a visit, kept space-separated (ids have no spaces): no JSON
/// encoder for a list of words in the rider's bundle.
fn waiting_visits() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(VISITS_KEY).ok().flatten())
        .map(|ids| ids.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn keep_visits(all: &[String]) {
    if let Some(s) = storage() {
        let _ = s.set_item(VISITS_KEY, &all.join(" "));
    }
}

/// Keeps a visit to `station` to send later (once per station: more would not count).
pub fn push_visit(station: &str) {
    let mut all = waiting_visits();
    if !all.iter().any(|s| s == station) {
        all.push(station.to_owned());
        keep_visits(&all);
    }
}

/// Sends every waiting report and visit; those that still meet no network stay for next time.
pub async fn flush() {
    for station in waiting_visits() {
        if !matches!(
            api::visit(&station, "zh-CN").await,
            Err(api::Error::Network)
        ) {
            let mut all = waiting_visits();
            all.retain(|s| *s != station);
            keep_visits(&all);
        }
    }
    for p in load() {
        match api::report(&p.station, &p.report, &p.key, "zh-CN").await {
            Err(api::Error::Network) => {}
            // Stored, a duplicate, or refused (e.g. the hourly limit): nothing more to send.
            _ => remove(&p.key),
        }
    }
}

/// Sends what waits now, and again whenever the browser comes back online.
pub fn start() {
    wasm_bindgen_futures::spawn_local(flush());
    if let Some(w) = web_sys::window() {
        let on_online = Closure::<dyn Fn()>::new(|| wasm_bindgen_futures::spawn_local(flush()));
        let _ = w.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        // Listens for the whole life of the page.
        on_online.forget();
    }
}
