//! `/join/status`: follow an application by reference and phone (sent in a POST body, kept in
//! memory only), see its timeline, and act on it — collect the card when approved, correct and
//! resubmit when rejected, withdraw at any time (the personal fields are erased).

use leptos::prelude::*;
use yizhan_core::{
    ApplicationStatus, ApplicationView, ErrorCode, Lookup, NewApplication, NextStep, Phone,
    Resubmit, TimelineEvent,
};

use super::api;
use super::consent::{ConsentStep, Policy};
use super::form::{DetailsStep, Failure, FormState, Problems, Step};
use super::header::Header;
use super::i18n::{
    collect_card, district_union, href, problem, status as status_label, t, tr, use_lang, Lang, Msg,
};
use super::outbox;
use crate::shared::load::Task;
use crate::shared::text_field::TextField;

/// What the status page knows and is doing: plain signals, with the page's actions as methods.
#[derive(Clone, Copy)]
struct StatusState {
    lang: Memo<Lang>,
    reference: RwSignal<String>,
    phone: RwSignal<String>,
    problems: RwSignal<Problems>,
    failure: RwSignal<Option<Failure>>,
    shown: RwSignal<Option<ApplicationView>>,
    flash: RwSignal<Option<Msg>>,
    confirming: RwSignal<bool>,
    correcting: RwSignal<bool>,
    /// The pair that opened the application, for withdrawing and resubmitting: memory only.
    opened: StoredValue<Option<Lookup>>,
    form: FormState,
    policy: Policy,
    lookup: Task,
    withdraw: Task,
    resubmit: Task,
}

impl StatusState {
    fn new() -> Self {
        Self {
            lang: use_lang(),
            // Only the last reference is kept on the phone; the phone number never is.
            reference: RwSignal::new(
                outbox::last_receipt()
                    .map(|l| l.reference.to_string())
                    .unwrap_or_default(),
            ),
            phone: RwSignal::new(String::new()),
            problems: RwSignal::new(Problems::new()),
            failure: RwSignal::new(None),
            shown: RwSignal::new(None),
            flash: RwSignal::new(None),
            confirming: RwSignal::new(false),
            correcting: RwSignal::new(false),
            opened: StoredValue::new(None),
            form: FormState::new(NewApplication::default(), false),
            policy: Policy::kept(),
            lookup: Task::new(),
            withdraw: Task::new(),
            resubmit: Task::new(),
        }
    }

    /// An application the outbox sends while this page is open becomes the one to look up,
    /// unless the rider already typed another reference.
    fn follow_outbox(self) {
        let outbox = outbox::use_outbox();
        let prefilled = StoredValue::new(self.reference.get_untracked());
        Effect::new(move |_| {
            if let outbox::Sending::Sent(r) = outbox.state.get() {
                if self.reference.get_untracked() == prefilled.get_value() {
                    let sent = r.reference.to_string();
                    prefilled.set_value(sent.clone());
                    self.reference.set(sent);
                }
            }
        });
    }

    /// A refusal common to every action here.
    fn refused(self, e: &api::Error) {
        let f = match (e.status(), e.code()) {
            (None, _) => Failure::Msg(Msg::NetworkError),
            (Some(404), _) => Failure::Msg(Msg::NotFound),
            (_, Some(ErrorCode::DuplicateApplication)) => Failure::Msg(Msg::Duplicate),
            (_, Some(ErrorCode::WrongStatus)) => Failure::Msg(Msg::WrongStatus),
            _ => Failure::of(e, Msg::SendFailed),
        };
        self.failure.set(Some(f));
    }

    fn look_up(self) {
        self.failure.set(None);
        self.flash.set(None);
        let typed = Lookup {
            reference: self.reference.get_untracked(),
            phone: self.phone.get_untracked(),
        };
        match typed.validate() {
            Ok((r, p)) => {
                self.problems.set(Problems::new());
                let l = Lookup {
                    reference: r.to_string(),
                    phone: p.as_str().to_owned(),
                };
                let asked = l.clone();
                let lang = self.lang.get_untracked();
                self.lookup
                    .run(async move { api::lookup(&asked, lang).await }, move |r| {
                        self.looked_up(l, r)
                    });
            }
            Err(errors) => self.problems.set(errors),
        }
    }

    fn looked_up(self, l: Lookup, result: Result<ApplicationView, api::Error>) {
        match result {
            Ok(v) => {
                self.opened.set_value(Some(l));
                self.shown.set(Some(v));
                self.failure.set(None);
            }
            Err(e) if !e.fields().is_empty() => self.problems.set(e.fields()),
            Err(e) => {
                self.shown.set(None);
                self.refused(&e);
            }
        }
    }

    fn withdraw(self) {
        if let Some(l) = self.opened.get_value() {
            self.failure.set(None);
            let lang = self.lang.get_untracked();
            self.withdraw
                .run(async move { api::withdraw(&l, lang).await }, move |r| {
                    self.withdrawn(r)
                });
        }
    }

    fn withdrawn(self, result: Result<ApplicationView, api::Error>) {
        self.confirming.set(false);
        match result {
            Ok(v) => {
                self.shown.set(Some(v));
                self.failure.set(None);
            }
            Err(e) => self.refused(&e),
        }
    }

    fn start_correcting(self) {
        let app = self
            .shown
            .with_untracked(|v| v.as_ref().and_then(|v| v.application.clone()));
        let form = self.form;
        form.app.set(app.unwrap_or_default());
        form.problems.set(Problems::new());
        form.agreed.set(false);
        form.step.set(Step::Details);
        self.failure.set(None);
        self.flash.set(None);
        self.policy.fetch(self.lang.get_untracked());
        self.correcting.set(true);
    }

    fn send_correction(self, application: NewApplication) {
        let Some(l) = self.opened.get_value() else {
            return;
        };
        self.failure.set(None);
        let body = Resubmit {
            reference: l.reference,
            phone: l.phone,
            application,
        };
        let sent = body.clone();
        let lang = self.lang.get_untracked();
        self.resubmit
            .run(async move { api::resubmit(&sent, lang).await }, move |r| {
                self.resubmitted(body, r)
            });
    }

    fn resubmitted(self, body: Resubmit, result: Result<ApplicationView, api::Error>) {
        let e = match result {
            Ok(v) => {
                // The application may now carry a corrected phone number: it opens it from now on.
                let phone = Phone::parse(&body.application.phone)
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or(body.phone);
                self.opened.set_value(Some(Lookup {
                    reference: body.reference,
                    phone,
                }));
                self.shown.set(Some(v));
                self.correcting.set(false);
                self.failure.set(None);
                self.flash.set(Some(Msg::Resubmitted));
                return;
            }
            Err(e) => e,
        };
        let fields: Problems = e
            .fields()
            .into_iter()
            .filter_map(|(k, v)| k.strip_prefix("application.").map(|k| (k.to_owned(), v)))
            .collect();
        if !fields.is_empty() {
            if fields.contains_key("consent") {
                self.policy.fetch(self.lang.get_untracked());
            }
            self.failure.set(None);
            self.form.show(fields);
            return;
        }
        if e.code() == Some(ErrorCode::WrongStatus) {
            self.correcting.set(false);
        }
        self.refused(&e);
    }

    /// The union the corrected application goes to: the district's when no station is chosen.
    fn union(self) -> Signal<Option<String>> {
        Signal::derive(move || {
            let station_union = self
                .shown
                .with(|v| v.as_ref().map(|v| v.union.name.clone()));
            self.form.app.with(|a| match &a.district {
                Some(d) if a.station_id.is_none() => Some(district_union(d)),
                _ => station_union,
            })
        })
    }
}

/// The `/join/status` page.
#[component]
pub fn StatusPage() -> impl IntoView {
    let s = StatusState::new();
    s.follow_outbox();
    let lang = s.lang;
    view! {
        <Header title=Msg::StatusTitle scan=false/>
        <main class="page" id="main">
            <Show when=move || !s.correcting.get()>
                <LookupForm s/>
            </Show>
            {move || s.failure.get().map(|f| {
                view! { <p class="error" role="alert">{move || f.text(lang.get())}</p> }
            })}
            {move || s.flash.get().map(|m| view! { <p class="ack" role="status">{tr(lang, m)}</p> })}
            {move || {
                if s.correcting.get() {
                    return view! { <Correction s/> }.into_any();
                }
                s.shown.get().map(|v| view! {
                    <ApplicationCard view=v
                        confirming=s.confirming
                        withdrawing=s.withdraw.pending()
                        on_withdraw=Callback::new(move |()| s.withdraw())
                        on_correct=Callback::new(move |()| s.start_correcting())/>
                }).into_any()
            }}
            <p class="links">
                <a href=move || href(lang.get(), "/join")>{tr(lang, Msg::JoinTitle)}</a>
            </p>
        </main>
    }
}

/// Reference and phone, and the button that looks the application up.
#[component]
fn LookupForm(s: StatusState) -> impl IntoView {
    let lang = s.lang;
    let pending = s.lookup.pending();
    view! {
        <form class="lookup" novalidate on:submit=move |ev| {
            ev.prevent_default();
            s.look_up();
        }>
            <p>{tr(lang, Msg::StatusIntro)}</p>
            {lookup_field(s, "status-reference", "reference", Msg::Reference, Some(Msg::ReferenceHint), s.reference)}
            {lookup_field(s, "status-phone", "phone", Msg::Phone, None, s.phone)}
            <button type="submit" class="primary" disabled=move || pending.get()>
                {move || t(lang.get(), if pending.get() { Msg::LookingUp } else { Msg::LookUp })}
            </button>
        </form>
    }
}

/// One field of the lookup form, with its problem under it.
fn lookup_field(
    s: StatusState,
    id: &'static str,
    name: &'static str,
    label: Msg,
    hint: Option<Msg>,
    value: RwSignal<String>,
) -> impl IntoView {
    let (lang, problems) = (s.lang, s.problems);
    let tel = name == "phone";
    view! {
        <TextField id=id label=tr(lang, label)
            hint=hint.map(|h| tr(lang, h))
            name=Some(name)
            kind=if tel { "tel" } else { "text" }
            inputmode=tel.then_some("numeric")
            autocomplete=Some(if tel { "tel-national" } else { "off" })
            autocapitalize=(!tel).then_some("characters")
            spellcheck=Some("false") maxlength=Some(20)
            value=move || value.get()
            on_input=move |text| {
                value.set(text);
                problems.update(|p| { p.remove(name); });
            }
            invalid=move || problems.read().contains_key(name)>
            <p class="field-error" id=format!("{id}-error") role="alert">
                {move || problems.read().get(name).map(|&c| problem(lang.get(), name, c))}
            </p>
        </TextField>
    }
}

/// A rejected application being corrected: the sign-up form's two steps, then resubmitted.
#[component]
fn Correction(s: StatusState) -> impl IntoView {
    let (lang, form, policy) = (s.lang, s.form, s.policy);
    let union = s.union();
    let send = Callback::new(move |application| s.send_correction(application));
    view! {
        <section class="correcting" aria-labelledby="status-correct-title">
            <h2 id="status-correct-title">{tr(lang, Msg::ResubmitTitle)}</h2>
            {move || match form.step.get() {
                Step::Details => view! { <DetailsStep form/> }.into_any(),
                Step::Consent => view! {
                    <ConsentStep form policy union
                        pending=s.resubmit.pending()
                        failure=s.failure
                        on_submit=send/>
                }.into_any(),
            }}
            <button type="button" class="link" on:click=move |_| {
                s.correcting.set(false);
                s.failure.set(None);
            }>{tr(lang, Msg::Cancel)}</button>
        </section>
    }
}

fn event_view(lang: Memo<Lang>, e: TimelineEvent) -> impl IntoView {
    let code = e.status.as_str();
    view! {
        <li class=format!("event past {code}")>
            <span class="event-status">{move || status_label(lang.get(), e.status)}</span>
            <time datetime=e.at.to_string()>{e.at.beijing().to_string()}</time>
            {e.reason.map(|r| view! { <p class="reason">{tr(lang, Msg::Reason)}{r}</p> })}
        </li>
    }
}

/// One application as its applicant sees it: status, timeline, and what to do next.
#[component]
fn ApplicationCard(
    view: ApplicationView,
    confirming: RwSignal<bool>,
    #[prop(into)] withdrawing: Signal<bool>,
    on_withdraw: Callback<()>,
    on_correct: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let ApplicationView {
        reference,
        status,
        next_step,
        union,
        station,
        timeline,
        ..
    } = view;
    let union_name = union.name.clone();
    let mut events = timeline;
    events.sort_by_key(|e| e.at);
    let next = match next_step {
        NextStep::Wait => view! { <p class="next">{tr(lang, Msg::WaitBody)}</p> }.into_any(),
        NextStep::CollectCard => view! {
            <p class="next approved">{move || collect_card(lang.get(), &union_name)}</p>
        }
        .into_any(),
        NextStep::Resubmit => view! {
            <div class="next rejected">
                <button type="button" class="primary" on:click=move |_| on_correct.run(())>
                    {tr(lang, Msg::Resubmit)}
                </button>
            </div>
        }
        .into_any(),
        NextStep::None => view! { <p class="next">{tr(lang, Msg::WithdrawnBody)}</p> }.into_any(),
    };
    view! {
        <section class="application" aria-labelledby="status-title">
            <h2 id="status-title">
                {tr(lang, Msg::Reference)}" "<span class="ref" translate="no">{reference.to_string()}</span>
            </h2>
            <p class=format!("status-now {}", status.as_str()) id="status-now">
                {move || status_label(lang.get(), status)}
            </p>
            <dl class="facts">
                <dt>{tr(lang, Msg::Union)}</dt>
                <dd>{union.name}</dd>
                {station.map(|s| view! {
                    <dt>{tr(lang, Msg::Station)}</dt>
                    <dd>{s.name}</dd>
                })}
            </dl>
            <h3>{tr(lang, Msg::Progress)}</h3>
            {timeline_view(lang, events, status)}
            {next}
            <Show when=move || status != ApplicationStatus::Withdrawn>
                <WithdrawBox confirming withdrawing on_withdraw/>
            </Show>
        </section>
    }
}

/// What happened so far, then the steps still ahead, greyed: "under review" until the union
/// opens it, then the decision.
fn timeline_view(
    lang: Memo<Lang>,
    events: Vec<TimelineEvent>,
    status: ApplicationStatus,
) -> impl IntoView {
    let review_ahead = status == ApplicationStatus::Submitted;
    let decision_ahead = status.is_pending();
    view! {
        <ol class="timeline">
            {events.into_iter().map(|e| event_view(lang, e)).collect_view()}
            {review_ahead.then(|| view! {
                <li class="event todo">
                    <span class="event-status">{move || status_label(lang.get(), ApplicationStatus::UnderReview)}</span>
                    <span class="muted">{tr(lang, Msg::Pending)}</span>
                </li>
            })}
            {decision_ahead.then(|| view! {
                <li class="event todo">
                    <span class="event-status">{tr(lang, Msg::Decision)}</span>
                    <span class="muted">{tr(lang, Msg::Pending)}</span>
                </li>
            })}
        </ol>
    }
}

/// Withdraw, asked twice: the personal fields are erased.
#[component]
fn WithdrawBox(
    confirming: RwSignal<bool>,
    withdrawing: Signal<bool>,
    on_withdraw: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="withdraw">
            <Show when=move || confirming.get() fallback=move || view! {
                <button type="button" class="secondary" on:click=move |_| confirming.set(true)>
                    {tr(lang, Msg::Withdraw)}
                </button>
            }>
                <div class="confirm" role="alertdialog" aria-labelledby="status-withdraw-warning">
                    <p id="status-withdraw-warning">{tr(lang, Msg::WithdrawWarning)}</p>
                    <div class="actions">
                        <button type="button" class="danger" disabled=move || withdrawing.get()
                            on:click=move |_| on_withdraw.run(())>
                            {move || t(lang.get(), if withdrawing.get() { Msg::Withdrawing } else { Msg::ConfirmWithdraw })}
                        </button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                            {tr(lang, Msg::Cancel)}
                        </button>
                    </div>
                </div>
            </Show>
        </div>
    }
}
