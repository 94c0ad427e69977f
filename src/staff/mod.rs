//! The staff app (`staff.html`, its own bundle): `/manage` for station managers, `/admin` for
//! union staff. This module holds the root: the router, the shells and the page each draws.

mod admin;
mod api;
mod fields;
mod format;
mod i18n;
mod load;
mod manage;
mod pages;
mod security;
mod session;
mod state;

use leptos::prelude::*;
use yizhan_core::ErrorCode;

use self::i18n::{i18n_lang, tr, Lang, Msg};
use self::pages::{Page, Shell};
use self::session::{Gate, LangSwitch, PasswordPage, StaffHeader};
use self::state::{use_session, Session};
use crate::shared::route::provide_location;

/// The language of the page as loaded, before the router runs.
fn initial_lang() -> Lang {
    let search = window().location().search().unwrap_or_default();
    let lang = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("lang"));
    Lang::from_param(lang.as_deref())
}

/// Root component of the staff bundle.
#[component]
pub fn StaffApp() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    let lang = initial_lang();
    leptos::task::spawn_local(async move {
        match api::current_session(lang).await {
            Ok(info) => session.signed_in(info),
            Err(e) => session.lost(e.code() == Some(ErrorCode::SessionExpired)),
        }
    });
    let location = provide_location(|path, _| {
        ["/manage", "/admin"].iter().any(|root| {
            path.strip_prefix(root)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    });
    crate::shared::lang::provide_lang(|l| Msg::AppName.text(l));
    // Moving between pages of one shell keeps the shell (and its sign-in gate) as it is.
    let page = Memo::new(move |_| location.pathname.with(|p| Page::of(p)));
    provide_context(page);
    let shell = Memo::new(move |_| page.get().shell());
    move || match shell.get() {
        Shell::Manage => view! { <ManageShell/> }.into_any(),
        Shell::Admin => view! { <AdminShell/> }.into_any(),
        Shell::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// `/manage/...`: the header, and the page once signed in.
#[component]
fn ManageShell() -> impl IntoView {
    view! {
        <StaffHeader/>
        <main class="page" id="main">
            <Gate>
                <Outlet/>
            </Gate>
        </main>
    }
}

/// `/admin/...`: the header, the admin menu and the page, for admins only.
#[component]
fn AdminShell() -> impl IntoView {
    let session = use_session();
    let lang = i18n_lang();
    view! {
        <StaffHeader/>
        <main class="page wide" id="main">
            <Gate>
                <Show
                    when=move || session.is_admin() || !session.is_signed_in()
                    fallback=move || view! {
                        <div class="notice-box" role="alert">
                            <p>{tr(lang, Msg::AdminOnly)}</p>
                            <a href=move || Page::ManageList.href(lang.get(), "")>{tr(lang, Msg::GoToManage)}</a>
                        </div>
                    }
                >
                    <admin::nav::AdminNav/>
                    <Outlet/>
                </Show>
            </Gate>
        </main>
    }
}

/// The page a shell holds, drawn again only when the page changes (not its id or query).
#[component]
pub fn Outlet() -> impl IntoView {
    let page = expect_context::<Memo<Page>>();
    move || match page.get() {
        Page::ManageList => view! { <manage::list::StationList/> }.into_any(),
        Page::ManageStation => view! { <manage::station::StationPage/> }.into_any(),
        Page::Password => view! { <PasswordPage/> }.into_any(),
        Page::AdminHome => view! { <admin::nav::AdminHome/> }.into_any(),
        Page::Stations => view! { <admin::stations::StationTable/> }.into_any(),
        Page::NewStation => view! { <admin::station_form::NewStationPage/> }.into_any(),
        Page::EditStation => view! { <admin::station_form::EditStationPage/> }.into_any(),
        Page::Import => view! { <admin::import::ImportPage/> }.into_any(),
        Page::People => view! { <admin::people::PeoplePage/> }.into_any(),
        Page::Posters => view! { <admin::posters::PostersPage/> }.into_any(),
        Page::PosterPrint => view! { <admin::posters::PrintPage/> }.into_any(),
        Page::Embed => view! { <admin::embed_builder::EmbedBuilderPage/> }.into_any(),
        Page::Applications => view! { <admin::applications::ApplicationsPage/> }.into_any(),
        Page::ApplicationStats => {
            view! { <admin::application_stats::ApplicationStatsPage/> }.into_any()
        }
        Page::Application => view! { <admin::application::ApplicationPage/> }.into_any(),
        Page::Audit => view! { <admin::audit::AuditPage/> }.into_any(),
        Page::Services => view! { <admin::services::ServicesPage/> }.into_any(),
        Page::Coverage => view! { <admin::coverage::CoveragePage/> }.into_any(),
        Page::Alerts => view! { <admin::alerts::AlertsPage/> }.into_any(),
        Page::NotFound => ().into_any(),
    }
}

/// Any other path.
#[component]
fn NotFound() -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <header class="topbar chrome">
            <span class="brand">{tr(lang, Msg::AppName)}</span>
            <LangSwitch/>
        </header>
        <main class="page">
            <h1>{tr(lang, Msg::NotFound)}</h1>
            <p><a href=move || Page::ManageList.href(lang.get(), "")>{tr(lang, Msg::BackHome)}</a></p>
        </main>
    }
}
