//! "Is this right? yes / no" on a station page, and the short fault report a "no" opens.
//! The report is checked by the same rules as on the server before it is sent; whatever the
//! rider entered stays in place until the server has it.

use std::collections::BTreeMap;

use leptos::prelude::*;
use yizhan_core::report::MAX_TEXT_CHARS;
use yizhan_core::{Amenity, NewReport, ReportKind};

use crate::i18n::{use_lang, Msg};
use crate::load::Task;
use crate::{api, outbox};

/// Where the rider is in the exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// The question with its two buttons.
    Ask,
    /// The fault form is open.
    Form,
    /// "Yes" was stored.
    Thanked,
    /// A fault report was stored.
    Received,
    /// The server already has a report from this device for this station this hour.
    AlreadyReported,
}

/// Field name → problem code, from core's validation or the server's `error.fields`.
type Problems = BTreeMap<String, String>;

/// Builds the report the form describes; `None` until a kind is chosen. Details of kinds not
/// chosen stay in the form (the rider may come back to them) but are not sent.
fn build_report(
    kind: Option<ReportKind>,
    amenity: Option<Amenity>,
    text: &str,
) -> Option<NewReport> {
    let kind = kind?;
    Some(NewReport {
        kind,
        amenity: amenity.filter(|_| kind == ReportKind::AmenityBroken),
        text: (kind == ReportKind::Other).then(|| text.to_owned()),
    })
}

/// The question, the buttons, the form, and what came of it.
#[component]
pub fn ReportSection(
    /// The station's id.
    station_id: String,
    /// The amenities the station has, for "which one is broken".
    amenities: Vec<Amenity>,
) -> impl IntoView {
    let lang = use_lang();
    let stage = RwSignal::new(Stage::Ask);
    let kind = RwSignal::new(None::<ReportKind>);
    let amenity = RwSignal::new(None::<Amenity>);
    let text = RwSignal::new(String::new());
    let problems = RwSignal::new(Problems::new());
    let failure = RwSignal::new(None::<Msg>);
    let offered = StoredValue::new(amenities);

    // One key per report: sending the same report again (a retry) reuses it, so the server
    // stores it once; a changed report gets a new key.
    let last_key = StoredValue::new(None::<(NewReport, String)>);
    let station = StoredValue::new(station_id);
    let sending = Task::new();
    let pending = sending.pending();
    // What came of a report: the page moves on, or says why not and keeps what was typed.
    let settle = move |sent: ReportKind, result: Result<yizhan_core::ReportReceipt, api::Error>| {
        failure.set(None);
        match result {
            Ok(_) => {
                stage.set(if sent == ReportKind::Confirm {
                    Stage::Thanked
                } else {
                    Stage::Received
                });
            }
            Err(api::Error::Api { status: 429, .. }) => stage.set(Stage::AlreadyReported),
            Err(api::Error::Api { error, .. }) if !error.fields.is_empty() => {
                problems.set(error.fields);
            }
            Err(api::Error::Api { .. }) => failure.set(Some(Msg::ReportRejected)),
            // Nothing is cleared: the rider can send the same report again; meanwhile it waits
            // in the outbox.
            Err(api::Error::Network | api::Error::Aborted) => {
                failure.set(Some(Msg::ReportSendFailed))
            }
        }
    };
    let send = move |report: NewReport| {
        let id = station.get_value();
        let key = last_key
            .get_value()
            .filter(|(r, _)| *r == report)
            .map(|(_, k)| k)
            .unwrap_or_else(api::random_id);
        last_key.set_value(Some((report.clone(), key.clone())));
        let lang = lang.get_untracked();
        let request = async move {
            let result = api::report(&id, &report, &key, lang.accept_language()).await;
            match &result {
                // With no signal the report waits in the outbox and goes out when the connection returns.
                Err(api::Error::Network) => outbox::push(outbox::Pending {
                    station: id,
                    report: report.clone(),
                    key,
                }),
                _ => outbox::remove(&key),
            }
            (report.kind, result)
        };
        // The rider may have left the page meanwhile; the outbox has the report either way.
        sending.run(request, move |(kind, result)| settle(kind, result));
    };
    let confirm = move |_| {
        failure.set(None);
        send(NewReport::of(ReportKind::Confirm));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        let Some(report) = build_report(kind.get(), amenity.get(), &text.get()) else {
            problems.set(Problems::from([("kind".to_owned(), "missing".to_owned())]));
            return;
        };
        match offered.with_value(|o| report.validate_for(o)) {
            Ok(()) => {
                problems.set(Problems::new());
                send(report);
            }
            Err(found) => problems.set(
                found
                    .into_iter()
                    .map(|(field, code)| (field, code.as_str().to_owned()))
                    .collect(),
            ),
        }
    };
    let problem_view = move |field: &'static str, id: &'static str| {
        let message = move || {
            problems
                .read()
                .get(field)
                .map(|code| lang.get().report_problem(field, code))
        };
        view! {
            <Show when=move || message().is_some()>
                <p class="field-error" id=id>{message}</p>
            </Show>
        }
    };
    let choice = move |k: ReportKind, label: Msg| {
        view! {
            <label class="choice">
                <input type="radio" name="report-kind" value=k.as_str()
                    prop:checked=move || kind.get() == Some(k)
                    on:change=move |_| {
                        kind.set(Some(k));
                        problems.update(|p| { p.remove("kind"); });
                    }/>
                {move || lang.get().t(label)}
            </label>
        }
    };

    let form = move || {
        view! {
            <form class="report-form" on:submit=submit novalidate>
                <fieldset aria-describedby="report-kind-error">
                    <legend>{move || lang.get().t(Msg::ReportWhatsWrong)}</legend>
                    {choice(ReportKind::ClosedWhenOpen, Msg::ReportClosedWhenOpen)}
                    {choice(ReportKind::AmenityBroken, Msg::ReportAmenityBroken)}
                    <Show when=move || kind.get() == Some(ReportKind::AmenityBroken)>
                        <div class="field">
                            <label for="report-amenity">{move || lang.get().t(Msg::ReportWhichAmenity)}</label>
                            <select id="report-amenity"
                                aria-invalid=move || problems.read().contains_key("amenity").to_string()
                                aria-describedby="report-amenity-error"
                                on:change=move |ev| {
                                    amenity.set(event_target_value(&ev).parse().ok());
                                    problems.update(|p| { p.remove("amenity"); });
                                }>
                                <option value="" selected=move || amenity.get().is_none()>
                                    {move || lang.get().t(Msg::ReportChoose)}
                                </option>
                                {offered.get_value().into_iter().map(|a| view! {
                                    <option value=a.as_str() selected=move || amenity.get() == Some(a)>
                                        {move || lang.get().amenity(a)}
                                    </option>
                                }).collect_view()}
                            </select>
                            {problem_view("amenity", "report-amenity-error")}
                        </div>
                    </Show>
                    {choice(ReportKind::Other, Msg::ReportOther)}
                    <Show when=move || kind.get() == Some(ReportKind::Other)>
                        <div class="field">
                            <label for="report-text">{move || lang.get().t(Msg::ReportDetails)}</label>
                            <textarea id="report-text" rows="3" maxlength=MAX_TEXT_CHARS
                                aria-invalid=move || problems.read().contains_key("text").to_string()
                                aria-describedby="report-text-count report-text-error"
                                prop:value=move || text.get()
                                on:input=move |ev| {
                                    text.set(event_target_value(&ev));
                                    problems.update(|p| { p.remove("text"); });
                                }>
                            </textarea>
                            <p class="count muted" id="report-text-count">
                                {move || format!("{}/{MAX_TEXT_CHARS}", text.read().chars().count())}
                            </p>
                            {problem_view("text", "report-text-error")}
                        </div>
                    </Show>
                    {problem_view("kind", "report-kind-error")}
                </fieldset>
                <div class="actions">
                    <button type="submit" disabled=move || pending.get()>
                        {move || lang.get().t(if pending.get() { Msg::ReportSending } else { Msg::ReportSubmit })}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| {
                        stage.set(Stage::Ask);
                        problems.set(Problems::new());
                        failure.set(None);
                    }>
                        {move || lang.get().t(Msg::ReportCancel)}
                    </button>
                </div>
            </form>
        }
    };

    view! {
        <section class="report" aria-labelledby="report-question">
            <h2 id="report-question">{move || lang.get().t(Msg::ReportQuestion)}</h2>
            {move || match stage.get() {
                Stage::Ask => view! {
                    <div class="actions">
                        <button type="button" on:click=confirm disabled=move || pending.get()>
                            {move || lang.get().t(Msg::ReportYes)}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| {
                            failure.set(None);
                            stage.set(Stage::Form);
                        }>
                            {move || lang.get().t(Msg::ReportNo)}
                        </button>
                    </div>
                }.into_any(),
                Stage::Form => form().into_any(),
                Stage::Thanked => view! {
                    <p class="ack" role="status">{move || lang.get().t(Msg::ReportThanks)}</p>
                }.into_any(),
                Stage::Received => view! {
                    <p class="ack" role="status">{move || lang.get().t(Msg::ReportReceived)}</p>
                }.into_any(),
                Stage::AlreadyReported => view! {
                    <p class="ack" role="status">{move || lang.get().t(Msg::ReportAlready)}</p>
                }.into_any(),
            }}
            {move || failure.get().map(|m| view! {
                <p class="error" role="alert">{move || lang.get().t(m)}</p>
            })}
        </section>
    }
}
