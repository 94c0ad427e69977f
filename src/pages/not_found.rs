//! The translated not-found page for unknown paths.

use leptos::prelude::*;

use crate::i18n::{use_lang, Msg, Words};

/// Shown for any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    view! {
        <main class="page narrow">
            <h1>{move || lang.get().t(Msg::NotFoundTitle)}</h1>
            <p>{move || lang.get().t(Msg::NotFoundBody)}</p>
            <a href=move || format!("/{}", lang.get().query_suffix())>{move || lang.get().t(Msg::BackToMap)}</a>
        </main>
    }
}
