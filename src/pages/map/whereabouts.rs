//! Where the map and the rider are: the view the page opened on, the rider's position, the
//! view the map shows now, and where the page asks the map to go.

use leptos::prelude::*;
use yizhan_core::decimal::trimmed;
use yizhan_core::{BBox, StationQuery};

use crate::components::filter_bar::ParamChange;
use crate::components::map_view::{Goto, View, Viewport};
use crate::locate::{self, Position, Source};

/// Zoom of the city view, and of the view around the rider.
const CITY_ZOOM: f64 = 11.0;
const NEAR_ZOOM: f64 = 14.0;

/// The map's and the rider's places, as signals the page and its requests read.
#[derive(Clone, Copy)]
pub struct Whereabouts {
    /// In a union's frame (`/embed`).
    embed: bool,
    /// Where the map opened.
    pub view: View,
    /// The middle of the map now.
    centre: RwSignal<(f64, f64)>,
    /// What the map shows now, once it has drawn.
    pub viewport: RwSignal<Option<Viewport>>,
    /// Where the rider is, once asked.
    pub position: RwSignal<Option<Position>>,
    /// Where distances are measured from: the rider when the position is live, else the middle
    /// of the map.
    pub origin: Memo<(f64, f64)>,
    /// Where the page asks the map to go next.
    pub recentre: RwSignal<Option<Goto>>,
    /// A bubble tapped at the deepest zoom: the list shows its stations until the map moves.
    pub crowd: RwSignal<Option<BBox>>,
    /// Whether the embed's first view is settled (see [`Whereabouts::place`]).
    placed: StoredValue<bool>,
}

impl Whereabouts {
    /// Opens where the link says, else on the city (its box, for a city that has one) until
    /// the rider is located; and asks where the rider is.
    pub fn open(filters: Memo<StationQuery>, embed: bool) -> Self {
        let (view, from_link) = opening_view(filters);
        // The embed opens on its own filters' box instead of the city's (see `place`).
        let recentre = RwSignal::new(
            (!from_link && !embed)
                .then(crate::settings::city_bounds)
                .flatten()
                .map(Goto::Fit),
        );
        let centre = RwSignal::new((view.lat, view.lng));
        let position = RwSignal::new(None::<Position>);
        let origin = Memo::new(move |_| match position.get() {
            Some(p) if p.source == Source::Live => (p.lat, p.lng),
            _ => centre.get(),
        });
        let here = Whereabouts {
            embed,
            view,
            centre,
            viewport: RwSignal::new(None),
            position,
            origin,
            recentre,
            crowd: RwSignal::new(None),
            placed: StoredValue::new(!embed || from_link),
        };
        here.locate(!from_link);
        here
    }

    /// Asks where the rider is; `follow` moves the map there once known.
    pub fn locate(self, follow: bool) {
        let Whereabouts {
            embed,
            position,
            recentre,
            ..
        } = self;
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
    }

    /// The map moved: the list follows it, and the address keeps the view.
    pub fn moved(self, v: Viewport, set_params: Callback<ParamChange>) {
        self.crowd.set(None);
        self.centre.set(v.centre);
        self.viewport.set(Some(v));
        let (lat, lng) = v.centre;
        set_params.run(vec![
            ("lat", Some(trimmed(lat, 5))),
            ("lng", Some(trimmed(lng, 5))),
            ("zoom", Some(v.zoom.to_string())),
        ]);
    }

    /// The rider's live position, for the map's "you are here".
    pub fn me(self) -> Signal<Option<(f64, f64)>> {
        Signal::derive(move || {
            self.position
                .get()
                .filter(|p| p.source == Source::Live)
                .map(|p| (p.lat, p.lng))
        })
    }

    /// The embed's fallback: with no view in the link, the map opens on `bounds` (the box
    /// around every station its filters match, from the first answer), unless the rider's live
    /// position came first. (Decided where the answer arrives: an effect costs more code.)
    pub fn place(self, bounds: Option<[f64; 4]>) {
        let live = self
            .position
            .with_untracked(|p| p.is_some_and(|p| p.source == Source::Live));
        if live {
            self.placed.set_value(true);
        }
        if let Some(b) = bounds.filter(|_| !self.placed.get_value()) {
            self.placed.set_value(true);
            self.recentre.set(Some(Goto::Fit(b)));
        }
    }

    /// Whether "locate me" could do anything: in a frame without location access it cannot.
    pub fn can_locate(self) -> bool {
        !(self.embed
            && self
                .position
                .with(|p| p.is_some_and(|p| p.source != Source::Live)))
    }

    /// The hint about a position that is not live (never in the embed: no host asked its
    /// visitors for theirs).
    pub fn fallback(self) -> Option<Source> {
        self.position
            .get()
            .map(|p| p.source)
            .filter(|s| !self.embed && *s != Source::Live)
    }
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
