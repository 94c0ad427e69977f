//! `/join?station={id}`: where the application goes (the station and its union, or a district
//! to choose), the two steps, and what came of sending it — waiting for a connection, or the
//! reference to keep.

use leptos::prelude::*;
use yizhan_core::{ErrorCode, NewApplication, StationId};

use super::api::{self, StationHead};
use super::consent::{ConsentStep, Policy};
use super::done::Done;
use super::draft;
use super::form::{DetailsStep, Failure, FormState, Step};
use super::header::Header;
use super::i18n::{district_union, href, t, tr, use_lang, Msg};
use super::outbox::{self, use_outbox, LastReceipt, Outbox, Sending};

/// What the link says about the station, and what the server said of it.
#[derive(Clone, Debug, PartialEq)]
enum Destination {
    /// No station in the link: the rider chooses a district.
    Nowhere,
    /// `?station=` is not a station id.
    BadLink,
    /// Being fetched.
    Loading(StationId),
    /// Found: its name and union.
    Found(StationId, StationHead),
    /// Unknown to the server (or it refused applications through it).
    Gone,
    /// No answer: the application still names the station; the server routes it.
    Offline(StationId),
}

impl Destination {
    /// The station the application credits.
    fn station(&self) -> Option<StationId> {
        match self {
            Destination::Loading(id) | Destination::Found(id, _) | Destination::Offline(id) => {
                Some(id.clone())
            }
            _ => None,
        }
    }
}

/// What the page shows under the station card.
#[derive(Clone, Debug, PartialEq)]
enum Mode {
    /// The form (also while it is being sent, or after a refusal).
    Form,
    /// Kept in the outbox until there is a connection.
    Waiting,
    /// The server has it.
    Done(yizhan_core::ApplicationReceipt),
}

/// The `/join` page.
#[component]
pub fn JoinPage() -> impl IntoView {
    let lang = use_lang();
    let outbox = use_outbox();
    let param = station_param();
    // The draft, crediting the link's station from the first frame (no district flashes up).
    let form = FormState::new(
        NewApplication {
            station_id: param.get_untracked().and_then(Result::ok),
            ..draft::load()
        },
        true,
    );
    let policy = Policy::kept();
    policy.fetch(lang.get_untracked());
    let failure = RwSignal::new(None::<Failure>);
    // The server said the station takes no applications (422 `station_id: unknown`).
    let refused_station = RwSignal::new(false);
    let destination = follow_station(param, refused_station);
    // The form names the station the link credits; without one the district routes it.
    Effect::new(move |_| {
        let id = destination.with(Destination::station);
        if form.app.with_untracked(|a| a.station_id != id) {
            form.app.update(|a| a.station_id = id);
        }
    });
    let union = Signal::derive(move || match destination.get() {
        Destination::Found(_, head) => Some(head.union.name),
        Destination::Loading(_) | Destination::Offline(_) => None,
        _ => form.app.with(|a| a.district.as_deref().map(district_union)),
    });
    show_refusals(form, policy, failure, refused_station);
    let mode = sending_mode(outbox);
    // Leaving the page after success: a later visit starts a new application.
    on_cleanup(move || outbox.reset());

    let submit = Callback::new(move |app: NewApplication| {
        failure.set(None);
        outbox.submit(app);
    });
    let pending = Signal::derive(move || outbox.state.get() == Sending::InFlight);
    let last = outbox::last_receipt();

    view! {
        <Header title=Msg::JoinTitle scan=true/>
        <main class="page" id="main">
            <DestinationCard destination/>
            {move || match mode.get() {
                Mode::Done(receipt) => view! { <Done receipt/> }.into_any(),
                Mode::Waiting => view! { <WaitingPanel pending/> }.into_any(),
                Mode::Form => view! {
                    <FormPanel form policy union pending failure submit last=last.clone()/>
                }.into_any(),
            }}
            // The receipt has its own, bigger link.
            <Show when=move || !matches!(mode.get(), Mode::Done(_))>
                <p class="links">
                    <a href=move || href(lang.get(), yizhan_core::pages::JOIN_STATUS)>{tr(lang, Msg::CheckProgress)}</a>
                </p>
            </Show>
        </main>
    }
}

/// The link's `?station=`: none, not a station id, or one.
fn station_param() -> Memo<Option<Result<StationId, ()>>> {
    let station_param = crate::shared::route::use_location().param("station");
    Memo::new(move |_| {
        station_param
            .read()
            .as_ref()
            .map(|s| StationId::parse(s.trim()).map_err(|_| ()))
    })
}

/// Fetches the link's station whenever the link changes, and says where the application goes.
fn follow_station(
    param: Memo<Option<Result<StationId, ()>>>,
    refused_station: RwSignal<bool>,
) -> Memo<Destination> {
    let lang = use_lang();
    let station = crate::shared::load::Latest::new();
    let _fetch = Effect::watch(
        move || param.get(),
        move |p, _, _| {
            let p = p.clone();
            let l = lang.get_untracked();
            station.restart(async move {
                match p {
                    Some(Ok(id)) => Some(api::station(id.as_str(), l).await),
                    _ => None,
                }
            });
        },
        true,
    );
    // Another station's link (a scan while on this page) is a fresh start for it.
    Effect::new(move |_| {
        param.track();
        refused_station.set(false);
    });
    Memo::new(move |_| {
        let p = param.get();
        if refused_station.get() {
            return Destination::Gone;
        }
        match (p, station.get()) {
            (None, _) => Destination::Nowhere,
            (Some(Err(())), _) => Destination::BadLink,
            (Some(Ok(id)), None | Some(None)) => Destination::Loading(id),
            (Some(Ok(id)), Some(Some(Ok(head)))) => Destination::Found(id, head),
            (Some(Ok(_)), Some(Some(Err(e)))) if e.status() == Some(404) => Destination::Gone,
            (Some(Ok(id)), Some(Some(Err(_)))) => Destination::Offline(id),
        }
    })
}

/// Shows what the server said of the last attempt on the form, then lets the outbox rest.
fn show_refusals(
    form: FormState,
    policy: Policy,
    failure: RwSignal<Option<Failure>>,
    refused_station: RwSignal<bool>,
) {
    let lang = use_lang();
    let outbox = use_outbox();
    Effect::new(move |_| {
        let Sending::Refused(e) = outbox.state.get() else {
            return;
        };
        let fields = e.fields();
        if e.code() == Some(ErrorCode::DuplicateApplication) {
            failure.set(Some(Failure::Msg(Msg::Duplicate)));
        } else if !fields.is_empty() {
            if fields.contains_key("consent") {
                // Consent to an older notice: read the new one and tick again.
                policy.fetch(lang.get_untracked());
            }
            if fields.contains_key("station_id") {
                refused_station.set(true);
            }
            failure.set(None);
            form.show(fields);
        } else {
            failure.set(Some(Failure::of(&e, Msg::SendFailed)));
        }
        outbox.reset();
    });
}

/// What the page shows, from where the outbox is with the application.
fn sending_mode(outbox: Outbox) -> Memo<Mode> {
    Memo::new(move |prev: Option<&Mode>| match outbox.state.get() {
        Sending::Sent(r) => Mode::Done(r),
        Sending::Waiting => Mode::Waiting,
        // A retry from the waiting screen stays there; a first try stays on the form.
        Sending::InFlight => prev.cloned().unwrap_or_else(|| {
            if outbox::pending().is_some() {
                Mode::Waiting
            } else {
                Mode::Form
            }
        }),
        Sending::Idle | Sending::Refused(_) => Mode::Form,
    })
}

/// The two steps of the form, under the reference of the last application sent from this phone
/// (as it was when the page opened).
#[component]
fn FormPanel(
    form: FormState,
    policy: Policy,
    union: Signal<Option<String>>,
    pending: Signal<bool>,
    failure: RwSignal<Option<Failure>>,
    submit: Callback<NewApplication>,
    last: Option<LastReceipt>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        {last.map(|l| view! {
            <p class="hint">
                {tr(lang, Msg::LastApplied)}
                <span class="ref" translate="no">{l.reference.to_string()}</span>
            </p>
        })}
        {move || match form.step.get() {
            // A refusal found when the page opened (the outbox sent it then).
            Step::Details => view! {
                {move || failure.get().map(|f| view! {
                    <p class="error" role="alert">{move || f.text(lang.get())}</p>
                })}
                <DetailsStep form/>
            }.into_any(),
            Step::Consent => view! {
                <ConsentStep form policy union pending failure on_submit=submit/>
            }.into_any(),
        }}
    }
}

/// The station and the union the application goes to.
#[component]
fn DestinationCard(destination: Memo<Destination>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let l = lang.get();
        match destination.get() {
            Destination::Nowhere => ().into_any(),
            Destination::Loading(_) => view! {
                <p class="station-card" role="status">{t(l, Msg::LoadingStation)}</p>
            }
            .into_any(),
            Destination::Found(_, head) => view! {
                <section class="station-card" aria-label=t(l, Msg::Station)>
                    <p class="station-name">{head.name}</p>
                    <p class="goes-to">{t(l, Msg::GoesTo)}<strong>{head.union.name}</strong></p>
                </section>
            }
            .into_any(),
            Destination::Offline(_) => {
                view! { <p class="hint">{t(l, Msg::StationOffline)}</p> }.into_any()
            }
            Destination::Gone => {
                view! { <p class="hint" role="alert">{t(l, Msg::StationGone)}</p> }.into_any()
            }
            Destination::BadLink => {
                view! { <p class="hint" role="alert">{t(l, Msg::BadStationLink)}</p> }.into_any()
            }
        }
    }
}

/// The application is kept on the phone until there is a connection.
#[component]
fn WaitingPanel(pending: Signal<bool>) -> impl IntoView {
    let lang = use_lang();
    let outbox = use_outbox();
    view! {
        <section class="waiting" role="status" aria-live="polite">
            <h2>{tr(lang, Msg::Waiting)}</h2>
            <p>{tr(lang, Msg::WaitingBody)}</p>
            <button type="button" class="primary" disabled=move || pending.get()
                on:click=move |_| outbox.flush()>
                {move || t(lang.get(), if pending.get() { Msg::Submitting } else { Msg::SendNow })}
            </button>
        </section>
    }
}
