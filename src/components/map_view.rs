//! `MapView` owns the Leaflet map: it creates it on mount, draws single stations as canvas
//! circles (cheap on phones) and dense areas as count bubbles, builds popups as DOM nodes on
//! demand, reports the viewport after every move, and removes the map on cleanup. Tiles come
//! from settings; when none load, markers still show. With GCJ-02 tiles, positions are shifted
//! for display only: everything that leaves this component is WGS-84.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leaflet::{
    Canvas, CanvasOptions, CircleMarker, LatLng, LatLngBounds, LayerGroup, Map, MapOptions,
    PathOptions, PopupOptions, TileLayer, TileLayerOptions,
};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yizhan_core::cluster::Cluster;
use yizhan_core::datum::Datum;
use yizhan_core::html::escape_html;
use yizhan_core::{BBox, Station};

use crate::chrome::Chrome;
use crate::components::station_bits::{amenity_class, marker_colour, state_class};
use crate::i18n::{use_lang, Lang, Msg, Words};
use crate::settings::TileSettings;
use crate::shared::dom::{append, el};

/// Where the map opens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Centre latitude.
    pub lat: f64,
    /// Centre longitude.
    pub lng: f64,
    /// Zoom level.
    pub zoom: f64,
}

/// Where to move the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Goto {
    /// Centre on a point at a zoom.
    View(View),
    /// Show a box `[minLng, minLat, maxLng, maxLat]` whole (not closer than street level).
    Fit([f64; 4]),
}

/// What the map shows after a move, in WGS-84.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Centre.
    pub centre: (f64, f64),
    /// Whole zoom level.
    pub zoom: u8,
    /// Visible box.
    pub bbox: BBox,
}

/// Singles and clusters to draw.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapData {
    /// Stations drawn one by one.
    pub stations: Vec<Station>,
    /// Count bubbles.
    pub clusters: Vec<Cluster>,
}

/// Converts between WGS-84 (data) and the tiles' datum (screen).
#[derive(Clone, Copy)]
struct Shift(Datum);

impl Shift {
    fn to_screen(self, lat: f64, lng: f64) -> LatLng {
        match yizhan_core::LatLng::new(lat, lng) {
            Ok(p) => {
                let q = self.0.from_wgs84(p);
                LatLng::new(q.lat.get(), q.lng.get())
            }
            Err(_) => LatLng::new(lat, lng),
        }
    }

    fn screen_to_wgs(self, p: &LatLng) -> (f64, f64) {
        match yizhan_core::LatLng::new(p.lat(), p.lng().clamp(-180.0, 180.0)) {
            Ok(q) => {
                let w = self.0.to_wgs84(q);
                (w.lat.get(), w.lng.get())
            }
            Err(_) => (p.lat(), p.lng()),
        }
    }
}

/// Everything that must live as long as the Leaflet map.
struct MapHandle {
    map: Map,
    tiles: TileSettings,
    shift: Shift,
    lang: Rc<RefCell<Lang>>,
    drawer: Rc<Drawer>,
    _popup: Closure<dyn Fn(JsValue) -> JsValue>,
    _follow_links: Closure<dyn Fn(web_sys::MouseEvent)>,
    _on_move: Closure<dyn Fn(JsValue)>,
    me: RefCell<Option<CircleMarker>>,
    _zoom_to_cluster: Closure<dyn Fn(JsValue)>,
}

/// Puts an answer's markers on the map, a few milliseconds' worth per task: a big answer (a
/// city of bubbles, each with its label) never holds a cheap phone up for long, and a newer
/// answer stops what is left of an older one.
struct Drawer {
    layer: LayerGroup,
    renderer: Canvas,
    shift: Shift,
    /// The stations of the answer being drawn; a marker's popup reads its station here.
    stations: Rc<RefCell<Vec<Station>>>,
    /// The station markers drawn so far, in the order of `stations`.
    markers: RefCell<Vec<CircleMarker>>,
    /// The popup builder (owned by [`MapHandle`]), for each station marker.
    popup: JsValue,
    popup_options: PopupOptions,
    /// The bubbles' tap handler (owned by [`MapHandle`]).
    zoom_to_cluster: JsValue,
    /// Counts answers (and the map's removal): a step of an older one finds it changed and
    /// stops.
    generation: Cell<u32>,
}

/// One answer's markers, drawn in steps (see [`Drawer`]).
struct Drawing {
    generation: u32,
    clusters: Vec<Cluster>,
    lang: Lang,
    /// The station whose popup was open before the answer came: it opens again once drawn.
    reopen: Option<usize>,
}

/// Calls `add` with each index from `from` up to `total`, until `spent` says the task has had
/// its time (after one at least, so every step moves on). Returns where the next step starts.
fn add_some(
    from: usize,
    total: usize,
    mut add: impl FnMut(usize),
    mut spent: impl FnMut() -> bool,
) -> usize {
    let mut next = from;
    while next < total {
        add(next);
        next += 1;
        if spent() {
            break;
        }
    }
    next
}

/// How long one task adds markers before it leaves the rest to the next: well under the 50 ms
/// a browser counts as a long task, on a phone four times slower than a desktop.
const DRAW_BUDGET_MS: f64 = 8.0;

const INDEX_KEY: &str = "yzIndex";

/// How long the map waits for the page's first answer before it starts anyway.
const MAP_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// From this zoom (streets), each station shows its main amenities as small icons under its
/// marker (drawn by web/amenity-icons.js on the canvas).
const ICONS_FROM: f64 = 15.0;

/// The icons a station's marker shows, as web/amenity-icons.js reads them: a letter per main
/// amenity it has (w water, c charging, m microwave), upper case when out of order.
fn icon_letters(s: &Station) -> String {
    [
        (yizhan_core::Amenity::Water, 'w'),
        (yizhan_core::Amenity::Charging, 'c'),
        (yizhan_core::Amenity::Microwave, 'm'),
    ]
    .into_iter()
    .filter_map(|(code, letter)| {
        let a = s.amenities.iter().find(|a| a.code == code)?;
        Some(if a.state == yizhan_core::AmenityState::OutOfOrder {
            letter.to_ascii_uppercase()
        } else {
            letter
        })
    })
    .collect()
}
/// Where a cluster marker keeps the bounds of its stations.
const BOUNDS_KEY: &str = "yzBounds";
/// Where a cluster marker keeps its stations' box in WGS-84, as two corners
/// `[[minLng, minLat], [maxLng, maxLat]]` (pairs: the one array binding the map already has).
const BOX_KEY: &str = "yzBox";

/// The box a cluster marker keeps (see [`BOX_KEY`]).
fn crowd_box(kept: &JsValue) -> Option<BBox> {
    let at = |v: &JsValue, i: u32| js_sys::Reflect::get(v, &i.into()).ok();
    let corner = |i| {
        let c = at(kept, i)?;
        yizhan_core::LatLng::new(at(&c, 1)?.as_f64()?, at(&c, 0)?.as_f64()?).ok()
    };
    Some(BBox::point(corner(0)?).including(corner(1)?))
}

fn popup_node(s: &Station, lang: Lang, chrome: Chrome) -> Option<Element> {
    let root = el("div", "popup", None)?;
    append(&root, el("strong", "popup-name", Some(&s.name)));
    append(
        &root,
        el(
            "span",
            state_class(s.status.state),
            Some(lang.station_state(s.status.state)),
        ),
    );
    // The main action comes before the details, so it is visible in a small map.
    let link = el("a", "popup-link", Some(lang.t(Msg::Details)))?;
    let href = chrome.station_href(s.id.as_str(), lang, || {
        window().location().search().unwrap_or_default()
    });
    let _ = link.set_attribute("href", &href);
    let _ = root.append_child(&link);
    let list = el("ul", "amenities small", None)?;
    for a in &s.amenities {
        let text = format!("{}·{}", lang.amenity(a.code), lang.amenity_state(a.state));
        append(&list, el("li", amenity_class(a.state), Some(&text)));
    }
    let _ = root.append_child(&list);
    Some(root)
}

fn viewport(map: &Map, shift: Shift) -> Option<Viewport> {
    let bounds = map.get_bounds();
    let (s, w) = shift.screen_to_wgs(&bounds.get_south_west());
    let (n, e) = shift.screen_to_wgs(&bounds.get_north_east());
    // A world-wide view can report longitudes past ±180; the box is clamped to the globe.
    let corner = |lat: f64, lng: f64| {
        yizhan_core::LatLng::new(lat.clamp(-90.0, 90.0), lng.clamp(-180.0, 180.0))
    };
    let bbox = BBox::point(corner(s, w).ok()?).including(corner(n, e).ok()?);
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "Leaflet zoom is 0..=22"
    )]
    let zoom = map.get_zoom().round().clamp(0.0, 22.0) as u8;
    Some(Viewport {
        centre: shift.screen_to_wgs(&map.get_center()),
        zoom,
        bbox,
    })
}

impl MapHandle {
    fn create(
        el: &web_sys::HtmlElement,
        view: View,
        navigate: Rc<dyn Fn(&str)>,
        on_move: Callback<Viewport>,
        crowd: RwSignal<Option<BBox>>,
        chrome: Chrome,
    ) -> Result<MapHandle, JsValue> {
        let tiles = TileSettings::read();
        let shift = Shift(tiles.datum);
        let options = MapOptions::new();
        options.set_prefer_canvas(true);
        let map = Map::new_with_element(el, &options)?;
        map.set_view(&shift.to_screen(view.lat, view.lng), view.zoom);

        let canvas_options = CanvasOptions::new();
        // A fingertip is wider than a mouse pointer.
        canvas_options.set_tolerance(8.0);
        let renderer = Canvas::with_options(&canvas_options);
        let layer = LayerGroup::new();
        layer.add_to(&map);

        let stations: Rc<RefCell<Vec<Station>>> = Rc::default();
        let lang: Rc<RefCell<Lang>> = Rc::default();
        let (list, current_lang) = (stations.clone(), lang.clone());
        // One function builds any station's popup when it is opened, instead of thousands up front.
        let popup = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |layer: JsValue| {
            let index = js_sys::Reflect::get(&layer, &"options".into())
                .and_then(|o| js_sys::Reflect::get(&o, &INDEX_KEY.into()))
                .ok()
                .and_then(|v| v.as_f64());
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "index we stored ourselves"
            )]
            let node = index.and_then(|i| {
                list.borrow()
                    .get(i as usize)
                    .and_then(|s| popup_node(s, *current_lang.borrow(), chrome))
            });
            node.map_or(JsValue::NULL, JsValue::from)
        });
        // Leaflet stops clicks inside popups from bubbling, so the router never sees them and
        // the browser would reload the whole app. Catch popup links on the way down instead.
        let follow_links =
            Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
                let link = ev
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .and_then(|t| t.closest("a.popup-link").ok().flatten())
                    .and_then(|a| a.get_attribute("href"));
                if let Some(href) = link {
                    ev.prevent_default();
                    navigate(&href);
                }
            });
        el.add_event_listener_with_callback_and_bool(
            "click",
            follow_links.as_ref().unchecked_ref(),
            true,
        )?;
        let moved = {
            let map = map.clone();
            Closure::<dyn Fn(JsValue)>::new(move |_: JsValue| {
                if let Some(v) = viewport(&map, shift) {
                    on_move.run(v);
                }
            })
        };
        map.on("moveend", moved.as_ref());
        // One handler for every cluster: it finds the bounds on the tapped marker. At the
        // deepest zoom a bubble cannot split (its markers would overlap): its stations go to
        // the list instead.
        let zoom_to_cluster = {
            let map = map.clone();
            Closure::<dyn Fn(JsValue)>::new(move |ev: JsValue| {
                let bounds = js_sys::Reflect::get(&ev, &"target".into())
                    .and_then(|t| js_sys::Reflect::get(&t, &"options".into()))
                    .and_then(|o| js_sys::Reflect::get(&o, &BOUNDS_KEY.into()));
                if let Ok(b) = bounds {
                    if b.is_undefined() {
                        return;
                    }
                    if map.get_zoom() < map.get_max_zoom() {
                        map.fit_bounds(b.unchecked_ref());
                    } else {
                        let wgs = js_sys::Reflect::get(&ev, &"target".into())
                            .and_then(|t| js_sys::Reflect::get(&t, &"options".into()))
                            .and_then(|o| js_sys::Reflect::get(&o, &BOX_KEY.into()));
                        crowd.set(wgs.ok().and_then(|b| crowd_box(&b)));
                    }
                }
            })
        };
        let popup_options = PopupOptions::new();
        popup_options.set_max_width(280.0);
        popup_options.set_min_width(200.0);
        let drawer = Rc::new(Drawer {
            layer,
            renderer,
            shift,
            stations,
            markers: RefCell::new(Vec::new()),
            popup: popup.as_ref().clone(),
            popup_options,
            zoom_to_cluster: zoom_to_cluster.as_ref().clone(),
            generation: Cell::new(0),
        });
        Ok(MapHandle {
            map,
            tiles,
            shift,
            lang,
            drawer,
            _popup: popup,
            _follow_links: follow_links,
            _on_move: moved,
            me: RefCell::new(None),
            _zoom_to_cluster: zoom_to_cluster,
        })
    }

    /// The rest of the set-up, in a task of its own after [`MapHandle::create`]: the tiles,
    /// and the first view reported as a move, which starts the map's first data request.
    fn finish(&self, on_move: Callback<Viewport>) {
        let tiles = &self.tiles;
        let tile_options = TileLayerOptions::new();
        tile_options.set_max_zoom(19.0);
        // Leaflet renders attribution as HTML: the setting is plain text, so escape it.
        tile_options.set_attribution(escape_html(&tiles.attribution));
        TileLayer::new_options(&tiles.url, &tile_options).add_to(&self.map);
        if let Some(v) = viewport(&self.map, self.shift) {
            on_move.run(v);
        }
    }

    /// Stops any drawing still under way (before the map goes).
    fn stop_drawing(&self) {
        let d = &self.drawer;
        d.generation.set(d.generation.get().wrapping_add(1));
    }

    fn show(&self, data: MapData, lang: Lang) {
        let d = &self.drawer;
        // New data arrives after every move, including Leaflet's own pan to fit a popup: keep
        // the rider's open popup open when its station is still on the map.
        let open = {
            let markers = d.markers.borrow();
            let stations = d.stations.borrow();
            markers
                .iter()
                .position(|m| m.is_popup_open())
                .and_then(|i| stations.get(i).map(|s| s.id.clone()))
        };
        self.stop_drawing();
        d.layer.clear_layers();
        d.markers.borrow_mut().clear();
        *self.lang.borrow_mut() = lang;
        let reopen = open.and_then(|id| data.stations.iter().position(|s| s.id == id));
        *d.stations.borrow_mut() = data.stations;
        let drawing = Drawing {
            generation: d.generation.get(),
            clusters: data.clusters,
            lang,
            reopen,
        };
        Drawer::step(self.drawer.clone(), Rc::new(drawing), 0);
    }
}

impl Drawer {
    /// Adds markers from the `from`th (stations, then bubbles) for [`DRAW_BUDGET_MS`], and
    /// leaves the rest to a task of its own. The first step runs at once: most answers draw
    /// whole in it.
    fn step(drawer: Rc<Drawer>, drawing: Rc<Drawing>, from: usize) {
        if drawer.generation.get() != drawing.generation {
            return;
        }
        let singles = drawer.stations.borrow().len();
        let total = singles + drawing.clusters.len();
        let began = js_sys::Date::now();
        let mut reopen = None;
        let next = add_some(
            from,
            total,
            |i| {
                if i < singles {
                    if let Some(marker) = drawer.station_marker(i) {
                        if drawing.reopen == Some(i) {
                            reopen = Some(marker.clone());
                        }
                        drawer.layer.add_layer(&marker);
                        drawer.markers.borrow_mut().push(marker);
                    }
                } else if let Some(m) = drawing
                    .clusters
                    .get(i - singles)
                    .and_then(|c| drawer.cluster_marker(c, drawing.lang))
                {
                    drawer.layer.add_layer(&m);
                }
            },
            || js_sys::Date::now() - began >= DRAW_BUDGET_MS,
        );
        // After the step, with nothing borrowed: opening builds the popup from `stations`.
        if let Some(marker) = reopen {
            marker.open_popup();
        }
        if next < total {
            set_timeout(
                move || Drawer::step(drawer, drawing, next),
                std::time::Duration::ZERO,
            );
        }
    }

    /// The `i`th station's marker: a canvas circle in its status colour, with its popup.
    fn station_marker(&self, i: usize) -> Option<CircleMarker> {
        let stations = self.stations.borrow();
        let s = stations.get(i)?;
        let options = PathOptions::new();
        options.set_renderer(self.renderer.clone().into());
        options.set_color("#ffffff".into());
        options.set_weight(1.5);
        options.set_fill_color(marker_colour(s.status.state).into());
        options.set_fill_opacity(0.9);
        let _ = js_sys::Reflect::set(&options, &"radius".into(), &JsValue::from(7.0));
        #[allow(clippy::cast_precision_loss, reason = "at most a few thousand markers")]
        let _ = js_sys::Reflect::set(&options, &INDEX_KEY.into(), &JsValue::from(i as f64));
        let icons = icon_letters(s);
        if !icons.is_empty() {
            let _ = js_sys::Reflect::set(&options, &"icons".into(), &icons.into());
            let _ = js_sys::Reflect::set(&options, &"iconsFrom".into(), &ICONS_FROM.into());
        }
        let at = self
            .shift
            .to_screen(s.location.lat.get(), s.location.lng.get());
        let marker = CircleMarker::new_with_options(&at, &options);
        marker.bind_popup_with_options(self.popup.unchecked_ref(), &self.popup_options);
        Some(marker)
    }

    /// A count bubble, drawn on the canvas like the stations (so it is no extra tap target
    /// in the page), with its number as a label that lets taps through. Tapping zooms to the
    /// stations inside.
    fn cluster_marker(&self, c: &Cluster, lang: Lang) -> Option<CircleMarker> {
        let options = PathOptions::new();
        options.set_renderer(self.renderer.clone().into());
        options.set_color("#ffffff".into());
        options.set_weight(3.0);
        options.set_fill_color("#b3261e".into());
        options.set_fill_opacity(0.9);
        let radius = match c.count {
            0..=9 => 15.0,
            10..=99 => 19.0,
            _ => 23.0,
        };
        let _ = js_sys::Reflect::set(&options, &"radius".into(), &JsValue::from(radius));
        let [min_lng, min_lat, max_lng, max_lat] = c.bbox;
        let sw = self.shift.to_screen(min_lat, min_lng);
        let ne = self.shift.to_screen(max_lat, max_lng);
        let _ = js_sys::Reflect::set(&options, &BOUNDS_KEY.into(), &LatLngBounds::new(&sw, &ne));
        let corner = |lng: f64, lat: f64| js_sys::Array::of2(&lng.into(), &lat.into());
        let wgs = js_sys::Array::of2(&corner(min_lng, min_lat), &corner(max_lng, max_lat));
        let _ = js_sys::Reflect::set(&options, &BOX_KEY.into(), &wgs);
        let marker = CircleMarker::new_with_options(&self.shift.to_screen(c.lat, c.lng), &options);
        let label = el("span", "cluster-count", Some(&c.count.to_string()))?;
        let _ = label.set_attribute("role", "img");
        let _ = label.set_attribute(
            "aria-label",
            &format!("{} {}", c.count, lang.t(Msg::StationsShown)),
        );
        let tooltip = js_sys::Object::new();
        for (key, value) in [
            ("permanent", JsValue::TRUE),
            ("interactive", JsValue::FALSE),
            // Centred by CSS rather than measured: web/count-labels.js.
            ("cssCentred", JsValue::TRUE),
            ("className", JsValue::from("cluster-label")),
            ("opacity", JsValue::from(1.0)),
        ] {
            let _ = js_sys::Reflect::set(&tooltip, &key.into(), &value);
        }
        // `leaflet` 0.5.0 binds `bind_tooltip_with_content` to a JS name that does not exist
        // (`bindTooltipWithContent`), so `bindTooltip` is called directly.
        let bind = js_sys::Reflect::get(&marker, &"bindTooltip".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        bind.call2(&marker, &label, &tooltip).ok()?;
        marker.on("click", &self.zoom_to_cluster);
        Some(marker)
    }
}

impl MapHandle {
    /// Shows (or moves) the rider's own position as a blue dot.
    fn show_me(&self, at: Option<(f64, f64)>) {
        let mut me = self.me.borrow_mut();
        match (at, me.as_ref()) {
            (Some((lat, lng)), Some(dot)) => dot.set_lat_lng(&self.shift.to_screen(lat, lng)),
            (Some((lat, lng)), None) => {
                let options = PathOptions::new();
                options.set_renderer(self.drawer.renderer.clone().into());
                options.set_color("#ffffff".into());
                options.set_weight(3.0);
                options.set_fill_color("#1a73e8".into());
                options.set_fill_opacity(1.0);
                options.set_interactive(false);
                let _ = js_sys::Reflect::set(&options, &"radius".into(), &JsValue::from(8.0));
                let dot = CircleMarker::new_with_options(&self.shift.to_screen(lat, lng), &options);
                dot.add_to(&self.map);
                *me = Some(dot);
            }
            (None, Some(dot)) => {
                dot.remove();
                *me = None;
            }
            (None, None) => {}
        }
    }
}

/// The station map.
#[component]
pub fn MapView(
    /// Stations and clusters to draw.
    #[prop(into)]
    data: Signal<MapData>,
    /// Where to open.
    view: View,
    /// Called with the viewport after the map opens and after every move.
    on_move: Callback<Viewport>,
    /// Set to the `bbox` of a bubble tapped at the deepest zoom, for the list to show.
    crowd: RwSignal<Option<BBox>>,
    /// Set to move the map.
    recentre: RwSignal<Option<Goto>>,
    /// The rider's live position, drawn as a dot.
    #[prop(into)]
    me: Signal<Option<(f64, f64)>>,
    /// Whether the page's first answer is in: Leaflet waits for it (see below).
    #[prop(into)]
    answered: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let node = NodeRef::<leptos::html::Div>::new();
    let handle: StoredValue<Option<MapHandle>, LocalStorage> = StoredValue::new_local(None);
    let failed = RwSignal::new(false);
    let location = crate::shared::route::use_location();
    let navigate: Rc<dyn Fn(&str)> = Rc::new(move |href: &str| location.navigate(href, false));
    let chrome = crate::chrome::use_chrome();
    // Setting Leaflet up is the heaviest step of the page's start. It waits for the page's
    // first answer (the nearest stations: what a rider on a slow phone reads first, painted
    // before the map's work begins), then for a task of its own after the next frame, so no
    // one task blocks a cheap phone for long and Leaflet reads the map's size from a page
    // already laid out; the tiles and the first data request follow in another
    // ([`MapHandle::finish`]). An answer that is slow to come keeps the map waiting
    // [`MAP_WAIT`] at most.
    let may_start = RwSignal::new(false);
    // Once: setting it again would redraw the map. (So the cap's timer, and a frame asked again
    // while the effect reruns before the map starts, do nothing.)
    let start = move || {
        if may_start.try_get_untracked() == Some(false) {
            may_start.set(true);
        }
    };
    set_timeout(start, MAP_WAIT);
    let mapped = RwSignal::new(false);
    Effect::new(move |_| {
        let d = data.get();
        let l = lang.get();
        let Some(el) = node.get().filter(|_| may_start.get()) else {
            if answered.get() {
                request_animation_frame(move || set_timeout(start, std::time::Duration::ZERO));
            }
            return;
        };
        if handle.with_value(Option::is_none) {
            match MapHandle::create(&el, view, navigate.clone(), on_move, crowd, chrome) {
                Ok(h) => {
                    handle.set_value(Some(h));
                    mapped.set(true);
                    set_timeout(
                        move || {
                            handle.try_with_value(|h| {
                                if let Some(h) = h {
                                    h.finish(on_move);
                                }
                            });
                        },
                        std::time::Duration::ZERO,
                    );
                }
                Err(_) => {
                    failed.set(true);
                    return;
                }
            }
        }
        handle.with_value(|h| {
            if let Some(h) = h {
                h.show(d, l);
            }
        });
    });
    // One effect for both (each effect adds to the rider's download). A target is taken when
    // applied, so a moving dot never repeats an old move while setting one again always moves.
    Effect::new(move |_| {
        mapped.track();
        recentre.track();
        let dot = me.get();
        handle.with_value(|h| {
            let Some(h) = h else { return };
            match recentre.try_update_untracked(Option::take).flatten() {
                Some(Goto::View(v)) => {
                    h.map.set_view(&h.shift.to_screen(v.lat, v.lng), v.zoom);
                }
                Some(Goto::Fit([w, s, e, n])) => {
                    let bounds =
                        LatLngBounds::new(&h.shift.to_screen(s, w), &h.shift.to_screen(n, e));
                    let options = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&options, &"maxZoom".into(), &15.into());
                    let _ = js_sys::Reflect::set(
                        &options,
                        &"padding".into(),
                        &js_sys::Array::of2(&24.into(), &24.into()),
                    );
                    h.map.fit_bounds_with_options(&bounds, &options);
                }
                None => {}
            }
            h.show_me(dot);
        });
    });
    on_cleanup(move || {
        handle.update_value(|h| {
            if let Some(h) = h.take() {
                h.stop_drawing();
                h.map.remove();
            }
        });
    });
    view! {
        <div node_ref=node class="map" role="region" aria-label=move || lang.get().t(Msg::MapLabel)></div>
        <Show when=move || failed.get()>
            <p class="error" role="alert">{move || lang.get().t(Msg::LoadFailed)}</p>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::add_some;

    #[test]
    fn a_step_with_time_to_spare_adds_every_marker_left() {
        let mut added = Vec::new();
        assert_eq!(add_some(2, 6, |i| added.push(i), || false), 6);
        assert_eq!(added, [2, 3, 4, 5]);
    }

    #[test]
    fn a_step_out_of_time_still_adds_one_and_says_where_to_go_on() {
        let mut added = Vec::new();
        let next = add_some(0, 5, |i| added.push(i), || true);
        assert_eq!((next, added), (1, vec![0]));
        // A budget spent after three: the next step starts at the fourth.
        let mut calls = 0;
        let next = add_some(
            1,
            9,
            |_| {},
            || {
                calls += 1;
                calls == 3
            },
        );
        assert_eq!(next, 4);
    }

    #[test]
    fn a_finished_drawing_adds_nothing() {
        assert_eq!(add_some(4, 4, |_| unreachable!(), || false), 4);
    }
}
