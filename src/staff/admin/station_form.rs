//! `/admin/stations/new` and `/admin/stations/{id}`: a station as staff type it
//! ([`StationDraft`]), checked by the same rules as on the server before it is sent. Edits carry
//! the version they started from; when someone else saved first (412) the latest version is
//! shown and can be loaded.

use std::sync::Arc;

use crate::staff::load::{station_from_route, Phase};
use leptos::prelude::*;
use yizhan_core::datum::Datum;
use yizhan_core::{Amenity, FieldCode, Station, StationDraft};

use super::stations::edit_link;
use crate::staff::api::{self, use_client, UnionRow};
use crate::staff::fields::{
    clear, datum_options, AmenityChecks, ErrorNote, FieldError, LoadState, Problems, TextField,
};
use crate::staff::i18n::{amenity, i18n_lang, tr, Lang, Msg};
use crate::staff::pages::Page;
use crate::staff::state::use_session;

/// The form's fields as typed. Coordinates stay text until sent, so nothing typed is lost and an
/// unreadable number is named, not read as 0.
#[derive(Clone, Copy)]
struct DraftForm {
    id: RwSignal<String>,
    name: RwSignal<String>,
    address: RwSignal<String>,
    district: RwSignal<String>,
    union_id: RwSignal<String>,
    lat: RwSignal<String>,
    lng: RwSignal<String>,
    datum: RwSignal<Datum>,
    hours: RwSignal<String>,
    phone: RwSignal<String>,
    amenities: RwSignal<Vec<Amenity>>,
    hidden: RwSignal<bool>,
}

fn number_text(v: f64) -> String {
    if v == 0.0 {
        String::new()
    } else {
        v.to_string()
    }
}

impl DraftForm {
    fn new(d: &StationDraft) -> DraftForm {
        DraftForm {
            id: RwSignal::new(d.id.clone()),
            name: RwSignal::new(d.name.clone()),
            address: RwSignal::new(d.address.clone()),
            district: RwSignal::new(d.district.clone()),
            union_id: RwSignal::new(d.union_id.clone()),
            lat: RwSignal::new(number_text(d.lat)),
            lng: RwSignal::new(number_text(d.lng)),
            datum: RwSignal::new(d.datum),
            hours: RwSignal::new(d.hours.clone()),
            phone: RwSignal::new(d.phone.clone().unwrap_or_default()),
            amenities: RwSignal::new(d.amenities.clone()),
            hidden: RwSignal::new(d.hidden),
        }
    }

    fn load(&self, d: &StationDraft) {
        self.id.set(d.id.clone());
        self.name.set(d.name.clone());
        self.address.set(d.address.clone());
        self.district.set(d.district.clone());
        self.union_id.set(d.union_id.clone());
        self.lat.set(number_text(d.lat));
        self.lng.set(number_text(d.lng));
        self.datum.set(d.datum);
        self.hours.set(d.hours.clone());
        self.phone.set(d.phone.clone().unwrap_or_default());
        self.amenities.set(d.amenities.clone());
        self.hidden.set(d.hidden);
    }

    /// The draft, or the problems of the number fields that could not be read.
    fn build(&self) -> (StationDraft, Problems) {
        let mut problems = Problems::new();
        let mut number = |field: &str, text: String| -> f64 {
            let t = text.trim().replace('，', ".");
            if t.is_empty() {
                problems.insert(field.to_owned(), FieldCode::Missing);
                return f64::NAN;
            }
            t.parse::<f64>().unwrap_or_else(|_| {
                problems.insert(field.to_owned(), FieldCode::Invalid);
                f64::NAN
            })
        };
        let lat = number("lat", self.lat.get_untracked());
        let lng = number("lng", self.lng.get_untracked());
        let phone = self.phone.get_untracked();
        let draft = StationDraft {
            id: self.id.get_untracked().trim().to_owned(),
            name: self.name.get_untracked(),
            address: self.address.get_untracked(),
            district: self.district.get_untracked(),
            union_id: self.union_id.get_untracked(),
            lat,
            lng,
            datum: self.datum.get_untracked(),
            hours: self.hours.get_untracked(),
            phone: (!phone.trim().is_empty()).then_some(phone),
            amenities: self.amenities.get_untracked(),
            hidden: self.hidden.get_untracked(),
        };
        (draft, problems)
    }
}

/// `/admin/stations/new`.
#[component]
pub fn NewStationPage() -> impl IntoView {
    let session = use_session();
    let union_id = session
        .account_untracked()
        .map(|a| a.union.id.to_string())
        .unwrap_or_default();
    let draft = StationDraft {
        union_id,
        hours: "24/7".to_owned(),
        ..StationDraft::default()
    };
    view! { <StationForm draft=draft version=None/> }
}

/// `/admin/stations/{id}`.
#[component]
pub fn EditStationPage() -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let (data, phase) = station_from_route(move || async move { client.admin_stations().await });
    move || {
        match phase.get() {
        Phase::Loading => view! { <LoadState error=None retry=move || data.refetch()/> }.into_any(),
        Phase::Failed(e) => view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any(),
        Phase::Missing => view! {
            <p class="error-box" role="alert">{tr(lang, Msg::NotFound)}</p>
            <p><a href=move || Page::Stations.href(lang.get(), "")>{tr(lang, Msg::BackToStations)}</a></p>
        }
        .into_any(),
        Phase::Ready(_) => match data.get_untracked().and_then(Result::ok).flatten() {
            Some(s) => view! { <StationForm draft=s.to_draft() version=Some(s.station.version)/> }.into_any(),
            None => view! { <LoadState error=None retry=move || data.refetch()/> }.into_any(),
        },
    }
    }
}

/// The form's state beside its fields: the version edited, problems and outcome, with the
/// page's requests (save, load the latest after a conflict) as methods.
#[derive(Clone, Copy)]
struct Editor {
    form: DraftForm,
    version: RwSignal<Option<u64>>,
    problems: RwSignal<Problems>,
    error: RwSignal<Option<api::Error>>,
    done: RwSignal<Option<Msg>>,
    stale: RwSignal<Option<Station>>,
    client: api::Client,
    location: crate::shared::route::Location,
}

impl Editor {
    fn new(draft: &StationDraft, version: Option<u64>) -> Self {
        let location = crate::shared::route::use_location();
        let created = location.search.with_untracked(|q| {
            crate::shared::route::parse_query(q)
                .iter()
                .any(|(k, _)| k == "created")
        });
        Editor {
            form: DraftForm::new(draft),
            version: RwSignal::new(version),
            problems: RwSignal::new(Problems::new()),
            error: RwSignal::new(None),
            done: RwSignal::new(created.then_some(Msg::Created)),
            stale: RwSignal::new(None),
            client: use_client(),
            location,
        }
    }

    /// Creates the station (then opens it for editing) or saves the version edited.
    async fn save(self, d: StationDraft, l: Lang) {
        let v = self.version.get_untracked();
        let result = match v {
            Some(v) => self.client.update_station(v, &d).await,
            None => self.client.create_station(&d).await,
        };
        match result {
            Ok(s) if v.is_none() => {
                let to = edit_link(l, s.station.id.as_str());
                let sep = if to.contains('?') { '&' } else { '?' };
                self.location
                    .navigate(&format!("{to}{sep}created=1"), false);
            }
            Ok(s) => {
                self.form.load(&s.to_draft());
                self.version.set(Some(s.station.version));
                self.done.set(Some(Msg::Saved));
            }
            Err(api::Error::Api {
                status: 412,
                current,
                ..
            }) => self.stale.set(current.map(Arc::unwrap_or_clone)),
            Err(e) => {
                let mut fields = e.fields();
                if e.status() == Some(409) && fields.is_empty() {
                    fields.insert("id".into(), FieldCode::Duplicate);
                }
                self.problems.set(fields);
                self.error.set(Some(e));
            }
        }
    }

    /// Loads the version someone else saved, to edit from there.
    async fn load_latest(self) {
        let id = self.form.id.get_untracked();
        match self.client.admin_stations().await {
            Ok(all) => match all.into_iter().find(|s| s.station.id.as_str() == id) {
                Some(s) => {
                    self.form.load(&s.to_draft());
                    self.version.set(Some(s.station.version));
                    self.problems.set(Problems::new());
                    self.stale.set(None);
                    self.error.set(None);
                }
                None => self.error.set(None),
            },
            Err(e) => self.error.set(Some(e)),
        }
    }

    /// Checks the draft as the server would, and sends it when nothing is wrong.
    fn submit(self, send: Action<StationDraft, ()>) {
        self.error.set(None);
        self.done.set(None);
        let (draft, mut found) = self.form.build();
        if let Err(errors) = draft.validate() {
            for (field, code) in errors {
                found.entry(field).or_insert(code);
            }
        }
        self.problems.set(found.clone());
        if found.is_empty() {
            send.dispatch(draft);
        }
    }
}

/// The form, for a new station (`version` None) or an existing one.
#[component]
fn StationForm(draft: StationDraft, version: Option<u64>) -> impl IntoView {
    let lang = i18n_lang();
    let editing = version.is_some();
    let ed = Editor::new(&draft, version);
    let (form, problems) = (ed.form, ed.problems);
    let send = Action::new_local(move |d: &StationDraft| ed.save(d.clone(), lang.get_untracked()));
    let reload = Action::new_local(move |_: &()| ed.load_latest());
    view! {
        <p class="back"><a href=move || Page::Stations.href(lang.get(), "")>{tr(lang, Msg::BackToStations)}</a></p>
        <h1>{tr(lang, if editing { Msg::EditStation } else { Msg::NewStation })}</h1>
        <form class="station-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            ed.submit(send);
        }>
            <div class="grid">
                <TextField id="station-id" label=Msg::FieldId value=form.id problems=problems field="id"
                    hint=Msg::FieldIdHint readonly=editing/>
                <TextField id="station-name" label=Msg::FieldName value=form.name problems=problems field="name"/>
                <TextField id="station-address" label=Msg::FieldAddress value=form.address problems=problems field="address"/>
                <TextField id="station-district" label=Msg::FieldDistrict value=form.district problems=problems field="district"/>
                {union_select(form, problems)}
                <TextField id="station-lat" label=Msg::FieldLat value=form.lat problems=problems field="lat"
                    inputmode="decimal"/>
                <TextField id="station-lng" label=Msg::FieldLng value=form.lng problems=problems field="lng"
                    inputmode="decimal"/>
                <div class="field">
                    <label for="station-datum">{tr(lang, Msg::FieldDatum)}</label>
                    <select id="station-datum" prop:value=move || form.datum.get().as_str() on:change=move |ev| {
                        if let Some(d) = Datum::parse(&event_target_value(&ev)) {
                            form.datum.set(d);
                        }
                    }>
                        {datum_options(form.datum)}
                    </select>
                </div>
                <TextField id="station-hours" label=Msg::FieldHours value=form.hours problems=problems
                    field="hours" hint=Msg::HoursHint/>
                <TextField id="station-phone" label=Msg::FieldPhone value=form.phone problems=problems
                    field="phone" kind="tel" inputmode="tel"/>
            </div>
            <AmenityChecks legend=Msg::FieldAmenities prefix="station" selected=form.amenities/>
            <label class="check" for="station-hidden">
                <input type="checkbox" id="station-hidden"
                    prop:checked=move || form.hidden.get()
                    on:change=move |ev| form.hidden.set(event_target_checked(&ev))/>
                {tr(lang, Msg::FieldHidden)}
            </label>
            <ErrorNote error=ed.error/>
            {form_actions(form.id, editing, send.pending())}
            {move || ed.done.get().map(|m| view! { <p class="ok" role="status">{tr(lang, m)}</p> })}
        </form>
        {move || ed.stale.get().map(|s| stale_notice(s, reload))}
    }
}

/// The union a station belongs to: the unions the account may choose, and its own.
fn union_select(form: DraftForm, problems: RwSignal<Problems>) -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let unions = LocalResource::new(move || {
        session.epoch();
        async move { client.unions().await }
    });
    let union_options = move || {
        let l = lang.get();
        let mut list: Vec<UnionRow> = unions.get().and_then(Result::ok).unwrap_or_default();
        let chosen = form.union_id.get();
        if !chosen.is_empty() && !list.iter().any(|u| u.id.as_str() == chosen) {
            if let Some(a) = session.account().filter(|a| a.union.id.as_str() == chosen) {
                list.insert(
                    0,
                    UnionRow {
                        id: a.union.id,
                        name: a.union.name,
                        parent: None,
                    },
                );
            }
        }
        view! {
            <option value="" selected=chosen.is_empty()>{Msg::ChooseUnion.text(l)}</option>
            {list.into_iter().map(|u| {
                let selected = u.id.as_str() == chosen;
                view! { <option value=u.id.to_string() selected=selected>{u.name}</option> }
            }).collect_view()}
        }
    };
    view! {
        <div class="field">
            <label for="station-union">{tr(lang, Msg::FieldUnion)}</label>
            <select id="station-union" aria-describedby="station-union-error"
                aria-invalid=move || problems.with(|p| p.contains_key("union_id")).to_string()
                on:change=move |ev| {
                    form.union_id.set(event_target_value(&ev));
                    clear(problems, "union_id");
                }>
                {union_options}
            </select>
            <FieldError problems=problems field="union_id" id="station-union-error".to_owned()/>
        </div>
    }
}

/// Save, and for a station that exists, its poster.
fn form_actions(id: RwSignal<String>, editing: bool, pending: Memo<bool>) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <div class="actions">
            <button type="submit" class="primary" disabled=move || pending.get()>
                {tr(lang, Msg::Save)}
            </button>
            {editing.then(|| {
                let poster = api::poster_url(&id.get_untracked());
                view! {
                    <a class="button secondary" href=poster target="_blank" rel="noopener">
                        {tr(lang, Msg::ViewPoster)}
                    </a>
                }
            })}
        </div>
    }
}

/// Someone else saved first: their version, and the button that loads it.
fn stale_notice(s: Station, reload: Action<(), ()>) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <section class="conflict" role="alert" aria-labelledby="stale-title">
            <h2 id="stale-title">{tr(lang, Msg::ConflictTitle)}</h2>
            <p>{tr(lang, Msg::StaleStation)}</p>
            <dl class="version">
                <dt>{tr(lang, Msg::FieldName)}</dt><dd>{s.name.clone()}</dd>
                <dt>{tr(lang, Msg::FieldAddress)}</dt><dd>{s.address.clone()}</dd>
                <dt>{tr(lang, Msg::FieldDistrict)}</dt><dd>{s.district.clone()}</dd>
                <dt>{tr(lang, Msg::FieldUnion)}</dt><dd>{s.union.name.clone()}</dd>
                <dt>{tr(lang, Msg::FieldHours)}</dt><dd>{s.hours.as_str().to_owned()}</dd>
                <dt>{tr(lang, Msg::FieldPhone)}</dt><dd>{s.phone.clone().unwrap_or_default()}</dd>
                <dt>{tr(lang, Msg::FieldAmenities)}</dt>
                <dd>{move || s.amenities.iter().map(|a| amenity(lang.get(), a.code)).collect::<Vec<_>>().join("、")}</dd>
            </dl>
            <button type="button" class="primary" disabled=move || reload.pending().get()
                on:click=move |_| { reload.dispatch(()); }>
                {tr(lang, Msg::ReloadLatest)}
            </button>
        </section>
    }
}
