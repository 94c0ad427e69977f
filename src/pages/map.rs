//! `/`: the map of stations. Reads the contract's query parameters (centre, zoom, filters);
//! values it cannot use are named in a hint and ignored.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use yizhan_core::StationQuery;

use crate::api;
use crate::components::map_view::{MapView, View};
use crate::i18n::{use_lang, Lang, Msg};

/// Beijing's centre (Tiananmen), where the map opens without a position.
const BEIJING: View = View {
    lat: 39.9087,
    lng: 116.3975,
    zoom: 11.0,
};
/// Filters the page forwards to the API unchanged.
const FILTER_KEYS: [&str; 6] = [
    "amenities",
    "open_now",
    "open_24h",
    "union",
    "district",
    "q",
];

/// The API query for the page's valid filters, already URL-encoded.
fn api_query(pairs: &[(String, String)], bad: &[String]) -> String {
    let params = web_sys::UrlSearchParams::new().ok();
    let Some(params) = params else {
        return String::new();
    };
    for (k, v) in pairs {
        if FILTER_KEYS.contains(&k.as_str()) && !bad.contains(k) {
            params.append(k, v);
        }
    }
    String::from(params.to_string())
}

/// The rider's map.
#[component]
pub fn MapPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    // The view is read once: moving the map must not rebuild it.
    let pairs: Vec<(String, String)> = query.with_untracked(|q| {
        q.clone()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    });
    let (parsed, errors) = StationQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let view = View {
        lat: parsed.center.map_or(BEIJING.lat, |c| c.lat.get()),
        lng: parsed.center.map_or(BEIJING.lng, |c| c.lng.get()),
        zoom: parsed.zoom.map_or(BEIJING.zoom, f64::from),
    };
    let bad: Vec<String> = errors.keys().cloned().collect();
    let search = api_query(&pairs, &bad);

    let stations = LocalResource::new(move || {
        let search = search.clone();
        let lang = lang.get_untracked();
        async move { api::stations(&search, lang.accept_language()).await }
    });
    let loaded = Signal::derive(move || {
        stations
            .get()
            .and_then(Result::ok)
            .map(|l| l.stations)
            .unwrap_or_default()
    });
    let hint = (!bad.is_empty()).then(|| bad.join(", "));

    view! {
        <main class="map-page">
            <header class="bar">
                <h1>{move || lang.get().t(Msg::NearbyStations)}</h1>
                <p class="count" role="status" aria-live="polite">
                    {move || match stations.get() {
                        None => lang.get().t(Msg::Loading).to_string(),
                        Some(Ok(list)) => count_text(lang.get(), list.total),
                        Some(Err(_)) => String::new(),
                    }}
                </p>
                <LangSwitch/>
            </header>
            {hint.map(|h| view! { <p class="hint" role="note">{move || lang.get().t(Msg::BadParams)}{h.clone()}</p> })}
            <Show when=move || matches!(stations.get(), Some(Err(_)))>
                <div class="error" role="alert">
                    <p>{move || lang.get().t(Msg::LoadFailed)}</p>
                    <button type="button" on:click=move |_| stations.refetch()>{move || lang.get().t(Msg::Retry)}</button>
                </div>
            </Show>
            <MapView stations=loaded view=view/>
        </main>
    }
}

fn count_text(lang: Lang, n: usize) -> String {
    format!("{n} {}", lang.t(Msg::StationsShown))
}

/// A link to the same page in the other language.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    // Same path and parameters, other language.
    let href = move || {
        let path = location.pathname.get();
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&location.search.get()) else {
            return path;
        };
        match lang.get() {
            Lang::Zh => params.set("lang", "en"),
            Lang::En => params.delete("lang"),
        }
        let search = String::from(params.to_string());
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    view! {
        <a class="lang-switch" href=href hreflang=move || if lang.get() == Lang::Zh { "en" } else { "zh-CN" }>
            {move || lang.get().t(Msg::SwitchLanguage)}
        </a>
    }
}
