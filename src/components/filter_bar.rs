//! The filter chips (every amenity, open now, 24 h) and the text search. The URL is the state:
//! each change rewrites the contract's parameters, so a shared link reproduces the view.

use leptos::prelude::*;
use yizhan_core::{Amenity, StationFilter, StationQuery};

use crate::i18n::{use_lang, Msg, Words};

/// A change to the URL's parameters: `(name, Some(value))` sets, `(name, None)` removes.
pub type ParamChange = Vec<(&'static str, Option<String>)>;

/// Chips and search box.
#[component]
pub fn FilterBar(
    /// The parsed parameters of the page.
    query: Memo<StationQuery>,
    /// Applies a change to the URL.
    set_params: Callback<ParamChange>,
) -> impl IntoView {
    let lang = use_lang();
    let typed = RwSignal::new(query.with_untracked(|q| q.filter.q.clone().unwrap_or_default()));
    let toggle_amenity = move |a: Amenity| {
        let mut list = query.with_untracked(|q| q.filter.amenities.clone());
        if let Some(i) = list.iter().position(|x| *x == a) {
            list.remove(i);
        } else {
            list.push(a);
        }
        let value = list
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(",");
        set_params.run(vec![("amenities", Some(value).filter(|v| !v.is_empty()))]);
    };
    // A chip for an on/off filter: pressed while the URL has `key=1`.
    let flag_chip = move |label: Msg, key: &'static str, read: fn(&StationFilter) -> bool| {
        view! {
            <button type="button" class="chip"
                aria-pressed=move || query.with(|q| read(&q.filter)).to_string()
                on:click=move |_| {
                    let on = !query.with_untracked(|q| read(&q.filter));
                    set_params.run(vec![(key, on.then(|| "1".to_owned()))]);
                }>
                {move || lang.get().t(label)}
            </button>
        }
    };
    let any_filter = move || {
        query.with(|q| {
            let f = &q.filter;
            !f.amenities.is_empty() || f.open_now || f.open_24h || f.q.is_some()
        })
    };
    view! {
        <section class="filters" aria-label=move || lang.get().t(Msg::Filters)>
            <form class="search" role="search" on:submit=move |ev| {
                ev.prevent_default();
                let text = typed.get_untracked().trim().to_owned();
                set_params.run(vec![("q", Some(text).filter(|t| !t.is_empty()))]);
            }>
                <label for="station-search" class="visually-hidden">{move || lang.get().t(Msg::Search)}</label>
                <input id="station-search" type="search" maxlength="100" enterkeyhint="search"
                    placeholder=move || lang.get().t(Msg::SearchPlaceholder)
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button type="submit">{move || lang.get().t(Msg::Search)}</button>
            </form>
            <div class="chips">
                {flag_chip(Msg::OpenNowFilter, "open_now", |f| f.open_now)}
                {flag_chip(Msg::Open24hFilter, "open_24h", |f| f.open_24h)}
                {Amenity::ALL.into_iter().map(|a| view! {
                    <button type="button" class="chip"
                        aria-pressed=move || query.with(|q| q.filter.amenities.contains(&a)).to_string()
                        on:click=move |_| toggle_amenity(a)>
                        {move || lang.get().amenity(a)}
                    </button>
                }).collect_view()}
                <Show when=any_filter>
                    <button type="button" class="chip chip-clear" on:click=move |_| {
                        typed.set(String::new());
                        set_params.run(vec![("amenities", None), ("open_now", None), ("open_24h", None), ("q", None)]);
                    }>
                        {move || lang.get().t(Msg::ClearFilters)}
                    </button>
                </Show>
            </div>
        </section>
    }
}
