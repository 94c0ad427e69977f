//! The receipt: the reference, big enough to read and to screenshot, and the way to follow it.

use leptos::prelude::*;
use yizhan_core::ApplicationReceipt;

use super::api;
use super::i18n::{href, tr, use_lang, will_review, Msg};
use crate::shared::services_card::{CardWords, ServicesCard};

/// Shown once the server has the application.
#[component]
pub fn Done(receipt: ApplicationReceipt) -> impl IntoView {
    let lang = use_lang();
    let union = receipt.union.name.clone();
    view! {
        <section class="done" role="status" aria-labelledby="join-done-title">
            <h2 id="join-done-title">{tr(lang, Msg::DoneTitle)}</h2>
            <p class="reference-label">{tr(lang, Msg::Reference)}</p>
            <p class="reference" id="join-reference" translate="no">{receipt.reference.to_string()}</p>
            <p class="screenshot">{tr(lang, Msg::Screenshot)}</p>
            <p>{move || will_review(lang.get(), &union)}</p>
            <a class="button primary" href=move || href(lang.get(), yizhan_core::pages::JOIN_STATUS)>
                {tr(lang, Msg::CheckProgress)}
            </a>
        </section>
        <UnionServices union=receipt.union.id.to_string()/>
    }
}

/// What the union that took the application offers, starting with the 12351 hotline.
#[component]
fn UnionServices(union: String) -> impl IntoView {
    let lang = use_lang();
    let words = CardWords {
        heading: Signal::derive(tr(lang, Msg::UnionServices)),
        hotline: Signal::derive(tr(lang, Msg::Hotline)),
        hotline_line: Signal::derive(tr(lang, Msg::HotlineLine)),
    };
    view! { <ServicesCard url=api::services_url(&union) words=words/> }
}
