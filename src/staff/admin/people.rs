//! `/admin/people`: the union's accounts — create station managers (and admins), assign them
//! stations, reset a forgotten password, disable and enable. New passwords are shown once.

use leptos::prelude::*;
use yizhan_core::{
    Account, AccountChange, AdminStation, FieldCode, IssuedPassword, NewAccount, Role, StationId,
};

use super::stations::matches;
use crate::staff::api::{self, use_client};
use crate::staff::fields::{
    clear, ErrorNote, FieldError, FieldList, LoadState, Problems, TextField,
};
use crate::staff::i18n::{i18n_lang, role, tr, Lang, Msg};
use crate::staff::state::use_session;

/// The stations' names for `ids`, in the order given; unknown ids as they are.
fn station_names(ids: &[StationId], stations: &[AdminStation]) -> String {
    ids.iter()
        .map(|id| {
            stations
                .iter()
                .find(|s| s.station.id == *id)
                .map_or_else(|| id.to_string(), |s| s.station.name.clone())
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// A key that changes whenever a row's account does, so unchanged rows keep their state.
fn row_key(a: &Account) -> String {
    format!(
        "{}|{}|{}|{}",
        a.id,
        a.disabled,
        a.display_name,
        a.stations
            .iter()
            .map(StationId::as_str)
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// The page.
#[component]
pub fn PeoplePage() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let accounts = LocalResource::new(move || {
        session.epoch();
        async move { client.accounts().await }
    });
    let stations = LocalResource::new(move || {
        session.epoch();
        async move { client.admin_stations().await }
    });
    let all_stations =
        Signal::derive(move || stations.get().and_then(Result::ok).unwrap_or_default());
    let issued = RwSignal::new(None::<IssuedPassword>);
    let list = move || accounts.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <h1>{tr(lang, Msg::NavPeople)}</h1>
        {move || issued.get().map(|p| view! { <OneTimePassword issued=p dismiss=issued/> })}
        <section aria-labelledby="accounts-title">
            <h2 id="accounts-title">{tr(lang, Msg::Accounts)}</h2>
            {move || match accounts.get() {
                None => Some(view! { <LoadState error=None retry=move || accounts.refetch()/> }.into_any()),
                Some(Err(e)) => Some(view! { <LoadState error=Some(e) retry=move || accounts.refetch()/> }.into_any()),
                Some(Ok(_)) => None,
            }}
            <table class="data">
                <thead>
                    <tr>
                        <th scope="col">{tr(lang, Msg::ColUsername)}</th>
                        <th scope="col">{tr(lang, Msg::ColDisplayName)}</th>
                        <th scope="col">{tr(lang, Msg::ColRole)}</th>
                        <th scope="col">{tr(lang, Msg::ColStations)}</th>
                        <th scope="col">{tr(lang, Msg::ColState)}</th>
                        <th scope="col">{tr(lang, Msg::ColActions)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=list key=row_key let:account>
                        <AccountRow account=account stations=all_stations issued=issued
                            changed=move || accounts.refetch()/>
                    </For>
                </tbody>
            </table>
        </section>
        <CreateAccount stations=all_stations issued=issued created=move || accounts.refetch()/>
    }
}

/// The one-time password, shown prominently until dismissed.
#[component]
fn OneTimePassword(
    issued: IssuedPassword,
    dismiss: RwSignal<Option<IssuedPassword>>,
) -> impl IntoView {
    let lang = i18n_lang();
    let password = issued.password.clone();
    let copy = move |_| {
        // The clipboard exists only in secure contexts; where it is missing the password is
        // still on screen to copy by hand.
        let navigator = window().navigator();
        let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
            .is_ok_and(|c| !c.is_undefined() && !c.is_null());
        if has_clipboard {
            let _ = navigator.clipboard().write_text(&password);
        }
    };
    // It may appear far from the button that asked for it: bring it into view.
    let panel = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(el) = panel.get() {
            el.scroll_into_view();
        }
    });
    view! {
        <section class="one-time" role="alert" aria-labelledby="one-time-title" node_ref=panel>
            <h2 id="one-time-title">{tr(lang, Msg::OneTimePassword)}</h2>
            <p>{tr(lang, Msg::ForAccount)}<strong>{issued.account.username.as_str().to_owned()}</strong>
                " ("{issued.account.display_name.clone()}")"</p>
            <p class="password"><code>{issued.password.clone()}</code></p>
            <p class="warn">{tr(lang, Msg::OneTimeHint)}</p>
            <div class="actions">
                <button type="button" class="secondary" on:click=copy>{tr(lang, Msg::Copy)}</button>
                <button type="button" class="primary" on:click=move |_| dismiss.set(None)>{tr(lang, Msg::Done)}</button>
            </div>
        </section>
    }
}

/// What a row's buttons send.
#[derive(Clone)]
enum RowWrite {
    Change(AccountChange),
    Reset,
    ResetTwoStep,
}

/// One row's state: the station editor, the stations ticked in it, and its writes.
#[derive(Clone, Copy)]
struct Row {
    editing: RwSignal<bool>,
    chosen: RwSignal<Vec<StationId>>,
    error: RwSignal<Option<api::Error>>,
    send: Action<RowWrite, ()>,
}

impl Row {
    /// `changed` is told after every write that worked; a new password goes to `issued`.
    fn new<F>(account: &Account, issued: RwSignal<Option<IssuedPassword>>, changed: F) -> Self
    where
        F: Fn() + Copy + Send + Sync + 'static,
    {
        let client = use_client();
        let editing = RwSignal::new(false);
        let error = RwSignal::new(None::<api::Error>);
        let id = StoredValue::new(account.id.clone());
        let send = Action::new_local(move |w: &RowWrite| {
            let w = w.clone();
            let id = id.get_value();
            async move {
                let result = match w {
                    RowWrite::Change(c) => client.update_account(&id, &c).await.map(|_| None),
                    RowWrite::Reset => client.reset_password(&id).await.map(Some),
                    RowWrite::ResetTwoStep => client.reset_two_step(&id).await.map(|()| None),
                };
                match result {
                    Ok(p) => {
                        if p.is_some() {
                            issued.set(p);
                        }
                        editing.set(false);
                        changed();
                    }
                    Err(e) => error.set(Some(e)),
                }
            }
        });
        Row {
            editing,
            chosen: RwSignal::new(account.stations.clone()),
            error,
            send,
        }
    }

    fn write(self, w: RowWrite) {
        self.error.set(None);
        self.send.dispatch(w);
    }

    /// A button that sends one write, disabled while any is on its way.
    fn button(self, label: Msg, w: impl Fn() -> RowWrite + Send + Sync + 'static) -> impl IntoView {
        let lang = i18n_lang();
        view! {
            <button type="button" class="secondary" disabled=move || self.send.pending().get()
                on:click=move |_| self.write(w())>
                {tr(lang, label)}
            </button>
        }
    }
}

/// One account, with its buttons and the station editor when open.
#[component]
fn AccountRow<F>(
    account: Account,
    stations: Signal<Vec<AdminStation>>,
    issued: RwSignal<Option<IssuedPassword>>,
    changed: F,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let lang = i18n_lang();
    let row = Row::new(&account, issued, changed);
    let disabled = account.disabled;
    let is_manager = account.role == Role::Manager;
    let names = {
        let ids = account.stations.clone();
        move || {
            if is_manager {
                stations.with(|all| station_names(&ids, all))
            } else {
                Msg::AllStationsOfUnion.text(lang.get()).to_owned()
            }
        }
    };
    let picker_id = format!("assign-{}", account.id);
    view! {
        <tr class:disabled=disabled>
            <td>{account.username.as_str().to_owned()}</td>
            <td>{account.display_name.clone()}</td>
            <td>{move || role(lang.get(), account.role)}</td>
            <td>{names}</td>
            <td>{move || state_msg(disabled).text(lang.get())}</td>
            <td class="row-actions">
                {is_manager.then(|| view! {
                    <button type="button" class="secondary" aria-expanded=move || row.editing.get().to_string()
                        on:click=move |_| row.editing.update(|e| *e = !*e)>
                        {tr(lang, Msg::AssignStations)}
                    </button>
                })}
                {row.button(Msg::ResetPassword, || RowWrite::Reset)}
                {account.two_step.then(|| row.button(Msg::ResetTwoStep, || RowWrite::ResetTwoStep))}
                {row.button(if disabled { Msg::Enable } else { Msg::Disable }, move || {
                    RowWrite::Change(AccountChange {
                        disabled: Some(!disabled),
                        ..AccountChange::default()
                    })
                })}
                <ErrorNote error=row.error/>
                <FieldList error=row.error/>
            </td>
        </tr>
        <Show when=move || row.editing.get()>
            {assign_row(row, picker_id.clone(), stations)}
        </Show>
    }
}

/// The station editor under a manager's row.
fn assign_row(row: Row, id: String, stations: Signal<Vec<AdminStation>>) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <tr class="editor-row">
            <td colspan="6">
                <StationPicker id=id stations=stations chosen=row.chosen/>
                <div class="actions">
                    <button type="button" class="primary" disabled=move || row.send.pending().get()
                        on:click=move |_| row.write(RowWrite::Change(AccountChange {
                            stations: Some(row.chosen.get_untracked()),
                            ..AccountChange::default()
                        }))>
                        {tr(lang, Msg::SaveAssignment)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| row.editing.set(false)>
                        {tr(lang, Msg::Cancel)}
                    </button>
                </div>
            </td>
        </tr>
    }
}

/// 正常 / 已停用.
fn state_msg(disabled: bool) -> Msg {
    if disabled {
        Msg::Disabled
    } else {
        Msg::Active
    }
}

/// A searchable checkbox list of stations.
#[component]
fn StationPicker(
    /// Base of the element ids.
    id: String,
    /// Every station to choose from.
    stations: Signal<Vec<AdminStation>>,
    /// The chosen ones.
    chosen: RwSignal<Vec<StationId>>,
) -> impl IntoView {
    let lang = i18n_lang();
    let filter = RwSignal::new(String::new());
    let search_id = format!("{id}-search");
    let legend_id = format!("{id}-legend");
    let labelled_by = legend_id.clone();
    let shown = move || {
        stations.with(|all| {
            filter.with(|f| {
                all.iter()
                    .filter(|s| matches(s, f) || chosen.with(|c| c.contains(&s.station.id)))
                    .map(|s| {
                        (
                            s.station.id.clone(),
                            s.station.name.clone(),
                            s.station.district.clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let base = StoredValue::new(id);
    view! {
        <fieldset class="picker" aria-labelledby=labelled_by>
            <legend id=legend_id>{tr(lang, Msg::StationsPick)}</legend>
            <div class="field">
                <label for=search_id.clone()>{tr(lang, Msg::FilterStations)}</label>
                <input id=search_id type="search"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))/>
            </div>
            <ul class="checks">
                <For each=shown key=|(id, _, _)| id.clone() let:item>
                    {
                        let (sid, name, district) = item;
                        let input_id = format!("{}-{}", base.get_value(), sid.as_str());
                        let label_for = input_id.clone();
                        let for_check = sid.clone();
                        view! {
                            <li>
                                <label class="check" for=label_for>
                                    <input type="checkbox" id=input_id
                                        prop:checked=move || chosen.with(|c| c.contains(&for_check))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let sid = sid.clone();
                                            chosen.update(|c| {
                                                c.retain(|x| *x != sid);
                                                if on {
                                                    c.push(sid);
                                                }
                                            });
                                        }/>
                                    {name}" "<span class="muted">{district}</span>
                                </label>
                            </li>
                        }
                    }
                </For>
            </ul>
        </fieldset>
    }
}

/// The new account as typed.
#[derive(Clone, Copy)]
struct AccountForm {
    username: RwSignal<String>,
    display_name: RwSignal<String>,
    role: RwSignal<Role>,
    stations: RwSignal<Vec<StationId>>,
    problems: RwSignal<Problems>,
    error: RwSignal<Option<api::Error>>,
}

impl AccountForm {
    fn new() -> Self {
        AccountForm {
            username: RwSignal::new(String::new()),
            display_name: RwSignal::new(String::new()),
            role: RwSignal::new(Role::Manager),
            stations: RwSignal::new(Vec::new()),
            problems: RwSignal::new(Problems::new()),
            error: RwSignal::new(None),
        }
    }

    /// The account to create; only a manager has stations of their own.
    fn body(self) -> NewAccount {
        let role = self.role.get_untracked();
        NewAccount {
            username: self.username.get_untracked(),
            display_name: self.display_name.get_untracked(),
            role,
            union_id: None,
            stations: if role == Role::Manager {
                self.stations.get_untracked()
            } else {
                Vec::new()
            },
        }
    }

    /// Empties the form once the account exists (the role stays, for the next one).
    fn created(self) {
        self.username.set(String::new());
        self.display_name.set(String::new());
        self.stations.set(Vec::new());
    }

    fn refused(self, e: api::Error) {
        let mut fields = e.fields();
        if e.status() == Some(409) && fields.is_empty() {
            fields.insert("username".into(), FieldCode::Duplicate);
        }
        self.problems.set(fields);
        self.error.set(Some(e));
    }
}

/// 新建账号: 用户名, 姓名, 角色, 驿站.
#[component]
fn CreateAccount<F>(
    stations: Signal<Vec<AdminStation>>,
    issued: RwSignal<Option<IssuedPassword>>,
    created: F,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let lang = i18n_lang();
    let client = use_client();
    let form = AccountForm::new();
    let problems = form.problems;
    let send = Action::new_local(move |body: &NewAccount| {
        let body = body.clone();
        async move {
            match client.create_account(&body).await {
                Ok(p) => {
                    issued.set(Some(p));
                    form.created();
                    created();
                }
                Err(e) => form.refused(e),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.error.set(None);
        let body = form.body();
        match body.validate() {
            Ok(_) => {
                problems.set(Problems::new());
                send.dispatch(body);
            }
            Err(found) => problems.set(found),
        }
    };
    view! {
        <section class="create-account" aria-labelledby="new-account-title">
            <h2 id="new-account-title">{tr(lang, Msg::NewAccount)}</h2>
            <form on:submit=submit novalidate>
                <div class="grid">
                    <TextField id="new-username" label=Msg::ColUsername value=form.username problems=problems
                        field="username" autocomplete="off"/>
                    <TextField id="new-display-name" label=Msg::ColDisplayName value=form.display_name
                        problems=problems field="display_name"/>
                    {role_select(form.role, problems)}
                </div>
                <Show when=move || form.role.get() == Role::Manager>
                    <StationPicker id="new-stations".to_owned() stations=stations chosen=form.stations/>
                </Show>
                <ErrorNote error=form.error/>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || send.pending().get()>
                        {tr(lang, Msg::Create)}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// The new account's role.
fn role_select(chosen: RwSignal<Role>, problems: RwSignal<Problems>) -> impl IntoView {
    let lang = i18n_lang();
    let role_option = move |r: Role, l: Lang| {
        view! { <option value=r.as_str() selected=move || chosen.get() == r>{role(l, r)}</option> }
    };
    view! {
        <div class="field">
            <label for="new-role">{tr(lang, Msg::ColRole)}</label>
            <select id="new-role" prop:value=move || chosen.get().as_str() on:change=move |ev| {
                if let Some(r) = Role::parse(&event_target_value(&ev)) {
                    chosen.set(r);
                }
                clear(problems, "role");
            }>
                {move || {
                    let l = lang.get();
                    view! { {role_option(Role::Manager, l)}{role_option(Role::Admin, l)} }
                }}
            </select>
            <FieldError problems=problems field="role" id="new-role-error".to_owned()/>
        </div>
    }
}
