//! The union an admin page works on: a labelled list of the admin's union and the unions below
//! it, starting at their own.

use leptos::prelude::*;

use crate::staff::api::use_client;
use crate::staff::i18n::{i18n_lang, tr, Msg};
use crate::staff::state::use_session;

/// A signal holding the admin's own union id, for a [`UnionPicker`] to change.
pub fn own_union() -> RwSignal<String> {
    let own = use_session()
        .account()
        .map(|a| a.union.id.to_string())
        .unwrap_or_default();
    RwSignal::new(own)
}

/// `<label>工会</label><select>…</select>`, setting `union` to the chosen id.
#[component]
pub fn UnionPicker(id: &'static str, union: RwSignal<String>) -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let unions = LocalResource::new(move || async move { client.unions().await });
    view! {
        <div class="field">
            <label for=id>{tr(lang, Msg::ServicesUnion)}</label>
            <select id=id on:change=move |ev| union.set(event_target_value(&ev))>
                {move || unions.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|u| {
                    let id = u.id.to_string();
                    let selected = union.get_untracked() == id;
                    view! { <option value=id selected=selected>{u.name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
