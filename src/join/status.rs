//! `/join/status`: follow an application by reference and phone (sent in a POST body, kept in
//! memory only), see its timeline, and act on it — collect the card when approved, correct and
//! resubmit when rejected, withdraw at any time (the personal fields are erased).

use leptos::prelude::*;
use yizhan_core::{
    ApplicationStatus, ApplicationView, Lookup, NewApplication, NextStep, Phone, Resubmit,
    TimelineEvent,
};

use super::api;
use super::consent::{ConsentStep, Policy};
use super::form::{DetailsStep, Failure, FormState, Problems, Step};
use super::i18n::{
    collect_card, district_union, href, problem, status as status_label, t, tr, use_lang, Lang, Msg,
};
use super::outbox;
use super::Header;
use crate::components::text_field::TextField;
use crate::load::Task;

/// The `/join/status` page.
#[component]
pub fn StatusPage() -> impl IntoView {
    let lang = use_lang();
    // Only the last reference is kept on the phone; the phone number never is.
    let reference = RwSignal::new(
        outbox::last_receipt()
            .map(|l| l.reference.to_string())
            .unwrap_or_default(),
    );
    // An application the outbox sends while this page is open becomes the one to look up,
    // unless the rider already typed another reference.
    let outbox = outbox::use_outbox();
    let prefilled = StoredValue::new(reference.get_untracked());
    Effect::new(move |_| {
        if let outbox::Sending::Sent(r) = outbox.state.get() {
            if reference.get_untracked() == prefilled.get_value() {
                let sent = r.reference.to_string();
                prefilled.set_value(sent.clone());
                reference.set(sent);
            }
        }
    });
    let phone = RwSignal::new(String::new());
    let problems = RwSignal::new(Problems::new());
    let failure = RwSignal::new(None::<Failure>);
    let shown = RwSignal::new(None::<ApplicationView>);
    let flash = RwSignal::new(None::<Msg>);
    let confirming = RwSignal::new(false);
    let correcting = RwSignal::new(false);
    // The pair that opened the application, for withdrawing and resubmitting: memory only.
    let opened = StoredValue::new(None::<Lookup>);
    let form = FormState::new(NewApplication::default(), false);
    let policy = Policy::kept();

    // A refusal common to every action here.
    let refused = move |e: &api::Error| {
        let f = match (e.status(), e.code()) {
            (None, _) => Failure::Msg(Msg::NetworkError),
            (Some(404), _) => Failure::Msg(Msg::NotFound),
            (_, Some("duplicate_application")) => Failure::Msg(Msg::Duplicate),
            (_, Some("wrong_status")) => Failure::Msg(Msg::WrongStatus),
            _ => Failure::of(e, Msg::SendFailed),
        };
        failure.set(Some(f));
    };

    let lookup = Task::new();
    let looked_up = move |l: Lookup, result: Result<ApplicationView, api::Error>| match result {
        Ok(v) => {
            opened.set_value(Some(l));
            shown.set(Some(v));
            failure.set(None);
        }
        Err(e) if !e.fields().is_empty() => problems.set(e.fields()),
        Err(e) => {
            shown.set(None);
            refused(&e);
        }
    };

    let withdraw = Task::new();
    let withdrawn = move |result: Result<ApplicationView, api::Error>| {
        confirming.set(false);
        match result {
            Ok(v) => {
                shown.set(Some(v));
                failure.set(None);
            }
            Err(e) => refused(&e),
        }
    };

    let resubmit = Task::new();
    let resubmitted = move |body: Resubmit, result: Result<ApplicationView, api::Error>| {
        match result {
            Ok(v) => {
                // The application may now carry a corrected phone number: it opens it from now on.
                let phone = Phone::parse(&body.application.phone)
                    .map(|p| p.as_str().to_owned())
                    .unwrap_or(body.phone);
                opened.set_value(Some(Lookup {
                    reference: body.reference,
                    phone,
                }));
                shown.set(Some(v));
                correcting.set(false);
                failure.set(None);
                flash.set(Some(Msg::Resubmitted));
            }
            Err(e) => {
                let fields: Problems = e
                    .fields()
                    .into_iter()
                    .filter_map(|(k, v)| k.strip_prefix("application.").map(|k| (k.to_owned(), v)))
                    .collect();
                if !fields.is_empty() {
                    if fields.contains_key("consent") {
                        policy.fetch(lang.get_untracked());
                    }
                    failure.set(None);
                    form.show(fields);
                    return;
                }
                if e.code() == Some("wrong_status") {
                    correcting.set(false);
                }
                refused(&e);
            }
        }
    };

    let look_up = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        flash.set(None);
        let typed = Lookup {
            reference: reference.get_untracked(),
            phone: phone.get_untracked(),
        };
        match typed.validate() {
            Ok((r, p)) => {
                problems.set(Problems::new());
                let l = Lookup {
                    reference: r.to_string(),
                    phone: p.as_str().to_owned(),
                };
                let asked = l.clone();
                let lang = lang.get_untracked();
                lookup.run(async move { api::lookup(&asked, lang).await }, move |r| {
                    looked_up(l, r)
                });
            }
            Err(errors) => problems.set(
                errors
                    .into_iter()
                    .map(|(f, c)| (f, c.as_str().to_owned()))
                    .collect(),
            ),
        }
    };
    let start_correcting = move || {
        let app = shown.with_untracked(|v| v.as_ref().and_then(|v| v.application.clone()));
        form.app.set(app.unwrap_or_default());
        form.problems.set(Problems::new());
        form.agreed.set(false);
        form.step.set(Step::Details);
        failure.set(None);
        flash.set(None);
        policy.fetch(lang.get_untracked());
        correcting.set(true);
    };
    let send_correction = Callback::new(move |application: NewApplication| {
        let Some(l) = opened.get_value() else {
            return;
        };
        failure.set(None);
        let body = Resubmit {
            reference: l.reference,
            phone: l.phone,
            application,
        };
        let sent = body.clone();
        let lang = lang.get_untracked();
        resubmit.run(async move { api::resubmit(&sent, lang).await }, move |r| {
            resubmitted(body, r)
        });
    });
    let union = Signal::derive(move || {
        let station_union = shown.with(|v| v.as_ref().map(|v| v.union.name.clone()));
        form.app.with(|a| match &a.district {
            Some(d) if a.station_id.is_none() => Some(district_union(d)),
            _ => station_union,
        })
    });

    let field = move |id: &'static str,
                      name: &'static str,
                      label: Msg,
                      hint: Option<Msg>,
                      value: RwSignal<String>| {
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
                    {move || problems.read().get(name).map(|c| problem(lang.get(), name, c))}
                </p>
            </TextField>
        }
    };

    let failure_view = move || {
        failure.get().map(|f| {
            view! { <p class="error" role="alert">{move || f.text(lang.get())}</p> }
        })
    };

    view! {
        <Header title=Msg::StatusTitle scan=false/>
        <main class="page" id="main">
            <Show when=move || !correcting.get()>
                <form class="lookup" novalidate on:submit=look_up>
                    <p>{tr(lang, Msg::StatusIntro)}</p>
                    {field("status-reference", "reference", Msg::Reference, Some(Msg::ReferenceHint), reference)}
                    {field("status-phone", "phone", Msg::Phone, None, phone)}
                    <button type="submit" class="primary" disabled=move || lookup.pending().get()>
                        {move || t(lang.get(), if lookup.pending().get() { Msg::LookingUp } else { Msg::LookUp })}
                    </button>
                </form>
            </Show>
            {failure_view}
            {move || flash.get().map(|m| view! { <p class="ack" role="status">{tr(lang, m)}</p> })}
            {move || {
                if correcting.get() {
                    return view! {
                        <section class="correcting" aria-labelledby="status-correct-title">
                            <h2 id="status-correct-title">{tr(lang, Msg::ResubmitTitle)}</h2>
                            {move || match form.step.get() {
                                Step::Details => view! { <DetailsStep form/> }.into_any(),
                                Step::Consent => view! {
                                    <ConsentStep form policy union
                                        pending=resubmit.pending()
                                        failure=failure
                                        on_submit=send_correction/>
                                }.into_any(),
                            }}
                            <button type="button" class="link" on:click=move |_| {
                                correcting.set(false);
                                failure.set(None);
                            }>{tr(lang, Msg::Cancel)}</button>
                        </section>
                    }.into_any();
                }
                shown.get().map(|v| view! {
                    <ApplicationCard view=v
                        confirming
                        withdrawing=withdraw.pending()
                        on_withdraw=Callback::new(move |()| {
                            if let Some(l) = opened.get_value() {
                                failure.set(None);
                                let lang = lang.get_untracked();
                                withdraw.run(async move { api::withdraw(&l, lang).await }, withdrawn);
                            }
                        })
                        on_correct=Callback::new(move |()| start_correcting())/>
                }).into_any()
            }}
            <p class="links">
                <a href=move || href(lang.get(), "/join")>{tr(lang, Msg::JoinTitle)}</a>
            </p>
        </main>
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
    // Steps still ahead, greyed: "under review" until the union opens it, then the decision.
    let review_ahead = status == ApplicationStatus::Submitted;
    let decision_ahead = status.is_pending();
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
            {next}
            <Show when=move || status != ApplicationStatus::Withdrawn>
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
            </Show>
        </section>
    }
}
