//! Step 1 of an application: the rider's details, checked by core's rules before moving on,
//! with each problem beside its field. Shared by `/join` and by correcting a rejected
//! application on `/join/status`; the form's state is a handful of signals its page owns.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use yizhan_core::application::{MAX_OTHER_CHARS, MAX_WORK_DISTRICT_CHARS};
use yizhan_core::query::FieldErrors;
use yizhan_core::{Consent, Employer, NewApplication, Occupation, PersonName};

use super::i18n::{self, problem, tr, use_lang, Msg};
use crate::shared::text_field::TextField as SharedTextField;

/// Field name → problem code, from core's validation or the server's `error.fields`.
pub type Problems = FieldErrors;

/// The two steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Name, phone, work.
    Details,
    /// The privacy notice and the tick.
    Consent,
}

/// The fields of each control, in the order the form shows them, with the id of the control
/// that takes focus when that field is wrong.
const CONTROLS: &[(&str, &str)] = &[
    ("station_id", "join-district"),
    ("district", "join-district"),
    ("name", "join-name"),
    ("phone", "join-phone"),
    ("employer", "join-employer-meituan"),
    ("employer_other", "join-employer-name"),
    ("occupation", "join-occupation-food_delivery"),
    ("occupation_other", "join-occupation-name"),
    ("work_district", "join-work-district"),
    ("consent", "join-consent"),
];

/// An application being written: the form, its problems, the step and the consent tick.
#[derive(Clone, Copy)]
pub struct FormState {
    /// The form as typed.
    pub app: RwSignal<NewApplication>,
    /// What is wrong, by field.
    pub problems: RwSignal<Problems>,
    /// Which step shows.
    pub step: RwSignal<Step>,
    /// The consent box (never kept: consent is given each time).
    pub agreed: RwSignal<bool>,
    /// Whether every edit is kept as the draft (`/join`; not a correction, which stays in
    /// memory).
    keep: bool,
}

/// Moves focus to the first control with a problem, once it is drawn.
fn focus_first(problems: &Problems) {
    let Some(id) = CONTROLS
        .iter()
        .find(|(field, _)| problems.contains_key(*field))
        .map(|(_, id)| *id)
    else {
        return;
    };
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(id) {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

/// Back to the top of the page for a new step, with focus on its heading `id` (so a screen
/// reader announces the step; `preventScroll` keeps the sticky header from covering it).
fn to_step(id: &'static str) {
    request_animation_frame(move || {
        window().scroll_to_with_x_and_y(0.0, 0.0);
        let Some(el) = document().get_element_by_id(id) else {
            return;
        };
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
        if let Ok(focus) = js_sys::Reflect::get(&el, &"focus".into()) {
            if let Ok(focus) = focus.dyn_into::<js_sys::Function>() {
                let _ = focus.call1(&el, &options);
            }
        }
    });
}

impl FormState {
    /// A form starting from `app`, on step 1; `keep` saves the draft on every edit.
    pub fn new(app: NewApplication, keep: bool) -> FormState {
        FormState {
            app: RwSignal::new(app),
            problems: RwSignal::new(Problems::new()),
            step: RwSignal::new(Step::Details),
            agreed: RwSignal::new(false),
            keep,
        }
    }

    /// Changes the form (keeping the draft) and forgets the problem of the field changed.
    pub fn edit(self, field: &'static str, f: impl FnOnce(&mut NewApplication)) {
        self.app.update(f);
        if self.keep {
            self.app.with_untracked(super::draft::save);
        }
        self.problems.update(|p| {
            p.remove(field);
        });
    }

    /// "Next": to the consent step when every field of step 1 passes core's rules; otherwise
    /// the problems show and the first wrong field takes focus.
    pub fn next(self) {
        let mut problems = match self.app.with_untracked(NewApplication::validate) {
            Ok(_) => Problems::new(),
            Err(errors) => errors,
        };
        problems.remove("consent");
        if problems.is_empty() {
            self.problems.set(problems);
            self.step.set(Step::Consent);
            to_step("join-consent-title");
        } else {
            focus_first(&problems);
            self.problems.set(problems);
        }
    }

    /// "Submit": the application with consent to `policy_version`, when it is ticked and every
    /// field passes; otherwise the problems show (on step 1 when they are there).
    pub fn ready(self, policy_version: &str) -> Option<NewApplication> {
        let app = NewApplication {
            consent: Some(Consent {
                policy_version: policy_version.to_owned(),
                accepted: self.agreed.get_untracked(),
            }),
            ..self.app.get_untracked()
        };
        match app.validate() {
            Ok(_) => {
                self.problems.set(Problems::new());
                Some(app)
            }
            Err(errors) => {
                self.show(errors);
                None
            }
        }
    }

    /// Shows problems (from core or the server): on step 1 when any belongs there, and the
    /// consent box unticked when consent was refused (a newer notice must be read again).
    pub fn show(self, problems: Problems) {
        if problems.keys().any(|f| f != "consent") {
            self.step.set(Step::Details);
        }
        if problems.contains_key("consent") {
            self.agreed.set(false);
        }
        focus_first(&problems);
        self.problems.set(problems);
    }
}

/// The problem of `field` beside its control (always present, so `aria-describedby` always
/// points somewhere; empty when all is well).
#[component]
pub fn FieldError(form: FormState, field: &'static str, #[prop(into)] id: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="field-error" id=id role="alert">
            {move || {
                form.problems
                    .read()
                    .get(field)
                    .map(|&code| problem(lang.get(), field, code))
            }}
        </p>
    }
}

/// A labelled text input bound to one field of the form.
#[component]
fn TextField(
    form: FormState,
    field: &'static str,
    id: &'static str,
    label: Msg,
    #[prop(optional)] hint: Option<Msg>,
    get: fn(&NewApplication) -> String,
    set: fn(&mut NewApplication, String),
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    maxlength: usize,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <SharedTextField id=id label=tr(lang, label)
            hint=hint.map(|h| tr(lang, h))
            name=Some(field) kind=kind inputmode=inputmode autocomplete=autocomplete
            maxlength=Some(maxlength)
            value=move || form.app.with(get)
            on_input=move |text| form.edit(field, |a| set(a, text))
            invalid=move || form.problems.read().contains_key(field)>
            <FieldError form field id=format!("{id}-error")/>
        </SharedTextField>
    }
}

/// A group of choices shown as large tappable options, each a radio with its own label.
#[component]
fn Choices<T>(
    form: FormState,
    field: &'static str,
    legend: Msg,
    options: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(i18n::Lang, T) -> &'static str,
    get: fn(&NewApplication) -> Option<T>,
    set: fn(&mut NewApplication, T),
    error_id: &'static str,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let lang = use_lang();
    view! {
        <fieldset class="field choices" aria-describedby=error_id>
            <legend>{tr(lang, legend)}</legend>
            <div class="options">
                {options.iter().map(|&o| {
                    let id = format!("join-{field}-{}", code(o));
                    view! {
                        <div class="option">
                            <input type="radio" id=id.clone() name=field value=code(o)
                                prop:checked=move || form.app.with(get) == Some(o)
                                on:change=move |_| form.edit(field, |a| set(a, o))/>
                            <label for=id>{move || label(lang.get(), o)}</label>
                        </div>
                    }
                }).collect_view()}
            </div>
            <FieldError form field id=error_id/>
        </fieldset>
    }
}

/// Step 1: district (when there is no station), name, phone, platform, occupation, work area.
#[component]
pub fn DetailsStep(form: FormState) -> impl IntoView {
    let lang = use_lang();
    let no_station = move || form.app.with(|a| a.station_id.is_none());
    let employer_other = move || form.app.with(|a| a.employer == Some(Employer::Other));
    let occupation_other = move || form.app.with(|a| a.occupation == Some(Occupation::Other));
    let has_problems = move || !form.problems.read().is_empty();
    view! {
        <form class="join-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            form.next();
        }>
            <p class="step">{tr(lang, Msg::StepDetails)}</p>
            <Show when=no_station>
                <div class="field">
                    <label for="join-district">{tr(lang, Msg::District)}</label>
                    <p class="hint" id="join-district-hint">{tr(lang, Msg::DistrictHint)}</p>
                    <select id="join-district" name="district"
                        aria-describedby="join-district-hint join-district-error"
                        aria-invalid=move || form.problems.read().contains_key("district").to_string()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.edit("district", |a| a.district = (!v.is_empty()).then_some(v));
                        }>
                        <option value="" selected=move || form.app.with(|a| a.district.is_none())>
                            {tr(lang, Msg::Choose)}
                        </option>
                        {districts().into_iter().map(|d| {
                            let (value, shown) = (d.clone(), d.clone());
                            let selected = move || form.app.with(|a| a.district.as_deref() == Some(d.as_str()));
                            view! { <option value=value selected=selected>{shown}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError form field="district" id="join-district-error"/>
                </div>
            </Show>
            <TextField form field="name" id="join-name" label=Msg::Name hint=Msg::NameHint
                autocomplete="name" maxlength=PersonName::MAX_CHARS + 10
                get=|a| a.name.clone() set=|a, v| a.name = v/>
            <TextField form field="phone" id="join-phone" label=Msg::Phone hint=Msg::PhoneHint
                kind="tel" inputmode="numeric" autocomplete="tel-national" maxlength=20
                get=|a| a.phone.clone() set=|a, v| a.phone = v/>
            <Choices form field="employer" legend=Msg::Employer options=Employer::ALL
                code=Employer::as_str label=i18n::employer error_id="join-employer-error"
                get=|a| a.employer set=|a, v| a.employer = Some(v)/>
            <Show when=employer_other>
                <TextField form field="employer_other" id="join-employer-name"
                    label=Msg::EmployerOther maxlength=MAX_OTHER_CHARS
                    get=|a| a.employer_other.clone().unwrap_or_default()
                    set=|a, v| a.employer_other = Some(v)/>
            </Show>
            <Choices form field="occupation" legend=Msg::Occupation options=Occupation::ALL
                code=Occupation::as_str label=i18n::occupation error_id="join-occupation-error"
                get=|a| a.occupation set=|a, v| a.occupation = Some(v)/>
            <Show when=occupation_other>
                <TextField form field="occupation_other" id="join-occupation-name"
                    label=Msg::OccupationOther maxlength=MAX_OTHER_CHARS
                    get=|a| a.occupation_other.clone().unwrap_or_default()
                    set=|a, v| a.occupation_other = Some(v)/>
            </Show>
            <TextField form field="work_district" id="join-work-district" label=Msg::WorkDistrict
                hint=Msg::WorkDistrictHint maxlength=MAX_WORK_DISTRICT_CHARS
                get=|a| a.work_district.clone() set=|a, v| a.work_district = v/>
            <Show when=has_problems>
                <p class="error" role="alert">{tr(lang, Msg::CheckFields)}</p>
            </Show>
            <button type="submit" class="primary">{tr(lang, Msg::Next)}</button>
        </form>
    }
}

/// The form, read back on the consent step.
#[component]
pub fn Summary(
    form: FormState,
    #[prop(into)] destination: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let row = move |label: Msg, value: String| {
        view! {
            <dt>{tr(lang, label)}</dt>
            <dd>{value}</dd>
        }
    };
    view! {
        <section class="summary" aria-labelledby="join-summary-title">
            <h3 id="join-summary-title">{tr(lang, Msg::YourDetails)}</h3>
            <dl>
                {move || {
                    let l = lang.get();
                    let a = form.app.get();
                    let other = |choice: &'static str, text: &Option<String>| match text {
                        Some(t) if !t.trim().is_empty() => format!("{choice}（{}）", t.trim()),
                        _ => choice.to_owned(),
                    };
                    let employer = a.employer.map(|e| {
                        other(i18n::employer(l, e), &a.employer_other.filter(|_| e == Employer::Other))
                    });
                    let occupation = a.occupation.map(|o| {
                        other(i18n::occupation(l, o), &a.occupation_other.filter(|_| o == Occupation::Other))
                    });
                    view! {
                        {destination.get().map(|d| row(Msg::Union, d))}
                        {row(Msg::Name, a.name.trim().to_owned())}
                        {row(Msg::Phone, a.phone.trim().to_owned())}
                        {employer.map(|e| row(Msg::Employer, e))}
                        {occupation.map(|o| row(Msg::Occupation, o))}
                        {row(Msg::WorkDistrict, a.work_district.trim().to_owned())}
                    }
                }}
            </dl>
        </section>
    }
}

/// Why the last attempt failed, shown above the buttons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// One of ours (translated when the language changes).
    Msg(Msg),
    /// The server's message (already in the page language).
    Server(String),
}

impl Failure {
    /// From a refused request: the server's message, or `fallback` when there is none.
    pub fn of(e: &super::api::Error, fallback: Msg) -> Failure {
        match e.message() {
            Some(m) if !m.is_empty() => Failure::Server(m.to_owned()),
            _ => Failure::Msg(fallback),
        }
    }

    /// The text in `lang`.
    pub fn text(&self, lang: i18n::Lang) -> String {
        match self {
            Failure::Msg(m) => i18n::t(lang, *m).to_owned(),
            Failure::Server(s) => s.clone(),
        }
    }
}

/// The districts an application without a station can name (Beijing's when the server gave
/// none).
fn districts() -> Vec<String> {
    crate::shared::settings::meta("districts")
        .map(|v| v.split(',').map(str::to_owned).collect())
        .unwrap_or_else(|| {
            yizhan_core::BEIJING_DISTRICTS
                .iter()
                .map(|d| (*d).to_owned())
                .collect()
        })
}
