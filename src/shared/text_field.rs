//! The accessible text field of every form (staff pages, `/join`, `/join/status`): a label tied
//! to its input, an optional hint, and the line that names the field's problem, both read out
//! with the input (`aria-describedby`). Each bundle brings its words and its problem line.

use leptos::prelude::*;

/// A labelled single-line input. Its hint has the id `{id}-hint`; `children` is the problem
/// line, which must have the id `{id}-error`. Generic over its closures: `Signal`s or boxed
/// closures would cost each bundle more code than a copy of this per kind of form.
#[component]
pub fn TextField<L, V, B, E, C>(
    /// The input's id (a list of rows makes its ids as it goes).
    #[prop(into)]
    id: String,
    /// The label, in the page's language.
    label: L,
    /// A hint under the label.
    #[prop(default = None)]
    hint: Option<L>,
    /// The value shown.
    value: V,
    /// Called with the text on every edit.
    on_input: E,
    /// Whether the field has a problem (`aria-invalid`).
    invalid: B,
    /// The `name` attribute.
    #[prop(default = None)]
    name: Option<&'static str>,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `inputmode` (e.g. `numeric` for a phone number).
    #[prop(default = None)]
    inputmode: Option<&'static str>,
    /// The `autocomplete` token.
    #[prop(default = None)]
    autocomplete: Option<&'static str>,
    /// The `autocapitalize` hint.
    #[prop(default = None)]
    autocapitalize: Option<&'static str>,
    /// `spellcheck` (`"false"` for codes and references).
    #[prop(default = None)]
    spellcheck: Option<&'static str>,
    /// Most characters.
    #[prop(default = None)]
    maxlength: Option<usize>,
    /// Read-only (e.g. an id once created).
    #[prop(optional)]
    readonly: bool,
    /// The problem line (typed, not erased to `AnyView`: less code in each bundle).
    children: TypedChildren<C>,
) -> impl IntoView
where
    L: Fn() -> &'static str + Send + Sync + 'static,
    V: Fn() -> String + Send + Sync + 'static,
    B: Fn() -> bool + Send + Sync + 'static,
    E: Fn(String) + Send + Sync + 'static,
    C: IntoView + 'static,
{
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label()}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || h()}</p> })}
            <input id=id name=name type=kind inputmode=inputmode autocomplete=autocomplete
                autocapitalize=autocapitalize spellcheck=spellcheck maxlength=maxlength
                readonly=readonly
                aria-describedby=described
                aria-invalid=move || invalid().to_string()
                prop:value=value
                on:input=move |ev| on_input(event_target_value(&ev))/>
            {children.into_inner()()}
        </div>
    }
}
