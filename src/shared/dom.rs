//! Small builders for DOM nodes handed to Leaflet (the map's popups) or added to a list (the
//! services card). Text always goes in as text nodes, so a station name like `<b>` shows as
//! written and never becomes markup.

use leptos::prelude::document;
use web_sys::Element;

/// A new element with an optional class and text.
pub fn el(tag: &str, class: &str, text: Option<&str>) -> Option<Element> {
    let e = document().create_element(tag).ok()?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    if let Some(t) = text {
        e.set_text_content(Some(t));
    }
    Some(e)
}

/// Appends `child` to `parent` when both exist.
pub fn append(parent: &Element, child: Option<Element>) {
    if let Some(c) = child {
        let _ = parent.append_child(&c);
    }
}

/// `GET url` read as a plain JS value, or `None` when there is no answer to show: for small
/// answers whose few fields a page reads itself, so the bundle carries no decoder per type.
pub async fn fetch_js(url: &str) -> Option<wasm_bindgen::JsValue> {
    let res = gloo_net::http::Request::get(url)
        .header("Accept", "application/json")
        .send()
        .await
        .ok()
        .filter(gloo_net::http::Response::ok)?;
    let body = res.text().await.ok()?;
    js_sys::JSON::parse(&body).ok()
}
