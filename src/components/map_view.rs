//! `MapView` owns the Leaflet map: it creates it on mount, draws one canvas circle per station
//! (canvas keeps thousands of markers cheap on phones), builds popups as DOM nodes on demand,
//! and removes the map on cleanup. Tiles come from settings; when none load, markers still show.

use std::cell::RefCell;
use std::rc::Rc;

use leaflet::{
    Canvas, CanvasOptions, CircleMarker, LatLng, LayerGroup, Map, MapOptions, PathOptions,
    TileLayer, TileLayerOptions,
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
    _follow_links: Closure<dyn Fn(web_sys::MouseEvent)>,
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
    let list = el("ul", "amenities", None)?;
    for a in &s.amenities {
        let text = format!("{}·{}", lang.amenity(a.code), lang.amenity_state(a.state));
        append(&list, el("li", amenity_class(a.state), Some(&text)));
    }
    let _ = root.append_child(&list);
    let link = el("a", "popup-link", Some(lang.t(Msg::Details)))?;
    let _ = link.set_attribute(
        "href",
        &format!("/stations/{}{}", s.id, lang.query_suffix()),
    );
    let _ = root.append_child(&link);
    Some(root)
}

impl MapHandle {
    fn create(
        el: &web_sys::HtmlElement,
        view: View,
        navigate: Rc<dyn Fn(&str)>,
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
        Ok(MapHandle {
            map,
            layer,
            renderer,
            stations,
            lang,
            popup,
            _follow_links: follow_links,
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
                .bind_popup_with_options(self.popup.as_ref().unchecked_ref(), &JsValue::UNDEFINED);
            self.layer.add_layer(&marker);
        }
        *self.stations.borrow_mut() = stations;
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
            match MapHandle::create(&el, view, navigate.clone()) {
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
