//! The nearby list: the map's accessible twin. Nearest first, with distance, live status,
//! whether the hours say open, amenities with their state, and how fresh the status is.

use leptos::prelude::*;
use yizhan_core::{Station, Timestamp};

use crate::chrome::use_chrome;
use crate::components::station_bits::{amenity_class, riders_confirmed, state_class};
use crate::i18n::{use_lang, Lang, Msg, Words};
use crate::shared::route::use_location;

/// The list's element id, where [`SkipToList`](crate::components::links::SkipToList) leads.
pub const LIST_ID: &str = "station-list";
/// A link to the list ([`LIST_ID`]).
pub const LIST_HREF: &str = "#station-list";

/// How many stations draw in one task, about a phone's screenful: a long list draws in several
/// short tasks, the nearest first, so no one task holds a cheap phone up for long.
const DRAW_STEP: usize = 8;

/// How many of a list of `len` stations to draw, when `drawn` stations of the last list are on
/// the page. A list that starts with the same station (more of them, or fresher statuses)
/// keeps what is drawn; a `step` draws the next few; any other list starts again.
fn to_draw(drawn: usize, same_start: bool, step: bool, len: usize) -> usize {
    let n = match (same_start, step) {
        (false, _) => DRAW_STEP,
        (true, true) => drawn + DRAW_STEP,
        (true, false) => drawn.max(DRAW_STEP),
    };
    n.min(len)
}

/// The stations to draw now, and a step to the next few in a task of their own until every
/// station is drawn.
fn drawn_in_steps(items: Signal<Vec<(f64, Station)>>) -> Memo<Vec<(f64, Station)>> {
    let steps = RwSignal::new(0_u32);
    // The last step drawn: a new one draws the next few. What is drawn is the memo's own last
    // value.
    let seen = StoredValue::new(0_u32);
    let shown = Memo::new(move |drawn: Option<&Vec<(f64, Station)>>| {
        let step = steps.get();
        let stepped = seen.with_value(|s| *s != step);
        seen.set_value(step);
        let first = |list: &[(f64, Station)]| list.first().map(|(_, s)| s.id.clone());
        items.with(|v| {
            let same_start = drawn.is_some_and(|d| first(d) == first(v));
            let n = to_draw(drawn.map_or(0, Vec::len), same_start, stepped, v.len());
            v[..n].to_vec()
        })
    });
    Effect::new(move |_| {
        if shown.with(Vec::len) < items.with(Vec::len) {
            set_timeout(
                move || {
                    let _ = steps.try_update(|s| *s += 1);
                },
                std::time::Duration::ZERO,
            );
        }
    });
    shown
}

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
    let shown = drawn_in_steps(items);
    view! {
        // Focusable by script and fragment only, so the skip link can move focus here.
        <section class="list" id=LIST_ID tabindex="-1" aria-label=move || lang.get().t(Msg::StationList)>
            <Show when=move || items.with(Vec::is_empty)>
                <p class="muted empty">{move || lang.get().t(Msg::NoMatches)}</p>
            </Show>
            <ol class="stations">
                <For each=move || shown.get() key=|(_, s)| (s.id.clone(), s.version, s.status.state, s.confirmed_today) let((distance, s))>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_list_draws_its_first_screenful_then_a_step_at_a_time() {
        assert_eq!(to_draw(30, false, false, 30), DRAW_STEP);
        assert_eq!(to_draw(DRAW_STEP, true, true, 30), 2 * DRAW_STEP);
        assert_eq!(to_draw(3 * DRAW_STEP, true, true, 30), 30);
    }

    #[test]
    fn a_list_that_starts_the_same_keeps_what_is_drawn() {
        // "Show more" or fresher statuses: the rider's place in the list stays.
        assert_eq!(to_draw(30, true, false, 60), 30);
        assert_eq!(to_draw(3, true, false, 30), DRAW_STEP);
    }

    #[test]
    fn a_short_list_draws_whole() {
        assert_eq!(to_draw(0, false, false, 3), 3);
        assert_eq!(to_draw(0, false, false, 0), 0);
    }
}
