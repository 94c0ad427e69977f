//! This phone's local storage, as JSON values under `yizhan.join.*` keys. Private modes and full
//! storage may refuse a write: the page then goes on with what it holds in memory.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The form as typed (`NewApplication` without consent), kept on every input.
pub const DRAFT: &str = "yizhan.join.draft";
/// The application waiting to be sent, with its `Idempotency-Key`.
pub const OUTBOX: &str = "yizhan.join.outbox";
/// The last privacy notice read from the server, so the consent step works with no signal.
pub const POLICY: &str = "yizhan.join.policy";
/// The last receipt (reference and union, never the phone), to prefill the status lookup.
pub const LAST: &str = "yizhan.join.last";

fn local() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The value under `key`, if there is one that still parses.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    local()
        .and_then(|s| s.get_item(key).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
}

/// Keeps `value` under `key`.
pub fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(json)) = (local(), serde_json::to_string(value)) {
        let _ = s.set_item(key, &json);
    }
}

/// Forgets `key`.
pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}
