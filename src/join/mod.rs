//! The join bundle (`join.html`, its own wasm): what a rider reaches by scanning a station's
//! poster — `/join` (apply) and `/join/status` (follow, correct, withdraw) — and the scan
//! bundle (`scan.html`): `/scan`, the in-app camera. Kept apart from the map so a rider on a
//! weak signal downloads only this, and the map's riders never download it; the camera's QR
//! decoder (about 90 KB brotli) is kept out of the sign-up pages a scanned poster opens, since a
//! rider who scanned with WeChat's own scanner never needs it. This module holds their routers.

mod api;
mod apply;
mod consent;
mod decode;
mod done;
mod draft;
mod form;
mod header;
mod i18n;
mod outbox;
mod scan;
mod status;
mod storage;

use leptos::prelude::*;
use yizhan_core::pages;

use crate::shared::route::provide_location;

use self::header::Header;
use self::i18n::{href, tr, use_lang, Msg};

/// Root component of the join bundle.
#[component]
pub fn JoinApp() -> impl IntoView {
    // Sends an application that waited for a connection, whichever page opens first.
    outbox::Outbox::start();
    // Keeps these pages for a reload with no signal (the worker keeps the join shell, not the map).
    crate::shared::browser::register_service_worker();
    let location = provide_location(|path, _| {
        matches!(Page::of(path), Page::Join | Page::Status | Page::NotFound)
    });
    crate::shared::lang::provide_lang(|l| i18n::t(l, Msg::AppTitle));
    // Only a change of page draws a new one: a link that opens `/join?station=…` while on
    // `/join` updates the form in place.
    let page = Memo::new(move |_| location.pathname.with(|p| Page::of(p)));
    move || match page.get() {
        Page::Join => view! { <apply::JoinPage/> }.into_any(),
        Page::Status => view! { <status::StatusPage/> }.into_any(),
        Page::Scan | Page::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// Root component of the scan bundle (`/scan`): every page it opens belongs to another bundle.
#[component]
pub fn ScanApp() -> impl IntoView {
    crate::shared::browser::register_service_worker();
    provide_location(|path, _| Page::of(path) == Page::Scan);
    crate::shared::lang::provide_lang(|l| i18n::t(l, Msg::AppTitle));
    view! { <scan::ScanPage/> }
}

/// The join and scan bundles' pages (leptos_router weighed about as much here as in the map
/// bundle; see `crate::shared::route`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    Join,
    Status,
    Scan,
    NotFound,
}

impl Page {
    fn of(path: &str) -> Self {
        match path
            .strip_suffix('/')
            .filter(|p| !p.is_empty())
            .unwrap_or(path)
        {
            pages::JOIN => Page::Join,
            pages::JOIN_STATUS => Page::Status,
            pages::SCAN => Page::Scan,
            _ => Page::NotFound,
        }
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
                <a href=move || href(lang.get(), pages::JOIN)>{tr(lang, Msg::JoinTitle)}</a>
            </p>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn paths_pick_pages() {
        assert_eq!(Page::of("/join"), Page::Join);
        assert_eq!(Page::of("/join/"), Page::Join);
        assert_eq!(Page::of("/join/status"), Page::Status);
        assert_eq!(Page::of("/scan"), Page::Scan);
        for other in ["/", "/join/x", "/joinx", "/scan/a"] {
            assert_eq!(Page::of(other), Page::NotFound, "{other}");
        }
    }
}
