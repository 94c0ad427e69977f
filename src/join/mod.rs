//! The join bundle (`join.html`, its own wasm): what a rider reaches by scanning a station's
//! poster — `/join` (apply), `/join/status` (follow, correct, withdraw) and `/scan` (the
//! camera). Kept apart from the map so a rider on a weak signal downloads only this, and the
//! map's riders never download it. This module holds the router, the language and the header.

mod api;
mod apply;
mod consent;
mod decode;
mod done;
mod draft;
mod form;
mod i18n;
mod outbox;
mod scan;
mod status;
mod storage;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::path;

use self::i18n::{href, tr, use_lang, Lang, Msg};

/// Root component of the join bundle.
#[component]
pub fn JoinApp() -> impl IntoView {
    // Sends an application that waited for a connection, whichever page opens first.
    outbox::Outbox::start();
    // Keeps these pages for a reload with no signal (the worker keeps the join shell, not the map).
    crate::app::register_service_worker();
    view! {
        <Router>
            <LangProvider>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/join") view=apply::JoinPage/>
                    <Route path=path!("/join/status") view=status::StatusPage/>
                    <Route path=path!("/scan") view=scan::ScanPage/>
                </Routes>
            </LangProvider>
        </Router>
    }
}

/// Provides the page language from `?lang=` and keeps `<html lang>` and the title in step.
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
        document().set_title(i18n::t(l, Msg::AppTitle));
    });
    children()
}

/// The page's header: its title, the scan button where asked for, and the language switch
/// (which keeps the other parameters, such as `station`).
#[component]
fn Header(title: Msg, scan: bool) -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let navigate = use_navigate();
    let switch = move || {
        let search = location.search.get();
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
            return location.pathname.get();
        };
        match lang.get() {
            Lang::Zh => params.set("lang", "en"),
            Lang::En => params.delete("lang"),
        }
        let qs = String::from(params.to_string());
        let path = location.pathname.get();
        if qs.is_empty() {
            path
        } else {
            format!("{path}?{qs}")
        }
    };
    view! {
        <header class="bar">
            <h1>{tr(lang, title)}</h1>
            {scan.then(|| view! {
                <button type="button" class="scan-button"
                    on:click=move |_| navigate(&href(lang.get_untracked(), "/scan"), Default::default())>
                    {tr(lang, Msg::Scan)}
                </button>
            })}
            <a class="lang-switch" href=switch>{tr(lang, Msg::SwitchLanguage)}</a>
        </header>
    }
}

/// Any other path under this bundle.
#[component]
fn NotFound() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Header title=Msg::NotFoundTitle scan=false/>
        <main class="page" id="main">
            <p>{tr(lang, Msg::NotFoundBody)}</p>
            <p class="links">
                <a href=move || href(lang.get(), "/join")>{tr(lang, Msg::JoinTitle)}</a>
            </p>
        </main>
    }
}
