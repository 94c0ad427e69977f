//! A station's inbox: riders' reports, newest first, each answered with a short reply that
//! riders then see on the station page.

use leptos::prelude::*;
use yizhan_core::staff::MAX_REPLY_CHARS;
use yizhan_core::{InboxReport, Resolve};

use crate::staff::api::{self, use_client};
use crate::staff::fields::{clear, ErrorNote, FieldError, LoadState, Problems};
use crate::staff::i18n::{amenity, i18n_lang, report_kind, tr, Msg};
use crate::staff::state::use_session;

/// The reports about one station.
#[component]
pub fn Inbox(
    /// The station.
    station_id: String,
) -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let station = StoredValue::new(station_id);
    let data = LocalResource::new(move || {
        session.epoch();
        let id = station.get_value();
        async move { client.reports(Some(&id)).await }
    });
    // Rows are keyed by report id, so loading again keeps replies being typed.
    let reports = move || data.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <section class="inbox" aria-labelledby="inbox-title">
            <h2 id="inbox-title">{tr(lang, Msg::Inbox)}</h2>
            {move || match data.get() {
                None => Some(view! { <LoadState error=None retry=move || data.refetch()/> }.into_any()),
                Some(Err(e)) => Some(view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any()),
                Some(Ok(list)) if list.is_empty() => {
                    Some(view! { <p class="muted">{tr(lang, Msg::NoReports)}</p> }.into_any())
                }
                Some(Ok(_)) => None,
            }}
            <ul class="reports">
                <For each=reports key=|r| r.id.clone() let:report>
                    <ReportItem report=report/>
                </For>
            </ul>
        </section>
    }
}

/// One report, with its reply box while open.
#[component]
fn ReportItem(report: InboxReport) -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let item = RwSignal::new(report);
    let reply = RwSignal::new(String::new());
    let problems = RwSignal::new(Problems::new());
    let error = RwSignal::new(None::<api::Error>);
    let base = item.with_untracked(|r| format!("reply-{}", r.id));
    let error_id = format!("{base}-error");
    let send = Action::new_local(move |body: &Resolve| {
        let body = body.clone();
        let id = item.with_untracked(|r| r.id.clone());
        async move {
            match client.resolve(&id, &body).await {
                Ok(r) => item.set(r),
                Err(e) => {
                    problems.set(e.fields());
                    error.set(Some(e));
                }
            }
        }
    });
    let resolve = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let body = Resolve {
            reply: reply.get_untracked(),
        };
        match body.validate() {
            Ok(_) => {
                problems.set(Problems::new());
                send.dispatch(body);
            }
            Err(found) => problems.set(found),
        }
    };
    let header = move || {
        item.with(|r| {
            let l = lang.get();
            let mut what = report_kind(l, r.kind).to_owned();
            if let Some(a) = r.amenity {
                what.push_str(" · ");
                what.push_str(amenity(l, a));
            }
            (what, r.created_at.beijing().to_string())
        })
    };
    view! {
        <li class="report" class:resolved=move || item.with(|r| r.resolved_at.is_some())>
            <p class="report-head">
                <strong>{move || header().0}</strong>
                " "
                <time class="muted">{move || header().1}</time>
            </p>
            {move || item.with(|r| r.text.clone()).map(|t| view! { <p class="report-text">{t}</p> })}
            {move || match item.with(|r| (r.resolved_at, r.reply.clone())) {
                (Some(at), reply_text) => view! {
                    <p class="ok">{tr(lang, Msg::Resolved)}" · "{at.beijing().to_string()}</p>
                    {reply_text.map(|t| view! {
                        <p class="reply"><span class="muted">{tr(lang, Msg::Reply)}"："</span>{t}</p>
                    })}
                }.into_any(),
                (None, _) => {
                    let base = base.clone();
                    let error_id = error_id.clone();
                    view! {
                        <p class="badge badge-expired">{tr(lang, Msg::Unresolved)}</p>
                        <form class="reply-form" on:submit=resolve novalidate>
                            <div class="field">
                                <label for=base.clone()>{tr(lang, Msg::Reply)}</label>
                                <textarea id=base rows="2" maxlength=MAX_REPLY_CHARS
                                    aria-describedby=error_id.clone()
                                    aria-invalid=move || problems.with(|p| p.contains_key("reply")).to_string()
                                    prop:value=move || reply.get()
                                    on:input=move |ev| {
                                        reply.set(event_target_value(&ev));
                                        clear(problems, "reply");
                                    }>
                                </textarea>
                                <FieldError problems=problems field="reply" id=error_id/>
                            </div>
                            <ErrorNote error=error/>
                            <button type="submit" class="primary" disabled=move || send.pending().get()>
                                {tr(lang, Msg::MarkResolved)}
                            </button>
                        </form>
                    }.into_any()
                }
            }}
        </li>
    }
}
