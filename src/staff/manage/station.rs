//! `/manage/stations/{id}`: set a station's status from the counter — open or closed, each
//! amenity working or broken, a notice, the hours — or confirm it is still accurate. When
//! someone else saved in between (412), both versions are shown side by side to choose from.
//! The station's rider reports follow below.

use std::sync::Arc;

use crate::staff::load::{station_from_route, Phase};
use leptos::prelude::*;
use yizhan_core::staff::MAX_NOTICE_CHARS;
use yizhan_core::{Amenity, AmenityState, AmenityStatus, Station, StationState, StatusUpdate};

use super::inbox::Inbox;
use crate::shared::browser::now;
use crate::staff::api::{self, use_client};
use crate::staff::fields::{clear, ErrorNote, FieldError, LoadState, Problems, TextField};
use crate::staff::format::Badge;
use crate::staff::i18n::{amenity, chars_left, i18n_lang, tr, Lang, Msg};
use crate::staff::pages::Page;

/// The page.
#[component]
pub fn StationPage() -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let (data, phase) = station_from_route(move || async move { client.my_stations().await });
    view! {
        <p class="back"><a href=move || Page::ManageList.href(lang.get(), "")>{tr(lang, Msg::BackToList)}</a></p>
        {move || match phase.get() {
            Phase::Loading => view! { <LoadState error=None retry=move || data.refetch()/> }.into_any(),
            Phase::Failed(e) => view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any(),
            Phase::Missing => view! { <p class="error-box" role="alert">{tr(lang, Msg::StationNotYours)}</p> }.into_any(),
            Phase::Ready(id) => {
                let station = data
                    .get_untracked()
                    .and_then(Result::ok)
                    .flatten()
                    .map(|s| s.station);
                match station {
                    Some(s) => view! {
                        <StatusEditor station=s/>
                        <Inbox station_id=id/>
                    }.into_any(),
                    None => view! { <LoadState error=None retry=move || data.refetch()/> }.into_any(),
                }
            }
        }}
    }
}

/// What the last save did.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Done {
    Saved,
    Confirmed,
}

/// One status write: the update, the version it is based on, and which button sent it.
#[derive(Clone)]
struct Write {
    update: StatusUpdate,
    version: u64,
    done: Done,
}

/// The status of `station` as a "still accurate" update: unchanged, amenities of unknown state
/// left out (they keep their state).
fn unchanged(station: &Station) -> StatusUpdate {
    StatusUpdate {
        state: station.status.state,
        amenities: station
            .amenities
            .iter()
            .filter(|a| a.state != AmenityState::Unknown)
            .copied()
            .collect(),
        notice: station.status.notice.clone(),
        hours: None,
    }
}

/// What the manager has set and not yet saved.
#[derive(Clone, Copy)]
struct StatusForm {
    state: RwSignal<StationState>,
    amenities: RwSignal<Vec<AmenityStatus>>,
    notice: RwSignal<String>,
    hours: RwSignal<String>,
}

impl StatusForm {
    fn new(s: &Station) -> StatusForm {
        StatusForm {
            state: RwSignal::new(s.status.state),
            amenities: RwSignal::new(s.amenities.clone()),
            notice: RwSignal::new(s.status.notice.clone().unwrap_or_default()),
            hours: RwSignal::new(s.hours.as_str().to_owned()),
        }
    }

    /// Shows `s` as saved.
    fn load(self, s: &Station) {
        self.state.set(s.status.state);
        self.amenities.set(s.amenities.clone());
        self.notice.set(s.status.notice.clone().unwrap_or_default());
        self.hours.set(s.hours.as_str().to_owned());
    }

    /// The update the form asks for: amenities of unknown state left out (they keep theirs),
    /// the hours only when they differ from `saved`'s.
    fn update(self, saved: &Station) -> StatusUpdate {
        let typed_hours = self.hours.get_untracked();
        let hours_changed = typed_hours.trim() != saved.hours.as_str();
        StatusUpdate {
            state: self.state.get_untracked(),
            amenities: self.amenities.with_untracked(|a| {
                a.iter()
                    .filter(|a| a.state != AmenityState::Unknown)
                    .copied()
                    .collect()
            }),
            notice: Some(self.notice.get_untracked()),
            hours: hours_changed.then_some(typed_hours),
        }
    }
}

/// The editor's state beside the form: the station as saved, problems, outcome and a conflict,
/// with the page's writes as methods.
#[derive(Clone, Copy)]
struct Editor {
    form: StatusForm,
    saved: RwSignal<Station>,
    problems: RwSignal<Problems>,
    error: RwSignal<Option<api::Error>>,
    done: RwSignal<Option<Done>>,
    conflict: RwSignal<Option<(StatusUpdate, Station)>>,
    client: api::Client,
}

impl Editor {
    fn new(station: Station) -> Self {
        Editor {
            form: StatusForm::new(&station),
            saved: RwSignal::new(station),
            problems: RwSignal::new(Problems::new()),
            error: RwSignal::new(None),
            done: RwSignal::new(None),
            conflict: RwSignal::new(None),
            client: use_client(),
        }
    }

    fn load(self, s: &Station) {
        self.form.load(s);
        self.problems.set(Problems::new());
    }

    /// Sends one write; a 412 keeps both versions for the manager to choose from.
    async fn save(self, w: Write) {
        let id = self.saved.with_untracked(|s| s.id.to_string());
        match self.client.set_status(&id, w.version, &w.update).await {
            Ok(station) => {
                self.load(&station);
                self.saved.set(station);
                self.conflict.set(None);
                self.done.set(Some(w.done));
            }
            Err(api::Error::Api {
                status: 412,
                current: Some(current),
                ..
            }) => self
                .conflict
                .set(Some((w.update, Arc::unwrap_or_clone(current)))),
            Err(e) => {
                self.problems.set(e.fields());
                self.error.set(Some(e));
            }
        }
    }

    /// Checks `update` against the amenities offered, then sends it on the version saved.
    fn dispatch(self, send: Action<Write, ()>, update: StatusUpdate, kind: Done) {
        self.error.set(None);
        self.done.set(None);
        let offered: Vec<Amenity> = self
            .saved
            .with_untracked(|s| s.amenities.iter().map(|a| a.code).collect());
        match update.validate(&offered) {
            Ok(_) => {
                self.problems.set(Problems::new());
                let version = self.saved.with_untracked(|s| s.version);
                send.dispatch(Write {
                    update,
                    version,
                    done: kind,
                });
            }
            Err(found) => self.problems.set(found),
        }
    }

    /// After a conflict: this manager's change, on top of the latest version.
    fn use_mine(self, send: Action<Write, ()>) {
        if let Some((mine, current)) = self.conflict.get_untracked() {
            self.error.set(None);
            let version = current.version;
            self.saved.set(current);
            send.dispatch(Write {
                update: mine,
                version,
                done: Done::Saved,
            });
        }
    }

    /// After a conflict: the latest version, this manager's change dropped.
    fn use_latest(self) {
        if let Some((_, current)) = self.conflict.get_untracked() {
            self.load(&current);
            self.saved.set(current);
            self.conflict.set(None);
            self.error.set(None);
        }
    }
}

/// The form.
#[component]
fn StatusEditor(station: Station) -> impl IntoView {
    let lang = i18n_lang();
    let ed = Editor::new(station);
    let Editor {
        form,
        saved,
        problems,
        done,
        ..
    } = ed;
    let send = Action::new_local(move |w: &Write| ed.save(w.clone()));
    let pending = send.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ed.dispatch(send, saved.with_untracked(|s| form.update(s)), Done::Saved);
    };
    let still_accurate =
        move |_| ed.dispatch(send, saved.with_untracked(unchanged), Done::Confirmed);

    view! {
        {saved_summary(saved)}
        <form class="status-form" on:submit=submit novalidate>
            <StateToggle state=form.state problems=problems done=done/>
            {amenity_switches(form.amenities, done)}
            <NoticeField notice=form.notice problems=problems done=done/>
            <TextField id="status-hours" label=Msg::Hours value=form.hours problems=problems field="hours"
                hint=Msg::HoursHint/>
            <ErrorNote error=ed.error/>
            <div class="actions">
                <button type="submit" class="primary big" disabled=move || pending.get()>
                    {tr(lang, Msg::Save)}
                </button>
                <button type="button" class="secondary big" disabled=move || pending.get()
                    on:click=still_accurate>
                    {tr(lang, Msg::StillAccurate)}
                </button>
            </div>
            <DoneNote done=done saved=saved/>
        </form>
        <ConflictBox conflict=ed.conflict pending=pending use_mine=move || ed.use_mine(send)
            use_latest=move || ed.use_latest()/>
    }
}

/// The station's name, and when its status was last confirmed (with a prompt once it expired).
fn saved_summary(saved: RwSignal<Station>) -> impl IntoView {
    let lang = i18n_lang();
    let expired = move || saved.with(|s| Badge::of(&s.status, now()) == Badge::Expired);
    view! {
        <h1>{move || saved.with(|s| s.name.clone())}</h1>
        <Show when=expired>
            <p class="notice-box warn" role="status">{tr(lang, Msg::StatusExpiredPrompt)}</p>
        </Show>
        <p class="muted">
            {move || saved.with(|s| match s.status.confirmed_at {
                Some(t) => format!("{}{}", Msg::LastConfirmed.text(lang.get()), t.beijing()),
                None => Msg::NeverConfirmed.text(lang.get()).to_owned(),
            })}
        </p>
    }
}

/// A switch for each amenity the station has.
fn amenity_switches(
    amenities: RwSignal<Vec<AmenityStatus>>,
    done: RwSignal<Option<Done>>,
) -> impl IntoView {
    let lang = i18n_lang();
    // Only a change in which amenities the station has redraws the switches (keeping focus).
    let codes_offered =
        Memo::new(move |_| amenities.with(|list| list.iter().map(|a| a.code).collect::<Vec<_>>()));
    view! {
        <Show when=move || amenities.with(|a| !a.is_empty())>
            <fieldset>
                <legend>{tr(lang, Msg::Amenities)}</legend>
                <ul class="switches">
                    {move || codes_offered.get()
                        .into_iter()
                        .map(|code| view! { <AmenitySwitch code=code amenities=amenities done=done/> })
                        .collect_view()}
                </ul>
            </fieldset>
        </Show>
    }
}

/// Open or closed.
#[component]
fn StateToggle(
    state: RwSignal<StationState>,
    problems: RwSignal<Problems>,
    done: RwSignal<Option<Done>>,
) -> impl IntoView {
    let lang = i18n_lang();
    let button = move |s: StationState, m: Msg| {
        view! {
            <button type="button" class="big-toggle" class:on=move || state.get() == s
                aria-pressed=move || (state.get() == s).to_string()
                on:click=move |_| {
                    state.set(s);
                    clear(problems, "state");
                    done.set(None);
                }>
                {tr(lang, m)}
            </button>
        }
    };
    view! {
        <fieldset aria-describedby="status-state-error">
            <legend>{tr(lang, Msg::OpenState)}</legend>
            <div class="toggle-pair">
                {button(StationState::Open, Msg::StatusOpen)}
                {button(StationState::Closed, Msg::StatusClosed)}
            </div>
            <FieldError problems=problems field="state" id="status-state-error".to_owned()/>
        </fieldset>
    }
}

/// The notice riders read, with the characters left.
#[component]
fn NoticeField(
    notice: RwSignal<String>,
    problems: RwSignal<Problems>,
    done: RwSignal<Option<Done>>,
) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <div class="field">
            <label for="status-notice">{tr(lang, Msg::Notice)}</label>
            <textarea id="status-notice" rows="3" maxlength=MAX_NOTICE_CHARS
                aria-describedby="status-notice-count status-notice-error"
                aria-invalid=move || problems.with(|p| p.contains_key("notice")).to_string()
                prop:value=move || notice.get()
                on:input=move |ev| {
                    notice.set(event_target_value(&ev));
                    clear(problems, "notice");
                    done.set(None);
                }>
            </textarea>
            <p class="count muted" id="status-notice-count">
                {move || chars_left(lang.get(), MAX_NOTICE_CHARS.saturating_sub(notice.with(|n| n.chars().count())))}
            </p>
            <FieldError problems=problems field="notice" id="status-notice-error".to_owned()/>
        </div>
    }
}

/// What the last save did.
#[component]
fn DoneNote(done: RwSignal<Option<Done>>, saved: RwSignal<Station>) -> impl IntoView {
    let lang = i18n_lang();
    move || {
        done.get().map(|d| {
            let text = move || match d {
                Done::Saved => Msg::Saved.text(lang.get()).to_owned(),
                Done::Confirmed => {
                    let at = saved
                        .with(|s| s.status.confirmed_at.map(|t| t.beijing().to_string()))
                        .unwrap_or_default();
                    format!("{} · {at}", Msg::Confirmed.text(lang.get()))
                }
            };
            view! { <p class="ok" role="status">{text}</p> }
        })
    }
}

/// Someone saved first: both versions side by side, and the choice of which to keep.
#[component]
fn ConflictBox<M, L>(
    conflict: RwSignal<Option<(StatusUpdate, Station)>>,
    pending: Memo<bool>,
    /// Saves this manager's version over the latest.
    use_mine: M,
    /// Shows the latest version instead.
    use_latest: L,
) -> impl IntoView
where
    M: Fn() + Copy + Send + Sync + 'static,
    L: Fn() + Copy + Send + Sync + 'static,
{
    let lang = i18n_lang();
    move || {
        conflict.get().map(|(mine, current)| view! {
            <section class="conflict" role="alert" aria-labelledby="conflict-title">
                <h2 id="conflict-title">{tr(lang, Msg::ConflictTitle)}</h2>
                <p>{tr(lang, Msg::ConflictBody)}</p>
                <div class="side-by-side">
                    {version_view(lang, Msg::Yours, mine.state, &mine.amenities, mine.notice.as_deref())}
                    {version_view(lang, Msg::Latest, current.status.state, &current.amenities, current.status.notice.as_deref())}
                </div>
                <div class="actions">
                    <button type="button" class="primary" disabled=move || pending.get() on:click=move |_| use_mine()>
                        {tr(lang, Msg::UseMine)}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| use_latest()>
                        {tr(lang, Msg::UseLatest)}
                    </button>
                </div>
            </section>
        })
    }
}

/// One amenity's switch: checked = working.
#[component]
fn AmenitySwitch(
    code: Amenity,
    amenities: RwSignal<Vec<AmenityStatus>>,
    done: RwSignal<Option<Done>>,
) -> impl IntoView {
    let lang = i18n_lang();
    let id = format!("amenity-{}", code.as_str());
    let state_id = format!("{id}-state");
    let current = move || {
        amenities.with(|list| {
            list.iter()
                .find(|a| a.code == code)
                .map_or(AmenityState::Unknown, |a| a.state)
        })
    };
    let words = move || {
        let m = match current() {
            AmenityState::Ok => Msg::Working,
            AmenityState::OutOfOrder => Msg::Broken,
            AmenityState::Unknown => Msg::Unconfirmed,
        };
        m.text(lang.get())
    };
    view! {
        <li class="switch-row">
            <label for=id.clone()>{move || amenity(lang.get(), code)}</label>
            <input type="checkbox" role="switch" id=id aria-describedby=state_id.clone()
                prop:checked=move || current() == AmenityState::Ok
                prop:indeterminate=move || current() == AmenityState::Unknown
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    let state = if on { AmenityState::Ok } else { AmenityState::OutOfOrder };
                    amenities.update(|list| {
                        if let Some(a) = list.iter_mut().find(|a| a.code == code) {
                            a.state = state;
                        }
                    });
                    done.set(None);
                }/>
            <span class="switch-state" id=state_id class:broken=move || current() == AmenityState::OutOfOrder>
                {words}
            </span>
        </li>
    }
}

/// One side of the conflict view.
fn version_view(
    lang: Memo<Lang>,
    title: Msg,
    state: StationState,
    amenities: &[AmenityStatus],
    notice: Option<&str>,
) -> impl IntoView {
    let l = lang.get();
    let state_text = match state {
        StationState::Open => Msg::StatusOpen.text(l),
        StationState::Closed => Msg::StatusClosed.text(l),
        StationState::Unknown => Msg::Unconfirmed.text(l),
    };
    let rows: Vec<(String, &'static str)> = amenities
        .iter()
        .map(|a| {
            let m = match a.state {
                AmenityState::Ok => Msg::Working,
                AmenityState::OutOfOrder => Msg::Broken,
                AmenityState::Unknown => Msg::Unconfirmed,
            };
            (amenity(l, a.code).to_owned(), m.text(l))
        })
        .collect();
    let notice = notice
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(|| Msg::NoNotice.text(l).to_owned(), str::to_owned);
    view! {
        <div class="version">
            <h3>{tr(lang, title)}</h3>
            <dl>
                <dt>{tr(lang, Msg::OpenState)}</dt>
                <dd>{state_text}</dd>
                {rows.into_iter().map(|(name, state)| view! { <dt>{name}</dt><dd>{state}</dd> }).collect_view()}
                <dt>{tr(lang, Msg::Notice)}</dt>
                <dd>{notice}</dd>
            </dl>
        </div>
    }
}
