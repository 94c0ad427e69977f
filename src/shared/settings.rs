//! Deployment settings the server writes into each bundle's shell as `<meta name="yizhan:…">`
//! tags, so the first view needs no extra request. Each bundle reads the ones it uses.

use leptos::prelude::document;

/// The content of `<meta name="yizhan:{name}">`, when the server wrote one and it is not empty.
pub fn meta(name: &str) -> Option<String> {
    document()
        .query_selector(&format!("meta[name=\"yizhan:{name}\"]"))
        .ok()
        .flatten()
        .and_then(|el| el.get_attribute("content"))
        .filter(|v| !v.is_empty())
}
