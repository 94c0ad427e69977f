//! The receipt: the reference, big enough to read and to screenshot, and the way to follow it.

use leptos::prelude::*;
use yizhan_core::ApplicationReceipt;

use super::i18n::{href, tr, use_lang, will_review, Msg};

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
            <a class="button primary" href=move || href(lang.get(), "/join/status")>
                {tr(lang, Msg::CheckProgress)}
            </a>
        </section>
    }
}
