//! The two requests that follow the map page: the nearest stations for the list, and the
//! viewport (clustered by the server) for the map. Two small requests instead of every station.

use leptos::prelude::*;
use yizhan_core::{LatLng, Station, StationList, StationQuery, NEARBY_LIST_LEN};

use super::whereabouts::Whereabouts;
use crate::api;
use crate::components::map_view::MapData;
use crate::i18n::Lang;
use crate::shared::load::Latest;

/// An answer from the stations API, the latest asked for.
pub type Answer = Latest<Result<api::Fetched<StationList>, api::Error>>;

/// The list's and the map's requests and their answers.
#[derive(Clone, Copy)]
pub struct Requests {
    lang: Memo<Lang>,
    /// How many stations the list asks for ("show more" adds a page).
    pub list_len: RwSignal<usize>,
    list_query: Memo<String>,
    map_query: Memo<Option<String>>,
    /// The list's answer.
    pub listed: Answer,
    /// The map's answer.
    pub on_map: Answer,
    /// The map request in flight, cancelled when the map moves on.
    in_flight: StoredValue<api::CurrentRequest, LocalStorage>,
    here: Whereabouts,
}

impl Requests {
    /// Starts both requests, and again whenever what they ask changes (the first time
    /// included, each change exactly once).
    pub fn follow(filters: Memo<StationQuery>, here: Whereabouts, lang: Memo<Lang>) -> Self {
        // The list is the map's accessible twin: "show more" reaches every station, nearest
        // first.
        let list_len = RwSignal::new(NEARBY_LIST_LEN);
        let requests = Requests {
            lang,
            list_len,
            list_query: list_query(filters, here.origin, list_len, here.crowd),
            map_query: map_query(filters, here),
            listed: Latest::new(),
            on_map: Latest::new(),
            in_flight: StoredValue::new_local(api::CurrentRequest::default()),
            here,
        };
        let _list = Effect::watch(
            move || requests.list_query.get(),
            move |_, _, _| requests.fetch_list(),
            true,
        );
        let _map = Effect::watch(
            move || requests.map_query.get(),
            move |_, _, _| requests.fetch_map(),
            true,
        );
        requests
    }

    fn fetch_list(self) {
        let q = self.list_query.get_untracked();
        let lang = self.lang.get_untracked();
        let here = self.here;
        // `place` reads the page's signals: only while the page is there (a rider can tap a
        // station before the answer comes).
        self.listed.start_then(
            async move { api::stations(&q, lang).await },
            move |answer| {
                if let Ok(f) = answer {
                    here.place(f.value.bounds);
                }
            },
        );
    }

    fn fetch_map(self) {
        let Some(q) = self.map_query.get_untracked() else {
            return;
        };
        let lang = self.lang.get_untracked();
        let signal = self.in_flight.with_value(api::CurrentRequest::start);
        self.on_map
            .start(async move { api::stations_for_view(&q, lang, signal).await });
    }

    /// Fetches the list and the map again.
    pub fn retry(self) {
        self.fetch_list();
        self.fetch_map();
    }

    /// Whether the last answer of either failed (a map request cancelled by a newer one did
    /// not).
    pub fn failed(self) -> bool {
        self.listed.with(|l| matches!(l, Some(Err(_))))
            || self
                .on_map
                .with(|m| matches!(m, Some(Err(e)) if *e != api::Error::Aborted))
    }

    /// When the list was fetched, if the service worker answered from its copy: the rider sees
    /// how old the data is.
    pub fn offline_since(self) -> Option<i64> {
        self.listed
            .with(|l| l.as_ref().and_then(|l| l.as_ref().ok()?.offline_since))
    }

    /// Whether the list has more stations than it shows.
    pub fn has_more(self, shown: usize) -> bool {
        self.listed
            .with(|l| matches!(l, Some(Ok(f)) if f.value.total > shown))
    }

    /// What the map draws. A memo: an unchanged answer does not redraw the map. A failed or
    /// pending request keeps what the map already shows rather than emptying it.
    pub fn map_data(self) -> Memo<MapData> {
        let on_map = self.on_map;
        Memo::new(move |prev: Option<&MapData>| match on_map.get() {
            Some(Ok(f)) => MapData {
                stations: f.value.stations,
                clusters: f.value.clusters,
            },
            _ => prev.cloned().unwrap_or_default(),
        })
    }

    /// The listed stations with their distance from the origin, nearest first as the server
    /// sent them.
    pub fn nearby(self) -> Memo<Vec<(f64, Station)>> {
        let (origin, listed) = (self.here.origin, self.listed);
        Memo::new(move |prev: Option<&Vec<(f64, Station)>>| {
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
}

/// The list's query: the page's valid filters (a value the page cannot use is not in the
/// parsed query), the nearest first. A memo of its text, so a change of the address that
/// leaves the text as it was (the view parameters a move writes) fetches nothing.
fn list_query(
    filters: Memo<StationQuery>,
    origin: Memo<(f64, f64)>,
    list_len: RwSignal<usize>,
    crowd: RwSignal<Option<yizhan_core::BBox>>,
) -> Memo<String> {
    Memo::new(move |_| {
        StationQuery::nearby(
            filters.with(|q| q.filter.clone()),
            origin.get(),
            list_len.get(),
            crowd.get(),
        )
        .to_query_string()
    })
}

/// The map's query: the viewport grown to whole map tiles, so that small pans repeat a request
/// the caches already hold; none before the map has drawn.
fn map_query(filters: Memo<StationQuery>, here: Whereabouts) -> Memo<Option<String>> {
    Memo::new(move |_| {
        here.viewport.get().map(|v| {
            StationQuery {
                filter: filters.with(|q| q.filter.clone()),
                bbox: Some(yizhan_core::cluster::snap_to_tiles(v.bbox, v.zoom)),
                zoom: Some(v.zoom),
                ..StationQuery::default()
            }
            .to_query_string()
        })
    })
}
