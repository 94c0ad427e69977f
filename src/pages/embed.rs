//! `/embed`: the map and list for a union's website, in an iframe. The same screens as the app
//! in the embed's chrome; `?station={id}` shows that station's details inside the frame (the
//! station bundle's page, as on the app's own pages).
//!
//! Height: by default the embed fills the frame the host sized. When framed it also tells its
//! parent how tall its content is (`{type: "yizhan:height", height}`, a number and nothing else,
//! so any origin may read it); `/embed.js` on the host resizes the frame to that and answers
//! `{type: "yizhan:auto"}`, after which the embed lays itself out at its natural height.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::chrome::{in_frame, Chrome};
use crate::pages::map::MapPage;
use crate::pages::station::StationPage;

/// Classes on `<html>`: the embed's styles, and its natural height once the host sizes the
/// frame. (On the root rather than a wrapper element: a few KB less for every rider.)
const EMBED_CLASS: &str = "embed";
const AUTO_HEIGHT_CLASS: &str = "auto-height";

fn root_classes() -> Option<web_sys::DomTokenList> {
    document().document_element().map(|e| e.class_list())
}

/// The embed's map (map bundle).
#[component]
pub fn EmbedPage() -> impl IntoView {
    frame();
    view! { <MapPage/> }
}

/// The embed's station details (station bundle).
#[component]
pub fn EmbedStationPage() -> impl IntoView {
    frame();
    view! { <StationPage/> }
}

/// Draws the page in the embed's chrome and, when framed, reports its height, for as long as
/// the page is shown.
fn frame() {
    provide_context(Chrome::Embed);
    if let Some(c) = root_classes() {
        let _ = c.add_1(EMBED_CLASS);
    }
    let reporter = in_frame().then(report_height).flatten();
    on_cleanup(move || {
        if let Some(c) = root_classes() {
            let _ = c.remove_2(EMBED_CLASS, AUTO_HEIGHT_CLASS);
        }
        if let Some(r) = reporter {
            r.with_value(Reporter::stop);
        }
    });
}

fn height_message(height: i32) -> JsValue {
    let m = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&m, &"type".into(), &"yizhan:height".into());
    let _ = js_sys::Reflect::set(&m, &"height".into(), &height.into());
    m.into()
}

/// What must live as long as the page: the listener, and the observer with its callback.
struct Reporter {
    on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    observer: web_sys::ResizeObserver,
    _measure: Closure<dyn Fn()>,
}

impl Reporter {
    fn stop(&self) {
        let _ = window().remove_event_listener_with_callback(
            "message",
            self.on_message.as_ref().unchecked_ref(),
        );
        self.observer.disconnect();
    }
}

/// Posts the page's height to the parent whenever it changes, and switches to the natural
/// layout when the parent's script says it sizes the frame.
fn report_height() -> Option<StoredValue<Reporter, LocalStorage>> {
    let parent = window().parent().ok().flatten()?;
    let body = document().body()?;
    let from = parent.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let is_parent = ev.source().is_some_and(|s| js_sys::Object::is(&s, &from));
            let kind = js_sys::Reflect::get(&ev.data(), &"type".into())
                .ok()
                .and_then(|t| t.as_string());
            if is_parent && kind.as_deref() == Some("yizhan:auto") {
                if let Some(c) = root_classes() {
                    let _ = c.add_1(AUTO_HEIGHT_CLASS);
                }
            }
        });
    let _ =
        window().add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    let last = std::cell::Cell::new(0);
    let measured = body.clone();
    let measure = Closure::<dyn Fn()>::new(move || {
        let height = measured.offset_height();
        if height > 0 && height != last.replace(height) {
            let _ = parent.post_message(&height_message(height), "*");
        }
    });
    let observer = web_sys::ResizeObserver::new(measure.as_ref().unchecked_ref()).ok()?;
    observer.observe(&body);
    Some(StoredValue::new_local(Reporter {
        on_message,
        observer,
        _measure: measure,
    }))
}
