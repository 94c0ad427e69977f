//! The admin menu, and `/admin` itself: the union's name and the menu.

use crate::shared::route::use_location;
use leptos::prelude::*;

use crate::staff::api::use_client;
use crate::staff::i18n::{i18n_lang, tr, Msg};
use crate::staff::pages::Page;
use crate::staff::state::use_session;

/// The admin pages, in menu order.
const TABS: [(Page, Msg); 10] = [
    (Page::Stations, Msg::NavStations),
    (Page::Coverage, Msg::NavCoverage),
    (Page::Applications, Msg::NavApplications),
    (Page::Import, Msg::NavImport),
    (Page::People, Msg::NavPeople),
    (Page::Posters, Msg::NavPosters),
    (Page::Embed, Msg::NavEmbed),
    (Page::Services, Msg::NavServices),
    (Page::Alerts, Msg::NavAlerts),
    (Page::Audit, Msg::NavAudit),
];

/// The menu: 驿站 · 覆盖 · 入会申请 · 导入导出 · 人员 · 海报 · 网站嵌入 · 帮帮卡 · 群通知 · 操作记录.
#[component]
pub fn AdminNav() -> impl IntoView {
    let lang = i18n_lang();
    let location = use_location();
    view! {
        <nav class="admin-nav chrome" aria-label=move || Msg::AdminMenu.text(lang.get())>
            <ul>
                {TABS.into_iter().map(|(page, label)| {
                    let path = page.path("");
                    let section = format!("{path}/");
                    let current = move || {
                        let here = location.pathname.get();
                        (here == path || here.starts_with(&section)).then_some("page")
                    };
                    view! {
                        <li>
                            <a href=move || page.href(lang.get(), "") aria-current=current>{tr(lang, label)}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// `/admin`: which union this is, and the unions below it.
#[component]
pub fn AdminHome() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let unions = LocalResource::new(move || {
        session.epoch();
        async move { client.unions().await }
    });
    view! {
        <h1>{tr(lang, Msg::AdminTitle)}</h1>
        <p class="union-name">{move || session.account().map(|a| a.union.name)}</p>
        <p class="muted">{tr(lang, Msg::AdminIntro)}</p>
        <super::numbers::NumbersSection/>
        {move || unions.get().and_then(Result::ok).filter(|u| u.len() > 1).map(|list| view! {
            <section aria-labelledby="unions-title">
                <h2 id="unions-title">{tr(lang, Msg::Unions)}</h2>
                <ul class="plain-list">
                    {list.into_iter().map(|u| view! { <li>{u.name}</li> }).collect_view()}
                </ul>
            </section>
        })}
    }
}
