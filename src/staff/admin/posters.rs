//! `/admin/posters`: each station's printable poster (its join QR code), by district; and
//! `/admin/posters/print?district=X[&size=a5]`, every poster of a district one per page.

use leptos::prelude::*;
use yizhan_core::AdminStation;

use crate::staff::api::{self, use_client};
use crate::staff::fields::LoadState;
use crate::staff::i18n::{href, i18n_lang, poster_alt, tr, Msg};
use crate::staff::pages::Page;
use crate::staff::state::use_session;

/// The districts of `stations`, sorted, each once.
fn districts(stations: &[AdminStation]) -> Vec<String> {
    let mut list: Vec<String> = stations
        .iter()
        .map(|s| s.station.district.clone())
        .collect();
    list.sort();
    list.dedup();
    list
}

/// The print page's link for a district and paper size.
fn print_link(lang: crate::staff::i18n::Lang, district: &str, a5: bool) -> String {
    let mut path = format!(
        "{}?district={}",
        Page::PosterPrint.path(""),
        js_sys::encode_uri_component(district)
    );
    if a5 {
        path.push_str("&size=a5");
    }
    href(lang, &path)
}

/// The posters page.
#[component]
pub fn PostersPage() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let data = LocalResource::new(move || {
        session.epoch();
        async move { client.admin_stations().await }
    });
    let chosen = RwSignal::new(None::<String>);
    let all = move || data.get().and_then(Result::ok).unwrap_or_default();
    let district = move || {
        chosen
            .get()
            .or_else(|| districts(&all()).into_iter().next())
            .unwrap_or_default()
    };
    view! {
        <h1>{tr(lang, Msg::PostersTitle)}</h1>
        {move || match data.get() {
            None => Some(view! { <LoadState error=None retry=move || data.refetch()/> }.into_any()),
            Some(Err(e)) => Some(view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any()),
            Some(Ok(_)) => None,
        }}
        <div class="toolbar">
            <div class="field inline">
                <label for="poster-district">{tr(lang, Msg::ChooseDistrict)}</label>
                <select id="poster-district" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>
                    {move || {
                        let current = district();
                        districts(&all()).into_iter().map(|d| {
                            let selected = d == current;
                            view! { <option value=d.clone() selected=selected>{d.clone()}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            <a class="button primary" href=move || print_link(lang.get(), &district(), false)>
                {tr(lang, Msg::PrintAll)}
            </a>
        </div>
        <ul class="poster-list">
            {move || {
                let d = district();
                all().into_iter().filter(|s| s.station.district == d).map(|s| view! {
                    <li>
                        <span>{s.station.name.clone()}</span>
                        <a href=api::poster_url(s.station.id.as_str()) target="_blank" rel="noopener">
                            {tr(lang, Msg::ViewPoster)}
                        </a>
                    </li>
                }).collect_view()
            }}
        </ul>
    }
}

/// Every poster of one district, one per printed page (A4, or A5 with `size=a5`).
#[component]
pub fn PrintPage() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let location = crate::shared::route::use_location();
    let (district, size) = (location.param("district"), location.param("size"));
    let district = Memo::new(move |_| district.get().unwrap_or_default());
    let a5 = Memo::new(move |_| size.read().as_deref() == Some("a5"));
    let data = LocalResource::new(move || {
        session.epoch();
        async move { client.admin_stations().await }
    });
    let stations = move || {
        let d = district.get();
        data.get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.station.district == d)
            .collect::<Vec<_>>()
    };
    view! {
        <div class="print-toolbar chrome">
            <h1>{tr(lang, Msg::PrintTitle)}" · "{move || district.get()}</h1>
            <p>
                {tr(lang, Msg::PaperSize)}
                <a href=move || print_link(lang.get(), &district.get(), false)
                    aria-current=move || (!a5.get()).then_some("page")>"A4"</a>
                " · "
                <a href=move || print_link(lang.get(), &district.get(), true)
                    aria-current=move || a5.get().then_some("page")>"A5"</a>
            </p>
            <div class="actions">
                <button type="button" class="primary" on:click=move |_| {
                    let _ = window().print();
                }>
                    {tr(lang, Msg::Print)}
                </button>
                <a href=move || Page::Posters.href(lang.get(), "")>{tr(lang, Msg::NavPosters)}</a>
            </div>
            {move || match data.get() {
                None => Some(view! { <LoadState error=None retry=move || data.refetch()/> }.into_any()),
                Some(Err(e)) => Some(view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any()),
                Some(Ok(_)) if stations().is_empty() => {
                    Some(view! { <p class="muted">{tr(lang, Msg::NoStationsInDistrict)}</p> }.into_any())
                }
                Some(Ok(_)) => None,
            }}
        </div>
        <div class="posters" class:a5=move || a5.get()>
            {move || {
                let l = lang.get();
                stations().into_iter().map(|s| view! {
                    <figure class="poster-page">
                        <img src=api::poster_url(s.station.id.as_str()) alt=poster_alt(l, &s.station.name)/>
                    </figure>
                }).collect_view()
            }}
        </div>
    }
}
