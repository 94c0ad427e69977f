//! `/admin/audit`: who changed what, newest first, 50 at a time ("更早" loads the next 50).

use leptos::prelude::*;
use yizhan_core::AuditEntry;

use crate::staff::api::{self, use_client};
use crate::staff::fields::{ErrorNote, LoadState};
use crate::staff::format::audit_value;
use crate::staff::i18n::{audit_action, audit_entity, i18n_lang, tr, Msg};
use crate::staff::state::use_session;

/// Entries per page, as the server sends them.
const PAGE: usize = 50;

/// The page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let loaded = RwSignal::new(false);
    let more = RwSignal::new(false);
    let error = RwSignal::new(None::<api::Error>);
    let load = Action::new_local(move |before: &Option<i64>| {
        let before = *before;
        async move {
            match client.audit(before).await {
                Ok(page) => {
                    more.set(page.len() >= PAGE);
                    if before.is_some() {
                        entries.update(|e| e.extend(page));
                    } else {
                        entries.set(page);
                    }
                    loaded.set(true);
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    // The first page, and again after signing back in.
    Effect::new(move |_| {
        session.epoch();
        load.dispatch(None);
    });
    let older = move |_| {
        let last = entries.with_untracked(|e| e.last().map(|x| x.id));
        if let Some(id) = last {
            load.dispatch(Some(id));
        }
    };
    view! {
        <h1>{tr(lang, Msg::AuditTitle)}</h1>
        {move || (!loaded.get()).then(|| {
            view! { <LoadState error=error.get() retry=move || { load.dispatch(None); }/> }
        })}
        <Show when=move || loaded.get()>
            <ErrorNote error=error/>
        </Show>
        <Show when=move || loaded.get() && entries.with(Vec::is_empty)>
            <p class="muted">{tr(lang, Msg::NoEntries)}</p>
        </Show>
        <Show when=move || entries.with(|e| !e.is_empty())>
            <table class="data audit">
                <thead>
                    <tr>
                        <th scope="col">{tr(lang, Msg::ColTime)}</th>
                        <th scope="col">{tr(lang, Msg::ColActor)}</th>
                        <th scope="col">{tr(lang, Msg::ColAction)}</th>
                        <th scope="col">{tr(lang, Msg::ColObject)}</th>
                        <th scope="col">{tr(lang, Msg::ColChanges)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let l = lang.get();
                        entries.get().into_iter().map(|e| view! {
                            <tr>
                                <td><time>{e.at.beijing().to_string()}</time></td>
                                <td>{e.actor}</td>
                                <td>{audit_action(l, &e.action)}</td>
                                <td>{audit_entity(l, &e.entity)}" "{e.entity_id}</td>
                                <td>
                                    <ul class="changes">
                                        {e.changes.into_iter().map(|c| view! {
                                            <li>
                                                <span class="field-name">{c.field}</span>": "
                                                {audit_value(c.before.as_deref())}" → "{audit_value(c.after.as_deref())}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </Show>
        <Show when=move || more.get()>
            <button type="button" class="secondary" disabled=move || load.pending().get() on:click=older>
                {tr(lang, Msg::Older)}
            </button>
        </Show>
    }
}
