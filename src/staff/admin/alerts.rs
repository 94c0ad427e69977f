//! `/admin/alerts`: a union's group-chat robot (群机器人). Its admins paste the robot's address
//! from WeCom (企业微信) or DingTalk (钉钉); new fault reports on the union's stations and
//! stations whose status went stale are then posted to the group, and the latest posts are
//! listed here with whether the robot took them.

use leptos::prelude::*;
use yizhan_core::{
    DeliveryState, WebhookDelivery, WebhookDraft, WebhookEvent, WebhookFormat, WebhookView,
};

use crate::staff::api::{self, use_client};
use crate::staff::fields::{ErrorNote, Problems, TextField};
use crate::staff::i18n::{i18n_lang, tr, Lang, Msg};

use super::union_picker::{own_union, UnionPicker};

/// The robot form as edited: the address (never filled back in: the server keeps the key)
/// and the format.
#[derive(Clone, Copy)]
struct RobotForm {
    url: RwSignal<String>,
    format: RwSignal<WebhookFormat>,
}

impl RobotForm {
    fn new(format: Option<WebhookFormat>) -> RobotForm {
        RobotForm {
            url: RwSignal::new(String::new()),
            format: RwSignal::new(format.unwrap_or(WebhookFormat::Wecom)),
        }
    }

    fn draft(self) -> WebhookDraft {
        WebhookDraft {
            url: self.url.get_untracked(),
            format: self.format.get_untracked(),
        }
    }
}

fn format_name(lang: Lang, f: WebhookFormat) -> &'static str {
    match f {
        WebhookFormat::Wecom => Msg::RobotWecom.text(lang),
        WebhookFormat::Dingtalk => Msg::RobotDingtalk.text(lang),
        WebhookFormat::Json => Msg::RobotJson.text(lang),
    }
}

/// The page: which union, its robot, and the latest posts.
#[component]
pub fn AlertsPage() -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let union = own_union();
    let epoch = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<Msg>);
    let robot = LocalResource::new(move || {
        let u = union.get();
        epoch.get();
        async move { client.union_webhook(&u).await }
    });
    view! {
        <h1>{tr(lang, Msg::RobotTitle)}</h1>
        <p class="muted">{tr(lang, Msg::RobotIntro)}</p>
        <UnionPicker id="alerts-union" union=union/>
        {move || notice.get().map(|m| view! { <p class="ok" role="status">{m.text(lang.get())}</p> })}
        {move || match robot.get() {
            None => view! { <p role="status">{tr(lang, Msg::Loading)}</p> }.into_any(),
            Some(Err(e)) => {
                let error = RwSignal::new(Some(e));
                view! { <ErrorNote error=error/> }.into_any()
            }
            Some(Ok(v)) => view! {
                <RobotEditor union=union.get_untracked() view=v.clone()
                    changed=Callback::new(move |m| {
                        notice.set(Some(m));
                        epoch.update(|n| *n += 1);
                    })/>
                <Deliveries list=v.deliveries/>
            }.into_any(),
        }}
    }
}

/// The robot now, and the form that sets, tests or removes it.
#[component]
fn RobotEditor(union: String, view: WebhookView, changed: Callback<Msg>) -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let form = RobotForm::new(view.format);
    let problems = RwSignal::new(Problems::new());
    let error = RwSignal::new(None::<api::Error>);
    let union = StoredValue::new(union);
    let call = Action::new_local(move |what: &Call| {
        let what = what.clone();
        async move {
            let u = union.get_value();
            let done = match &what {
                Call::Save(draft) => client
                    .set_union_webhook(&u, draft)
                    .await
                    .map(|_| Msg::RobotSaved),
                Call::Test => client
                    .test_union_webhook(&u)
                    .await
                    .map(|()| Msg::RobotTestQueued),
                Call::Remove => client
                    .remove_union_webhook(&u)
                    .await
                    .map(|()| Msg::RobotRemoved),
            };
            match done {
                Ok(m) => changed.run(m),
                Err(e) => {
                    problems.set(e.fields());
                    error.set(Some(e));
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        // The server decides whether plain http is allowed; the browser checks the rest.
        match form.draft().validate(true) {
            Ok(draft) => {
                problems.set(Problems::new());
                call.dispatch(Call::Save(draft));
            }
            Err(found) => problems.set(found),
        }
    };
    let has_robot = view.url.is_some();
    let now = view.url.map(|u| {
        let f = view
            .format
            .map(|f| format_name(lang.get_untracked(), f))
            .unwrap_or("");
        format!("{u}（{f}）")
    });
    view! {
        <section aria-labelledby="robot-now">
            <h2 id="robot-now">{tr(lang, Msg::RobotNow)}</h2>
            <p>{now.unwrap_or_else(|| Msg::RobotNone.text(lang.get_untracked()).to_owned())}</p>
            <form on:submit=submit novalidate>
                <FormatChoice format=form.format/>
                <TextField id="robot-url" label=Msg::RobotUrl hint=Msg::RobotUrlHint
                    value=form.url problems=problems field="url" kind="url"/>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || call.pending().get()>
                        {tr(lang, Msg::RobotSave)}
                    </button>
                    {has_robot.then(|| view! {
                        <button type="button" on:click=move |_| { call.dispatch(Call::Test); }>
                            {tr(lang, Msg::RobotTest)}
                        </button>
                        <button type="button" on:click=move |_| { call.dispatch(Call::Remove); }>
                            {tr(lang, Msg::RobotRemove)}
                        </button>
                    })}
                </div>
                <ErrorNote error=error/>
            </form>
        </section>
    }
}

/// What the editor asks the server for.
#[derive(Clone)]
enum Call {
    Save(WebhookDraft),
    Test,
    Remove,
}

/// The three formats, as a labelled list.
#[component]
fn FormatChoice(format: RwSignal<WebhookFormat>) -> impl IntoView {
    let lang = i18n_lang();
    let options = [
        WebhookFormat::Wecom,
        WebhookFormat::Dingtalk,
        WebhookFormat::Json,
    ];
    view! {
        <div class="field">
            <label for="robot-format">{tr(lang, Msg::RobotFormat)}</label>
            <select id="robot-format" on:change=move |ev| {
                if let Some(f) = WebhookFormat::parse(&event_target_value(&ev)) {
                    format.set(f);
                }
            }>
                {options.into_iter().map(|f| view! {
                    <option value=f.as_str() selected=move || format.get() == f>
                        {move || format_name(lang.get(), f)}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// The latest posts: when, about what, and whether the robot took them.
#[component]
fn Deliveries(list: Vec<WebhookDelivery>) -> impl IntoView {
    let lang = i18n_lang();
    (!list.is_empty()).then(|| {
        let rows = list.into_iter().map(move |d| {
            let l = lang.get_untracked();
            let event = match d.event {
                WebhookEvent::Report => Msg::RobotEventReport,
                WebhookEvent::Stale => Msg::RobotEventStale,
                WebhookEvent::Test => Msg::RobotEventTest,
            };
            let state = match d.state {
                DeliveryState::Sent => Msg::RobotSent,
                DeliveryState::Waiting => Msg::RobotWaiting,
                DeliveryState::Failed => Msg::RobotFailed,
            };
            view! {
                <tr>
                    <td>{d.created_at.beijing().to_string()}</td>
                    <td>{event.text(l)}</td>
                    <td>{d.station.unwrap_or_default()}</td>
                    <td>{state.text(l)}</td>
                    <td>{d.attempts}</td>
                </tr>
            }
        });
        view! {
            <table>
                <caption>{tr(lang, Msg::RobotPosts)}</caption>
                <thead><tr>
                    <th scope="col">{tr(lang, Msg::RobotColTime)}</th>
                    <th scope="col">{tr(lang, Msg::RobotColEvent)}</th>
                    <th scope="col">{tr(lang, Msg::ColName)}</th>
                    <th scope="col">{tr(lang, Msg::ColStatus)}</th>
                    <th scope="col">{tr(lang, Msg::RobotColTries)}</th>
                </tr></thead>
                <tbody>{rows.collect_view()}</tbody>
            </table>
        }
    })
}
