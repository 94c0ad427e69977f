//! `/admin/embed`: a union's web editor builds the snippet that puts the station map on the
//! union's website. They choose union, district, amenities, hours filters, language and size,
//! watch a live preview and copy the `<iframe>`; developers get the GeoJSON feed and the API
//! docs.
//!
//! The preview is an element Leptos builds; the snippet is text made by [`snippet`], which
//! escapes every attribute value with [`escape_html`] (a union's name goes into the title).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use yizhan_core::html::escape_html;
use yizhan_core::{AdminStation, Amenity, StationFilter, StationQuery, UnionId};

use crate::staff::api::{use_client, UnionRow};
use crate::staff::fields::{AmenityChecks, LoadState};
use crate::staff::i18n::{embed_frame_title, i18n_lang, tr, Lang, Msg};
use crate::staff::state::use_session;

/// The public feed of every station; it takes no filters.
const GEOJSON_PATH: &str = "/api/v1/stations.geojson";
/// The API described for people (rendered from the OpenAPI document).
const API_DOCS_PATH: &str = "/api/docs";

/// How big the frame is on the host page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Size {
    /// 手机: 360 × 640.
    Phone,
    /// 侧栏: 300 × 600, the narrowest the embed supports.
    Sidebar,
    /// 整页宽: the page's width × 700.
    FullWidth,
}

impl Size {
    /// The presets, in the order offered.
    pub const ALL: [Size; 3] = [Size::Phone, Size::Sidebar, Size::FullWidth];

    /// A short code for element ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Size::Phone => "phone",
            Size::Sidebar => "sidebar",
            Size::FullWidth => "full",
        }
    }

    /// The CSS width.
    pub fn width(self) -> &'static str {
        match self {
            Size::Phone => "360px",
            Size::Sidebar => "300px",
            Size::FullWidth => "100%",
        }
    }

    /// The CSS height (with auto-height, only the height before the embed reports its own).
    pub fn height(self) -> &'static str {
        match self {
            Size::Phone => "640px",
            Size::Sidebar => "600px",
            Size::FullWidth => "700px",
        }
    }

    /// The label.
    fn msg(self) -> Msg {
        match self {
            Size::Phone => Msg::SizePhone,
            Size::Sidebar => Msg::SizeSidebar,
            Size::FullWidth => Msg::SizeFullWidth,
        }
    }
}

/// What the editor chose.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    /// The union whose stations (and those of the unions below it) are shown.
    pub union: Option<String>,
    /// Only this district.
    pub district: Option<String>,
    /// Only stations with all of these.
    pub amenities: Vec<Amenity>,
    /// `open_now=1`.
    pub open_now: bool,
    /// `open_24h=1`.
    pub open_24h: bool,
    /// The embed's language (and the frame title's).
    pub lang: Lang,
    /// The frame's size.
    pub size: Size,
    /// Let `embed.js` size the frame to its content.
    pub auto_height: bool,
}

impl EmbedOptions {
    /// The `/embed` query in the contract's names, without the `?`. Amenities follow the
    /// contract's order, so the same choice always gives the same snippet.
    pub fn query(&self) -> String {
        let query = StationQuery {
            filter: StationFilter {
                union: self.union.as_deref().and_then(|u| UnionId::parse(u).ok()),
                district: self.district.clone(),
                amenities: Amenity::ALL
                    .into_iter()
                    .filter(|a| self.amenities.contains(a))
                    .collect(),
                open_now: self.open_now,
                open_24h: self.open_24h,
                q: None,
            },
            lang: Some(
                match self.lang {
                    Lang::Zh => "zh",
                    Lang::En => "en",
                }
                .to_owned(),
            ),
            ..StationQuery::default()
        };
        query.to_query_string()
    }

    /// The frame's inline style on the host page.
    pub fn style(&self) -> String {
        format!(
            "width:{};height:{};border:0",
            self.size.width(),
            self.size.height()
        )
    }
}

/// `{origin}/embed?{query}`.
pub fn embed_url(origin: &str, options: &EmbedOptions) -> String {
    format!("{origin}/embed?{}", options.query())
}

/// The HTML to paste: the `<iframe>`, and with auto-height the script that sizes it.
pub fn snippet(origin: &str, options: &EmbedOptions, title: &str) -> String {
    let mut html = format!(
        "<iframe src=\"{}\" title=\"{}\" allow=\"geolocation\" loading=\"lazy\" style=\"{}\"",
        escape_html(&embed_url(origin, options)),
        escape_html(title),
        escape_html(&options.style()),
    );
    if options.auto_height {
        html.push_str(" data-yizhan-embed></iframe>\n");
        let _ = write!(
            html,
            "<script src=\"{}\" async></script>",
            escape_html(&format!("{origin}/embed.js"))
        );
    } else {
        html.push_str("></iframe>");
    }
    html
}

/// `root` and every union below it, by the parent links of `unions`.
pub fn union_and_below(unions: &[UnionRow], root: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::from([root.to_owned()]);
    let mut todo = vec![root.to_owned()];
    while let Some(id) = todo.pop() {
        for u in unions
            .iter()
            .filter(|u| u.parent.as_ref().is_some_and(|p| p.as_str() == id))
        {
            if found.insert(u.id.as_str().to_owned()) {
                todo.push(u.id.as_str().to_owned());
            }
        }
    }
    found
}

/// The districts of the stations riders see (not hidden) run by one of `unions`, sorted, each
/// once.
pub fn districts(stations: &[AdminStation], unions: &BTreeSet<String>) -> Vec<String> {
    let mut list: Vec<String> = stations
        .iter()
        .filter(|s| !s.hidden && unions.contains(s.station.union.id.as_str()))
        .map(|s| s.station.district.clone())
        .filter(|d| !d.is_empty())
        .collect();
    list.sort();
    list.dedup();
    list
}

/// `<meta name="yizhan:public-url">`: the address riders and union sites reach this deployment
/// at (`YIZHAN_PUBLIC_URL`, written into the page by the server), without a trailing `/`.
fn public_url() -> Option<String> {
    document()
        .query_selector("meta[name=\"yizhan:public-url\"]")
        .ok()
        .flatten()
        .and_then(|el| el.get_attribute("content"))
        .map(|v| v.trim().trim_end_matches('/').to_owned())
        .filter(|v| !v.is_empty())
}

/// This page's origin, e.g. `https://yizhan.example.org`.
fn page_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// Writes `text` to the clipboard; false where there is none (pages not served over https)
/// or the browser refused.
async fn write_clipboard(text: &str) -> bool {
    let navigator = window().navigator();
    let available = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !available {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(text))
        .await
        .is_ok()
}

/// Selects the text of a read-only field, ready for Ctrl+C.
fn select_text(id: &str) {
    let Some(el) = document().get_element_by_id(id) else {
        return;
    };
    if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        let _ = area.focus();
        area.select();
    } else if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        let _ = input.focus();
        input.select();
    }
}

/// The outcome of the last copy.
#[derive(Clone, Debug, PartialEq)]
enum Copied {
    /// This text went to the clipboard.
    Done(String),
    /// Copying this text failed; it is selected for copying by hand.
    Failed(String),
}

/// A copy button for the read-only field `field`, and the line that says how it went.
#[component]
fn CopyButton(
    /// The button's text.
    label: Msg,
    /// What is copied (the field's value).
    text: Memo<String>,
    /// The field's element id, selected when the clipboard is unavailable.
    field: &'static str,
) -> impl IntoView {
    let lang = i18n_lang();
    let outcome = RwSignal::new(None::<Copied>);
    let copy = move |_| {
        let value = text.get_untracked();
        leptos::task::spawn_local(async move {
            let result = if write_clipboard(&value).await {
                Copied::Done(value)
            } else {
                select_text(field);
                Copied::Failed(value)
            };
            // The page may be gone by now.
            let _ = outcome.try_set(Some(result));
        });
    };
    // Only about the text as it is now: a changed option means the snippet must be copied again.
    let status = move || {
        let now = text.get();
        match outcome.get() {
            Some(Copied::Done(v)) if v == now => Some(Msg::Copied),
            Some(Copied::Failed(v)) if v == now => Some(Msg::CopyManually),
            _ => None,
        }
    };
    view! {
        <button type="button" class="secondary" on:click=copy>{tr(lang, label)}</button>
        <span class="copy-status" role="status">{move || status().map(|m| m.text(lang.get()))}</span>
    }
}

/// What the editor has chosen, a signal per control.
#[derive(Clone, Copy)]
struct Choices {
    /// `None` until a union is picked (then the admin's own is meant).
    union: RwSignal<Option<String>>,
    district: RwSignal<String>,
    amenities: RwSignal<Vec<Amenity>>,
    open_now: RwSignal<bool>,
    open_24h: RwSignal<bool>,
    lang: RwSignal<Lang>,
    size: RwSignal<Size>,
    auto_height: RwSignal<bool>,
}

impl Choices {
    fn new() -> Choices {
        Choices {
            union: RwSignal::new(None),
            district: RwSignal::new(String::new()),
            amenities: RwSignal::new(Vec::new()),
            open_now: RwSignal::new(false),
            open_24h: RwSignal::new(false),
            lang: RwSignal::new(Lang::Zh),
            size: RwSignal::new(Size::FullWidth),
            auto_height: RwSignal::new(false),
        }
    }

    /// The options, with the union and district in effect (see [`Scope`]).
    fn options(self, scope: Scope) -> EmbedOptions {
        EmbedOptions {
            union: scope.union_id.get(),
            district: scope.district.get(),
            amenities: self.amenities.get(),
            open_now: self.open_now.get(),
            open_24h: self.open_24h.get(),
            lang: self.lang.get(),
            size: self.size.get(),
            auto_height: self.auto_height.get(),
        }
    }
}

type Unions = LocalResource<Result<Vec<UnionRow>, crate::staff::api::Error>>;
type Stations = LocalResource<Result<Vec<AdminStation>, crate::staff::api::Error>>;

/// Which union and district the embed shows, from the choices and what has loaded.
#[derive(Clone, Copy)]
struct Scope {
    /// The unions offered, `(id, name)`: all the admin may embed, else their own.
    offered: Memo<Vec<(String, String)>>,
    /// The admin's own union until another is picked.
    union_id: Memo<Option<String>>,
    union_name: Memo<Option<String>>,
    /// The districts of the union's stations (and those of the unions below it).
    districts: Memo<Vec<String>>,
    /// The chosen district, if it is one of them (after switching unions it may not be: then
    /// all of them are meant).
    district: Memo<Option<String>>,
}

impl Scope {
    fn new(choices: Choices, unions: Unions, stations: Stations) -> Scope {
        let session = use_session();
        let rows = move || unions.get().and_then(Result::ok).unwrap_or_default();
        let own = move || session.account().map(|a| a.union);
        let offered = Memo::new(move |_| {
            let mut list: Vec<(String, String)> = rows()
                .into_iter()
                .map(|u| (u.id.as_str().to_owned(), u.name))
                .collect();
            if list.is_empty() {
                list.extend(own().map(|u| (u.id.as_str().to_owned(), u.name)));
            }
            list
        });
        let union_id = Memo::new(move |_| {
            choices
                .union
                .get()
                .or_else(|| own().map(|u| u.id.as_str().to_owned()))
        });
        let union_name = Memo::new(move |_| {
            let id = union_id.get()?;
            rows()
                .into_iter()
                .find(|u| u.id.as_str() == id)
                .map(|u| u.name)
                .or_else(|| own().filter(|u| u.id.as_str() == id).map(|u| u.name))
        });
        let districts = Memo::new(move |_| {
            let Some(id) = union_id.get() else {
                return Vec::new();
            };
            let scope = union_and_below(&rows(), &id);
            stations
                .get()
                .and_then(Result::ok)
                .map(|all| districts(&all, &scope))
                .unwrap_or_default()
        });
        let district = Memo::new(move |_| {
            let d = choices.district.get();
            districts.with(|l| l.contains(&d)).then_some(d)
        });
        Scope {
            offered,
            union_id,
            union_name,
            districts,
            district,
        }
    }
}

/// The builder page.
#[component]
pub fn EmbedBuilderPage() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let unions = LocalResource::new(move || {
        session.epoch();
        async move { client.unions().await }
    });
    let stations = LocalResource::new(move || {
        session.epoch();
        async move { client.admin_stations().await }
    });
    let choices = Choices::new();
    let scope = Scope::new(choices, unions, stations);
    let options = Memo::new(move |_| choices.options(scope));
    let title = Memo::new(move |_| {
        embed_frame_title(choices.lang.get(), scope.union_name.get().as_deref())
    });
    // The snippet points where union sites reach the deployment; the preview stays on this
    // page's origin, the only one the staff page may frame.
    let public = public_url().unwrap_or_else(page_origin);
    let feed = Memo::new({
        let public = public.clone();
        move |_| format!("{public}{GEOJSON_PATH}")
    });
    let code = Memo::new(move |_| snippet(&public, &options.get(), &title.get()));

    view! {
        <h1>{tr(lang, Msg::NavEmbed)}</h1>
        <p class="muted">{tr(lang, Msg::EmbedIntro)}</p>
        <LoadLine unions=unions stations=stations/>
        <div class="embed-builder">
            <div class="embed-options">
                <UnionSelect choices=choices scope=scope/>
                <DistrictSelect choices=choices scope=scope/>
                <AmenityChecks legend=Msg::Amenities prefix="embed" selected=choices.amenities/>
                <HoursChecks choices=choices/>
                <LanguageChoice choices=choices/>
                <SizeChoice choices=choices/>
            </div>
            <Preview options=options title=title/>
        </div>
        <CodeSection code=code/>
        <DeveloperSection feed=feed/>
    }
}

/// The loading line, or what failed to load with a retry.
#[component]
fn LoadLine(unions: Unions, stations: Stations) -> impl IntoView {
    // The slot keeps its height when the loading line goes, so the controls below do not
    // jump up under a finger or pointer on their way to them.
    view! {
        <div class="load-slot">
            {move || match (unions.get(), stations.get()) {
                (Some(Err(e)), _) => Some(view! { <LoadState error=Some(e) retry=move || unions.refetch()/> }.into_any()),
                (_, Some(Err(e))) => Some(view! { <LoadState error=Some(e) retry=move || stations.refetch()/> }.into_any()),
                (None, _) | (_, None) => Some(view! { <LoadState error=None retry=move || stations.refetch()/> }.into_any()),
                _ => None,
            }}
        </div>
    }
}

/// The union whose stations are shown.
#[component]
fn UnionSelect(choices: Choices, scope: Scope) -> impl IntoView {
    let lang = i18n_lang();
    let options = move || {
        let current = scope.union_id.get();
        scope
            .offered
            .get()
            .into_iter()
            .map(|(id, name)| {
                let selected = current.as_deref() == Some(id.as_str());
                view! { <option value=id selected=selected>{name}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for="embed-union">{tr(lang, Msg::EmbedUnion)}</label>
            <select id="embed-union" on:change=move |ev| choices.union.set(Some(event_target_value(&ev)))>
                {options}
            </select>
        </div>
    }
}

/// All districts, or one of the union's.
#[component]
fn DistrictSelect(choices: Choices, scope: Scope) -> impl IntoView {
    let lang = i18n_lang();
    let options = move || {
        let current = scope.district.get();
        scope
            .districts
            .get()
            .into_iter()
            .map(|d| {
                let selected = current.as_deref() == Some(d.as_str());
                view! { <option value=d.clone() selected=selected>{d.clone()}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for="embed-district">{tr(lang, Msg::ChooseDistrict)}</label>
            <select id="embed-district" on:change=move |ev| choices.district.set(event_target_value(&ev))>
                <option value="" selected=move || scope.district.with(Option::is_none)>
                    {tr(lang, Msg::AllDistricts)}
                </option>
                {options}
            </select>
        </div>
    }
}

/// Open now, open round the clock.
#[component]
fn HoursChecks(choices: Choices) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <fieldset class="checks">
            <legend>{tr(lang, Msg::Hours)}</legend>
            <label class="check" for="embed-open-now">
                <input type="checkbox" id="embed-open-now"
                    prop:checked=move || choices.open_now.get()
                    on:change=move |ev| choices.open_now.set(event_target_checked(&ev))/>
                {tr(lang, Msg::EmbedOpenNow)}
            </label>
            <label class="check" for="embed-open-24h">
                <input type="checkbox" id="embed-open-24h"
                    prop:checked=move || choices.open_24h.get()
                    on:change=move |ev| choices.open_24h.set(event_target_checked(&ev))/>
                {tr(lang, Msg::EmbedOpen24h)}
            </label>
        </fieldset>
    }
}

/// The embed's language.
#[component]
fn LanguageChoice(choices: Choices) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <fieldset class="checks">
            <legend>{tr(lang, Msg::EmbedLanguage)}</legend>
            // Each language by its own name, whatever the page's language.
            {[(Lang::Zh, "zh", "中文"), (Lang::En, "en", "English")].into_iter().map(|(l, code, name)| {
                let id = format!("embed-lang-{code}");
                let label_for = id.clone();
                view! {
                    <label class="check" for=label_for lang=l.html_lang()>
                        <input type="radio" name="embed-lang" id=id value=code
                            prop:checked=move || choices.lang.get() == l
                            on:change=move |_| choices.lang.set(l)/>
                        {name}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The frame's size, and whether `embed.js` sizes it to its content.
#[component]
fn SizeChoice(choices: Choices) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <fieldset class="checks">
            <legend>{tr(lang, Msg::EmbedSize)}</legend>
            {Size::ALL.into_iter().map(|s| {
                let id = format!("embed-size-{}", s.as_str());
                let label_for = id.clone();
                view! {
                    <label class="check" for=label_for>
                        <input type="radio" name="embed-size" id=id value=s.as_str()
                            prop:checked=move || choices.size.get() == s
                            on:change=move |_| choices.size.set(s)/>
                        {tr(lang, s.msg())}
                    </label>
                }
            }).collect_view()}
            <label class="check" for="embed-auto-height">
                <input type="checkbox" id="embed-auto-height" aria-describedby="embed-auto-height-hint"
                    prop:checked=move || choices.auto_height.get()
                    on:change=move |ev| choices.auto_height.set(event_target_checked(&ev))/>
                {tr(lang, Msg::EmbedAutoHeight)}
            </label>
            <p class="hint" id="embed-auto-height-hint">{tr(lang, Msg::EmbedAutoHeightHint)}</p>
        </fieldset>
    }
}

/// The live preview, framed from this page's origin.
#[component]
fn Preview(options: Memo<EmbedOptions>, title: Memo<String>) -> impl IntoView {
    let lang = i18n_lang();
    let here = page_origin();
    // A memo: setting an iframe's `src`, even to the same URL, loads it again (not wanted when
    // only the size changes).
    let src = Memo::new(move |_| options.with(|o| embed_url(&here, o)));
    view! {
        <section class="embed-preview" aria-labelledby="embed-preview-title">
            <h2 id="embed-preview-title">{tr(lang, Msg::Preview)}</h2>
            <div class="embed-stage">
                <iframe
                    src=move || src.get()
                    title=move || title.get()
                    allow="geolocation"
                    // The iframe element type lacks `loading`; add it by name.
                    {..custom_attribute("loading", "lazy")}
                    style:width=move || options.with(|o| o.size.width())
                    style:height=move || options.with(|o| o.size.height())
                ></iframe>
            </div>
        </section>
    }
}

/// The snippet to paste, with its copy button.
#[component]
fn CodeSection(code: Memo<String>) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <section class="embed-code" aria-labelledby="embed-code-label">
            <div class="field">
                <label for="embed-code" id="embed-code-label">{tr(lang, Msg::EmbedCode)}</label>
                <textarea id="embed-code" readonly rows="5" spellcheck="false" autocomplete="off"
                    aria-describedby="embed-allow-list"
                    prop:value=move || code.get()></textarea>
            </div>
            <div class="actions">
                <CopyButton label=Msg::CopyCode text=code field="embed-code"/>
            </div>
            <p class="hint" id="embed-allow-list">{tr(lang, Msg::EmbedAllowList)}</p>
        </section>
    }
}

/// The GeoJSON feed and the API docs.
#[component]
fn DeveloperSection(feed: Memo<String>) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <section class="embed-dev" aria-labelledby="embed-dev-title">
            <h2 id="embed-dev-title">{tr(lang, Msg::ForDevelopers)}</h2>
            <div class="field">
                <label for="embed-feed">{tr(lang, Msg::FeedUrl)}</label>
                <div class="copy-row">
                    <input id="embed-feed" type="text" readonly spellcheck="false"
                        prop:value=move || feed.get()/>
                    <CopyButton label=Msg::CopyFeedUrl text=feed field="embed-feed"/>
                </div>
            </div>
            <p>
                <a href=API_DOCS_PATH target="_blank" rel="noopener">{tr(lang, Msg::ApiDocs)}</a>
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> EmbedOptions {
        EmbedOptions {
            union: Some("bj-chaoyang".into()),
            district: None,
            amenities: Vec::new(),
            open_now: false,
            open_24h: false,
            lang: Lang::Zh,
            size: Size::FullWidth,
            auto_height: false,
        }
    }

    #[test]
    fn query_names_only_what_was_chosen_and_always_the_language() {
        assert_eq!(options().query(), "union=bj-chaoyang&lang=zh");
        let all = EmbedOptions {
            district: Some("朝阳".into()),
            amenities: vec![Amenity::Microwave, Amenity::Water],
            open_now: true,
            open_24h: true,
            lang: Lang::En,
            ..options()
        };
        assert_eq!(
            all.query(),
            "union=bj-chaoyang&district=%E6%9C%9D%E9%98%B3&amenities=water,microwave\
             &open_now=1&open_24h=1&lang=en"
        );
    }

    #[test]
    fn snippet_escapes_the_ampersands_of_the_url_and_the_union_name() {
        let o = EmbedOptions {
            amenities: vec![Amenity::Water],
            ..options()
        };
        assert_eq!(
            snippet("https://y.org", &o, "附近的工会驿站 · \"A&B\" <工会>"),
            "<iframe src=\"https://y.org/embed?union=bj-chaoyang&amp;amenities=water&amp;lang=zh\" \
             title=\"附近的工会驿站 · &quot;A&amp;B&quot; &lt;工会&gt;\" allow=\"geolocation\" \
             loading=\"lazy\" style=\"width:100%;height:700px;border:0\"></iframe>"
        );
    }

    #[test]
    fn auto_height_marks_the_frame_and_adds_the_host_script() {
        let o = EmbedOptions {
            size: Size::Phone,
            auto_height: true,
            ..options()
        };
        let html = snippet("https://y.org", &o, "t");
        assert!(html
            .contains("style=\"width:360px;height:640px;border:0\" data-yizhan-embed></iframe>"));
        assert!(html.ends_with("\n<script src=\"https://y.org/embed.js\" async></script>"));
    }

    #[test]
    fn union_and_below_follows_parent_links_downwards_only() {
        let row = |id: &str, parent: Option<&str>| UnionRow {
            id: yizhan_core::UnionId::parse(id).unwrap_or_else(|_| panic!("{id}")),
            name: id.into(),
            parent: parent.and_then(|p| yizhan_core::UnionId::parse(p).ok()),
        };
        let unions = [
            row("bj", None),
            row("cy", Some("bj")),
            row("cy-street", Some("cy")),
            row("hd", Some("bj")),
        ];
        let below = union_and_below(&unions, "cy");
        assert_eq!(
            below.into_iter().collect::<Vec<_>>(),
            vec!["cy".to_owned(), "cy-street".to_owned()]
        );
    }

    fn station(id: &str, union: &str, district: &str, hidden: bool) -> AdminStation {
        let json = serde_json::json!({
            "id": id, "name": id, "address": "", "district": district,
            "union": {"id": union, "name": union},
            "location": {"lat": 39.9, "lng": 116.4},
            "amenities": [], "hours": "24/7",
            "status": {"state": "open", "confirmed_at": null, "expires_at": null, "notice": null},
            "phone": null, "version": 1, "hidden": hidden,
        });
        serde_json::from_value(json).unwrap_or_else(|e| panic!("{id}: {e}"))
    }

    #[test]
    fn districts_are_those_riders_see_in_the_chosen_unions_sorted_once() {
        let stations = [
            station("a", "cy", "朝阳区", false),
            station("b", "cy-street", "朝阳区", false),
            station("c", "cy-street", "东坝", false),
            station("d", "cy", "隐藏区", true),
            station("e", "hd", "海淀区", false),
        ];
        let scope = BTreeSet::from(["cy".to_owned(), "cy-street".to_owned()]);
        let mut expected = vec!["东坝".to_owned(), "朝阳区".to_owned()];
        expected.sort();
        assert_eq!(districts(&stations, &scope), expected);
    }

    #[test]
    fn frame_title_names_the_union_in_the_embed_language() {
        use crate::staff::i18n::embed_frame_title;
        assert_eq!(embed_frame_title(Lang::Zh, None), "附近的工会驿站");
        assert_eq!(
            embed_frame_title(Lang::En, Some("朝阳区总工会")),
            "Nearby union rest stations · 朝阳区总工会"
        );
        assert_eq!(embed_frame_title(Lang::Zh, Some("  ")), "附近的工会驿站");
    }
}
