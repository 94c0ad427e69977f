//! `MapView` owns the Leaflet map: it creates it on mount, draws one canvas circle per station
//! (canvas keeps thousands of markers cheap on phones), builds popups as DOM nodes on demand,
//! and removes the map on cleanup. Tiles come from settings; when none load, markers still show.

use std::cell::RefCell;
use std::rc::Rc;

use leaflet::{
    Canvas, CanvasOptions, CircleMarker, LatLng, LayerGroup, Map, MapOptions, PathOptions,
    PopupOptions, TileLayer, TileLayerOptions,
};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yizhan_core::Station;

use crate::components::dom::{append, el};
use crate::components::station_bits::{amenity_class, marker_colour, state_class};
use crate::i18n::{use_lang, Lang, Msg};
use crate::settings::TileSettings;

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

/// Everything that must live as long as the Leaflet map.
struct MapHandle {
    map: Map,
    layer: LayerGroup,
    renderer: Canvas,
    stations: Rc<RefCell<Vec<Station>>>,
    lang: Rc<RefCell<Lang>>,
    popup: Closure<dyn Fn(JsValue) -> JsValue>,
    popup_options: PopupOptions,
    _follow_links: Closure<dyn Fn(web_sys::MouseEvent)>,
    _on_move: Closure<dyn Fn(JsValue)>,
    me: RefCell<Option<CircleMarker>>,
}

const INDEX_KEY: &str = "yzIndex";

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn popup_node(s: &Station, lang: Lang) -> Option<Element> {
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
    let _ = link.set_attribute(
        "href",
        &format!("/stations/{}{}", s.id, lang.query_suffix()),
    );
    let _ = root.append_child(&link);
    let list = el("ul", "amenities small", None)?;
    for a in &s.amenities {
        let text = format!("{}·{}", lang.amenity(a.code), lang.amenity_state(a.state));
        append(&list, el("li", amenity_class(a.state), Some(&text)));
    }
    let _ = root.append_child(&list);
    Some(root)
}

impl MapHandle {
    fn create(
        el: &web_sys::HtmlElement,
        view: View,
        navigate: Rc<dyn Fn(&str)>,
        on_move: Callback<(f64, f64, f64)>,
    ) -> Result<MapHandle, JsValue> {
        let options = MapOptions::new();
        options.set_prefer_canvas(true);
        let map = Map::new_with_element(el, &options)?;
        map.set_view(&LatLng::new(view.lat, view.lng), view.zoom);

        let tiles = TileSettings::read();
        let tile_options = TileLayerOptions::new();
        tile_options.set_max_zoom(19.0);
        // Leaflet renders attribution as HTML: the setting is plain text, so escape it.
        tile_options.set_attribution(escape_text(&tiles.attribution));
        TileLayer::new_options(&tiles.url, &tile_options).add_to(&map);

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
                    .and_then(|s| popup_node(s, *current_lang.borrow()))
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
                let c = map.get_center();
                on_move.run((c.lat(), c.lng(), map.get_zoom()));
            })
        };
        map.on("moveend", moved.as_ref());
        Ok(MapHandle {
            map,
            layer,
            renderer,
            stations,
            lang,
            popup,
            popup_options: {
                let o = PopupOptions::new();
                o.set_max_width(280.0);
                o.set_min_width(200.0);
                o
            },
            _follow_links: follow_links,
            _on_move: moved,
            me: RefCell::new(None),
        })
    }

    fn show(&self, stations: Vec<Station>, lang: Lang) {
        self.layer.clear_layers();
        *self.lang.borrow_mut() = lang;
        for (i, s) in stations.iter().enumerate() {
            let options = PathOptions::new();
            options.set_renderer(self.renderer.clone().into());
            options.set_color("#ffffff".into());
            options.set_weight(1.5);
            options.set_fill_color(marker_colour(s.status.state).into());
            options.set_fill_opacity(0.9);
            let _ = js_sys::Reflect::set(&options, &"radius".into(), &JsValue::from(7.0));
            #[allow(clippy::cast_precision_loss, reason = "at most a few thousand markers")]
            let _ = js_sys::Reflect::set(&options, &INDEX_KEY.into(), &JsValue::from(i as f64));
            let marker = CircleMarker::new_with_options(
                &LatLng::new(s.location.lat.get(), s.location.lng.get()),
                &options,
            );
            marker
                .bind_popup_with_options(self.popup.as_ref().unchecked_ref(), &self.popup_options);
            self.layer.add_layer(&marker);
        }
        *self.stations.borrow_mut() = stations;
    }
}

impl MapHandle {
    /// Shows (or moves) the rider's own position as a blue dot.
    fn show_me(&self, at: Option<(f64, f64)>) {
        let mut me = self.me.borrow_mut();
        match (at, me.as_ref()) {
            (Some((lat, lng)), Some(dot)) => dot.set_lat_lng(&LatLng::new(lat, lng)),
            (Some((lat, lng)), None) => {
                let options = PathOptions::new();
                options.set_renderer(self.renderer.clone().into());
                options.set_color("#ffffff".into());
                options.set_weight(3.0);
                options.set_fill_color("#1a73e8".into());
                options.set_fill_opacity(1.0);
                options.set_interactive(false);
                let _ = js_sys::Reflect::set(&options, &"radius".into(), &JsValue::from(8.0));
                let dot = CircleMarker::new_with_options(&LatLng::new(lat, lng), &options);
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
    /// Stations to draw.
    #[prop(into)]
    stations: Signal<Vec<Station>>,
    /// Where to open.
    view: View,
    /// Called with centre and zoom after the rider moves the map.
    on_move: Callback<(f64, f64, f64)>,
    /// Set to move the map to (lat, lng, zoom).
    recentre: RwSignal<Option<(f64, f64, f64)>>,
    /// The rider's live position, drawn as a dot.
    #[prop(into)]
    me: Signal<Option<(f64, f64)>>,
) -> impl IntoView {
    let lang = use_lang();
    let node = NodeRef::<leptos::html::Div>::new();
    let handle: StoredValue<Option<MapHandle>, LocalStorage> = StoredValue::new_local(None);
    let failed = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let navigate: Rc<dyn Fn(&str)> = Rc::new(move |href: &str| navigate(href, Default::default()));
    Effect::new(move |_| {
        let list = stations.get();
        let l = lang.get();
        let Some(el) = node.get() else { return };
        if handle.with_value(Option::is_none) {
            match MapHandle::create(&el, view, navigate.clone(), on_move) {
                Ok(h) => handle.set_value(Some(h)),
                Err(_) => {
                    failed.set(true);
                    return;
                }
            }
        }
        handle.with_value(|h| {
            if let Some(h) = h {
                h.show(list, l);
            }
        });
    });
    Effect::new(move |_| {
        let target = recentre.get();
        let dot = me.get();
        handle.with_value(|h| {
            if let Some(h) = h {
                if let Some((lat, lng, zoom)) = target {
                    h.map.set_view(&LatLng::new(lat, lng), zoom);
                }
                h.show_me(dot);
            }
        });
    });
    on_cleanup(move || {
        handle.update_value(|h| {
            if let Some(h) = h.take() {
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
