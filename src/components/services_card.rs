//! The union's services card (帮帮卡) on a station page and in the embed: the 12351 hotline
//! first, then what the station's unions offer (legal aid, health checks, ...), each with a
//! `tel:` or web link. Read after the station, so it never holds up the status a rider came for;
//! the service worker keeps the last one seen, so it shows offline too.

use leptos::prelude::*;
use yizhan_core::services::HOTLINE;
use yizhan_core::{Contact, ServiceItem, ServicesCard as Card};

use crate::api;
use crate::i18n::{use_lang, Msg};
use crate::load::Latest;

/// The card of the station `id` (already percent-encoded).
#[component]
pub fn ServicesCard(id: String) -> impl IntoView {
    let lang = use_lang();
    let card: Latest<Result<Card, api::Error>> = Latest::new();
    card.start(async move { api::services(&id, lang.get_untracked().accept_language()).await });
    // Until the union's items arrive (or if they cannot), the hotline is the card.
    let items = move || {
        card.with(|c| {
            c.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|c| c.services.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="services" aria-labelledby="services-title">
            <h2 id="services-title">{move || lang.get().t(Msg::UnionServices)}</h2>
            <ul>
                <li>
                    <strong>{move || lang.get().t(Msg::Hotline)}</strong>
                    " "<span class="muted">{move || lang.get().t(Msg::HotlineLine)}</span>
                    " "<a href=format!("tel:{HOTLINE}")>{HOTLINE}</a>
                </li>
                <For each=items key=|s| (s.title.clone(), s.contact.clone()) let:item>
                    <ServiceRow item=item/>
                </For>
            </ul>
        </section>
    }
}

/// One service: its title, line and how to reach it (a link only for a contact core accepts).
#[component]
fn ServiceRow(item: ServiceItem) -> impl IntoView {
    let reach = item.contact().map(|c| {
        let external = matches!(c, Contact::Link(_));
        let href = c.href();
        view! {
            <a href=href target=external.then_some("_blank") rel=external.then_some("noopener noreferrer")>
                {item.contact.clone()}
            </a>
        }
    });
    view! {
        <li>
            <strong>{item.title.clone()}</strong>
            {(!item.line.is_empty()).then(|| view! { " "<span class="muted">{item.line.clone()}</span> })}
            " "{reach}
        </li>
    }
}
