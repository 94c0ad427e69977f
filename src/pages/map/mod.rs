//! `/`: the map and the nearby list. The URL holds the view (`lat`, `lng`, `zoom`) and the
//! filters, so a shared link reproduces it; values the page cannot use are named in a hint and
//! ignored. `/embed` draws the same screen in a union's frame (see `Chrome`): compact header,
//! no position hints, and with no view in the link and no live position it opens on the area
//! its filters cover (the union's stations) rather than the city centre.

mod requests;
mod whereabouts;

use leptos::prelude::*;
use yizhan_core::{StationQuery, NEARBY_LIST_LEN};

use self::requests::Requests;
use self::whereabouts::Whereabouts;
use crate::chrome::{use_chrome, Chrome};
use crate::components::filter_bar::{FilterBar, ParamChange};
use crate::components::links::{skip_to_list, FullMapLink, LangSwitch};
use crate::components::map_view::MapView;
use crate::components::station_list::StationList;
use crate::i18n::{use_lang, Lang, Msg, Words};
use crate::locate::Source;
use crate::shared::browser::now;
use crate::shared::route::{use_location, with_params};

/// What the address says: the filters the page can use, the names of those it cannot, and how
/// the page writes changes back.
#[derive(Clone, Copy)]
struct Address {
    search: Memo<String>,
    filters: Memo<StationQuery>,
    bad: Memo<Vec<String>>,
    set_params: Callback<ParamChange>,
}

impl Address {
    fn read(chrome: Chrome) -> Self {
        let location = use_location();
        let pairs = location.query();
        let parsed = Memo::new(move |_| {
            pairs.with(|p| StationQuery::parse(p.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
        });
        Address {
            search: location.search,
            filters: Memo::new(move |_| parsed.with(|(q, _)| q.clone())),
            bad: Memo::new(move |_| parsed.with(|(_, e)| e.keys().cloned().collect())),
            set_params: param_setter(chrome, pairs),
        }
    }
}

/// Writes changed parameters into the address, while the rider is on the map.
fn param_setter(chrome: Chrome, pairs: Memo<Vec<(String, String)>>) -> Callback<ParamChange> {
    let embed = chrome == Chrome::Embed;
    let location = use_location();
    Callback::new(move |changes: ParamChange| {
        // Leaflet reports a last move as the page goes (a station tapped while the map still
        // glides): that must not pull the rider back to the map.
        let path = chrome.map_path();
        let on_map = location.pathname.with_untracked(|p| p == path)
            && (!embed || pairs.with_untracked(|p| p.iter().all(|(k, _)| k != "station")));
        if !on_map {
            return;
        }
        let changes: Vec<(&str, Option<&str>)> =
            changes.iter().map(|(k, v)| (*k, v.as_deref())).collect();
        let qs = location.search.with_untracked(|s| with_params(s, &changes));
        location.navigate(&format!("{path}{qs}"), true);
    })
}

/// The rider's map and list.
#[component]
pub fn MapPage() -> impl IntoView {
    let lang = use_lang();
    let embed = use_chrome() == Chrome::Embed;
    let address = Address::read(use_chrome());
    let here = Whereabouts::open(address.filters, embed);
    let requests = Requests::follow(address.filters, here, lang);
    // The page below the header comes in a task of its own. Drawing anything at all makes the
    // browser compile the framework's code (each function on its first call), and the rest of
    // the page its own: in two tasks, neither holds a cheap phone up for as long.
    let rest = RwSignal::new(false);
    set_timeout(
        move || {
            let _ = rest.try_set(true);
        },
        std::time::Duration::ZERO,
    );
    view! {
        <main class="map-page">
            {skip_to_list()}
            {bar(requests, embed, address.search)}
            <Show when=move || rest.get()>{below_bar(requests, here, address)}</Show>
        </main>
    }
}

/// Everything below the header: notes, filters, the map and the list.
fn below_bar(requests: Requests, here: Whereabouts, address: Address) -> impl IntoView {
    let lang = use_lang();
    view! {
        {hints(requests, here, address.bad)}
        <FilterBar query=address.filters set_params=address.set_params/>
        <Show when=move || requests.failed()>
            <div class="error" role="alert">
                <p>{move || lang.get().t(Msg::LoadFailed)}</p>
                <button type="button" on:click=move |_| requests.retry()>{move || lang.get().t(Msg::Retry)}</button>
            </div>
        </Show>
        <div class="map-and-list">
            {map_pane(requests, here, address.set_params)}
            {list_pane(requests)}
        </div>
    }
}

/// The title, how many stations there are, and the links beside them.
fn bar(requests: Requests, embed: bool, search: Memo<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <header class="bar">
            <h1>{move || lang.get().t(Msg::NearbyStations)}</h1>
            <p class="count" role="status" aria-live="polite">
                {move || requests.listed.with(|l| match l {
                    None => lang.get().t(Msg::Loading).to_string(),
                    Some(Ok(f)) => count_text(lang.get(), f.value.total),
                    Some(Err(_)) => String::new(),
                })}
            </p>
            {embed.then(|| view! { <FullMapLink search/> })}
            // The scanner is in the sign-up bundle: a full page load, not an in-app route.
            {(!embed).then(|| view! {
                <a class="scan" href=move || format!("{}{}", yizhan_core::pages::SCAN, lang.get().query_suffix())>
                    {move || lang.get().t(Msg::Scan)}
                </a>
            })}
            <LangSwitch/>
        </header>
    }
}

/// Notes on what the page shows: data from the offline copy, parameters it could not use, a
/// position that is not live.
fn hints(requests: Requests, here: Whereabouts, bad: Memo<Vec<String>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        {move || requests.offline_since().map(|t| {
            let minutes = now().unix().saturating_sub(t) / 60;
            view! {
                <p class="hint offline" role="note">
                    {format!("{}{}", lang.get().t(Msg::OfflineData), lang.get().ago(minutes))}
                </p>
            }
        })}
        <Show when=move || !bad.with(Vec::is_empty)>
            <p class="hint" role="note">{move || lang.get().t(Msg::BadParams)}{move || bad.get().join(", ")}</p>
        </Show>
        {move || match here.fallback() {
            Some(Source::LastKnown) => Some(view! { <p class="hint" role="note">{lang.get().t(Msg::UsingLastPosition)}</p> }),
            Some(Source::CityCentre) => Some(view! { <p class="hint" role="note">{lang.get().t(Msg::UsingCityCentre)}</p> }),
            _ => None,
        }}
    }
}

/// The map and its "locate me" button.
fn map_pane(
    requests: Requests,
    here: Whereabouts,
    set_params: Callback<ParamChange>,
) -> impl IntoView {
    let lang = use_lang();
    let on_move = Callback::new(move |v| here.moved(v, set_params));
    view! {
        <div class="map-wrap">
            <MapView data=requests.map_data() view=here.view on_move crowd=here.crowd recentre=here.recentre me=here.me()
                answered=Signal::derive(move || requests.listed.with(Option::is_some))/>
            // In a frame without location access the button could do nothing: hide it.
            <button type="button" class="locate" on:click=move |_| here.locate(true) hidden=move || !here.can_locate()>
                {move || lang.get().t(Msg::LocateMe)}
            </button>
        </div>
    }
}

/// The list, the map's accessible twin, and "show more".
fn list_pane(requests: Requests) -> impl IntoView {
    let lang = use_lang();
    let nearby = requests.nearby();
    view! {
        <div class="list-wrap">
            <StationList items=nearby now=now()/>
            <Show when=move || requests.has_more(nearby.with(Vec::len))>
                <button type="button" class="more" on:click=move |_| requests.list_len.update(|n| *n += NEARBY_LIST_LEN)>
                    {move || lang.get().t(Msg::ShowMore)}
                </button>
            </Show>
        </div>
    }
}

fn count_text(lang: Lang, n: usize) -> String {
    format!("{n} {}", lang.t(Msg::StationsShown))
}
