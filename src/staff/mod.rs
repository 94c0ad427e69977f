//! The staff app (`staff.html`, its own bundle): `/manage` for station managers, `/admin` for
//! union staff. This module holds the router and the session context every page reads.

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

use leptos::prelude::*;
use yizhan_core::{Account, Role, SessionInfo};

use self::i18n::{tr, Lang, Msg};
use self::pages::{Outlet, Page, Shell};
use self::session::{Gate, LangSwitch, StaffHeader};
use crate::shared::route::provide_location;

/// Who is signed in, shared by every page. Copy: a handful of signals.
#[derive(Clone, Copy)]
pub struct Session {
    /// The session, while signed in.
    info: RwSignal<Option<SessionInfo>>,
    /// Whether the first `GET /api/v1/session` has answered.
    checked: RwSignal<bool>,
    /// Whether the last session ended by expiring (the sign-in form says so).
    expired: RwSignal<bool>,
    /// Counts sign-ins; pages' reads depend on it, so they load again after signing back in.
    epoch: RwSignal<u32>,
    /// The account whose pages are mounted. A lost session keeps them (hidden, with what was
    /// typed); signing out on purpose, or another account signing in, drops them.
    owner: RwSignal<Option<String>>,
}

impl Session {
    fn new() -> Session {
        Session {
            info: RwSignal::new(None),
            checked: RwSignal::new(false),
            expired: RwSignal::new(false),
            epoch: RwSignal::new(0),
            owner: RwSignal::new(None),
        }
    }

    /// The signed-in account (tracked).
    pub fn account(&self) -> Option<Account> {
        self.info.with(|i| i.as_ref().map(|s| s.account.clone()))
    }

    /// The signed-in account, without tracking (for a page's starting values).
    pub fn account_untracked(&self) -> Option<Account> {
        self.info
            .try_with_untracked(|i| i.as_ref().map(|s| s.account.clone()))
            .flatten()
    }

    /// Whether someone is signed in (tracked).
    pub fn is_signed_in(&self) -> bool {
        self.info.with(Option::is_some)
    }

    /// Whether the signed-in account is an admin (tracked).
    pub fn is_admin(&self) -> bool {
        self.info
            .with(|i| i.as_ref().is_some_and(|s| s.account.role == Role::Admin))
    }

    /// Whether the operator requires a second step of this account and it is not on yet
    /// (tracked): until it is, only the security page works.
    pub fn two_step_missing(&self) -> bool {
        self.info.with(|i| {
            i.as_ref()
                .is_some_and(|s| s.two_step.required && !s.two_step.enabled)
        })
    }

    /// Two-step sign-in was turned on in this session.
    pub fn two_step_enabled(&self) {
        self.info.update(|i| {
            if let Some(s) = i {
                s.two_step.enabled = true;
                s.account.two_step = true;
            }
        });
    }

    /// Whether this account signs in with a second step (tracked).
    pub fn has_two_step(&self) -> bool {
        self.info
            .with(|i| i.as_ref().is_some_and(|s| s.account.two_step))
    }

    /// The number of sign-ins so far (tracked): read it in a resource to load again after one.
    pub fn epoch(&self) -> u32 {
        self.epoch.get()
    }

    /// The CSRF token for writes (untracked).
    pub fn csrf(&self) -> Option<String> {
        self.info
            .try_with_untracked(|i| i.as_ref().map(|s| s.csrf_token.clone()))
            .flatten()
    }

    /// Someone signed in (or the first check found a session).
    pub fn signed_in(&self, info: SessionInfo) {
        let id = info.account.id.clone();
        if self.owner.get_untracked().as_deref() != Some(id.as_str()) {
            self.owner.set(Some(id));
        }
        self.info.set(Some(info));
        self.expired.set(false);
        self.checked.set(true);
        self.epoch.update(|e| *e += 1);
    }

    /// The server no longer knows the session (401): show the sign-in form over the page.
    fn lost(&self, expired: bool) {
        self.expired.set(expired);
        self.info.set(None);
        self.checked.set(true);
    }

    /// Signed out on purpose: forget the pages too.
    pub fn signed_out(&self) {
        self.info.set(None);
        self.expired.set(false);
        self.owner.set(None);
    }

    /// Reacts to a failed call: a 401 ends the session; a refused CSRF token (the session was
    /// renewed in another tab) is fetched again so the next try works.
    pub fn after_error(&self, e: &api::Error, lang: Lang) {
        if e.is_signed_out() {
            self.lost(e.code() == Some("session_expired"));
        } else if e.code() == Some("csrf_failed") {
            let session = *self;
            leptos::task::spawn_local(async move {
                match api::current_session(lang).await {
                    Ok(info) => {
                        session.info.set(Some(info));
                    }
                    Err(e) if e.is_signed_out() => session.lost(false),
                    Err(_) => {}
                }
            });
        }
    }
}

/// The session context.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(Session::new)
}

/// The page language from context.
pub fn i18n_lang() -> Memo<Lang> {
    crate::shared::lang::use_lang()
}

/// A link within the app that keeps `?lang=en`.
pub fn href(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Zh => path.to_owned(),
        Lang::En if path.contains('?') => format!("{path}&lang=en"),
        Lang::En => format!("{path}?lang=en"),
    }
}

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
            Err(e) => session.lost(e.code() == Some("session_expired")),
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
                            <a href=move || href(lang.get(), "/manage")>{tr(lang, Msg::GoToManage)}</a>
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
            <p><a href=move || href(lang.get(), "/manage")>{tr(lang, Msg::BackHome)}</a></p>
        </main>
    }
}
