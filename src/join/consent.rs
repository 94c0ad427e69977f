//! Step 2 of an application: the privacy notice as its own screen — what is collected, why,
//! who sees it, how long it is kept, how to withdraw, the notice version — and an explicit
//! tick before anything is sent (PIPL arts. 14 and 17). "Back to edit" keeps everything typed.

use leptos::prelude::*;
use yizhan_core::{NewApplication, PrivacyPolicy};

use super::form::{Failure, FieldError, FormState, Step, Summary};
use super::i18n::{kept_for, tr, use_lang, who_sees, Lang, Msg};
use super::{api, storage};

/// The privacy notice in force: the copy last kept on this phone at once (so the step works
/// with no signal), then the server's.
#[derive(Clone, Copy)]
pub struct Policy {
    /// The notice, when known.
    pub value: RwSignal<Option<PrivacyPolicy>>,
    /// Whether the last fetch failed.
    pub failed: RwSignal<bool>,
}

impl Policy {
    /// The copy kept on this phone, if any; [`Policy::fetch`] asks for the current one.
    pub fn kept() -> Policy {
        Policy {
            value: RwSignal::new(storage::load(storage::POLICY)),
            failed: RwSignal::new(false),
        }
    }

    /// Fetches the notice in force (again: after the server said the consent was to an older
    /// one).
    pub fn fetch(self, lang: Lang) {
        self.failed.set(false);
        leptos::task::spawn_local(async move {
            match api::policy(lang).await {
                Ok(p) => {
                    storage::save(storage::POLICY, &p);
                    self.value.set(Some(p));
                }
                Err(_) => self.failed.set(true),
            }
        });
    }

    /// The version to consent to, without tracking.
    pub fn version(self) -> Option<String> {
        self.value
            .with_untracked(|p| p.as_ref().map(|p| p.version.clone()))
    }
}

/// Step 2. `union` names who receives the application (when known); `on_submit` gets the
/// application with consent once the box is ticked and everything passes core's rules.
#[component]
pub fn ConsentStep(
    form: FormState,
    policy: Policy,
    #[prop(into)] union: Signal<Option<String>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] failure: Signal<Option<Failure>>,
    on_submit: Callback<NewApplication>,
) -> impl IntoView {
    let lang = use_lang();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(version) = policy.version() else {
            return;
        };
        if let Some(app) = form.ready(&version) {
            on_submit.run(app);
        }
    };
    let who = move || {
        let l = lang.get();
        let union = union
            .get()
            .unwrap_or_else(|| super::i18n::t(l, Msg::AnyUnion).to_owned());
        who_sees(l, &union)
    };
    let notice = move || {
        policy.value.get().map(|p| {
            view! {
                <dl class="policy">
                    <dt>{tr(lang, Msg::WhatTitle)}</dt>
                    <dd>{tr(lang, Msg::WhatBody)}</dd>
                    <dt>{tr(lang, Msg::WhyTitle)}</dt>
                    <dd>{tr(lang, Msg::WhyBody)}</dd>
                    <dt>{tr(lang, Msg::WhoTitle)}</dt>
                    <dd>{who}</dd>
                    <dt>{tr(lang, Msg::KeptTitle)}</dt>
                    <dd>{move || kept_for(lang.get(), p.retention_days)}</dd>
                    <dt>{tr(lang, Msg::WithdrawTitle)}</dt>
                    <dd>{tr(lang, Msg::WithdrawBody)}</dd>
                </dl>
                <p class="muted" id="join-policy-version">
                    {tr(lang, Msg::PolicyVersion)}{p.version.clone()}
                </p>
            }
        })
    };
    let no_policy = move || policy.value.read().is_none();
    view! {
        <form class="join-form consent" novalidate on:submit=submit aria-labelledby="join-consent-title">
            <p class="step">{tr(lang, Msg::StepConsent)}</p>
            <h2 id="join-consent-title" tabindex="-1">{tr(lang, Msg::ConsentTitle)}</h2>
            {notice}
            <Show when=no_policy>
                {move || if policy.failed.get() {
                    view! {
                        <div class="error" role="alert">
                            <p>{tr(lang, Msg::PolicyFailed)}</p>
                            <button type="button" class="secondary"
                                on:click=move |_| policy.fetch(lang.get_untracked())>
                                {tr(lang, Msg::Retry)}
                            </button>
                        </div>
                    }.into_any()
                } else {
                    view! { <p role="status">{tr(lang, Msg::PolicyLoading)}</p> }.into_any()
                }}
            </Show>
            <Summary form destination=union/>
            <div class="check">
                <input type="checkbox" id="join-consent" name="consent" required
                    aria-describedby="join-consent-error"
                    aria-invalid=move || form.problems.read().contains_key("consent").to_string()
                    prop:checked=move || form.agreed.get()
                    on:change=move |ev| {
                        form.agreed.set(event_target_checked(&ev));
                        form.problems.update(|p| { p.remove("consent"); });
                    }/>
                <label for="join-consent">{tr(lang, Msg::Agree)}</label>
            </div>
            <FieldError form field="consent" id="join-consent-error"/>
            {move || failure.get().map(|f| view! {
                <p class="error" role="alert">{move || f.text(lang.get())}</p>
            })}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || pending.get() || no_policy()>
                    {move || tr(lang, if pending.get() { Msg::Submitting } else { Msg::Submit })()}
                </button>
                <button type="button" class="secondary" on:click=move |_| form.step.set(Step::Details)>
                    {tr(lang, Msg::BackToEdit)}
                </button>
            </div>
        </form>
    }
}
