//! `/manage`: the stations I keep, each with its status badge and its open reports.

use leptos::prelude::*;
use yizhan_core::{AdminStation, InboxReport};

use crate::shared::browser::now;
use crate::staff::api::{self, use_client};
use crate::staff::fields::LoadState;
use crate::staff::format::Badge;
use crate::staff::i18n::{i18n_lang, tr, unresolved_count, Lang, Msg};
use crate::staff::pages::Page;
use crate::staff::state::use_session;

/// How many of `reports` about `station` are still open.
fn open_reports(reports: &[InboxReport], station: &AdminStation) -> usize {
    reports
        .iter()
        .filter(|r| r.station_id == station.station.id && r.resolved_at.is_none())
        .count()
}

/// The list page.
#[component]
pub fn StationList() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let data = LocalResource::new(move || {
        session.epoch();
        async move {
            let stations = client.my_stations().await?;
            let reports = client.reports(None).await?;
            Ok::<_, api::Error>((stations, reports))
        }
    });
    view! {
        <h1>{tr(lang, Msg::MyStations)}</h1>
        {move || match data.get() {
            None => view! { <LoadState error=None retry=move || data.refetch()/> }.into_any(),
            Some(Err(e)) => view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any(),
            Some(Ok((stations, _))) if stations.is_empty() => {
                view! { <p class="muted">{tr(lang, Msg::NoStations)}</p> }.into_any()
            }
            Some(Ok((stations, reports))) => {
                let l = lang.get();
                view! {
                    <ul class="station-cards">
                        {stations.iter().map(|s| card(l, s, open_reports(&reports, s))).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}

/// One station as a big link: name, badge, open reports.
fn card(lang: Lang, s: &AdminStation, open: usize) -> impl IntoView {
    let badge = Badge::of(&s.station.status, now());
    let link = Page::ManageStation.href(lang, s.station.id.as_str());
    view! {
        <li>
            <a class="station-card" href=link>
                <span class="card-name">{s.station.name.clone()}</span>
                <span class=badge.class()>{badge.msg().text(lang)}</span>
                {(open > 0).then(|| view! { <span class="count">{unresolved_count(lang, open)}</span> })}
            </a>
        </li>
    }
}
