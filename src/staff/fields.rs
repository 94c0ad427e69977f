//! Form pieces shared by the staff pages: labelled inputs with their problem text beside them,
//! and the line that shows a failed call. Problems are problem codes by field name, from core's
//! `validate()` in the browser or the server's `error.fields`; the text is looked up in the page
//! language, and nothing typed is ever cleared because of a problem.

use leptos::prelude::*;
use yizhan_core::datum::Datum;
use yizhan_core::query::FieldErrors;
use yizhan_core::Amenity;

use super::api;
use super::i18n::{amenity, datum_name, field_problem, i18n_lang, problem, tr, Msg};
use crate::shared::text_field::TextField as SharedTextField;

/// Field name → problem code.
pub type Problems = FieldErrors;

/// Removes one field's problem (when the field is edited).
pub fn clear(problems: RwSignal<Problems>, field: &str) {
    if problems.with_untracked(|p| p.contains_key(field)) {
        problems.update(|p| {
            p.remove(field);
        });
    }
}

/// The problem text under a field, with the id its input's `aria-describedby` names.
#[component]
pub fn FieldError(
    /// The form's problems.
    problems: RwSignal<Problems>,
    /// The field's name in them.
    field: &'static str,
    /// The element id (`{input id}-error`).
    id: String,
) -> impl IntoView {
    let lang = i18n_lang();
    move || {
        problems.with(|p| {
            p.get(field).map(|&code| {
                let text = problem(lang.get(), field, code);
                view! { <p class="field-error" id=id.clone()>{text}</p> }
            })
        })
    }
}

/// A labelled single-line input bound to a string signal.
#[component]
pub fn TextField(
    /// The input's id (also the base of its hint and error ids).
    id: &'static str,
    /// The label.
    label: Msg,
    /// The value.
    value: RwSignal<String>,
    /// The form's problems.
    problems: RwSignal<Problems>,
    /// The field's name in the problems.
    field: &'static str,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<Msg>,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// Read-only (e.g. an id once created).
    #[prop(optional)]
    readonly: bool,
    /// The `autocomplete` token.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The `inputmode` (e.g. `decimal` for coordinates).
    #[prop(default = "text")]
    inputmode: &'static str,
) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <SharedTextField id=id label=tr(lang, label)
            hint=hint.map(|h| tr(lang, h))
            kind=kind readonly=readonly autocomplete=Some(autocomplete) inputmode=Some(inputmode)
            value=move || value.get()
            on_input=move |text| {
                value.set(text);
                clear(problems, field);
            }
            invalid=move || problems.with(|p| p.contains_key(field))>
            <FieldError problems=problems field=field id=format!("{id}-error")/>
        </SharedTextField>
    }
}

/// A tick box for every amenity, in the contract's order; ids are `{prefix}-amenity-{code}`.
#[component]
pub fn AmenityChecks(
    /// The group's legend.
    legend: Msg,
    /// The start of each box's id.
    prefix: &'static str,
    /// The amenities ticked.
    selected: RwSignal<Vec<Amenity>>,
) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <fieldset class="checks">
            <legend>{tr(lang, legend)}</legend>
            {Amenity::ALL.into_iter().map(|a| {
                let id = format!("{prefix}-amenity-{}", a.as_str());
                let label_for = id.clone();
                view! {
                    <label class="check" for=label_for>
                        <input type="checkbox" id=id value=a.as_str()
                            prop:checked=move || selected.with(|l| l.contains(&a))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected.update(|l| {
                                    l.retain(|x| *x != a);
                                    if on {
                                        l.push(a);
                                    }
                                });
                            }/>
                        {move || amenity(lang.get(), a)}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// The `<option>`s of a datum select, each in the page language, the chosen one selected.
pub fn datum_options(chosen: RwSignal<Datum>) -> impl IntoView {
    let lang = i18n_lang();
    Datum::ALL
        .into_iter()
        .map(|d| {
            view! {
                <option value=d.as_str() selected=move || chosen.get() == d>
                    {move || datum_name(lang.get(), d)}
                </option>
            }
        })
        .collect_view()
}

/// The line that says why a call failed: the server's message (already in the page language)
/// or "no connection".
#[component]
pub fn ErrorNote(
    /// The failure, if any.
    error: RwSignal<Option<api::Error>>,
) -> impl IntoView {
    let lang = i18n_lang();
    move || {
        error.with(|e| {
            e.as_ref().map(|e| {
                let text = e
                    .message()
                    .unwrap_or_else(|| Msg::NetworkError.text(lang.get()))
                    .to_owned();
                view! { <p class="error" role="alert">{text}</p> }
            })
        })
    }
}

/// The fields a failed call named, as a list: for places without an input per field (an import's
/// rows and columns, a table row's buttons).
#[component]
pub fn FieldList(
    /// The failure, if any.
    error: RwSignal<Option<api::Error>>,
) -> impl IntoView {
    let lang = i18n_lang();
    move || {
        let fields = error.with(|e| e.as_ref().map(api::Error::fields).unwrap_or_default());
        (!fields.is_empty()).then(|| {
            let l = lang.get();
            view! {
                <ul class="field-list">
                    {fields.iter().map(|(f, c)| view! { <li>{field_problem(l, f, *c)}</li> }).collect_view()}
                </ul>
            }
        })
    }
}

/// The "loading" line, and the "could not load / try again" box.
#[component]
pub fn LoadState<F>(
    /// What went wrong, or `None` while loading.
    error: Option<api::Error>,
    /// Loads again.
    retry: F,
) -> impl IntoView
where
    F: Fn() + Send + Sync + 'static,
{
    let lang = i18n_lang();
    match error {
        None => view! { <p role="status" class="muted">{tr(lang, Msg::Loading)}</p> }.into_any(),
        Some(e) => {
            let text = e
                .message()
                .unwrap_or_else(|| Msg::LoadFailed.text(lang.get_untracked()))
                .to_owned();
            view! {
                <div class="error-box" role="alert">
                    <p>{text}</p>
                    <button type="button" on:click=move |_| retry()>{tr(lang, Msg::Retry)}</button>
                </div>
            }
            .into_any()
        }
    }
}
