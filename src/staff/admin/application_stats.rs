//! `/admin/applications/stats`: how many applications each station brought in, and how many of
//! them were approved — the station gets the credit. A bar chart of plain elements (widths set
//! through the CSS object model, which the page's style policy allows); each bar carries its
//! numbers as text for screen readers, and the numbers are printed beside it too.

use leptos::prelude::*;
use yizhan_core::{ApplicationStats, StationCount};

use crate::staff::api::use_client;
use crate::staff::fields::LoadState;
use crate::staff::i18n::{counts_text, i18n_lang, station_counts, tr, without_station, Msg};
use crate::staff::pages::Page;
use crate::staff::state::use_session;

/// One station's bar: lengths in percent of the longest bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The station's counts.
    pub count: StationCount,
    /// Applications, 0–100.
    pub applications_pct: f64,
    /// Approvals, 0–100 (on the same scale).
    pub approvals_pct: f64,
}

/// `n` as a percentage of `max`; anything above zero is at least a sliver, so it shows.
#[allow(
    clippy::cast_precision_loss,
    reason = "counts far below 2^52; a bar's width needs no more precision"
)]
fn percent(n: u64, max: u64) -> f64 {
    if n == 0 || max == 0 {
        0.0
    } else {
        (n as f64 / max as f64 * 100.0).clamp(1.0, 100.0)
    }
}

/// The stations as bars, most applications first (then by name), scaled to the busiest.
pub fn bars(stats: &ApplicationStats) -> Vec<Bar> {
    let mut counts = stats.stations.clone();
    counts.sort_by(|a, b| {
        b.applications
            .cmp(&a.applications)
            .then_with(|| a.station_name.cmp(&b.station_name))
    });
    let max = counts.first().map_or(0, |c| c.applications);
    counts
        .into_iter()
        .map(|c| Bar {
            applications_pct: percent(c.applications, max),
            approvals_pct: percent(c.approvals.min(c.applications), max),
            count: c,
        })
        .collect()
}

/// The page.
#[component]
pub fn ApplicationStatsPage() -> impl IntoView {
    let lang = i18n_lang();
    let session = use_session();
    let client = use_client();
    let data = LocalResource::new(move || {
        session.epoch();
        async move { client.application_stats().await }
    });
    let chart = move || {
        let l = lang.get();
        data.get().and_then(Result::ok).map(|stats| {
            let rows = bars(&stats);
            let total = stats.without_station;
            let list = if rows.is_empty() {
                view! { <p class="muted">{Msg::NoApplicationsYet.text(l)}</p> }.into_any()
            } else {
                view! {
                    <p class="legend" aria-hidden="true">
                        <span class="swatch swatch-applications"></span>{Msg::LegendApplications.text(l)}
                        <span class="swatch swatch-approvals"></span>{Msg::LegendApprovals.text(l)}
                    </p>
                    <ul class="bar-chart">
                        {rows.into_iter().map(|b| {
                            let c = b.count;
                            view! {
                                <li>
                                    <span class="sr-only">
                                        {station_counts(l, &c.station_name, c.applications, c.approvals)}
                                    </span>
                                    <div class="bar-row" aria-hidden="true">
                                        <span class="bar-label">{c.station_name.clone()}</span>
                                        <div class="bar-track">
                                            <div class="bar bar-applications"
                                                style:width=format!("{:.1}%", b.applications_pct)></div>
                                            <div class="bar bar-approvals"
                                                style:width=format!("{:.1}%", b.approvals_pct)></div>
                                        </div>
                                        <span class="bar-value">{counts_text(l, c.applications, c.approvals)}</span>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            };
            view! {
                {list}
                <p class="without-station">{without_station(l, total.applications, total.approvals)}</p>
            }
        })
    };
    view! {
        <p class="back">
            <a href=move || Page::Applications.href(lang.get(), "")>{tr(lang, Msg::BackToApplications)}</a>
        </p>
        <h1>{tr(lang, Msg::StatsTitle)}</h1>
        <p class="muted">{tr(lang, Msg::StatsNote)}</p>
        {move || match data.get() {
            None => Some(view! { <LoadState error=None retry=move || data.refetch()/> }.into_any()),
            Some(Err(e)) => Some(view! { <LoadState error=Some(e) retry=move || data.refetch()/> }.into_any()),
            Some(Ok(_)) => None,
        }}
        {chart}
    }
}
