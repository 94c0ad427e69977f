//! `/admin/stations`: every station of the union (hidden ones too) in a searchable table.

use leptos::prelude::*;
use yizhan_core::AdminStation;

use crate::shared::browser::now;
use crate::staff::api::use_client;
use crate::staff::fields::LoadState;
use crate::staff::format::Badge;
use crate::staff::i18n::{i18n_lang, tr, Lang, Msg};
use crate::staff::pages::Page;
use crate::staff::state::use_session;

/// Whether a station matches the search text (name, id, district or address; any case).
pub fn matches(s: &AdminStation, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return true;
    }
    let st = &s.station;
    [
        st.name.as_str(),
        st.id.as_str(),
        st.district.as_str(),
        st.address.as_str(),
    ]
    .iter()
    .any(|field| field.to_lowercase().contains(&q))
}

/// The link to a station's edit form.
pub fn edit_link(lang: Lang, id: &str) -> String {
    Page::EditStation.href(lang, id)
}

/// The table page.
#[component]
pub fn StationTable() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let data = LocalResource::new(move || {
        session.epoch();
        async move { client.admin_stations().await }
    });
    let query = RwSignal::new(String::new());
    let rows = move || {
        let l = lang.get();
        let t = now();
        data.get().and_then(Result::ok).map(|all| {
            let shown: Vec<_> = query.with(|q| all.into_iter().filter(|s| matches(s, q)).collect());
            if shown.is_empty() {
                return view! { <p class="muted">{Msg::NoMatches.text(l)}</p> }.into_any();
            }
            view! {
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">{Msg::ColName.text(l)}</th>
                            <th scope="col">{Msg::ColDistrict.text(l)}</th>
                            <th scope="col">{Msg::ColStatus.text(l)}</th>
                            <th scope="col">{Msg::ColHidden.text(l)}</th>
                            <th scope="col">{Msg::ColActions.text(l)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {shown.into_iter().map(|s| {
                            let badge = Badge::of(&s.station.status, t);
                            view! {
                                <tr>
                                    <td>{s.station.name.clone()}</td>
                                    <td>{s.station.district.clone()}</td>
                                    <td><span class=badge.class()>{badge.msg().text(l)}</span></td>
                                    <td>{s.hidden.then(|| Msg::HiddenYes.text(l))}</td>
                                    <td><a href=edit_link(l, s.station.id.as_str())>{Msg::Edit.text(l)}</a></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        })
    };
    view! {
        <h1>{tr(lang, Msg::NavStations)}</h1>
        <div class="toolbar">
            <div class="field inline">
                <label for="station-search">{tr(lang, Msg::Search)}</label>
                <input id="station-search" type="search"
                    placeholder=move || Msg::SearchHint.text(lang.get())
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            <a class="button primary" href=move || Page::NewStation.href(lang.get(), "")>
                {tr(lang, Msg::NewStation)}
            </a>
        </div>
        {move || match data.get() {
            None => Some(view! { <LoadState error=None retry=move || data.refetch()/> }.into_any()),
            Some(Err(e)) => Some(view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any()),
            Some(Ok(_)) => None,
        }}
        {rows}
    }
}
