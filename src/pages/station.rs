//! `/stations/{id}`: one station — status, notice, amenities, hours, contact, union. The embed
//! shows the same details inside its frame (`/embed?station={id}`), read-only: no fault report,
//! and "join" and "full map" open a new tab.

use leptos::either::Either;
use leptos::prelude::*;
use yizhan_core::handoff::{self, NavApp};
use yizhan_core::holidays::DayKind;
use yizhan_core::opening_hours::{format_minute, OpeningHours};
use yizhan_core::{Amenity, AmenityStatus, Station};

use crate::api;
use crate::chrome::{join_href, use_chrome, Chrome};
use crate::components::links::{FullMapLink, LangSwitch};
use crate::components::report_form::ReportSection;
use crate::components::station_bits::{amenity_class, riders_confirmed, state_class};
use crate::components::visit_button::ImHere;
use crate::i18n::{use_lang, Lang, Msg, Words};
use crate::shared::browser::now;
use crate::shared::load::Latest;
use crate::shared::route::use_location;
use crate::shared::services_card::{CardWords, ServicesCard};

/// The station page: the id comes from the path (`/stations/{id}`), or in the embed from
/// `?station={id}`.
#[component]
pub fn StationPage() -> impl IntoView {
    let lang = use_lang();
    let chrome = use_chrome();
    let location = use_location();
    let in_frame = location.param("station");
    // The path's id is still percent-encoded: the API path takes it as it is.
    let id = Memo::new(move |_| match chrome {
        Chrome::Page => location
            .pathname
            .with(|p| yizhan_core::pages::station_id(p).map(str::to_owned)),
        Chrome::Embed => in_frame
            .get()
            .map(|s| js_sys::encode_uri_component(&s).into()),
    });
    let search = location.search;
    let back = move || chrome.map_href(lang.get(), || search.get());
    let station = Latest::new();
    let fetch = move || {
        let id = id.get_untracked().unwrap_or_default();
        let lang = lang.get_untracked();
        station.restart(async move { api::station(&id, lang).await });
    };
    let _fetch = Effect::watch(move || id.get(), move |_, _, _| fetch(), true);
    view! {
        {move || match station.get() {
            None => view! { <main class="page narrow"><p role="status">{lang.get().t(Msg::Loading)}</p></main> }.into_any(),
            Some(Ok(s)) => view! { <StationDetails station=s/> }.into_any(),
            Some(Err(e)) if e.is_not_found() => view! {
                <main class="page narrow">
                    <h1>{lang.get().t(Msg::NotFoundTitle)}</h1>
                    <p>{lang.get().t(Msg::StationNotFound)}</p>
                    <a href=back>{lang.get().t(Msg::BackToMap)}</a>
                </main>
            }.into_any(),
            Some(Err(_)) => view! {
                <main class="page narrow">
                    <div class="error" role="alert">
                        <p>{lang.get().t(Msg::LoadFailed)}</p>
                        <button type="button" on:click=move |_| fetch()>{lang.get().t(Msg::Retry)}</button>
                    </div>
                    <a href=back>{lang.get().t(Msg::BackToMap)}</a>
                </main>
            }.into_any(),
        }}
    }
}

fn range_text(lang: Lang, (start, end): (u16, u16)) -> String {
    let end_text = if end > 24 * 60 {
        format!("{} {}", lang.t(Msg::NextDay), format_minute(end))
    } else {
        format_minute(end)
    };
    format!("{}–{}", format_minute(start), end_text)
}

fn nav_label(app: NavApp) -> Msg {
    match app {
        NavApp::Amap => Msg::NavAmap,
        NavApp::Baidu => Msg::NavBaidu,
        NavApp::Apple => Msg::NavApple,
        NavApp::Geo => Msg::NavGeo,
    }
}

/// One station's details; the sections below are plain functions of the page language.
#[component]
fn StationDetails(station: Station) -> impl IntoView {
    let lang = use_lang();
    let chrome = use_chrome();
    let embed = chrome == Chrome::Embed;
    let search = use_location().search;
    let t = now();
    let holidays = crate::settings::holidays();
    let open_by_hours = station.hours.is_open_with(t, &holidays);
    let day_kind = holidays.kind(&t.beijing());
    let confirmed = station.status.confirmed_at.map(|c| c.minutes_ago(t));
    let nav: Vec<(NavApp, String)> = {
        let ua = window().navigator().user_agent().unwrap_or_default();
        handoff::apps_for(&ua)
            .into_iter()
            .map(|app| (app, handoff::link(app, station.location, &station.name)))
            .collect()
    };
    let station_id = station.id.as_str().to_owned();
    // Ids are lowercase letters, digits and dashes: the path needs no encoding.
    let card_id = station_id.clone();
    let offered: Vec<_> = station.amenities.iter().map(|a| a.code).collect();
    let Station {
        name,
        address,
        district,
        union,
        amenities,
        status,
        phone,
        hours,
        replies,
        confirmed_today,
        ..
    } = station;
    let replies: Vec<_> = replies
        .into_iter()
        .map(|r| (r.amenity, r.reply, r.resolved_at.minutes_ago(t)))
        .collect();
    view! {
        <main class="page narrow station">
            <nav class="bar">
                <a href=move || chrome.map_href(lang.get(), || search.get())>{move || lang.get().t(Msg::BackToMap)}</a>
                {embed.then(|| view! { <FullMapLink search=search/> })}
                <LangSwitch/>
            </nav>
            <h1>{name}</h1>
            <p>
                <span class=state_class(status.state)>{move || lang.get().station_state(status.state)}</span>
                " "
                <span class="muted">{move || lang.get().t(if open_by_hours { Msg::OpenNow } else { Msg::ClosedNow })}</span>
            </p>
            <p class="muted">
                {move || match confirmed {
                    Some(m) => format!("{} {}", lang.get().t(Msg::LastConfirmed), lang.get().ago(m)),
                    None => lang.get().t(Msg::NeverConfirmed).to_string(),
                }}
            </p>
            {riders_confirmed(lang, confirmed_today)}
            {status.notice.map(|n| view! {
                <section class="notice" aria-label=move || lang.get().t(Msg::Notice)><p>{n}</p></section>
            })}
            {(!replies.is_empty()).then(|| replies_view(lang, replies))}
            {links_view(lang, nav, amenities)}
            // The embed is read-only: where riders report a fault, it offers to join the union.
            {if embed {
                Either::Left(view! {
                    <p><a class="join" href=move || join_href(&station_id, lang.get()) target="_blank" rel="noopener">
                        {move || lang.get().t(Msg::Join)}
                    </a></p>
                })
            } else {
                let id = station_id.clone();
                Either::Right(view! {
                    <ImHere station=id.clone()/>
                    <ReportSection station_id=station_id amenities=offered/>
                    <p><a class="join" href=move || join_href(&id, lang.get())>{move || lang.get().t(Msg::Join)}</a></p>
                })
            }}
            <StationServices id=card_id/>
            {hours_view(lang, hours, t.beijing().weekday.index(), day_kind)}
            <section>
                <h2>{move || lang.get().t(Msg::Address)}</h2>
                <p>{address}" ("{district}")"</p>
                <h2>{move || lang.get().t(Msg::Union)}</h2>
                <p>{union.name}</p>
                {phone.map(|p| {
                    let href = format!("tel:{}", p.replace(' ', ""));
                    view! {
                        <h2>{move || lang.get().t(Msg::Phone)}</h2>
                        <p><a href=href>{p}</a></p>
                    }
                })}
            </section>
        </main>
    }
}

/// What staff answered to recent fault reports, and how long ago.
fn replies_view(lang: Memo<Lang>, replies: Vec<(Option<Amenity>, String, i64)>) -> impl IntoView {
    view! {
        <section class="replies">
            <h2>{move || lang.get().t(Msg::StaffReplies)}</h2>
            <ul>
                {replies.into_iter().map(|(what, reply, ago)| view! {
                    <li>
                        {what.map(|a| view! { <strong>{move || lang.get().amenity(a)}</strong>" " })}
                        {reply}
                        " "<span class="muted">{move || lang.get().ago(ago)}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The navigation apps that open the way there, and the station's amenities with their state.
fn links_view(
    lang: Memo<Lang>,
    nav: Vec<(NavApp, String)>,
    amenities: Vec<AmenityStatus>,
) -> impl IntoView {
    view! {
        <section>
            <h2>{move || lang.get().t(Msg::Navigate)}</h2>
            <ul class="nav-links">
                {nav.into_iter().map(|(app, href)| view! {
                    <li><a href=href rel="noopener noreferrer" target="_blank">{move || lang.get().t(nav_label(app))}</a></li>
                }).collect_view()}
            </ul>
        </section>
        <section>
            <h2>{move || lang.get().t(Msg::Amenities)}</h2>
            <ul class="amenities">
                {amenities.into_iter().map(|a| view! {
                    <li class=amenity_class(a.state)>
                        {move || lang.get().amenity(a.code)}"·"{move || lang.get().amenity_state(a.state)}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The opening hours as written, and the week they make, today marked: with a line for public
/// holidays when the hours name them (marked on a holiday), and a note on a make-up working day.
fn hours_view(lang: Memo<Lang>, hours: OpeningHours, today: usize, kind: DayKind) -> impl IntoView {
    let week = hours.week();
    let holiday = hours.holiday_ranges().map(<[(u16, u16)]>::to_vec);
    let on_holiday = kind == DayKind::Holiday && holiday.is_some();
    let written = hours.as_str().to_owned();
    let ranges_text = move |l: Lang, ranges: &[(u16, u16)]| {
        if ranges.is_empty() {
            l.t(Msg::Closed).to_string()
        } else {
            ranges
                .iter()
                .map(|r| range_text(l, *r))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    view! {
        <section>
            <h2>{move || lang.get().t(Msg::Hours)}</h2>
            <p class="muted"><code>{written}</code></p>
            <table class="week">
                <tbody>
                    {week.into_iter().enumerate().map(|(i, day)| {
                        let ranges = day.ranges.clone();
                        view! {
                            <tr class:today=i == today && !on_holiday>
                                <th scope="row">{move || lang.get().weekday(i)}</th>
                                <td>{move || ranges_text(lang.get(), &ranges)}</td>
                            </tr>
                        }
                    }).collect_view()}
                    {holiday.map(|ranges| view! {
                        <tr class:today=on_holiday>
                            <th scope="row">{move || lang.get().t(Msg::PublicHolidays)}</th>
                            <td>{move || ranges_text(lang.get(), &ranges)}</td>
                        </tr>
                    })}
                </tbody>
            </table>
            {(kind == DayKind::MakeUpWorkday).then(|| view! {
                <p class="muted">{move || lang.get().t(Msg::MakeUpWorkday)}</p>
            })}
        </section>
    }
}

/// The station's services card, read after the station so it never holds up the status a rider
/// came for.
#[component]
fn StationServices(id: String) -> impl IntoView {
    let lang = use_lang();
    // One closure type for the three words: one copy of the signal code in the bundle.
    let word = move |m: Msg| Signal::derive(move || lang.get().t(m));
    let words = CardWords {
        heading: word(Msg::UnionServices),
        hotline: word(Msg::Hotline),
        hotline_line: word(Msg::HotlineLine),
    };
    view! { <ServicesCard url=api::services_url(&id) words=words/> }
}
