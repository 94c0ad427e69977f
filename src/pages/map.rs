//! `/`: the map and the nearby list. The URL holds the view (`lat`, `lng`, `zoom`) and the
//! filters, so a shared link reproduces it; values the page cannot use are named in a hint and
//! ignored. `/embed` draws the same screen in a union's frame (see `Chrome`): compact header,
//! no position hints, and with no view in the link and no live position it opens on the area
//! its filters cover (the union's stations) rather than the city centre.

use leptos::prelude::*;
use yizhan_core::decimal::trimmed;
use yizhan_core::{BBox, LatLng, StationList, StationQuery};

use crate::api;
use crate::chrome::{use_chrome, Chrome};
use crate::components::filter_bar::{FilterBar, ParamChange};
use crate::components::links::{FullMapLink, LangSwitch};
use crate::components::map_view::{Goto, MapData, MapView, View, Viewport};
use crate::components::station_list::{StationList, LIST_LEN};
use crate::i18n::{use_lang, Lang, Msg};
use crate::locate::{self, Position, Source};
use crate::shared::browser::now;
use crate::shared::load::Latest;
use crate::shared::route::{use_location, with_params};

/// Zoom of the city view, and of the view around the rider.
const CITY_ZOOM: f64 = 11.0;
const NEAR_ZOOM: f64 = 14.0;
/// A coordinate to five decimals (about a metre): the requests of a rider standing still
/// repeat, so the caches hold them.
fn metre(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

/// What the map page shows and how it reacts, from [`map_state`].
struct MapState<L, R> {
    lang: Memo<Lang>,
    embed: bool,
    search: Memo<String>,
    filters: Memo<StationQuery>,
    bad: Memo<Vec<String>>,
    set_params: Callback<ParamChange>,
    view: View,
    position: RwSignal<Option<Position>>,
    recentre: RwSignal<Option<Goto>>,
    crowd: RwSignal<Option<BBox>>,
    on_move: Callback<Viewport>,
    list_len: RwSignal<usize>,
    listed: Answer,
    on_map: Answer,
    map_data: Memo<MapData>,
    nearby: Memo<Vec<(f64, yizhan_core::Station)>>,
    me: Signal<Option<(f64, f64)>>,
    /// Asks where the rider is; `true` moves the map there once known.
    locate_me: L,
    /// Fetches the list and the map again.
    retry: R,
}

/// An answer from the stations API, the latest asked for.
type Answer = Latest<Result<api::Fetched<StationList>, api::Error>>;

/// The page's state: the address read, where the map and the rider are, and the two requests
/// that follow them.
fn map_state() -> MapState<impl Fn(bool) + Copy + 'static, impl Fn() + Copy + 'static> {
    let lang = use_lang();
    let chrome = use_chrome();
    let embed = chrome == Chrome::Embed;
    let location = use_location();
    let pairs = location.query();
    let parsed = Memo::new(move |_| {
        pairs.with(|p| StationQuery::parse(p.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
    });
    let filters = Memo::new(move |_| parsed.with(|(q, _)| q.clone()));
    let bad = Memo::new(move |_| parsed.with(|(_, e)| e.keys().cloned().collect::<Vec<_>>()));

    let set_params = param_setter(chrome, pairs);

    // The view opens where the link says, else around the rider once located, else the city.
    let (view, from_link) = opening_view(filters);
    let centre = RwSignal::new((view.lat, view.lng));
    let position = RwSignal::new(None::<Position>);
    // Without a link, a city with a box (not Beijing's default) opens on the whole of it, until
    // the rider is located; the embed opens on its own filters' box instead.
    let recentre = RwSignal::new(
        (!from_link && !embed)
            .then(crate::settings::city_bounds)
            .flatten()
            .map(Goto::Fit),
    );
    let locate_me = move |follow: bool| {
        locate::locate(move |p| {
            position.set(Some(p));
            // The embed follows only the live position; otherwise it keeps the union's area.
            if follow && p.source != Source::CityCentre && (!embed || p.source == Source::Live) {
                recentre.set(Some(Goto::View(View {
                    lat: p.lat,
                    lng: p.lng,
                    zoom: NEAR_ZOOM,
                })));
            }
        });
    };
    locate_me(!from_link);

    let viewport = RwSignal::new(None::<Viewport>);
    // A bubble tapped at the deepest zoom: the list shows its stations until the map moves.
    let crowd = RwSignal::new(None::<BBox>);
    let on_move = Callback::new(move |v: Viewport| {
        crowd.set(None);
        centre.set(v.centre);
        viewport.set(Some(v));
        let (lat, lng) = v.centre;
        set_params.run(vec![
            ("lat", Some(trimmed(lat, 5))),
            ("lng", Some(trimmed(lng, 5))),
            ("zoom", Some(v.zoom.to_string())),
        ]);
    });

    // Distances from the rider when the position is live, else from the middle of the map.
    let origin = Memo::new(move |_| match position.get() {
        Some(p) if p.source == Source::Live => (p.lat, p.lng),
        _ => centre.get(),
    });
    // The list is the map's accessible twin: "show more" reaches every station, nearest first.
    let list_len = RwSignal::new(LIST_LEN);
    let (list_query, map_query) = queries(filters, origin, list_len, crowd, viewport);
    // The embed's fallback: with no view in the link, the map opens on the box around every
    // station its filters match once the first answer says where that is, unless the rider's
    // live position came first. (Decided where the answer arrives: an effect costs more code.)
    let placed = StoredValue::new(!embed || from_link);
    let place = move |bounds: Option<[f64; 4]>| {
        if position.with_untracked(|p| p.is_some_and(|p| p.source == Source::Live)) {
            placed.set_value(true);
        }
        if let Some(b) = bounds.filter(|_| !placed.get_value()) {
            placed.set_value(true);
            recentre.set(Some(Goto::Fit(b)));
        }
    };
    let listed = Latest::new();
    let fetch_list = move || {
        let q = list_query.get_untracked();
        let lang = lang.get_untracked();
        // `place` reads the page's signals: only while the page is there (a rider can tap a
        // station before the answer comes).
        listed.start_then(
            async move { api::stations(&q, lang.accept_language()).await },
            move |answer| {
                if let Ok(f) = answer {
                    place(f.value.bounds);
                }
            },
        );
    };
    let in_flight = StoredValue::new_local(api::CurrentRequest::default());
    let on_map = Latest::new();
    let fetch_map = move || {
        let Some(q) = map_query.get_untracked() else {
            return;
        };
        let lang = lang.get_untracked();
        let signal = in_flight.with_value(api::CurrentRequest::start);
        on_map
            .start(async move { api::stations_for_view(&q, lang.accept_language(), signal).await });
    };
    // Each query change fetches exactly once, the first one included.
    let _fetch_list = Effect::watch(move || list_query.get(), move |_, _, _| fetch_list(), true);
    let _fetch_map = Effect::watch(move || map_query.get(), move |_, _, _| fetch_map(), true);
    let map_data = map_data(on_map);
    let nearby = nearby(origin, listed);
    let me = Signal::derive(move || {
        position
            .get()
            .filter(|p| p.source == Source::Live)
            .map(|p| (p.lat, p.lng))
    });

    MapState {
        lang,
        embed,
        search: location.search,
        filters,
        bad,
        set_params,
        view,
        position,
        recentre,
        crowd,
        on_move,
        list_len,
        listed,
        on_map,
        map_data,
        nearby,
        me,
        locate_me,
        retry: move || {
            fetch_list();
            fetch_map();
        },
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

/// Where the view opens: where the link says, else the city (until the rider is located); and
/// whether the link said.
fn opening_view(filters: Memo<StationQuery>) -> (View, bool) {
    let from_link = filters.with_untracked(|q| q.center.map(|c| (c.lat.get(), c.lng.get())));
    let zoom = filters.with_untracked(|q| q.zoom.map(f64::from));
    let (lat, lng) = from_link.unwrap_or_else(crate::settings::city_centre);
    let view = View {
        lat,
        lng,
        zoom: zoom.unwrap_or(if from_link.is_some() {
            NEAR_ZOOM
        } else {
            CITY_ZOOM
        }),
    };
    (view, from_link.is_some())
}

/// The list's and the map's requests. They carry the page's valid filters (a value the page
/// cannot use is not in the parsed query), and are memos of their text, so a change of the
/// address that leaves the text as it was (the view parameters a move writes) fetches nothing.
/// Two small requests instead of every station: the nearest few for the list, and the
/// viewport (clustered by the server) for the map, grown to whole map tiles so that small
/// pans repeat a request the caches already hold.
fn queries(
    filters: Memo<StationQuery>,
    origin: Memo<(f64, f64)>,
    list_len: RwSignal<usize>,
    crowd: RwSignal<Option<BBox>>,
    viewport: RwSignal<Option<Viewport>>,
) -> (Memo<String>, Memo<Option<String>>) {
    let list_query = Memo::new(move |_| {
        let (lat, lng) = origin.get();
        StationQuery {
            filter: filters.with(|q| q.filter.clone()),
            near: LatLng::new(metre(lat), metre(lng)).ok(),
            limit: Some(list_len.get()),
            bbox: crowd.get(),
            ..StationQuery::default()
        }
        .to_query_string()
    });
    let map_query = Memo::new(move |_| {
        viewport.get().map(|v| {
            StationQuery {
                filter: filters.with(|q| q.filter.clone()),
                bbox: Some(yizhan_core::cluster::snap_to_tiles(v.bbox, v.zoom)),
                zoom: Some(v.zoom),
                ..StationQuery::default()
            }
            .to_query_string()
        })
    });
    (list_query, map_query)
}

/// A memo: an unchanged answer does not redraw the map. A failed or pending request keeps
/// what the map already shows rather than emptying it.
fn map_data(on_map: Answer) -> Memo<MapData> {
    Memo::new(move |prev: Option<&MapData>| match on_map.get() {
        Some(Ok(f)) => MapData {
            stations: f.value.stations,
            clusters: f.value.clusters,
        },
        _ => prev.cloned().unwrap_or_default(),
    })
}

/// The listed stations with their distance from `origin`, nearest first as the server sent them.
fn nearby(origin: Memo<(f64, f64)>, listed: Answer) -> Memo<Vec<(f64, yizhan_core::Station)>> {
    Memo::new(move |prev: Option<&Vec<(f64, yizhan_core::Station)>>| {
        let (lat, lng) = origin.get();
        match (LatLng::new(lat, lng), listed.get()) {
            (Ok(o), Some(Ok(f))) => f
                .value
                .stations
                .into_iter()
                .map(|s| (o.distance_m(&s.location), s))
                .collect(),
            // Keep the last list while a request is pending or failed.
            _ => prev.cloned().unwrap_or_default(),
        }
    })
}

/// The rider's map and list.
#[component]
pub fn MapPage() -> impl IntoView {
    let s = map_state();
    let lang = s.lang;
    let failed = move || {
        s.listed.with(|l| matches!(l, Some(Err(_))))
            || s.on_map
                .with(|m| matches!(m, Some(Err(e)) if *e != api::Error::Aborted))
    };
    // Set when the service worker answered from its copy: the rider sees how old the data is.
    let offline_since = move || {
        s.listed
            .with(|l| l.as_ref().and_then(|l| l.as_ref().ok()?.offline_since))
    };
    view! {
        <main class="map-page">
            <crate::components::links::SkipToList/>
            <header class="bar">
                <h1>{move || lang.get().t(Msg::NearbyStations)}</h1>
                <p class="count" role="status" aria-live="polite">
                    {move || s.listed.with(|l| match l {
                        None => lang.get().t(Msg::Loading).to_string(),
                        Some(Ok(f)) => count_text(lang.get(), f.value.total),
                        Some(Err(_)) => String::new(),
                    })}
                </p>
                {s.embed.then(|| view! { <FullMapLink search=s.search/> })}
                // The scanner is in the sign-up bundle: a full page load, not an in-app route.
                {(!s.embed).then(|| view! {
                    <a class="scan" href=move || format!("/scan{}", lang.get().query_suffix())>
                        {move || lang.get().t(Msg::Scan)}
                    </a>
                })}
                <LangSwitch/>
            </header>
            {move || offline_since().map(|t| {
                let minutes = now().unix().saturating_sub(t) / 60;
                view! {
                    <p class="hint offline" role="note">
                        {format!("{}{}", lang.get().t(Msg::OfflineData), lang.get().ago(minutes))}
                    </p>
                }
            })}
            <FilterBar query=s.filters set_params=s.set_params/>
            <Show when=move || !s.bad.with(Vec::is_empty)>
                <p class="hint" role="note">{move || lang.get().t(Msg::BadParams)}{move || s.bad.get().join(", ")}</p>
            </Show>
            // The s.embed falls back quietly: no host asked its visitors for their s.position.
            {move || match s.position.get().map(|p| p.source).filter(|_| !s.embed) {
                Some(Source::LastKnown) => Some(view! { <p class="hint" role="note">{lang.get().t(Msg::UsingLastPosition)}</p> }),
                Some(Source::CityCentre) => Some(view! { <p class="hint" role="note">{lang.get().t(Msg::UsingCityCentre)}</p> }),
                _ => None,
            }}
            <Show when=failed>
                <div class="error" role="alert">
                    <p>{move || lang.get().t(Msg::LoadFailed)}</p>
                    <button type="button" on:click=move |_| (s.retry)()>{move || lang.get().t(Msg::Retry)}</button>
                </div>
            </Show>
            <div class="map-and-list">
                <div class="map-wrap">
                    <MapView data=s.map_data view=s.view on_move=s.on_move crowd=s.crowd recentre=s.recentre me=s.me/>
                    // In a frame without location access the button could do nothing: hide it.
                    <button type="button" class="locate" on:click=move |_| (s.locate_me)(true)
                        hidden=move || s.embed && s.position.with(|p| p.is_some_and(|p| p.source != Source::Live))>
                        {move || lang.get().t(Msg::LocateMe)}
                    </button>
                </div>
                <div class="list-wrap">
                    <StationList items=s.nearby now=now()/>
                    <Show when=move || {
                        let shown = s.nearby.with(Vec::len);
                        s.listed.with(|l| matches!(l, Some(Ok(f)) if f.value.total > shown))
                    }>
                        <button type="button" class="more" on:click=move |_| s.list_len.update(|n| *n += LIST_LEN)>
                            {move || lang.get().t(Msg::ShowMore)}
                        </button>
                    </Show>
                </div>
            </div>
        </main>
    }
}

fn count_text(lang: Lang, n: usize) -> String {
    format!("{n} {}", lang.t(Msg::StationsShown))
}
