//! "Is this right? yes / no" on a station page, and the short fault report a "no" opens.
//! The report is checked by the same rules as on the server before it is sent; whatever the
//! rider entered stays in place until the server has it.

use leptos::prelude::*;
use yizhan_core::query::FieldErrors;
use yizhan_core::report::MAX_TEXT_CHARS;
use yizhan_core::{Amenity, FieldCode, NewReport, ReportKind};

use crate::i18n::{use_lang, Msg, Words};
use crate::shared::browser::random_id;
use crate::shared::load::Task;
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
type Problems = FieldErrors;

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

/// The exchange's state: where the rider is, the report as typed, and its sending.
#[derive(Clone, Copy)]
struct Report {
    lang: Memo<crate::i18n::Lang>,
    stage: RwSignal<Stage>,
    kind: RwSignal<Option<ReportKind>>,
    amenity: RwSignal<Option<Amenity>>,
    text: RwSignal<String>,
    problems: RwSignal<Problems>,
    failure: RwSignal<Option<Msg>>,
    offered: StoredValue<Vec<Amenity>>,
    /// One key per report: sending the same report again (a retry) reuses it, so the server
    /// stores it once; a changed report gets a new key.
    last_key: StoredValue<Option<(NewReport, String)>>,
    station: StoredValue<String>,
    sending: Task,
}

impl Report {
    fn new(station_id: String, amenities: Vec<Amenity>) -> Self {
        Report {
            lang: use_lang(),
            stage: RwSignal::new(Stage::Ask),
            kind: RwSignal::new(None),
            amenity: RwSignal::new(None),
            text: RwSignal::new(String::new()),
            problems: RwSignal::new(Problems::new()),
            failure: RwSignal::new(None),
            offered: StoredValue::new(amenities),
            last_key: StoredValue::new(None),
            station: StoredValue::new(station_id),
            sending: Task::new(),
        }
    }

    /// What came of a report: the page moves on, or says why not and keeps what was typed.
    fn settle(self, sent: ReportKind, result: Result<yizhan_core::ReportReceipt, api::Error>) {
        self.failure.set(None);
        match result {
            Ok(_) => {
                self.stage.set(if sent == ReportKind::Confirm {
                    Stage::Thanked
                } else {
                    Stage::Received
                });
            }
            Err(api::Error::Api { status: 429, .. }) => self.stage.set(Stage::AlreadyReported),
            Err(api::Error::Api { error, .. }) if !error.fields.is_empty() => {
                self.problems.set(error.fields);
            }
            Err(api::Error::Api { .. } | api::Error::Refused(_)) => {
                self.failure.set(Some(Msg::ReportRejected))
            }
            // Nothing is cleared: the rider can send the same report again; meanwhile it waits
            // in the outbox.
            Err(api::Error::Network | api::Error::Aborted) => {
                self.failure.set(Some(Msg::ReportSendFailed))
            }
        }
    }

    fn send(self, report: NewReport) {
        let id = self.station.get_value();
        let key = self
            .last_key
            .get_value()
            .filter(|(r, _)| *r == report)
            .map(|(_, k)| k)
            .unwrap_or_else(random_id);
        self.last_key.set_value(Some((report.clone(), key.clone())));
        let lang = self.lang.get_untracked();
        let request = async move {
            let result = api::report(&id, &report, &key, lang).await;
            match (&result, serde_json::to_string(&report)) {
                // With no signal the report waits in the outbox and goes out when the connection returns.
                (Err(api::Error::Network), Ok(body)) => outbox::push(outbox::Pending {
                    station: id,
                    key,
                    body,
                }),
                _ => outbox::remove(&key),
            }
            (report.kind, result)
        };
        // The rider may have left the page meanwhile; the outbox has the report either way.
        self.sending
            .run(request, move |(kind, result)| self.settle(kind, result));
    }

    /// Sends the fault report once it passes the server's rules.
    fn submit(self) {
        self.failure.set(None);
        let Some(report) = build_report(self.kind.get(), self.amenity.get(), &self.text.get())
        else {
            self.problems
                .set(Problems::from([("kind".to_owned(), FieldCode::Missing)]));
            return;
        };
        match self.offered.with_value(|o| report.validate_for(o)) {
            Ok(()) => {
                self.problems.set(Problems::new());
                self.send(report);
            }
            Err(found) => self.problems.set(found),
        }
    }

    fn clear(self, field: &str) {
        self.problems.update(|p| {
            p.remove(field);
        });
    }
}

/// The question, the buttons, the form, and what came of it.
#[component]
pub fn ReportSection(
    /// The station's id.
    station_id: String,
    /// The amenities the station has, for "which one is broken".
    amenities: Vec<Amenity>,
) -> impl IntoView {
    let r = Report::new(station_id, amenities);
    let (lang, stage, failure) = (r.lang, r.stage, r.failure);
    let pending = r.sending.pending();
    view! {
        <section class="report" aria-labelledby="report-question">
            <h2 id="report-question">{move || lang.get().t(Msg::ReportQuestion)}</h2>
            {move || match stage.get() {
                Stage::Ask => view! {
                    <div class="actions">
                        <button type="button" disabled=move || pending.get() on:click=move |_| {
                            failure.set(None);
                            r.send(NewReport::of(ReportKind::Confirm));
                        }>
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
                Stage::Form => report_form(r).into_any(),
                Stage::Thanked => ack(r, Msg::ReportThanks).into_any(),
                Stage::Received => ack(r, Msg::ReportReceived).into_any(),
                Stage::AlreadyReported => ack(r, Msg::ReportAlready).into_any(),
            }}
            {move || failure.get().map(|m| view! {
                <p class="error" role="alert">{move || lang.get().t(m)}</p>
            })}
        </section>
    }
}

fn ack(r: Report, m: Msg) -> impl IntoView {
    let lang = r.lang;
    view! { <p class="ack" role="status">{move || lang.get().t(m)}</p> }
}

/// The fault form: what is wrong (with which amenity, or in words), send and cancel.
fn report_form(r: Report) -> impl IntoView {
    let lang = r.lang;
    let kind = r.kind;
    let pending = r.sending.pending();
    view! {
        <form class="report-form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            r.submit();
        }>
            <fieldset aria-describedby="report-kind-error">
                <legend>{move || lang.get().t(Msg::ReportWhatsWrong)}</legend>
                {choice(r, ReportKind::ClosedWhenOpen, Msg::ReportClosedWhenOpen)}
                {choice(r, ReportKind::AmenityBroken, Msg::ReportAmenityBroken)}
                <Show when=move || kind.get() == Some(ReportKind::AmenityBroken)>
                    {amenity_field(r)}
                </Show>
                {choice(r, ReportKind::Other, Msg::ReportOther)}
                <Show when=move || kind.get() == Some(ReportKind::Other)>
                    {text_field(r)}
                </Show>
                {problem_view(r, "kind", "report-kind-error")}
            </fieldset>
            <div class="actions">
                <button type="submit" disabled=move || pending.get()>
                    {move || lang.get().t(if pending.get() { Msg::ReportSending } else { Msg::ReportSubmit })}
                </button>
                <button type="button" class="secondary" on:click=move |_| {
                    r.stage.set(Stage::Ask);
                    r.problems.set(Problems::new());
                    r.failure.set(None);
                }>
                    {move || lang.get().t(Msg::ReportCancel)}
                </button>
            </div>
        </form>
    }
}

/// A field's problem, in the page language, while it has one.
fn problem_view(r: Report, field: &'static str, id: &'static str) -> impl IntoView {
    let message = move || {
        r.problems
            .read()
            .get(field)
            .map(|&code| r.lang.get().report_problem(field, code))
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="field-error" id=id>{message}</p>
        </Show>
    }
}

/// One kind of fault to choose.
fn choice(r: Report, k: ReportKind, label: Msg) -> impl IntoView {
    let lang = r.lang;
    view! {
        <label class="choice">
            <input type="radio" name="report-kind" value=k.as_str()
                prop:checked=move || r.kind.get() == Some(k)
                on:change=move |_| {
                    r.kind.set(Some(k));
                    r.clear("kind");
                }/>
            {move || lang.get().t(label)}
        </label>
    }
}

/// Which of the station's amenities is broken.
fn amenity_field(r: Report) -> impl IntoView {
    let (lang, amenity) = (r.lang, r.amenity);
    view! {
        <div class="field">
            <label for="report-amenity">{move || lang.get().t(Msg::ReportWhichAmenity)}</label>
            <select id="report-amenity"
                aria-invalid=move || r.problems.read().contains_key("amenity").to_string()
                aria-describedby="report-amenity-error"
                on:change=move |ev| {
                    amenity.set(event_target_value(&ev).parse().ok());
                    r.clear("amenity");
                }>
                <option value="" selected=move || amenity.get().is_none()>
                    {move || lang.get().t(Msg::ReportChoose)}
                </option>
                {r.offered.get_value().into_iter().map(|a| view! {
                    <option value=a.as_str() selected=move || amenity.get() == Some(a)>
                        {move || lang.get().amenity(a)}
                    </option>
                }).collect_view()}
            </select>
            {problem_view(r, "amenity", "report-amenity-error")}
        </div>
    }
}

/// What else is wrong, in the rider's words.
fn text_field(r: Report) -> impl IntoView {
    let (lang, text) = (r.lang, r.text);
    view! {
        <div class="field">
            <label for="report-text">{move || lang.get().t(Msg::ReportDetails)}</label>
            <textarea id="report-text" rows="3" maxlength=MAX_TEXT_CHARS
                aria-invalid=move || r.problems.read().contains_key("text").to_string()
                aria-describedby="report-text-count report-text-error"
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    r.clear("text");
                }>
            </textarea>
            <p class="count muted" id="report-text-count">
                {move || format!("{}/{MAX_TEXT_CHARS}", text.read().chars().count())}
            </p>
            {problem_view(r, "text", "report-text-error")}
        </div>
    }
}
