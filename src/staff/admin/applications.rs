//! `/admin/applications`: the union's membership applications, newest first — filter by status,
//! station and date, open one, approve many at once, export the approved as CSV. Phone numbers
//! are masked here; the full number is only on the opened record (and that opening is logged).
//!
//! The filters live in the page's own query (`?status=&station=&from=&to=`), so going back from
//! a record returns to the same filtered queue.

use std::collections::BTreeSet;

use leptos::prelude::*;
use yizhan_core::{
    ApplicationQuery, ApplicationStatus, ApplicationSummary, BulkDecision, BulkOutcome,
    DecisionKind,
};

use crate::staff::api::{self, use_client, APPLICATIONS_CSV_URL};
use crate::staff::fields::{ErrorNote, LoadState};
use crate::staff::i18n::{
    application_status, bulk_done, confirm_bulk, href, i18n_lang, select_application,
    selected_count, tr, view_application, Lang, Msg,
};
use crate::staff::pages::Page;
use crate::staff::state::use_session;

/// Most rows the server sends; a full page means there may be more.
const LIST_CAP: usize = 1_000;

/// The CSS classes of an application's status badge.
pub fn status_class(s: ApplicationStatus) -> &'static str {
    match s {
        ApplicationStatus::Submitted => "badge app-submitted",
        ApplicationStatus::UnderReview => "badge app-under-review",
        ApplicationStatus::Approved => "badge app-approved",
        ApplicationStatus::Rejected => "badge app-rejected",
        ApplicationStatus::Withdrawn => "badge app-withdrawn",
    }
}

/// The link to one application's record.
pub fn record_link(lang: Lang, id: &str) -> String {
    Page::Application.href(lang, id)
}

/// The queue page's path for `filter`.
fn queue_path(filter: &ApplicationQuery) -> String {
    let query = filter.to_query_string();
    let path = Page::Applications.path("");
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// The ids that a bulk approval would send: ticked and still pending in the list shown, so a
/// row that left the list (other filters, decided meanwhile) is never approved unseen.
fn chosen(list: &[ApplicationSummary], selected: &BTreeSet<String>) -> Vec<String> {
    list.iter()
        .filter(|a| a.status.is_pending() && selected.contains(&a.id))
        .map(|a| a.id.clone())
        .collect()
}

/// The queue's filters from decoded query pairs; a value the page cannot use means any.
fn read_filter<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ApplicationQuery {
    ApplicationQuery::parse(pairs).0
}

/// What the filter form holds, kept in step with the address (back and forward too).
#[derive(Clone, Copy)]
struct FilterForm {
    status: RwSignal<String>,
    station: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    /// `from` is after `to`: nothing is applied until that is fixed.
    dates_reversed: RwSignal<bool>,
}

impl FilterForm {
    fn new() -> FilterForm {
        FilterForm {
            status: RwSignal::new(String::new()),
            station: RwSignal::new(String::new()),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            dates_reversed: RwSignal::new(false),
        }
    }

    /// Shows `f` in the form.
    fn show(self, f: &ApplicationQuery) {
        let text = |v: Option<&str>| v.unwrap_or_default().to_owned();
        self.status
            .set(text(f.status.map(ApplicationStatus::as_str)));
        self.station
            .set(text(f.station.as_ref().map(|s| s.as_str())));
        self.from.set(text(f.from.as_ref().map(|t| t.as_str())));
        self.to.set(text(f.to.as_ref().map(|t| t.as_str())));
    }

    /// The filters as typed, or `None` (and the dates marked) when `from` is after `to`.
    fn read(self) -> Option<ApplicationQuery> {
        let f = read_filter([
            ("status", self.status.get_untracked().as_str()),
            ("station", self.station.get_untracked().as_str()),
            ("from", self.from.get_untracked().as_str()),
            ("to", self.to.get_untracked().as_str()),
        ]);
        let reversed = matches!((&f.from, &f.to), (Some(a), Some(b)) if a.start() > b.start());
        self.dates_reversed.set(reversed);
        (!reversed).then_some(f)
    }
}

/// The answer the queue is showing.
type Queue = LocalResource<Result<Vec<ApplicationSummary>, api::Error>>;

/// Bulk approval: the ticks, the question, and what came of it.
#[derive(Clone, Copy)]
struct Bulk {
    selected: RwSignal<BTreeSet<String>>,
    confirming: RwSignal<bool>,
    nothing_selected: RwSignal<bool>,
    outcome: RwSignal<Option<BulkOutcome>>,
    error: RwSignal<Option<api::Error>>,
}

impl Bulk {
    fn new() -> Self {
        Bulk {
            selected: RwSignal::new(BTreeSet::new()),
            confirming: RwSignal::new(false),
            nothing_selected: RwSignal::new(false),
            outcome: RwSignal::new(None),
            error: RwSignal::new(None),
        }
    }

    /// Approves the ids given.
    fn action(self, client: api::Client) -> Action<Vec<String>, ()> {
        Action::new_local(move |ids: &Vec<String>| {
            let body = BulkDecision {
                ids: ids.clone(),
                decision: DecisionKind::Approve,
                reason: None,
            };
            async move {
                match client.decide_applications(&body).await {
                    Ok(o) => {
                        self.selected.set(BTreeSet::new());
                        self.confirming.set(false);
                        self.outcome.set(Some(o));
                    }
                    Err(e) => self.error.set(Some(e)),
                }
            }
        })
    }

    /// Ticks on rows new filters may hide must not be approved later unseen.
    fn forget(self) {
        self.selected.set(BTreeSet::new());
        self.confirming.set(false);
        self.outcome.set(None);
    }

    /// Asks to confirm the approval of what is ticked in `shown`; false when nothing is.
    fn ask(self, shown: &[ApplicationSummary]) -> bool {
        self.outcome.set(None);
        self.error.set(None);
        let n = self.selected.with_untracked(|s| chosen(shown, s).len());
        self.nothing_selected.set(n == 0);
        self.confirming.set(n > 0);
        n > 0
    }

    /// Sends the approval of what is ticked in `shown`, unless nothing is any more.
    fn approve(self, shown: &[ApplicationSummary], action: Action<Vec<String>, ()>) {
        let ids = self.selected.with_untracked(|s| chosen(shown, s));
        if ids.is_empty() {
            self.confirming.set(false);
            self.nothing_selected.set(true);
        } else {
            action.dispatch(ids);
        }
    }
}

/// The page.
#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let location = crate::shared::route::use_location();
    let query = location.query();
    let filter = Memo::new(move |_| {
        query.with(|q| read_filter(q.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
    });

    let form = FilterForm::new();
    Effect::new(move |_| filter.with(|f| form.show(f)));

    let bulk = Bulk::new();
    let approve = bulk.action(client);
    let data = LocalResource::new(move || {
        session.epoch();
        approve.version().get();
        let f = filter.get();
        async move { client.applications(&f).await }
    });
    let stations = LocalResource::new(move || {
        session.epoch();
        async move { client.admin_stations().await }
    });
    let apply = move |f: ApplicationQuery| {
        bulk.forget();
        if filter.get_untracked() == f {
            // The same filters again: the address stays, so load afresh by hand.
            data.refetch();
        } else {
            location.navigate(&href(lang.get_untracked(), &queue_path(&f)), false);
        }
    };

    view! {
        <h1>{tr(lang, Msg::ApplicationsTitle)}</h1>
        <p class="actions">
            <a class="button secondary" href=APPLICATIONS_CSV_URL download="applications.csv">
                {tr(lang, Msg::ExportApproved)}
            </a>
            <a href=move || Page::ApplicationStats.href(lang.get(), "")>{tr(lang, Msg::StatsLink)}</a>
        </p>
        <FilterFields form=form stations=stations on_apply=apply/>
        {bulk_bar(bulk, approve, data)}
        {move || match data.get() {
            None => Some(view! { <LoadState error=None retry=move || data.refetch()/> }.into_any()),
            Some(Err(e)) => Some(view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any()),
            Some(Ok(l)) if l.is_empty() => {
                Some(view! { <p class="muted">{tr(lang, Msg::NoApplications)}</p> }.into_any())
            }
            Some(Ok(l)) if l.len() >= LIST_CAP => {
                Some(view! { <p class="notice-box">{tr(lang, Msg::ListCapped)}</p> }.into_any())
            }
            Some(Ok(_)) => None,
        }}
        <Show when=move || data.get().is_some_and(|r| r.is_ok_and(|l| !l.is_empty()))>
            <QueueTable list=Signal::derive(move || data.get().and_then(Result::ok).unwrap_or_default())
                selected=bulk.selected/>
        </Show>
    }
}

/// Approve what is ticked: the button, the question, and what came of it.
fn bulk_bar(bulk: Bulk, approve: Action<Vec<String>, ()>, data: Queue) -> impl IntoView {
    let lang = i18n_lang();
    let list = move || data.get().and_then(Result::ok).unwrap_or_default();
    let shown = move || {
        data.get_untracked()
            .and_then(Result::ok)
            .unwrap_or_default()
    };
    let Bulk {
        selected,
        confirming,
        nothing_selected,
        outcome,
        error,
    } = bulk;
    let confirm_button = NodeRef::<leptos::html::Button>::new();
    let ask = move |_| {
        if bulk.ask(&shown()) {
            // The cursor goes to the answer (once shown), so the question is read out with it.
            request_animation_frame(move || {
                if let Some(el) = confirm_button.get_untracked() {
                    let _ = el.focus();
                }
            });
        }
    };
    let count = move || selected.with(|s| chosen(&list(), s).len());
    view! {
        <div class="bulk-bar">
            <button type="button" class="primary" disabled=move || approve.pending().get() on:click=ask
                aria-controls="bulk-confirm" aria-expanded=move || confirming.get().to_string()>
                {tr(lang, Msg::BulkApprove)}
            </button>
            <span class="muted" aria-live="polite">{move || selected_count(lang.get(), count())}</span>
        </div>
        <div id="bulk-confirm" class="confirm-box" role="group" aria-labelledby="bulk-question"
            hidden=move || !confirming.get() || count() == 0>
            <p id="bulk-question">{move || confirm_bulk(lang.get(), count())}</p>
            <div class="actions">
                <button type="button" class="primary" node_ref=confirm_button
                    disabled=move || approve.pending().get()
                    on:click=move |_| bulk.approve(&shown(), approve)>
                    {tr(lang, Msg::ConfirmApprove)}
                </button>
                <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                    {tr(lang, Msg::Cancel)}
                </button>
            </div>
            <ErrorNote error=error/>
        </div>
        <Show when=move || nothing_selected.get() && count() == 0>
            <p class="notice-box warn" role="alert">{tr(lang, Msg::NothingSelected)}</p>
        </Show>
        {move || outcome.get().map(|o| view! {
            <p class="ok" role="status">{move || bulk_done(lang.get(), o.decided, o.skipped.len())}</p>
        })}
    }
}

/// The filters: status, station, dates.
#[component]
fn FilterFields<F>(
    form: FilterForm,
    /// The stations to choose from.
    stations: LocalResource<Result<Vec<yizhan_core::AdminStation>, api::Error>>,
    /// Called with the filters when they are applied.
    on_apply: F,
) -> impl IntoView
where
    F: Fn(ApplicationQuery) + Send + Sync + 'static,
{
    let lang = i18n_lang();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(f) = form.read() {
            on_apply(f);
        }
    };
    // A date limit; editing either clears the "reversed" mark, which names both.
    let date_field = move |id: &'static str, label: Msg, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{tr(lang, label)}</label>
                <input id=id type="date" aria-describedby="filter-dates-error"
                    aria-invalid=move || form.dates_reversed.get().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        form.dates_reversed.set(false);
                    }/>
            </div>
        }
    };
    view! {
        <form class="filters" role="search" on:submit=submit novalidate>
            <div class="field">
                <label for="filter-status">{tr(lang, Msg::ColStatus)}</label>
                <select id="filter-status" prop:value=move || form.status.get()
                    on:change=move |ev| form.status.set(event_target_value(&ev))>
                    <option value="">{tr(lang, Msg::AllStatuses)}</option>
                    {ApplicationStatus::ALL.iter().map(|s| {
                        let s = *s;
                        view! {
                            <option value=s.as_str() selected=move || form.status.get() == s.as_str()>
                                {move || application_status(lang.get(), s)}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-station">{tr(lang, Msg::FilterStation)}</label>
                <select id="filter-station" prop:value=move || form.station.get()
                    on:change=move |ev| form.station.set(event_target_value(&ev))>
                    <option value="">{tr(lang, Msg::AllStations)}</option>
                    {move || stations.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|s| {
                        let id = s.station.id.to_string();
                        let is = id.clone();
                        view! {
                            <option value=id selected=move || form.station.get() == is>{s.station.name}</option>
                        }
                    }).collect_view()}
                </select>
            </div>
            {date_field("filter-from", Msg::DateFrom, form.from)}
            {date_field("filter-to", Msg::DateTo, form.to)}
            <div class="field">
                <button type="submit" class="primary">{tr(lang, Msg::ApplyFilter)}</button>
            </div>
            <p class="field-error" id="filter-dates-error" role="alert" hidden=move || !form.dates_reversed.get()>
                {tr(lang, Msg::DatesReversed)}
            </p>
        </form>
    }
}

/// The table of applications, with a tick box on each pending row.
#[component]
fn QueueTable(
    list: Signal<Vec<ApplicationSummary>>,
    selected: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let lang = i18n_lang();
    let pending_ids = move || {
        list.with(|l| {
            l.iter()
                .filter(|a| a.status.is_pending())
                .map(|a| a.id.clone())
                .collect::<Vec<_>>()
        })
    };
    let all_ticked = move || {
        let ids = pending_ids();
        !ids.is_empty() && selected.with(|s| ids.iter().all(|id| s.contains(id)))
    };
    let tick_all = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let ids = pending_ids();
        selected.update(|s| {
            for id in ids {
                if on {
                    s.insert(id);
                } else {
                    s.remove(&id);
                }
            }
        });
    };
    view! {
        <table class="data queue">
            <thead>
                <tr>
                    <th scope="col">
                        <label class="check">
                            <input type="checkbox" prop:checked=all_ticked on:change=tick_all
                                disabled=move || pending_ids().is_empty()/>
                            <span class="sr-only">{tr(lang, Msg::SelectAllPending)}</span>
                        </label>
                    </th>
                    <th scope="col">{tr(lang, Msg::ColReference)}</th>
                    <th scope="col">{tr(lang, Msg::ColApplicant)}</th>
                    <th scope="col">{tr(lang, Msg::ColPhone)}</th>
                    <th scope="col">{tr(lang, Msg::ColStation)}</th>
                    <th scope="col">{tr(lang, Msg::ColStatus)}</th>
                    <th scope="col">{tr(lang, Msg::ColSubmitted)}</th>
                    <th scope="col">{tr(lang, Msg::ColActions)}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    let l = lang.get();
                    list.get().into_iter().map(|a| view! { <QueueRow a=a lang=l selected=selected/> }).collect_view()
                }}
            </tbody>
        </table>
    }
}

/// One application in the queue.
#[component]
fn QueueRow(
    a: ApplicationSummary,
    lang: Lang,
    selected: RwSignal<BTreeSet<String>>,
) -> impl IntoView {
    let reference = a.reference.as_str().to_owned();
    let tick = a.status.is_pending().then(|| {
        let id = a.id.clone();
        let on_id = a.id.clone();
        view! {
            <label class="check">
                <input type="checkbox"
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            if on {
                                s.insert(on_id.clone());
                            } else {
                                s.remove(&on_id);
                            }
                        });
                    }/>
                <span class="sr-only">{select_application(lang, &reference)}</span>
            </label>
        }
    });
    let or_dash = |s: String| if s.is_empty() { "—".to_owned() } else { s };
    view! {
        <tr>
            <td>{tick}</td>
            <td><code>{reference.clone()}</code></td>
            <td>{or_dash(a.name)}</td>
            <td class="phone">{or_dash(a.phone_masked)}</td>
            <td>{a.station.map_or_else(|| "—".to_owned(), |s| s.name)}</td>
            <td><span class=status_class(a.status)>{application_status(lang, a.status)}</span></td>
            <td><time>{a.created_at.beijing().to_string()}</time></td>
            <td>
                <a href=record_link(lang, &a.id) aria-label=view_application(lang, &reference)>
                    {Msg::View.text(lang)}
                </a>
            </td>
        </tr>
    }
}
