//! The page language every bundle shares: `?lang=en` or Simplified Chinese, the context that
//! holds it, `<html lang>` and the title kept in step, and the link to the same page in the
//! other language. Each bundle brings its own words (the rider's are in `crate::i18n`).

use leptos::prelude::*;

/// The page language and its pure rules live in core, shared with the server.
pub use yizhan_core::Lang;

use crate::shared::route::{use_location, with_param, Location};

/// Provides the page language from `?lang=` and keeps `<html lang>` and the title (`title` in
/// that language) in step. Each bundle calls it once, at its root, under the router.
pub fn provide_lang(title: fn(Lang) -> &'static str) {
    let lang_param = use_location().param("lang");
    let lang = Memo::new(move |_| Lang::from_param(lang_param.read().as_deref()));
    provide_context(lang);
    Effect::new(move |_| {
        let l = lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", l.html_lang());
        }
        document().set_title(title(l));
    });
}

/// The page the rider is on (path and every other parameter) in the other language (tracked).
pub fn other_lang_href(location: Location, lang: Lang) -> String {
    let en = (lang == Lang::Zh).then_some("en");
    let search = with_param(&location.search.get(), "lang", en);
    format!("{}{search}", location.pathname.get())
}

/// The page language from context (Chinese outside the router).
pub fn use_lang() -> Memo<Lang> {
    use_context::<Memo<Lang>>().unwrap_or_else(|| Memo::new(|_| Lang::Zh))
}
