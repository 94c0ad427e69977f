//! The union's services card (帮帮卡), as the station page, the embed's station view and the
//! join receipt show it: the 12351 hotline first, then what the station's unions offer (legal
//! aid, health checks, ...), each with the `tel:` or web link the server made. The rows are added
//! as DOM nodes (text only, never HTML) from the answer read as plain JS values: a typed decoder
//! and keyed views would cost the rider's first view about 6 KB brotli for a short list. The
//! service worker keeps the last card seen, so it shows offline too.

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use yizhan_core::services::HOTLINE;

use crate::shared::dom::{append, el};

/// The words the card shows, in the page's language.
#[derive(Clone, Copy)]
pub struct CardWords {
    /// The heading, e.g. 工会服务.
    pub heading: Signal<&'static str>,
    /// The hotline's name, e.g. 职工服务热线.
    pub hotline: Signal<&'static str>,
    /// What the hotline is for.
    pub hotline_line: Signal<&'static str>,
}

/// The card of `url` (`/api/v1/stations/{id}/services` or `/api/v1/unions/{id}/services`, from
/// the bundle's API module).
#[component]
pub fn ServicesCard(url: String, words: CardWords) -> impl IntoView {
    let list = NodeRef::<leptos::html::Ul>::new();
    wasm_bindgen_futures::spawn_local(async move {
        // Until the union's items arrive (or if they cannot), the hotline is the card.
        let Some(card) = crate::shared::dom::fetch_js(&url).await else {
            return;
        };
        if let Some(ul) = list.get_untracked() {
            add_rows(&ul, &card);
        }
    });
    view! {
        <section class="services" aria-labelledby="services-title">
            <h2 id="services-title">{move || words.heading.get()}</h2>
            <ul node_ref=list>
                <li>
                    <strong>{move || words.hotline.get()}</strong>
                    <span class="muted">{move || words.hotline_line.get()}</span>
                    <a href=format!("tel:{HOTLINE}")>{HOTLINE}</a>
                </li>
            </ul>
        </section>
    }
}

/// The text field `key` of `v`, or "".
fn text(v: &JsValue, key: &str) -> String {
    js_sys::Reflect::get(v, &JsValue::from_str(key))
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default()
}

/// One `<li>` per service: title, line, and the link when the server made one (the stylesheet
/// spaces them).
fn add_rows(ul: &web_sys::HtmlUListElement, card: &JsValue) {
    let items = js_sys::Reflect::get(card, &JsValue::from_str("services"))
        .map(|v| js_sys::Array::from(&v))
        .unwrap_or_default();
    for item in items.iter() {
        let Some(li) = el("li", "", None) else {
            continue;
        };
        append(&li, el("strong", "", Some(&text(&item, "title"))));
        let line = text(&item, "line");
        if !line.is_empty() {
            append(&li, el("span", "muted", Some(&line)));
        }
        let href = text(&item, "href");
        if let Some(a) = el("a", "", Some(&text(&item, "contact"))).filter(|_| !href.is_empty()) {
            let _ = a.set_attribute("href", &href);
            if href.starts_with("https://") {
                let _ = a.set_attribute("target", "_blank");
                let _ = a.set_attribute("rel", "noopener noreferrer");
            }
            append(&li, Some(a));
        }
        let _ = ul.append_child(&li);
    }
}
