//! Signing in and out: the header every staff page wears, the sign-in form, the gate that shows
//! it instead of a page (keeping the page and what was typed in it when a session is lost), and
//! changing one's password.

use crate::shared::route::use_location;
use leptos::prelude::*;
use yizhan_core::staff::check_password;
use yizhan_core::{ErrorCode, FieldCode, PasswordChange, Role, SignIn};

use super::api::{self, use_client};
use super::fields::{ErrorNote, Problems, TextField};
use super::i18n::{i18n_lang, tr, Lang, Msg};
use super::state::use_session;
use crate::staff::pages::Page;

/// Same path and parameters, other language.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = i18n_lang();
    let location = use_location();
    let target = move || crate::shared::lang::other_lang_href(location, lang.get());
    view! {
        <a class="lang-switch" href=target hreflang=move || if lang.get() == Lang::Zh { "en" } else { "zh-CN" }>
            {tr(lang, Msg::SwitchLanguage)}
        </a>
    }
}

/// The top bar: app name, who is signed in, sign out (here or everywhere), language.
#[component]
pub fn StaffHeader() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let error = RwSignal::new(None::<api::Error>);
    let sign_out = Action::new_local(move |everywhere: &bool| {
        let everywhere = *everywhere;
        async move {
            let result = if everywhere {
                client.sign_out_everywhere().await
            } else {
                client.sign_out().await
            };
            match result {
                // Already signed out counts as done.
                Ok(()) => session.signed_out(),
                Err(e) if e.is_signed_out() => session.signed_out(),
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let home = move || {
        let home = match session.account().map(|a| a.role) {
            Some(Role::Admin) => Page::AdminHome,
            _ => Page::ManageList,
        };
        home.href(lang.get(), "")
    };
    view! {
        <header class="topbar chrome">
            <a class="brand" href=home>{tr(lang, Msg::AppName)}</a>
            {move || session.account().map(|a| view! {
                <span class="who">{tr(lang, Msg::SignedInAs)}{a.display_name}</span>
            })}
            <div class="topbar-actions">
                <Show when=move || session.is_signed_in()>
                    <a href=move || Page::Password.href(lang.get(), "")>{tr(lang, Msg::ChangePassword)}</a>
                    <button type="button" class="secondary" disabled=move || sign_out.pending().get()
                        on:click=move |_| {
                            error.set(None);
                            sign_out.dispatch(false);
                        }>
                        {tr(lang, Msg::SignOut)}
                    </button>
                    <button type="button" class="secondary" disabled=move || sign_out.pending().get()
                        on:click=move |_| {
                            error.set(None);
                            sign_out.dispatch(true);
                        }>
                        {tr(lang, Msg::SignOutEverywhere)}
                    </button>
                </Show>
                <LangSwitch/>
            </div>
            <ErrorNote error=error/>
        </header>
        <Show when=move || session.two_step_missing()>
            <p class="notice-box" role="alert">
                {tr(lang, Msg::TwoStepRequiredNote)}" "
                <a href=move || Page::Password.href(lang.get(), "")>{tr(lang, Msg::GoToSecurity)}</a>
            </p>
        </Show>
    }
}

/// Shows the sign-in form until someone is signed in, then the page. When the session is lost
/// the page stays mounted but hidden, so nothing typed in it is lost by signing in again.
#[component]
pub fn Gate(children: ChildrenFn) -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let owner = Memo::new(move |_| session.owner.get());
    let children = StoredValue::new(children);
    view! {
        <Show
            when=move || session.checked.get()
            fallback=move || view! { <p role="status" class="muted">{tr(lang, Msg::Loading)}</p> }
        >
            <Show when=move || !session.is_signed_in()>
                <SignInForm/>
            </Show>
            {move || owner.get().map(|_| view! {
                <div class="gated" hidden=move || !session.is_signed_in()>
                    {children.with_value(|c| c())}
                </div>
            })}
        </Show>
    }
}

/// 用户名 / 密码 / 登录.
#[component]
fn SignInForm() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // Shown once the server says this account signs in with a second step.
    let needs_code = RwSignal::new(false);
    let problems = RwSignal::new(Problems::new());
    let error = RwSignal::new(None::<api::Error>);
    let send = Action::new_local(move |body: &SignIn| {
        let body = body.clone();
        let l = lang.get_untracked();
        async move {
            match api::sign_in(&body, l).await {
                Ok(info) => {
                    password.set(String::new());
                    code.set(String::new());
                    needs_code.set(false);
                    session.signed_in(info);
                }
                Err(e) => {
                    let mut fields = e.fields();
                    match e.code() {
                        Some(ErrorCode::CodeRequired) => needs_code.set(true),
                        Some(ErrorCode::WrongCode) => {
                            needs_code.set(true);
                            fields.insert("code".into(), FieldCode::Invalid);
                        }
                        _ => {}
                    }
                    problems.set(fields);
                    error.set(Some(e));
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let typed_code = code.get_untracked();
        let body = SignIn {
            username: username.get_untracked(),
            password: password.get_untracked(),
            code: (!typed_code.trim().is_empty()).then_some(typed_code),
        };
        let mut missing = Problems::new();
        if body.username.trim().is_empty() {
            missing.insert("username".into(), FieldCode::Missing);
        }
        if body.password.is_empty() {
            missing.insert("password".into(), FieldCode::Missing);
        }
        problems.set(missing.clone());
        if missing.is_empty() {
            send.dispatch(body);
        }
    };
    view! {
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{tr(lang, Msg::SignInTitle)}</h1>
            <Show when=move || session.expired.get()>
                <p class="notice-box" role="status">{tr(lang, Msg::SessionExpired)}</p>
            </Show>
            <form on:submit=submit novalidate>
                <TextField id="sign-in-username" label=Msg::Username value=username problems=problems
                    field="username" autocomplete="username"/>
                <TextField id="sign-in-password" label=Msg::Password value=password problems=problems
                    field="password" kind="password" autocomplete="current-password"/>
                <Show when=move || needs_code.get()>
                    <TextField id="sign-in-code" label=Msg::Code value=code problems=problems
                        field="code" autocomplete="one-time-code" inputmode="numeric" hint=Msg::CodeHint/>
                </Show>
                <ErrorNote error=error/>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || send.pending().get()>
                        {tr(lang, Msg::SignIn)}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// `/manage/password`: change one's own password.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let problems = RwSignal::new(Problems::new());
    let error = RwSignal::new(None::<api::Error>);
    let done = RwSignal::new(false);
    let send = Action::new_local(move |body: &PasswordChange| {
        let body = body.clone();
        async move {
            match client.change_password(&body).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    done.set(true);
                }
                Err(e) => {
                    let mut fields = e.fields();
                    if e.code() == Some(ErrorCode::WrongCredentials) {
                        fields.insert("current".into(), FieldCode::Invalid);
                    }
                    problems.set(fields);
                    error.set(Some(e));
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        done.set(false);
        let body = PasswordChange {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        let mut found = Problems::new();
        if body.current.is_empty() {
            found.insert("current".into(), FieldCode::Missing);
        }
        if let Err(code) = check_password(&body.new) {
            found.insert("new".into(), code);
        }
        problems.set(found.clone());
        if found.is_empty() {
            send.dispatch(body);
        }
    };
    view! {
        <section class="narrow">
            <h1>{tr(lang, Msg::ChangePassword)}</h1>
            <form on:submit=submit novalidate>
                <TextField id="password-current" label=Msg::CurrentPassword value=current
                    problems=problems field="current" kind="password" autocomplete="current-password"/>
                <TextField id="password-new" label=Msg::NewPassword value=new problems=problems
                    field="new" kind="password" autocomplete="new-password" hint=Msg::NewPasswordHint/>
                <ErrorNote error=error/>
                <Show when=move || done.get()>
                    <p class="ok" role="status">{tr(lang, Msg::PasswordChanged)}</p>
                </Show>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || send.pending().get()>
                        {tr(lang, Msg::Save)}
                    </button>
                </div>
            </form>
            <super::security::TwoStepSection/>
            <super::security::DevicesSection/>
        </section>
    }
}
