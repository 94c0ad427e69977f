//! The app shell: language context and the router.

use leptos::prelude::*;

use crate::pages::{embed::EmbedPage, map::MapPage, not_found::NotFound, station::StationPage};
use crate::route::provide_location;

/// Registers the service worker that keeps the app and the last stations for no-signal moments.
/// Browsers without it (or pages not on https/localhost) simply go without.
pub(crate) fn register_service_worker() {
    let navigator = window().navigator();
    if js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        let _ = navigator.service_worker().register("/sw.js");
    }
}

/// Root component.
#[component]
pub fn App() -> impl IntoView {
    // Not inside a union's frame: the embed is read-only and leaves no worker behind.
    if !crate::chrome::in_frame() {
        register_service_worker();
        crate::outbox::start();
    }
    let location = provide_location(|path, _| Page::of(path) != Page::NotFound);
    crate::i18n::provide_lang(|l| l.t(crate::i18n::Msg::AppTitle));
    // Only a change of page draws a new one; a new query or station id updates it in place.
    let page = Memo::new(move |_| location.pathname.with(|p| Page::of(p)));
    move || match page.get() {
        Page::Map => view! { <MapPage/> }.into_any(),
        Page::Station => view! { <StationPage/> }.into_any(),
        Page::Embed => view! { <EmbedPage/> }.into_any(),
        Page::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// The rider bundle's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    /// `/`
    Map,
    /// `/stations/{id}`
    Station,
    /// `/embed`
    Embed,
    NotFound,
}

impl Page {
    fn of(path: &str) -> Self {
        match path {
            "/" => Page::Map,
            "/embed" => Page::Embed,
            _ if station_id(path).is_some() => Page::Station,
            _ => Page::NotFound,
        }
    }
}

/// The (still percent-encoded) id in `/stations/{id}`.
pub fn station_id(path: &str) -> Option<&str> {
    path.strip_prefix("/stations/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::{station_id, Page};

    #[test]
    fn paths_pick_pages() {
        assert_eq!(Page::of("/"), Page::Map);
        assert_eq!(Page::of("/embed"), Page::Embed);
        assert_eq!(Page::of("/stations/bj-cy-0001"), Page::Station);
        assert_eq!(station_id("/stations/bj-cy-0001"), Some("bj-cy-0001"));
        for other in [
            "/stations/",
            "/stations",
            "/stations/a/b",
            "/nope",
            "/embed/x",
        ] {
            assert_eq!(Page::of(other), Page::NotFound, "{other}");
        }
    }
}
