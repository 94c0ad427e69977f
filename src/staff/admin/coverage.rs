//! `/admin/coverage`: the union's stations by state (fresh, stale, closed, open faults) over its
//! own union and those below it — counts, a map and a table sorted by how long ago each was
//! confirmed, filtered by state and district — and the chosen district's figures week by week.
//! The map and the chart are SVG pictures the server draws; the page only links them.

use leptos::prelude::*;
use yizhan_core::{Coverage, CoverageRow, CoverageState};

use crate::staff::api::{self, use_client};
use crate::staff::fields::{ErrorNote, LoadState};
use crate::staff::i18n::{coverage_caption, i18n_lang, tr, Lang, Msg};
use crate::staff::state::use_session;

/// The filter the admin chose (blank: all) and the districts there are to choose from. A
/// refused filter keeps the choice on screen: only the answer's problems change.
#[derive(Clone, Copy)]
struct Filter {
    state: RwSignal<String>,
    district: RwSignal<String>,
    districts: RwSignal<Vec<String>>,
    /// The fields the server refused (`state`, `district`).
    refused: RwSignal<Vec<String>>,
}

impl Filter {
    fn new() -> Filter {
        Filter {
            state: RwSignal::new(String::new()),
            district: RwSignal::new(String::new()),
            districts: RwSignal::new(Vec::new()),
            refused: RwSignal::new(Vec::new()),
        }
    }

    /// Takes in an answer: the districts of a good one, the refused fields of a bad one.
    fn answered(self, answer: &Result<Coverage, api::Error>) {
        match answer {
            Ok(c) => {
                self.districts.set(c.districts.clone());
                self.refused.set(Vec::new());
            }
            Err(e) => self.refused.set(e.fields().into_keys().collect()),
        }
    }

    fn url(self, what: &str, lang: Lang) -> String {
        api::coverage_url(what, &self.state.get(), &self.district.get(), Some(lang))
    }
}

/// Whether labels are in English.
fn en(lang: Lang) -> bool {
    lang == Lang::En
}

/// The page.
#[component]
pub fn CoveragePage() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let filter = Filter::new();
    let data = LocalResource::new(move || {
        session.epoch();
        let (state, district) = (filter.state.get(), filter.district.get());
        async move { client.coverage(&state, &district).await }
    });
    let error = RwSignal::new(None::<api::Error>);
    Effect::new(move || {
        if let Some(answer) = data.get() {
            filter.answered(&answer);
            error.set(answer.err());
        }
    });
    view! {
        <h1>{tr(lang, Msg::CoverageTitle)}</h1>
        <p class="muted">{tr(lang, Msg::CoverageIntro)}</p>
        <Filters filter=filter/>
        <ErrorNote error=error/>
        {move || match data.get() {
            None => Some(view! { <LoadState error=None retry=move || data.refetch()/> }.into_any()),
            Some(Ok(c)) => Some(view! { <Overview coverage=c filter=filter/> }.into_any()),
            Some(Err(_)) => None,
        }}
        <WeeklyChart district=filter.district/>
    }
}

/// The state and district choices, applied as they change.
#[component]
fn Filters(filter: Filter) -> impl IntoView {
    let lang = i18n_lang();
    let refused =
        move |field: &'static str| move || filter.refused.with(|r| r.iter().any(|f| f == field));
    let note = move |field: &'static str, id: &'static str| {
        move || {
            refused(field)().then(
                || view! { <p class="field-error" id=id>{tr(lang, Msg::CoverageBadFilter)}</p> },
            )
        }
    };
    view! {
        <form class="filters coverage-filters" role="search" on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="coverage-state">{tr(lang, Msg::CoverageState)}</label>
                <select id="coverage-state" aria-invalid=move || refused("state")().to_string()
                    aria-describedby="coverage-state-error"
                    on:change=move |ev| filter.state.set(event_target_value(&ev))>
                    <option value="" selected=move || filter.state.get().is_empty()>{tr(lang, Msg::AllStates)}</option>
                    {CoverageState::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=move || filter.state.get() == s.as_str()>
                            {move || s.label(en(lang.get()))}
                        </option>
                    }).collect_view()}
                </select>
                {note("state", "coverage-state-error")}
            </div>
            <div class="field">
                <label for="coverage-district">{tr(lang, Msg::CoverageDistrict)}</label>
                <select id="coverage-district" aria-invalid=move || refused("district")().to_string()
                    aria-describedby="coverage-district-error"
                    on:change=move |ev| filter.district.set(event_target_value(&ev))>
                    <option value="" selected=move || filter.district.get().is_empty()>{tr(lang, Msg::CoverageAllDistricts)}</option>
                    {move || filter.districts.get().into_iter().map(|d| {
                        let (value, is) = (d.clone(), d.clone());
                        view! { <option value=value selected=move || filter.district.get() == is>{d}</option> }
                    }).collect_view()}
                </select>
                {note("district", "coverage-district-error")}
            </div>
        </form>
    }
}

/// Counts per state, the map, the table and its CSV.
#[component]
fn Overview(coverage: Coverage, filter: Filter) -> impl IntoView {
    let lang = i18n_lang();
    let counts = coverage.counts;
    let summary = move || {
        CoverageState::ALL
            .map(|s| format!("{} {}", s.label(en(lang.get())), counts.get(s)))
            .join(" · ")
    };
    let alt = move || format!("{}：{}", Msg::CoverageMap.text(lang.get()), summary());
    view! {
        <section aria-labelledby="coverage-summary">
            <h2 id="coverage-summary">{tr(lang, Msg::CoverageSummary)}</h2>
            <ul class="plain-list coverage-counts">
                {CoverageState::ALL.into_iter().map(|s| view! {
                    <li class=format!("state-{}", s.as_str())>
                        <strong>{counts.get(s)}</strong>" "{move || s.label(en(lang.get()))}
                    </li>
                }).collect_view()}
            </ul>
            <img class="coverage-map" src=move || filter.url(".svg", lang.get()) alt=alt/>
        </section>
        <CoverageTable rows=coverage.stations matching=coverage.matching/>
        <p><a href=move || filter.url(".csv", lang.get()) download="">{tr(lang, Msg::CoverageCsv)}</a></p>
    }
}

/// The stations, the longest unconfirmed first; each state in words.
#[component]
fn CoverageTable(rows: Vec<CoverageRow>, matching: u64) -> impl IntoView {
    let lang = i18n_lang();
    if rows.is_empty() {
        return view! { <p class="muted">{tr(lang, Msg::CoverageEmpty)}</p> }.into_any();
    }
    let shown = rows.len();
    view! {
        <table class="data coverage-table">
            <caption>{move || coverage_caption(lang.get(), shown, matching)}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr(lang, Msg::ColStation)}</th>
                    <th scope="col">{tr(lang, Msg::ColDistrict)}</th>
                    <th scope="col">{tr(lang, Msg::ColUnion)}</th>
                    <th scope="col">{tr(lang, Msg::ColStatus)}</th>
                    <th scope="col">{tr(lang, Msg::ColConfirmed)}</th>
                    <th scope="col">{tr(lang, Msg::ColOpenReports)}</th>
                    <th scope="col">{tr(lang, Msg::ColWeekly)}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let confirmed = r.confirmed_at.map(|t| t.beijing().to_string());
                    let id = r.id.to_string();
                    view! {
                        <tr>
                            <th scope="row">{r.name}</th>
                            <td>{r.district}</td>
                            <td>{r.union_name}</td>
                            <td class=format!("state-{}", r.state.as_str())>{move || r.state.label(en(lang.get()))}</td>
                            <td>{move || confirmed.clone().unwrap_or_else(|| Msg::NeverConfirmed.text(lang.get()).to_owned())}</td>
                            <td>{r.open_reports}</td>
                            <td><a href=move || api::station_weekly_url(&id, lang.get()) download="">
                                {tr(lang, Msg::StationChart)}
                            </a></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The chosen district's figures week by week, as the server's chart, with its downloads.
#[component]
fn WeeklyChart(district: RwSignal<String>) -> impl IntoView {
    let lang = i18n_lang();
    let url = move |what: &str| api::weekly_url(what, &district.get(), lang.get());
    let alt = move || {
        let d = district.get();
        let all = Msg::CoverageAllDistricts.text(lang.get());
        format!(
            "{}：{}",
            Msg::WeeklyTitle.text(lang.get()),
            if d.is_empty() { all } else { &d }
        )
    };
    view! {
        <section aria-labelledby="weekly-title">
            <h2 id="weekly-title">{tr(lang, Msg::WeeklyTitle)}</h2>
            <img class="weekly-chart" src=move || url(".svg") alt=alt/>
            <p class="downloads">
                <a href=move || url(".svg") download="">{tr(lang, Msg::DownloadChart)}</a>
                " · "
                <a href=move || url(".csv") download="">{tr(lang, Msg::DownloadData)}</a>
            </p>
        </section>
    }
}
