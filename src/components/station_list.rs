//! The nearby list: the map's accessible twin. Nearest first, with distance, live status,
//! whether the hours say open, amenities with their state, and how fresh the status is.

use leptos::prelude::*;
use yizhan_core::{Station, Timestamp};

use crate::chrome::use_chrome;
use crate::components::station_bits::{amenity_class, riders_confirmed, state_class};
use crate::i18n::{use_lang, Lang, Msg, Words};
use crate::shared::route::use_location;

/// How many stations the list shows.
pub const LIST_LEN: usize = 30;

/// The list's element id, where [`SkipToList`](crate::components::links::SkipToList) leads.
pub const LIST_ID: &str = "station-list";
/// A link to the list ([`LIST_ID`]).
pub const LIST_HREF: &str = "#station-list";

fn freshness(lang: Lang, s: &Station, now: Timestamp) -> String {
    match s.status.confirmed_at {
        Some(t) => format!(
            "{} {}",
            lang.ago(t.minutes_ago(now)),
            lang.t(Msg::Confirmed)
        ),
        None => lang.t(Msg::NeverConfirmed).to_owned(),
    }
}

/// The list.
#[component]
pub fn StationList(
    /// Stations with their distance, nearest first.
    #[prop(into)]
    items: Signal<Vec<(f64, Station)>>,
    /// The time the list is judged at.
    now: Timestamp,
) -> impl IntoView {
    let lang = use_lang();
    let chrome = use_chrome();
    let search = use_location().search;
    view! {
        // Focusable by script and fragment only, so the skip link can move focus here.
        <section class="list" id=LIST_ID tabindex="-1" aria-label=move || lang.get().t(Msg::StationList)>
            <Show when=move || items.with(Vec::is_empty)>
                <p class="muted empty">{move || lang.get().t(Msg::NoMatches)}</p>
            </Show>
            <ol class="stations">
                <For each=move || items.get() key=|(_, s)| (s.id.clone(), s.version, s.status.state, s.confirmed_today) let((distance, s))>
                    {
                        let id = s.id.clone();
                        let href = move || chrome.station_href(id.as_str(), lang.get(), || search.get());
                        let open_by_hours = s.hours.is_open_with(now, &crate::settings::holidays());
                        let state = s.status.state;
                        let station = s.clone();
                        view! {
                            <li class="station">
                                <a class="station-name" href=href>{s.name.clone()}</a>
                                <p class="station-meta">
                                    <span class="distance">{move || lang.get().distance(distance)}</span>
                                    " "
                                    <span class=state_class(state)>{move || lang.get().station_state(state)}</span>
                                    " "
                                    <span class="muted">{move || lang.get().t(if open_by_hours { Msg::OpenNowBadge } else { Msg::ClosedNowBadge })}</span>
                                </p>
                                <ul class="amenities small">
                                    {s.amenities.iter().map(|a| {
                                        let a = *a;
                                        view! { <li class=amenity_class(a.state)>{move || lang.get().amenity(a.code)}<span class="visually-hidden">{move || format!("·{}", lang.get().amenity_state(a.state))}</span></li> }
                                    }).collect_view()}
                                </ul>
                                <p class="muted fresh">{move || freshness(lang.get(), &station, now)}</p>
                                {riders_confirmed(lang, s.confirmed_today)}
                            </li>
                        }
                    }
                </For>
            </ol>
        </section>
    }
}
