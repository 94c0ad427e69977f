//! "我到了": a rider at the station says so. The union counts visits ("服务户外劳动者 N 人次");
//! the server counts one per phone, station and hour, and keeps nothing that names the phone.
//! With no signal the visit waits in the outbox and goes once the connection returns.

use leptos::prelude::*;

use crate::api;
use crate::i18n::{use_lang, Msg, Words};
use crate::outbox;

/// The button and what became of the tap.
#[component]
pub fn ImHere(station: String) -> impl IntoView {
    let lang = use_lang();
    let said = RwSignal::new(None::<Msg>);
    let pending = RwSignal::new(false);
    let station = StoredValue::new(station);
    let tap = move |_| {
        said.set(None);
        pending.set(true);
        let id = station.get_value();
        let l = lang.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let result = api::visit(&id, l).await;
            let text = match result {
                Ok(true) => Msg::VisitCounted,
                Ok(false) => Msg::VisitAlready,
                // Kept even if the page is gone by now; sent when the signal returns.
                Err(api::Error::Network | api::Error::Aborted) => {
                    outbox::push_visit(&id);
                    Msg::VisitSaved
                }
                // Only the hourly limit of an address refuses a visit (riders behind one NAT).
                Err(api::Error::Api { .. } | api::Error::Refused(_)) => Msg::VisitLater,
            };
            // The page may be gone: then there is nobody to tell.
            let _ = pending.try_set(false);
            let _ = said.try_set(Some(text));
        });
    };
    view! {
        <section class="visit">
            <button type="button" class="primary" on:click=tap disabled=move || pending.get()>
                {move || lang.get().t(Msg::ImHere)}
            </button>
            {move || said.get().map(|m| view! { <p role="status">{lang.get().t(m)}</p> })}
        </section>
    }
}
