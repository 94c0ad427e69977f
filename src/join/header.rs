//! The header every join and scan page shows.

use leptos::prelude::*;

use super::i18n::{href, tr, use_lang, Msg};
use crate::shared::lang::other_lang_href;
use crate::shared::route::use_location;

/// The page's header: its title, the scan button where asked for, and the language switch
/// (which keeps the other parameters, such as `station`).
#[component]
pub fn Header(title: Msg, scan: bool) -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let switch = move || other_lang_href(location, lang.get());
    view! {
        <header class="bar">
            <h1>{tr(lang, title)}</h1>
            {scan.then(|| view! {
                <button type="button" class="scan-button"
                    on:click=move |_| location.navigate(&href(lang.get_untracked(), yizhan_core::pages::SCAN), false)>
                    {tr(lang, Msg::Scan)}
                </button>
            })}
            <a class="lang-switch" href=switch>{tr(lang, Msg::SwitchLanguage)}</a>
        </header>
    }
}
