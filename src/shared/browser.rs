//! What every bundle asks of the browser itself: the service worker, the clock, timers, and
//! fresh random ids.

use leptos::prelude::window;
use yizhan_core::Timestamp;

/// Registers the service worker (`/sw.js`), which keeps each bundle's pages and the last stations
/// for no-signal moments. Browsers without it (or pages not on https/localhost) simply go without.
pub fn register_service_worker() {
    let navigator = window().navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let _ = navigator.service_worker().register("/sw.js");
    }
}

/// The browser clock as a domain timestamp.
pub fn now() -> Timestamp {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "milliseconds since 1970 fit in i64 seconds"
    )]
    Timestamp::from_unix((js_sys::Date::now() / 1000.0) as i64)
}

/// Waits `ms` milliseconds, in a task of its own (`0`: the next task).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A fresh random id: `crypto.randomUUID()` where the page is a secure context, else 32 hex
/// digits from `Math.random` (good enough to tell devices apart; it guards nothing secret).
pub fn random_id() -> String {
    use wasm_bindgen::JsCast;
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).ok();
    let uuid = crypto.and_then(|c| {
        let f = js_sys::Reflect::get(&c, &"randomUUID".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        f.call0(&c).ok()?.as_string()
    });
    uuid.unwrap_or_else(|| {
        (0..4)
            .map(|_| {
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "Math.random() is in [0, 1), so the product fits in u32"
                )]
                let n = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
                format!("{n:08x}")
            })
            .collect()
    })
}
