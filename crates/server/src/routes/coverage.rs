//! The coverage dashboard of `/admin/coverage`, over the admin's union and the unions below it:
//! `GET /api/v1/admin/coverage` (stations by state, the table sorted by confirmation age), its
//! `.csv` and its map (`coverage.svg`), and the figures week by week (`weekly`, `.csv`, `.svg`).

use std::future::Future;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use yizhan_core::coverage::{parse_district, parse_weeks, weeks_to, COVERAGE_ROWS_LIMIT};
use yizhan_core::{
    Coverage, CoverageFilter, ErrorBody, FieldCode, Lang, Series, StationId, Timestamp, UnionId,
    Weekly,
};

use crate::auth::Staff;
use crate::chart;
use crate::db::coverage::WeekScope;
use crate::error::{AppError, QueryParams};
use crate::routes::http::{download, private};
use crate::routes::responses::AdminRead;
use crate::state::AppState;

/// Rows `coverage.csv` holds at most, first by confirmation age (the whole station list is
/// `/api/v1/admin/export.csv`).
pub const CSV_ROWS_LIMIT: usize = 20_000;

/// What the coverage and weekly operations refuse, besides [`AdminRead`].
#[derive(utoipa::IntoResponses)]
#[allow(dead_code, reason = "describes answers for OpenAPI only")]
pub enum Refused {
    /// `invalid_query`: a parameter given twice.
    #[response(status = 400)]
    Malformed(ErrorBody),
    /// `invalid_input`, naming the parameter in `error.fields`: a `state` that is not one of
    /// the four or a `district`/`station` not of the admin's unions (`unknown`), a malformed
    /// `station` or `weeks` (`invalid`), `weeks` outside 1–104 (`out_of_range`).
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// Which stations: a state and a district (blank or absent: all).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// `fresh`, `stale`, `closed` or `faults`; blank or absent: every state.
    pub state: Option<String>,
    /// One of the districts the answer lists (`districts`); blank or absent: all.
    pub district: Option<String>,
    /// Language of the CSV's headers and the map's texts: `zh` (default) or `en`.
    pub lang: Option<String>,
}

/// Which figures: a district or a station of the admin's, over how many weeks.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeeklyQuery {
    /// One of the districts `/api/v1/admin/coverage` lists; blank or absent: all.
    pub district: Option<String>,
    /// A station id of the admin's unions; blank or absent: all.
    pub station: Option<String>,
    /// Weeks up to this one, 1 to 104; blank or absent: 12.
    pub weeks: Option<String>,
    /// Language of the CSV's headers and the chart's texts: `zh` (default) or `en`.
    pub lang: Option<String>,
}

/// Whether `lang=` asks for English, by core's rule (anything else is Chinese).
fn is_en(lang: Option<&str>) -> bool {
    Lang::from_param(lang) == Lang::En
}

/// What a coverage request asks, checked: an admin's unions, their districts, the filter (422
/// naming a bad value) and the language.
struct Asked {
    unions: Vec<UnionId>,
    districts: Vec<String>,
    filter: CoverageFilter,
    en: bool,
}

impl Asked {
    async fn of(state: &AppState, staff: Staff, q: &CoverageQuery) -> Result<Asked, AppError> {
        let unions = staff.admin()?.scope_list();
        let districts = state.db.coverage_districts(&unions).await?;
        let filter = CoverageFilter::parse(q.state.as_deref(), q.district.as_deref(), &districts)
            .map_err(AppError::InvalidInput)?;
        Ok(Asked {
            unions,
            districts,
            filter,
            en: is_en(q.lang.as_deref()),
        })
    }
}

/// What a download of the dashboard is.
#[derive(Clone, Copy, Debug)]
enum Format {
    /// UTF-8 with a BOM, for Excel.
    Csv,
    /// An image with no script and no web font.
    Svg,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Svg => "image/svg+xml",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Svg => "svg",
        }
    }
}

/// The steps every download of the dashboard takes: check what was asked (`asked`: the
/// admin's scope, then a 422 naming a bad value), render it, and answer the text, private, as
/// the attachment `yizhan-{name}.{csv,svg}`.
async fn send_file<A, Rendered>(
    asked: impl Future<Output = Result<A, AppError>>,
    name: &str,
    format: Format,
    render: impl FnOnce(A) -> Rendered,
) -> Result<Response, AppError>
where
    Rendered: Future<Output = Result<String, AppError>>,
{
    let body = render(asked.await?).await?;
    let filename = format!("yizhan-{name}.{}", format.extension());
    Ok(download(body, format.content_type(), &filename))
}

/// Stations by state: counts per state, the districts, and the stations the filter matches
/// (at most 500), never-confirmed first, then by oldest confirmation. States, one per station,
/// the first that applies: `faults` (an open fault report), `closed` (its manager said closed,
/// still fresh), `fresh` (open and confirmed within the expiry), else `stale`.
#[utoipa::path(get, path = "/api/v1/admin/coverage", params(CoverageQuery), security(("session" = [])),
    responses(
        (status = 200, description = "Counts over every station in scope; `matching` and `stations` for the filter", body = Coverage),
        Refused,
        AdminRead,
    ))]
pub async fn coverage(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<CoverageQuery>,
) -> Result<Response, AppError> {
    let a = Asked::of(&state, staff, &q).await?;
    let now = Timestamp::now();
    let (counts, matching) = state.db.coverage_counts(&a.unions, &a.filter, now).await?;
    let stations = state
        .db
        .coverage_rows(&a.unions, &a.filter, COVERAGE_ROWS_LIMIT, now)
        .await?;
    let c = Coverage {
        counts,
        districts: a.districts,
        matching,
        stations,
    };
    Ok(private(Json(c).into_response()))
}

/// The stations the filter matches as CSV (UTF-8 with a BOM, for Excel), headers in the
/// language asked for; at most 20,000 rows, in the table's order.
#[utoipa::path(get, path = "/api/v1/admin/coverage.csv", params(CoverageQuery), security(("session" = [])),
    responses(
        (status = 200, description = "One row per station: id, name, district, union, state, confirmed at (Beijing), open reports", content_type = "text/csv"),
        Refused,
        AdminRead,
    ))]
pub async fn coverage_csv(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<CoverageQuery>,
) -> Result<Response, AppError> {
    send_file(Asked::of(&state, staff, &q), "coverage", Format::Csv, |a| {
        coverage_table(&state, a)
    })
    .await
}

/// The coverage CSV's text: a row per station the filter matches, in the table's order.
async fn coverage_table(state: &AppState, a: Asked) -> Result<String, AppError> {
    let stations = state
        .db
        .coverage_rows(&a.unions, &a.filter, CSV_ROWS_LIMIT, Timestamp::now())
        .await?;
    let en = a.en;
    let header: &[&str] = if en {
        &[
            "id",
            "name",
            "district",
            "union",
            "state",
            "confirmed_at",
            "open_reports",
        ]
    } else {
        &[
            "编号",
            "名称",
            "区",
            "工会",
            "状态",
            "最后确认",
            "未处理报告",
        ]
    };
    let rows = stations.iter().map(|r| {
        vec![
            r.id.as_str().to_owned(),
            r.name.clone(),
            r.district.clone(),
            r.union_name.clone(),
            r.state.label(en).to_owned(),
            r.confirmed_at
                .map(|t| t.beijing().to_string())
                .unwrap_or_default(),
            r.open_reports.to_string(),
        ]
    });
    Ok(crate::transfer::csv_text(header, rows))
}

/// The stations the filter matches as dots on a map, coloured by state, with a legend that
/// names each state in text (an SVG image; no script, no web font).
#[utoipa::path(get, path = "/api/v1/admin/coverage.svg", params(CoverageQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The map as SVG (`attachment`)", content_type = "image/svg+xml"),
        Refused,
        AdminRead,
    ))]
pub async fn coverage_svg(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<CoverageQuery>,
) -> Result<Response, AppError> {
    send_file(Asked::of(&state, staff, &q), "coverage", Format::Svg, |a| {
        coverage_map(&state, a)
    })
    .await
}

/// The coverage map's SVG: the matching stations by grid cell, the legend counting them.
async fn coverage_map(state: &AppState, a: Asked) -> Result<String, AppError> {
    let Asked {
        unions, filter, en, ..
    } = a;
    let map = state.db.coverage_bounds(&unions).await?.map(chart::project);
    let cells = match map {
        Some((grid, _, _)) => {
            state
                .db
                .coverage_cells(&unions, &filter, grid, Timestamp::now())
                .await?
        }
        None => Vec::new(),
    };
    // The legend counts what is drawn.
    let mut counts = yizhan_core::CoverageCounts::default();
    for c in &cells {
        counts.add(c.state, c.stations);
    }
    let mut title = String::from(if en {
        "Stations by state"
    } else {
        "驿站状态图"
    });
    for part in [
        filter.district.clone(),
        filter.state.map(|s| s.label(en).to_owned()),
    ]
    .into_iter()
    .flatten()
    {
        title.push_str(" · ");
        title.push_str(&part);
    }
    Ok(chart::map_svg(&title, map, &cells, &counts, en))
}

/// The weeks asked for, validated: 422 naming a district or station outside the admin's, or
/// a bad number of weeks.
async fn weekly_of(state: &AppState, staff: Staff, q: &WeeklyQuery) -> Result<Weekly, AppError> {
    let unions = staff.admin()?.scope_list();
    let districts = state.db.coverage_districts(&unions).await?;
    let mut errors = yizhan_core::query::FieldErrors::new();
    let district = parse_district(q.district.as_deref(), &districts, &mut errors);
    let weeks = parse_weeks(q.weeks.as_deref(), &mut errors);
    let station = match q
        .station
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(id) => match StationId::parse(id) {
            Ok(id) if state.db.station_in(&id, &unions).await? => Some(id),
            Ok(_) => {
                errors.insert("station".into(), FieldCode::Unknown);
                None
            }
            Err(_) => {
                errors.insert("station".into(), FieldCode::Invalid);
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::InvalidInput(errors));
    }
    let scope = WeekScope {
        unions: &unions,
        district: district.as_deref(),
        station: station.as_ref(),
    };
    let figures = state
        .db
        .weekly(scope, &weeks_to(Timestamp::now(), weeks))
        .await?;
    Ok(Weekly {
        district,
        station: station.map(|s| s.as_str().to_owned()),
        weeks: figures,
    })
}

/// Figures week by week (Beijing weeks from Monday, the current one last): applications and
/// approvals, fault reports and the median hours to resolve those resolved that week, visits
/// and rider confirmations.
#[utoipa::path(get, path = "/api/v1/admin/weekly", params(WeeklyQuery), security(("session" = [])),
    responses(
        (status = 200, description = "One entry per week, oldest first", body = Weekly),
        Refused,
        AdminRead,
    ))]
pub async fn weekly(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<WeeklyQuery>,
) -> Result<Response, AppError> {
    Ok(private(
        Json(weekly_of(&state, staff, &q).await?).into_response(),
    ))
}

/// The weekly figures as CSV (UTF-8 with a BOM), a row per week, headers in the language asked.
#[utoipa::path(get, path = "/api/v1/admin/weekly.csv", params(WeeklyQuery), security(("session" = [])),
    responses(
        (status = 200, description = "`week` and a column per figure; an empty median is a week with nothing resolved", content_type = "text/csv"),
        Refused,
        AdminRead,
    ))]
pub async fn weekly_csv(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<WeeklyQuery>,
) -> Result<Response, AppError> {
    let en = is_en(q.lang.as_deref());
    send_file(
        weekly_of(&state, staff, &q),
        "weekly",
        Format::Csv,
        |w| async move { Ok(weekly_table(&w, en)) },
    )
    .await
}

/// The weekly CSV's text: `week` and a column per figure, a row per week.
fn weekly_table(w: &Weekly, en: bool) -> String {
    let mut header = vec![if en { "week" } else { "周（周一）" }];
    header.extend(Series::ALL.map(|s| if en { s.labels().1 } else { s.labels().0 }));
    let rows = w.weeks.iter().map(|week| {
        let mut row = vec![week.week.clone()];
        row.extend(Series::ALL.map(|s| s.value(week).map(|v| v.to_string()).unwrap_or_default()));
        row
    });
    crate::transfer::csv_text(&header, rows)
}

/// The weekly figures as a chart: a bar chart per figure, weeks along the bottom, titled in the
/// language asked (an SVG image; no script, no web font).
#[utoipa::path(get, path = "/api/v1/admin/weekly.svg", params(WeeklyQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The chart as SVG (`attachment`)", content_type = "image/svg+xml"),
        Refused,
        AdminRead,
    ))]
pub async fn weekly_svg(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<WeeklyQuery>,
) -> Result<Response, AppError> {
    let en = is_en(q.lang.as_deref());
    send_file(
        weekly_of(&state, staff, &q),
        "weekly",
        Format::Svg,
        |w| async move { Ok(weekly_chart(&w, en)) },
    )
    .await
}

/// The weekly chart's SVG, titled with what it covers.
fn weekly_chart(w: &Weekly, en: bool) -> String {
    let what = w
        .station
        .clone()
        .or_else(|| w.district.clone())
        .unwrap_or_else(|| (if en { "All stations" } else { "全部驿站" }).to_owned());
    let title = if en {
        format!("Weekly figures · {what} · last {} weeks", w.weeks.len())
    } else {
        format!("每周数字 · {what} · 近 {} 周", w.weeks.len())
    };
    chart::weekly_svg(&title, &w.weeks, en)
}
