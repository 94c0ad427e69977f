//! The links along the top of the rider's pages: the full map (from the embed), the same page
//! in the other language, and on the map a skip link past the map to its list. The map and a
//! station's page both show them.

use leptos::prelude::*;

use crate::chrome::full_map_href;
use crate::components::station_list::LIST_HREF;
use crate::i18n::{use_lang, Lang, Msg, Words};
use crate::shared::lang::other_lang_href;
use crate::shared::route::use_location;

/// "Open full map": the app's own map with the frame's parameters, in a new tab.
#[component]
pub fn FullMapLink(
    /// The frame's query.
    search: Memo<String>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a href=move || full_map_href(&search.get()) target="_blank" rel="noopener">
            {move || lang.get().t(Msg::FullMap)}
        </a>
    }
}

/// "Skip to the station list": the map page's first link, hidden until a keyboard reaches it,
/// so keyboard and screen-reader users need not pass the map and every filter to reach the
/// list. A plain fragment link: the router leaves `#…` to the browser, which scrolls to the
/// list and moves focus there.
pub fn skip_to_list() -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class="skip-link" href=LIST_HREF>{move || lang.get().t(Msg::SkipToList)}</a>
    }
}

/// A link to the same page in the other language.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let href = move || other_lang_href(location, lang.get());
    view! {
        <a class="lang-switch" href=href hreflang=move || if lang.get() == Lang::Zh { "en" } else { "zh-CN" }>
            {move || lang.get().t(Msg::SwitchLanguage)}
        </a>
    }
}
