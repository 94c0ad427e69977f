//! The account's security, below the password form: two-step sign-in (set up with an
//! authenticator app and the password, recovery codes shown once, other devices signed out) and the devices signed in (each can be signed
//! out).

use leptos::prelude::*;
use yizhan_core::{FieldCode, RecoveryCodes, TwoStepConfirm, TwoStepSetup};

use super::api::{self, use_client};
use super::fields::{ErrorNote, Problems, TextField};
use super::i18n::{i18n_lang, tr, Msg};
use super::state::use_session;

/// Two-step set-up as it goes: the key offered, what is typed, and the recovery codes at the end.
#[derive(Clone, Copy)]
struct TwoStep {
    setup: RwSignal<Option<TwoStepSetup>>,
    codes: RwSignal<Option<RecoveryCodes>>,
    code: RwSignal<String>,
    password: RwSignal<String>,
    problems: RwSignal<Problems>,
    error: RwSignal<Option<api::Error>>,
}

impl TwoStep {
    fn new() -> Self {
        TwoStep {
            setup: RwSignal::new(None),
            codes: RwSignal::new(None),
            code: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            problems: RwSignal::new(Problems::new()),
            error: RwSignal::new(None),
        }
    }

    /// The confirmation to send, or `None` (and the problems shown) when the password is
    /// missing or the code is not six digits.
    fn confirmation(self) -> Option<TwoStepConfirm> {
        self.error.set(None);
        let typed: String = self
            .code
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut found = Problems::new();
        if self.password.with_untracked(String::is_empty) {
            found.insert("password".into(), FieldCode::Missing);
        }
        if typed.len() != 6 || !typed.bytes().all(|b| b.is_ascii_digit()) {
            found.insert("code".into(), FieldCode::Invalid);
        }
        let clean = found.is_empty();
        self.problems.set(found);
        clean.then(|| TwoStepConfirm {
            password: self.password.get_untracked(),
            code: typed,
        })
    }

    /// Set up: the codes are shown once, what was typed is forgotten.
    fn confirmed(self, c: RecoveryCodes) {
        self.codes.set(Some(c));
        self.setup.set(None);
        self.code.set(String::new());
        self.password.set(String::new());
    }
}

/// 两步验证: on, or a button that starts set-up, then the QR code, the key and the first code,
/// then the recovery codes.
#[component]
pub fn TwoStepSection() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let ts = TwoStep::new();
    let (setup, error) = (ts.setup, ts.error);
    let begin = Action::new_local(move |_: &()| async move {
        match client.begin_two_step().await {
            Ok(s) => setup.set(Some(s)),
            Err(e) => error.set(Some(e)),
        }
    });
    let confirm = Action::new_local(move |body: &TwoStepConfirm| {
        let body = body.clone();
        async move {
            match client.confirm_two_step(&body).await {
                Ok(c) => {
                    ts.confirmed(c);
                    session.two_step_enabled();
                }
                Err(e) => {
                    ts.problems.set(e.fields());
                    ts.error.set(Some(e));
                }
            }
        }
    });
    view! {
        <section class="security" aria-labelledby="two-step-title">
            <h2 id="two-step-title">{tr(lang, Msg::TwoStep)}</h2>
            {move || ts.codes.get().map(recovery_code_list)}
            <Show when=move || ts.codes.with(Option::is_none)>
                <Show
                    when=move || session.has_two_step()
                    fallback=move || view! {
                        <p>{tr(lang, Msg::TwoStepOff)}</p>
                        {move || match setup.get() {
                            None => view! {
                                <button type="button" class="primary" disabled=move || begin.pending().get()
                                    on:click=move |_| {
                                        error.set(None);
                                        begin.dispatch(());
                                    }>
                                    {tr(lang, Msg::TwoStepStart)}
                                </button>
                            }.into_any(),
                            Some(s) => setup_form(ts, confirm, s.secret).into_any(),
                        }}
                    }
                >
                    <p>{tr(lang, Msg::TwoStepOn)}</p>
                </Show>
            </Show>
            <ErrorNote error=error/>
        </section>
    }
}

/// The recovery codes, shown once after set-up.
fn recovery_code_list(c: RecoveryCodes) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <p class="ok" role="status">{tr(lang, Msg::TwoStepOn)}</p>
        <h3>{tr(lang, Msg::RecoveryCodesTitle)}</h3>
        <p class="hint">{tr(lang, Msg::RecoveryCodesNote)}</p>
        <ol class="recovery-codes" aria-label=tr(lang, Msg::RecoveryCodesTitle)>
            {c.codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
        </ol>
    }
}

/// The key to add to an authenticator app, and the first code with the password to confirm it.
fn setup_form(ts: TwoStep, confirm: Action<TwoStepConfirm, ()>, secret: String) -> impl IntoView {
    let lang = i18n_lang();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(body) = ts.confirmation() {
            confirm.dispatch(body);
        }
    };
    view! {
        <p>{tr(lang, Msg::TwoStepScan)}</p>
        <img class="qr" src="/api/v1/session/two-step/qr.svg" width="200" height="200"
            alt=tr(lang, Msg::TwoStepQr)/>
        <p>{tr(lang, Msg::TwoStepKey)}": "<code class="secret">{secret}</code></p>
        <form on:submit=submit novalidate>
            <TextField id="two-step-code" label=Msg::TwoStepFirstCode value=ts.code
                problems=ts.problems field="code" autocomplete="one-time-code" inputmode="numeric"/>
            <TextField id="two-step-password" label=Msg::TwoStepPassword value=ts.password
                problems=ts.problems field="password" kind="password" autocomplete="current-password"/>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || confirm.pending().get()>
                    {tr(lang, Msg::TwoStepConfirm)}
                </button>
            </div>
        </form>
    }
}

/// 登录设备: every live session of this account; any other can be signed out.
#[component]
pub fn DevicesSection() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let changed = RwSignal::new(0u32);
    let error = RwSignal::new(None::<api::Error>);
    let list = LocalResource::new(move || {
        session.epoch();
        changed.get();
        async move { client.sessions().await }
    });
    let end = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            match client.end_session(&id).await {
                Ok(()) => changed.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    view! {
        <section class="security" aria-labelledby="devices-title">
            <h2 id="devices-title">{tr(lang, Msg::Devices)}</h2>
            <p class="hint">{tr(lang, Msg::DevicesHint)}</p>
            {move || match list.get() {
                None => view! { <p role="status" class="muted">{tr(lang, Msg::Loading)}</p> }.into_any(),
                Some(Err(e)) => {
                    let text = e
                        .message()
                        .unwrap_or_else(|| Msg::NetworkError.text(lang.get()))
                        .to_owned();
                    view! { <p class="error" role="alert">{text}</p> }.into_any()
                }
                Some(Ok(sessions)) => view! {
                    <ul class="devices" aria-labelledby="devices-title">
                        {sessions.into_iter().map(|s| {
                            let id = s.id.clone();
                            view! {
                                <li>
                                    <strong>{s.device}</strong>
                                    {s.current.then(|| view! { " "<span class="badge">{tr(lang, Msg::ThisDevice)}</span> })}
                                    <br/>
                                    <span class="muted">{tr(lang, Msg::LastUsed)}{s.last_seen_at.beijing().to_string()}</span>
                                    {(!s.current).then(|| view! {
                                        " "
                                        <button type="button" class="secondary" disabled=move || end.pending().get()
                                            on:click=move |_| {
                                                error.set(None);
                                                end.dispatch(id.clone());
                                            }>
                                            {tr(lang, Msg::EndSession)}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <ErrorNote error=error/>
        </section>
    }
}
