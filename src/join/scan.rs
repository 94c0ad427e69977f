//! `/scan`: the rear camera, read every ~200 ms — by the browser's `BarcodeDetector` where it
//! reads QR codes, otherwise by drawing the frame on a canvas and decoding it in wasm. A code
//! for this deployment's `/join` opens the form here; one for `/stations/{id}` opens the rider
//! app; anything else is shown as text and never opened. The camera stops when the page goes.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream};

use super::decode::{classify, qr_text, Base, Target};
use super::header::Header;
use super::i18n::{href, tr, use_lang, Lang, Msg};
use crate::shared::browser::sleep;

/// Time between two looks at the camera.
const EVERY_MS: i32 = 200;
/// The longest side a frame is decoded at in wasm: a poster's code at arm's length stays
/// readable, and a frame decodes in well under the interval on a cheap phone.
const MAX_SIDE: f64 = 800.0;
/// The most of a foreign code's text shown.
const MAX_SHOWN_CHARS: usize = 300;

/// Where the scanner is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Asking for the camera.
    Starting,
    /// Looking for a code.
    Scanning,
    /// Refused, absent, or not allowed on this page.
    NoCamera,
    /// A code for this deployment was found; its page is opening.
    Opening,
}

fn js(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// The rear camera (any camera where there is no rear one).
async fn open_camera() -> Result<MediaStream, JsValue> {
    let navigator = window().navigator();
    // Absent outside secure contexts and in old webviews.
    let devices = js_sys::Reflect::get(&navigator, &js("mediaDevices"))?;
    if devices.is_undefined() || devices.is_null() {
        return Err(JsValue::NULL);
    }
    let video = js_sys::Object::new();
    js_sys::Reflect::set(&video, &js("facingMode"), &js("environment"))?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&video);
    constraints.set_audio_bool(false);
    let promise = navigator
        .media_devices()?
        .get_user_media_with_constraints(&constraints)?;
    JsFuture::from(promise).await?.dyn_into::<MediaStream>()
}

/// Stops every track, so the camera light goes out.
fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// What reads codes from the video.
enum Decoder {
    /// The browser's `BarcodeDetector` (an instance), where it supports `qr_code`.
    Native(JsValue),
    /// A canvas to grab frames from, decoded in wasm.
    Wasm(HtmlCanvasElement, CanvasRenderingContext2d),
}

/// A `BarcodeDetector` for QR codes, when the browser has one that reads them (called
/// through `Reflect`: it has no stable web-sys binding).
async fn native_detector() -> Option<JsValue> {
    let ctor = js_sys::Reflect::get(&js_sys::global(), &js("BarcodeDetector"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let formats = js_sys::Reflect::get(&ctor, &js("getSupportedFormats"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?
        .call0(&ctor)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let formats = JsFuture::from(formats).await.ok()?;
    if !js_sys::Array::from(&formats).includes(&js("qr_code"), 0) {
        return None;
    }
    let options = js_sys::Object::new();
    js_sys::Reflect::set(
        &options,
        &js("formats"),
        &js_sys::Array::of1(&js("qr_code")),
    )
    .ok()?;
    js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&options)).ok()
}

impl Decoder {
    async fn new() -> Option<Decoder> {
        if let Some(d) = native_detector().await {
            return Some(Decoder::Native(d));
        }
        let canvas = document()
            .create_element("canvas")
            .ok()?
            .dyn_into::<HtmlCanvasElement>()
            .ok()?;
        // Frames are read back every time: tell the browser to keep the canvas in memory.
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &js("willReadFrequently"), &JsValue::TRUE).ok()?;
        let ctx = canvas
            .get_context_with_context_options("2d", &options)
            .ok()??
            .dyn_into::<CanvasRenderingContext2d>()
            .ok()?;
        Some(Decoder::Wasm(canvas, ctx))
    }

    /// The text of a QR code in the current frame, if there is one.
    async fn read(&self, video: &HtmlVideoElement) -> Option<String> {
        // HAVE_CURRENT_DATA: there is a frame to look at.
        if video.ready_state() < 2 {
            return None;
        }
        match self {
            Decoder::Native(detector) => {
                let detect = js_sys::Reflect::get(detector, &js("detect"))
                    .ok()?
                    .dyn_into::<js_sys::Function>()
                    .ok()?;
                let found = detect
                    .call1(detector, video)
                    .ok()?
                    .dyn_into::<js_sys::Promise>()
                    .ok()?;
                let found = JsFuture::from(found).await.ok()?;
                js_sys::Array::from(&found).iter().find_map(|code| {
                    js_sys::Reflect::get(&code, &js("rawValue"))
                        .ok()?
                        .as_string()
                })
            }
            Decoder::Wasm(canvas, ctx) => {
                let (w, h) = (
                    f64::from(video.video_width()),
                    f64::from(video.video_height()),
                );
                if w < 1.0 || h < 1.0 {
                    return None;
                }
                let scale = (MAX_SIDE / w.max(h)).min(1.0);
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "scaled video sides are between 1 and MAX_SIDE"
                )]
                let (cw, ch) = (
                    (w * scale).round().max(1.0) as u32,
                    (h * scale).round().max(1.0) as u32,
                );
                canvas.set_width(cw);
                canvas.set_height(ch);
                ctx.draw_image_with_html_video_element_and_dw_and_dh(
                    video,
                    0.0,
                    0.0,
                    f64::from(cw),
                    f64::from(ch),
                )
                .ok()?;
                let frame = ctx
                    .get_image_data(0.0, 0.0, f64::from(cw), f64::from(ch))
                    .ok()?
                    .data();
                qr_text(usize::try_from(cw).ok()?, usize::try_from(ch).ok()?, &frame)
            }
        }
    }
}

/// `<meta name="yizhan:public-url">`, which the server writes into the page.
fn public_url() -> Option<String> {
    document()
        .query_selector("meta[name=\"yizhan:public-url\"]")
        .ok()
        .flatten()
        .and_then(|el| el.get_attribute("content"))
        .filter(|v| !v.is_empty())
}

/// The addresses this deployment answers at: this page's origin and its public URL.
fn bases() -> Vec<Base> {
    [window().location().origin().ok(), public_url()]
        .into_iter()
        .flatten()
        .filter_map(|b| Base::parse(&b))
        .collect()
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// The scanner's state: plain signals, with the camera loop and what a code opens as methods.
#[derive(Clone, Copy)]
struct Scanner {
    lang: Memo<Lang>,
    location: crate::shared::route::Location,
    stage: RwSignal<Stage>,
    foreign: RwSignal<Option<String>>,
    /// Cleared when the page goes, which ends the loop.
    alive: StoredValue<bool>,
    started: StoredValue<bool>,
    stream: StoredValue<Option<MediaStream>, LocalStorage>,
}

impl Scanner {
    fn new() -> Self {
        Self {
            lang: use_lang(),
            location: crate::shared::route::use_location(),
            stage: RwSignal::new(Stage::Starting),
            foreign: RwSignal::new(None),
            alive: StoredValue::new(true),
            started: StoredValue::new(false),
            stream: StoredValue::new_local(None),
        }
    }

    fn running(self) -> bool {
        self.alive.try_get_value().unwrap_or(false)
    }

    fn stop_camera(self) {
        self.stream.try_update_value(|s| {
            if let Some(s) = s.take() {
                stop(&s);
            }
        });
    }

    /// Opens the camera into `el` and reads codes until one opens a page or the page goes.
    async fn run(self, el: HtmlVideoElement) {
        let s = match open_camera().await {
            Ok(s) => s,
            Err(_) => {
                if self.running() {
                    self.stage.set(Stage::NoCamera);
                }
                return;
            }
        };
        if !self.running() {
            // The rider left while the browser asked for permission.
            stop(&s);
            return;
        }
        el.set_muted(true);
        el.set_src_object(Some(&s));
        let _ = el.play();
        self.stream.set_value(Some(s));
        self.stage.set(Stage::Scanning);
        let Some(decoder) = Decoder::new().await else {
            self.stage.set(Stage::NoCamera);
            self.stop_camera();
            return;
        };
        while self.running() {
            sleep(EVERY_MS).await;
            if !self.running() {
                break;
            }
            let Some(text) = decoder.read(&el).await else {
                continue;
            };
            if self.open(&text) {
                break;
            }
        }
    }

    /// Acts on a code's text; true when it opens a page (and the scanning ends).
    fn open(self, text: &str) -> bool {
        let l = self.lang.get_untracked();
        match classify(text, &bases()) {
            Target::Foreign => {
                let shown = shorten(text.trim());
                if self.foreign.get_untracked().as_deref() != Some(shown.as_str()) {
                    self.foreign.set(Some(shown));
                }
                false
            }
            Target::Join(station) => {
                self.stage.set(Stage::Opening);
                self.stop_camera();
                let path = match station {
                    Some(id) => yizhan_core::pages::join_crediting(id.as_str()),
                    None => yizhan_core::pages::JOIN.to_owned(),
                };
                self.location.navigate(&href(l, &path), false);
                true
            }
            Target::Station(id) => {
                self.stage.set(Stage::Opening);
                self.stop_camera();
                // The station page belongs to the rider app: a full page load.
                let _ = window()
                    .location()
                    .assign(&href(l, &format!("/stations/{id}")));
                true
            }
        }
    }
}

/// The `/scan` page.
#[component]
pub fn ScanPage() -> impl IntoView {
    let scanner = Scanner::new();
    let (lang, stage) = (scanner.lang, scanner.stage);
    let video = NodeRef::<leptos::html::Video>::new();

    Effect::new(move |_| {
        let Some(el) = video.get() else {
            return;
        };
        if scanner.started.get_value() {
            return;
        }
        scanner.started.set_value(true);
        leptos::task::spawn_local(scanner.run(el));
    });
    on_cleanup(move || {
        scanner.alive.set_value(false);
        scanner.stop_camera();
    });

    view! {
        <Header title=Msg::ScanTitle scan=false/>
        <main class="page scan" id="main">
            <p class="scan-hint">{tr(lang, Msg::ScanHint)}</p>
            <div class="viewfinder" class:hidden=move || stage.get() == Stage::NoCamera>
                <video node_ref=video autoplay=true playsinline=true webkit-playsinline="true"
                    aria-label=move || tr(lang, Msg::CameraView)()></video>
                <div class="frame" aria-hidden="true"></div>
            </div>
            <StageNote stage/>
            {move || scanner.foreign.get().map(|text| view! {
                <div class="foreign" role="alert">
                    <p>{tr(lang, Msg::NotOurs)}</p>
                    <p class="foreign-text" translate="no">{text}</p>
                </div>
            })}
            <p class="links">
                <a href=move || href(lang.get(), "/join")>{tr(lang, Msg::BackToJoin)}</a>
            </p>
        </main>
    }
}

/// What the scanner is doing, in words (nothing while it looks for a code).
#[component]
fn StageNote(stage: RwSignal<Stage>) -> impl IntoView {
    let lang = use_lang();
    move || match stage.get() {
        Stage::Starting => Some(
            view! {
                <p role="status">{tr(lang, Msg::CameraStarting)}</p>
            }
            .into_any(),
        ),
        Stage::Opening => Some(
            view! {
                <p role="status">{tr(lang, Msg::Opening)}</p>
            }
            .into_any(),
        ),
        Stage::NoCamera => Some(
            view! {
                <div class="no-camera" role="alert">
                    <h2>{tr(lang, Msg::NoCamera)}</h2>
                    <p>{tr(lang, Msg::NoCameraBody)}</p>
                    <a class="button primary" href=move || href(lang.get(), "/")>
                        {tr(lang, Msg::StationsNearby)}
                    </a>
                </div>
            }
            .into_any(),
        ),
        Stage::Scanning => None,
    }
}
