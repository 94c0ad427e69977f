//! The app shell: language context and the router.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_query_map;
use leptos_router::path;

use crate::i18n::Lang;
use crate::pages::{embed::EmbedPage, map::MapPage, not_found::NotFound, station::StationPage};

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
    view! {
        <Router>
            <LangProvider>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=MapPage/>
                    <Route path=path!("/stations/:id") view=StationPage/>
                    <Route path=path!("/embed") view=EmbedPage/>
                </Routes>
            </LangProvider>
        </Router>
    }
}

/// Provides the page language from `?lang=` and keeps `<html lang>` in step with it.
#[component]
fn LangProvider(children: Children) -> impl IntoView {
    let query = use_query_map();
    let lang = Memo::new(move |_| Lang::from_param(query.read().get("lang").as_deref()));
    provide_context(lang);
    Effect::new(move |_| {
        let l = lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", l.html_lang());
        }
        document().set_title(l.t(crate::i18n::Msg::AppTitle));
    });
    children()
}
