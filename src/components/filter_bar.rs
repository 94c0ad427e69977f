//! The filter chips (every amenity, open now, 24 h) and the text search. The URL is the state:
//! each change rewrites the contract's parameters, so a shared link reproduces the view.

use leptos::prelude::*;
use yizhan_core::{Amenity, StationQuery};

use crate::i18n::{use_lang, Msg};

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
    let flag = |on: bool| on.then(|| "1".to_owned());
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
                <button type="button" class="chip"
                    aria-pressed=move || query.with(|q| q.filter.open_now).to_string()
                    on:click=move |_| {
                        let on = !query.with_untracked(|q| q.filter.open_now);
                        set_params.run(vec![("open_now", flag(on))]);
                    }>
                    {move || lang.get().t(Msg::OpenNowFilter)}
                </button>
                <button type="button" class="chip"
                    aria-pressed=move || query.with(|q| q.filter.open_24h).to_string()
                    on:click=move |_| {
                        let on = !query.with_untracked(|q| q.filter.open_24h);
                        set_params.run(vec![("open_24h", flag(on))]);
                    }>
                    {move || lang.get().t(Msg::Open24hFilter)}
                </button>
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
