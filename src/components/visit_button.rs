//! "我到了": a rider at the station says so. The union counts visits ("服务户外劳动者 N 人次");
//! the server counts one per phone, station and hour, and keeps nothing that names the phone.
//! With no signal the visit waits in the outbox and goes once the connection returns.

use leptos::prelude::*;

use crate::api;
use crate::i18n::{use_lang, Msg};
use crate::load::Task;
use crate::outbox;

/// The button and what became of the tap.
#[component]
pub fn ImHere(station: String) -> impl IntoView {
    let lang = use_lang();
    let said = RwSignal::new(None::<String>);
    let sending = Task::new();
    let station = StoredValue::new(station);
    let tap = move |_| {
        said.set(None);
        let id = station.get_value();
        let l = lang.get_untracked();
        let request = async move {
            let result = api::visit(&id, l.accept_language()).await;
            // The page may be gone before the answer: the outbox keeps the visit either way.
            if matches!(result, Err(api::Error::Network)) {
                outbox::push_visit(&id);
            }
            result
        };
        sending.run(request, move |result| {
            let l = lang.get_untracked();
            let text = match result {
                Ok(true) => l.t(Msg::VisitCounted).to_owned(),
                Ok(false) => l.t(Msg::VisitAlready).to_owned(),
                Err(api::Error::Network) => l.t(Msg::VisitSaved).to_owned(),
                Err(api::Error::Api { error, .. }) => error.message,
                // Nothing cancels a visit; were it cancelled, there would be nothing to say.
                Err(api::Error::Aborted) => return,
            };
            said.set(Some(text));
        });
    };
    view! {
        <section class="visit">
            <button type="button" class="primary" on:click=tap disabled=move || sending.pending().get()>
                {move || lang.get().t(Msg::ImHere)}
            </button>
            {move || said.get().map(|text| view! { <p role="status">{text}</p> })}
        </section>
    }
}
