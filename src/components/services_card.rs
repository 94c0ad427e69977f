//! The union's services card (帮帮卡), as the station page, the embed's station view and the
//! join receipt show it: the 12351 hotline first, then what the station's unions offer (legal
//! aid, health checks, ...), each with a `tel:` or web link. Each bundle fetches the card with
//! its own client and brings its own words, so none pulls in another's.

use leptos::prelude::*;
use yizhan_core::services::HOTLINE;
use yizhan_core::{Contact, ServiceItem};

/// The words the card shows, in the page's language.
#[derive(Clone, Copy)]
pub struct CardWords {
    /// The heading, e.g. 工会服务.
    pub heading: Signal<&'static str>,
    /// The hotline's name, e.g. 职工服务热线.
    pub hotline: Signal<&'static str>,
    /// What the hotline is for.
    pub hotline_line: Signal<&'static str>,
}

/// The card: the hotline, then `items` (empty until they arrive, or if they cannot).
#[component]
pub fn ServicesCard(items: Signal<Vec<ServiceItem>>, words: CardWords) -> impl IntoView {
    view! {
        <section class="services" aria-labelledby="services-title">
            <h2 id="services-title">{move || words.heading.get()}</h2>
            <ul>
                <li>
                    <strong>{move || words.hotline.get()}</strong>
                    " "<span class="muted">{move || words.hotline_line.get()}</span>
                    " "<a href=format!("tel:{HOTLINE}")>{HOTLINE}</a>
                </li>
                <For each=move || items.get() key=|s| (s.title.clone(), s.contact.clone()) let:item>
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
        view! {
            <a href=c.href() target=external.then_some("_blank") rel=external.then_some("noopener noreferrer")>
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
