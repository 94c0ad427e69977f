//! `/admin/applications/{id}`: one application in full — the only place the whole phone number
//! shows. Opening it is written to the audit log by the server (and moves a `submitted`
//! application to `under_review`, which the applicant sees). While it is pending the admin
//! approves it, or rejects it with a reason the applicant reads.

use leptos::prelude::*;
use yizhan_core::application::MAX_REASON_CHARS;
use yizhan_core::{ApplicationRecord, ApplicationStatus, Decision, DecisionKind};

use super::applications::status_class;
use crate::staff::api::{self, use_client};
use crate::staff::fields::{clear, ErrorNote, FieldError, LoadState, Problems};
use crate::staff::i18n::{
    application_heading, application_status, chars_left, district_only, employer, i18n_lang,
    occupation, tr, Lang, Msg,
};
use crate::staff::load::Phase;
use crate::staff::pages::Page;
use crate::staff::state::use_session;

/// The page.
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let id = crate::staff::pages::path_id();
    // One request per visit (and again after signing back in): each is an audited viewing.
    let data = LocalResource::new(move || {
        session.epoch();
        let id = id.get();
        async move { client.application(&id).await }
    });
    let phase = Memo::new(move |_| match data.get() {
        None => Phase::Loading,
        Some(Err(e)) if e.status() == Some(404) => Phase::Missing,
        Some(Err(e)) => Phase::Failed(e),
        Some(Ok(r)) => Phase::Ready(r.id),
    });
    view! {
        <p class="back">
            <a href=move || Page::Applications.href(lang.get(), "")>{tr(lang, Msg::BackToApplications)}</a>
        </p>
        <p class="notice-box">{tr(lang, Msg::ViewIsAudited)}</p>
        {move || match phase.get() {
            Phase::Loading => view! { <LoadState error=None retry=move || data.refetch()/> }.into_any(),
            Phase::Failed(e) => view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any(),
            Phase::Missing => view! {
                <p class="error-box" role="alert">{tr(lang, Msg::NoSuchApplication)}</p>
            }.into_any(),
            Phase::Ready(_) => match data.get_untracked().and_then(Result::ok) {
                Some(r) => view! { <Record record=r/> }.into_any(),
                None => view! { <LoadState error=None retry=move || data.refetch()/> }.into_any(),
            },
        }}
    }
}

/// A decision being made: the record as it stands, the reason typed, and what came of it.
#[derive(Clone, Copy)]
struct Deciding {
    record: RwSignal<ApplicationRecord>,
    rejecting: RwSignal<bool>,
    reason: RwSignal<String>,
    problems: RwSignal<Problems>,
    error: RwSignal<Option<api::Error>>,
    done: RwSignal<Option<Msg>>,
    client: api::Client,
}

impl Deciding {
    fn new(record: ApplicationRecord) -> Self {
        Deciding {
            record: RwSignal::new(record),
            rejecting: RwSignal::new(false),
            reason: RwSignal::new(String::new()),
            problems: RwSignal::new(Problems::new()),
            error: RwSignal::new(None),
            done: RwSignal::new(None),
            client: use_client(),
        }
    }

    /// Sends the decision; on a conflict the record is read again to show how it stands now.
    async fn send(self, body: Decision) {
        let id = self.record.with_untracked(|r| r.id.clone());
        match self.client.decide_application(&id, &body).await {
            Ok(r) => {
                self.done.set(Some(match r.status {
                    ApplicationStatus::Rejected => Msg::RejectedDone,
                    _ => Msg::ApprovedDone,
                }));
                self.record.set(r);
                self.rejecting.set(false);
                self.reason.set(String::new());
            }
            Err(e) => {
                // Decided elsewhere meanwhile (or withdrawn): show how it stands now.
                if e.status() == Some(409) {
                    if let Ok(r) = self.client.application(&id).await {
                        self.record.set(r);
                    }
                }
                self.problems.set(e.fields());
                self.error.set(Some(e));
            }
        }
    }

    /// Checks the decision as the server would, and sends it when nothing is wrong.
    fn decide(self, send: Action<Decision, ()>, body: Decision) {
        self.error.set(None);
        self.done.set(None);
        match body.validate() {
            Ok(_) => {
                self.problems.set(Problems::new());
                send.dispatch(body);
            }
            Err(found) => self.problems.set(found),
        }
    }
}

/// The record, and the decision buttons while it is pending.
#[component]
fn Record(record: ApplicationRecord) -> impl IntoView {
    let lang = i18n_lang();
    let d = Deciding::new(record);
    let Deciding {
        record,
        rejecting,
        error,
        done,
        ..
    } = d;
    let send = Action::new_local(move |body: &Decision| d.send(body.clone()));
    let approve = move |_| {
        rejecting.set(false);
        d.decide(
            send,
            Decision {
                decision: DecisionKind::Approve,
                reason: None,
            },
        );
    };
    let pending = move || record.with(|r| r.status.is_pending());
    let busy = Signal::derive(move || send.pending().get());
    view! {
        <h1>{move || record.with(|r| application_heading(lang.get(), r.reference.as_str()))}</h1>
        {move || done.get().map(|m| view! { <p class="ok" role="status">{tr(lang, m)}</p> })}
        {move || record.with(|r| r.status == ApplicationStatus::Withdrawn).then(|| view! {
            <p class="notice-box">{tr(lang, Msg::WithdrawnErased)}</p>
        })}
        {move || {
            let l = lang.get();
            record.with(|r| view! { <Details r=r.clone() lang=l/> })
        }}
        <Show when=pending>
            <section class="decide" aria-labelledby="decide-title">
                <h2 id="decide-title" class="sr-only">{tr(lang, Msg::DecisionTitle)}</h2>
                <div class="actions">
                    <button type="button" class="primary" disabled=busy on:click=approve>
                        {tr(lang, Msg::Approve)}
                    </button>
                    <button type="button" class="secondary" disabled=busy
                        aria-expanded=move || rejecting.get().to_string() aria-controls="reject-form"
                        on:click=move |_| {
                            error.set(None);
                            rejecting.update(|r| *r = !*r);
                        }>
                        {tr(lang, Msg::Reject)}
                    </button>
                </div>
                <Show when=move || rejecting.get()>
                    {reject_form(d, send, busy)}
                </Show>
            </section>
        </Show>
        <ErrorNote error=error/>
    }
}

/// The reason for a rejection, and the button that sends it.
fn reject_form(d: Deciding, send: Action<Decision, ()>, busy: Signal<bool>) -> impl IntoView {
    let lang = i18n_lang();
    let Deciding {
        reason, problems, ..
    } = d;
    let reject = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        d.decide(
            send,
            Decision {
                decision: DecisionKind::Reject,
                reason: Some(reason.get_untracked()),
            },
        );
    };
    let reason_box = NodeRef::<leptos::html::Textarea>::new();
    // Revealing the reason box moves the cursor into it.
    Effect::new(move |_| {
        if reason_box.get().is_some() {
            request_animation_frame(move || {
                if let Some(el) = reason_box.get_untracked() {
                    let _ = el.focus();
                }
            });
        }
    });
    view! {
        <form id="reject-form" class="reject-form" on:submit=reject novalidate>
            <div class="field">
                <label for="reject-reason">{tr(lang, Msg::Reason)}</label>
                <p class="hint" id="reject-reason-hint">{tr(lang, Msg::ReasonHint)}</p>
                <textarea id="reject-reason" rows="3" maxlength=MAX_REASON_CHARS required
                    node_ref=reason_box
                    aria-describedby="reject-reason-hint reject-reason-count reject-reason-error"
                    aria-invalid=move || problems.with(|p| p.contains_key("reason")).to_string()
                    prop:value=move || reason.get()
                    on:input=move |ev| {
                        reason.set(event_target_value(&ev));
                        clear(problems, "reason");
                    }>
                </textarea>
                <p class="count muted" id="reject-reason-count">
                    {move || chars_left(lang.get(), MAX_REASON_CHARS.saturating_sub(reason.with(|r| r.chars().count())))}
                </p>
                <FieldError problems=problems field="reason" id="reject-reason-error".to_owned()/>
            </div>
            <button type="submit" class="primary" disabled=busy>{tr(lang, Msg::ConfirmReject)}</button>
        </form>
    }
}

/// `text`, or a dash when empty (a withdrawn application's erased fields).
fn or_dash(text: &str) -> String {
    if text.is_empty() {
        "—".to_owned()
    } else {
        text.to_owned()
    }
}

/// "其他（曹操出行）" for an "other" choice with its text.
fn with_other(label: &str, other: Option<&str>) -> String {
    match other {
        Some(o) if !o.is_empty() => format!("{label}（{o}）"),
        _ => label.to_owned(),
    }
}

/// The fields, the decision and the history.
#[component]
fn Details(r: ApplicationRecord, lang: Lang) -> impl IntoView {
    let t = |m: Msg| m.text(lang);
    let where_from = match (&r.station, &r.district) {
        (Some(s), _) => s.name.clone(),
        (None, Some(d)) => district_only(lang, d),
        (None, None) => "—".to_owned(),
    };
    let employer_text = r.employer.map_or_else(
        || "—".to_owned(),
        |e| with_other(employer(lang, e), r.employer_other.as_deref()),
    );
    let occupation_text = r.occupation.map_or_else(
        || "—".to_owned(),
        |o| with_other(occupation(lang, o), r.occupation_other.as_deref()),
    );
    let decided =
        r.status == ApplicationStatus::Approved || r.status == ApplicationStatus::Rejected;
    view! {
        <dl class="record">
            <dt>{t(Msg::FieldReference)}</dt>
            <dd><code>{r.reference.as_str().to_owned()}</code></dd>
            <dt>{t(Msg::ColStatus)}</dt>
            <dd><span class=status_class(r.status)>{application_status(lang, r.status)}</span></dd>
            <dt>{t(Msg::FieldApplicant)}</dt>
            <dd>{or_dash(&r.name)}</dd>
            <dt>{t(Msg::FieldMobile)}</dt>
            <dd class="phone">{or_dash(&r.phone)}</dd>
            <dt>{t(Msg::FieldEmployer)}</dt>
            <dd>{employer_text}</dd>
            <dt>{t(Msg::FieldOccupation)}</dt>
            <dd>{occupation_text}</dd>
            <dt>{t(Msg::FieldWorkDistrict)}</dt>
            <dd>{or_dash(&r.work_district)}</dd>
            <dt>{t(Msg::FieldStationOrDistrict)}</dt>
            <dd>{where_from}</dd>
            <dt>{t(Msg::FieldReceivingUnion)}</dt>
            <dd>{r.union.name.clone()}</dd>
            <dt>{t(Msg::FieldSubmittedAt)}</dt>
            <dd><time>{r.created_at.beijing().to_string()}</time></dd>
            <dt>{t(Msg::FieldPolicyVersion)}</dt>
            <dd>{or_dash(&r.policy_version)}</dd>
            <dt>{t(Msg::FieldConsentedAt)}</dt>
            <dd><time>{r.consented_at.beijing().to_string()}</time></dd>
        </dl>
        {decided.then(|| view! {
            <section class="decision" aria-labelledby="decision-title">
                <h2 id="decision-title">{t(Msg::DecisionTitle)}</h2>
                <dl class="record">
                    <dt>{t(Msg::ColStatus)}</dt>
                    <dd><span class=status_class(r.status)>{application_status(lang, r.status)}</span></dd>
                    {r.decided_at.map(|at| view! {
                        <dt>{t(Msg::DecidedAt)}</dt>
                        <dd><time>{at.beijing().to_string()}</time></dd>
                    })}
                    {r.decided_by.clone().map(|by| view! {
                        <dt>{t(Msg::DecidedBy)}</dt>
                        <dd>{by}</dd>
                    })}
                    {r.reason.clone().map(|why| view! {
                        <dt>{t(Msg::Reason)}</dt>
                        <dd class="reason">{why}</dd>
                    })}
                </dl>
            </section>
        })}
        <section aria-labelledby="history-title">
            <h2 id="history-title">{t(Msg::History)}</h2>
            <ol class="timeline">
                {r.timeline.into_iter().map(|e| view! {
                    <li>
                        <span class=status_class(e.status)>{application_status(lang, e.status)}</span>
                        " "
                        <time>{e.at.beijing().to_string()}</time>
                        {e.reason.map(|why| view! {
                            <p class="reason"><span class="muted">{t(Msg::Reason)}"："</span>{why}</p>
                        })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
