//! An application waits here, in local storage with the `Idempotency-Key` it was given once,
//! from the moment the rider presses "submit" until the server answers. It is written before
//! the first attempt, so a page closed mid-request resends it with the same key when next
//! opened; it is sent again when the browser comes back online, on a slow timer while waiting
//! (phones often say "online" with no working connection), or when the rider asks. However
//! often it goes out, the server stores it once. Any answer from the server ends it: a receipt
//! (the draft is then deleted), or a refusal for the form to show.

use std::time::Duration;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yizhan_core::{ApplicationReceipt, NewApplication, Reference, UnionRef};

use super::api;
use super::i18n::Lang;
use super::{draft, storage};

/// How often a waiting application is tried again while the page is open.
const RETRY_EVERY: Duration = Duration::from_secs(20);

/// An application waiting to be sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// Its `Idempotency-Key`, the same for every attempt.
    pub key: String,
    /// The application, consent included.
    pub application: NewApplication,
}

/// The last application the server took: what the status page may prefill (never the phone).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastReceipt {
    /// The reference.
    pub reference: Reference,
    /// The union that received it.
    pub union: UnionRef,
}

/// Where the application being sent stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Sending {
    /// Nothing being sent.
    Idle,
    /// A request is on its way.
    InFlight,
    /// No answer yet: kept, and sent again later.
    Waiting,
    /// The server has it.
    Sent(ApplicationReceipt),
    /// The server refused it; the form shows why.
    Refused(api::Error),
}

/// The outbox, shared by the pages (Copy: a signal and a flag).
#[derive(Clone, Copy)]
pub struct Outbox {
    /// What the pages show.
    pub state: RwSignal<Sending>,
    /// Whether a request is on its way (so two triggers never overlap).
    busy: StoredValue<bool>,
}

/// The page language as the address bar says now (the outbox lives outside the router).
fn current_lang() -> Lang {
    let search = window().location().search().unwrap_or_default();
    let lang = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("lang"));
    Lang::from_param(lang.as_deref())
}

/// The application waiting, if any.
pub fn pending() -> Option<Pending> {
    storage::load(storage::OUTBOX)
}

/// The last receipt kept on this phone.
pub fn last_receipt() -> Option<LastReceipt> {
    storage::load(storage::LAST)
}

impl Outbox {
    /// Creates the outbox for the app, sends what waits, and listens for the connection.
    pub fn start() -> Outbox {
        let waiting = pending().is_some();
        let outbox = Outbox {
            state: RwSignal::new(if waiting {
                Sending::Waiting
            } else {
                Sending::Idle
            }),
            busy: StoredValue::new(false),
        };
        provide_context(outbox);
        outbox.flush();
        let on_online = Closure::<dyn Fn()>::new(move || outbox.flush());
        let _ =
            window().add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        // Listens for the whole life of the page, as the outbox does.
        on_online.forget();
        let _ = set_interval_with_handle(
            move || {
                if outbox.state.get_untracked() == Sending::Waiting {
                    outbox.flush();
                }
            },
            RETRY_EVERY,
        );
        outbox
    }

    /// Keeps `application` under a new key and sends it. An application already waiting is
    /// sent instead (the form is hidden while one waits, so this only guards a double tap).
    pub fn submit(self, application: NewApplication) {
        if pending().is_none() {
            storage::save(
                storage::OUTBOX,
                &Pending {
                    key: crate::shared::browser::random_id(),
                    application,
                },
            );
        }
        self.flush();
    }

    /// Sends the waiting application, if any and none is on its way.
    pub fn flush(self) {
        if self.busy.get_value() {
            return;
        }
        let Some(p) = pending() else {
            return;
        };
        self.busy.set_value(true);
        self.state.set(Sending::InFlight);
        leptos::task::spawn_local(async move {
            let result = api::apply(&p.application, &p.key, current_lang()).await;
            self.busy.set_value(false);
            match result {
                Ok(receipt) => {
                    storage::remove(storage::OUTBOX);
                    draft::clear();
                    storage::save(
                        storage::LAST,
                        &LastReceipt {
                            reference: receipt.reference.clone(),
                            union: receipt.union.clone(),
                        },
                    );
                    self.state.set(Sending::Sent(receipt));
                }
                // No answer, or the server failed: it may be stored or not; the same key
                // makes the next attempt safe either way.
                Err(e) if !e.is_refused() => {
                    self.state.set(Sending::Waiting);
                }
                Err(e) => {
                    storage::remove(storage::OUTBOX);
                    self.state.set(Sending::Refused(e));
                }
            }
        });
    }

    /// Back to nothing being sent (the form took the refusal, or a new application starts).
    pub fn reset(self) {
        if !matches!(
            self.state.get_untracked(),
            Sending::InFlight | Sending::Waiting
        ) {
            self.state.set(Sending::Idle);
        }
    }
}

/// The outbox from context (the app provides it; started here if a page is mounted alone).
pub fn use_outbox() -> Outbox {
    use_context::<Outbox>().unwrap_or_else(Outbox::start)
}
