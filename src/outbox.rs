//! Reports and visits ("我到了") made with no signal wait here, in local storage, and are sent
//! once the connection returns. Each report keeps the `Idempotency-Key` of its first attempt, so
//! however often it is retried, the server stores it once; a visit is counted once per phone,
//! station and hour whatever the retries.
//!
//! A report is kept as the request it will be (station, key, JSON body), one per line, so the
//! map's bundle sends what waits without the report's types or a JSON codec for them (about
//! 6 KB brotli off its first view); only the station's page, where reports are made, has them.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::api;
use crate::shared::http::StatusOnly;
use crate::shared::lang::Lang;

const STORAGE_KEY: &str = "yizhan.waiting";

/// A report waiting to be sent, as it will be sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The station it is about (an id: no spaces).
    pub station: String,
    /// Its idempotency key (no spaces).
    pub key: String,
    /// The report as JSON (compact JSON has no line breaks).
    pub body: String,
}

impl Pending {
    fn line(&self) -> String {
        format!("{} {} {}", self.station, self.key, self.body)
    }

    fn of_line(line: &str) -> Option<Pending> {
        let mut parts = line.splitn(3, ' ');
        let (station, key, body) = (parts.next()?, parts.next()?, parts.next()?);
        (!station.is_empty() && !key.is_empty()).then(|| Pending {
            station: station.to_owned(),
            key: key.to_owned(),
            body: body.to_owned(),
        })
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The kept reports (lines that do not read as one are dropped).
fn parse(text: &str) -> Vec<Pending> {
    text.lines().filter_map(Pending::of_line).collect()
}

fn load() -> Vec<Pending> {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .map(|text| parse(&text))
        .unwrap_or_default()
}

fn save(all: &[Pending]) {
    if let Some(s) = storage() {
        let text: Vec<String> = all.iter().map(Pending::line).collect();
        let _ = s.set_item(STORAGE_KEY, &text.join("\n"));
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
    if all.iter().any(|p| p.key == key) {
        all.retain(|p| p.key != key);
        save(&all);
    }
}

/// Where reports waited before they were kept as requests: a JSON list.
const OLD_KEY: &str = "yizhan.outbox";

/// Moves reports kept by an earlier version into [`STORAGE_KEY`], so none is stranded by an
/// update. Only the station's page calls it (it has the report's types already).
pub fn adopt_old() {
    #[derive(serde::Deserialize)]
    struct Old {
        station: String,
        report: yizhan_core::NewReport,
        key: String,
    }
    let Some(s) = storage() else {
        return;
    };
    let Some(text) = s.get_item(OLD_KEY).ok().flatten() else {
        return;
    };
    for old in serde_json::from_str::<Vec<Old>>(&text).unwrap_or_default() {
        if let Ok(body) = serde_json::to_string(&old.report) {
            push(Pending {
                station: old.station,
                key: old.key,
                body,
            });
        }
    }
    let _ = s.remove_item(OLD_KEY);
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
            api::visit(&station, Lang::Zh).await,
            Err(api::Error::Network)
        ) {
            let mut all = waiting_visits();
            all.retain(|s| *s != station);
            keep_visits(&all);
        }
    }
    for p in load() {
        match api::post_report::<StatusOnly>(&p.station, &p.key, p.body.clone(), Lang::Zh).await {
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

#[cfg(test)]
mod tests {
    use super::{parse, Pending};

    #[test]
    fn kept_reports_read_back_as_written_and_broken_lines_are_dropped() {
        let p = Pending {
            station: "bj-cy-0001".into(),
            key: "0a1b2c3d".into(),
            body: r#"{"kind":"fault","comment":"门 关了\n又开"}"#.into(),
        };
        let q = Pending {
            station: "bj-cy-0002".into(),
            key: "ffff".into(),
            body: "{}".into(),
        };
        let text = format!("{}\n{}\nbroken\n", p.line(), q.line());
        assert_eq!(parse(&text), vec![p, q]);
        assert!(parse("").is_empty());
    }
}
