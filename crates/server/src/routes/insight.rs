//! `GET /api/v1/admin/numbers` (and `.csv`): the numbers a union puts in its report for a period,
//! over the admin's union and the unions below it.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use yizhan_core::{Period, Timestamp, UnionNumbers};

use crate::auth::Staff;
use crate::error::{AppError, QueryParams};
use crate::routes::http::{download, private};
use crate::routes::responses::AdminRead;
use crate::state::AppState;

/// The period asked for.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day, `YYYY-MM-DD` (Beijing); blank or absent: 30 days before `to`. The pattern
    /// lists the days every month has; the 29th to 31st work where the month has them.
    #[param(pattern = r"^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))?$")]
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (Beijing), included; blank or absent: today. A `to` before
    /// `from` is a period with no day (everything but the stations counts 0).
    #[param(pattern = r"^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))?$")]
    pub to: Option<String>,
    /// Language of the CSV's labels and of error messages: `zh` or `en`.
    pub lang: Option<String>,
}

async fn numbers_of(
    state: &AppState,
    staff: &Staff,
    q: &PeriodQuery,
) -> Result<UnionNumbers, AppError> {
    let period = Period::parse(q.from.as_deref(), q.to.as_deref(), Timestamp::now())
        .map_err(AppError::InvalidQuery)?;
    Ok(state.db.union_numbers(&staff.scope_list(), period).await?)
}

/// The report's numbers: stations, 24-hour stations, visits, confirmations, applications,
/// approvals, fault reports and those resolved.
#[utoipa::path(get, path = "/api/v1/admin/numbers", params(PeriodQuery), security(("session" = [])),
    responses(
        (status = 200, description = "The numbers for the period (stations as of today)", body = UnionNumbers),
        (status = 400, description = "`invalid_query`: `from` or `to` is not a day of the calendar (`invalid`)", body = yizhan_core::ErrorBody),
        AdminRead,
    ))]
pub async fn numbers(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<PeriodQuery>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    Ok(private(
        Json(numbers_of(&state, &staff, &q).await?).into_response(),
    ))
}

/// The same numbers as a two-column CSV (UTF-8 with a BOM, for Excel), labels in the language
/// asked for.
#[utoipa::path(get, path = "/api/v1/admin/numbers.csv", params(PeriodQuery), security(("session" = [])),
    responses(
        (status = 200, description = "`item,number` rows, the period first", content_type = "text/csv"),
        (status = 400, description = "`invalid_query`: as `/api/v1/admin/numbers`", body = yizhan_core::ErrorBody),
        AdminRead,
    ))]
pub async fn numbers_csv(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(q): QueryParams<PeriodQuery>,
) -> Result<Response, AppError> {
    let staff = staff.admin()?;
    let n = numbers_of(&state, &staff, &q).await?;
    let en = q.lang.as_deref() == Some("en");
    let mut csv = String::from("\u{feff}");
    let (item, number, period) = if en {
        ("item", "number", "period")
    } else {
        ("项目", "数字", "时间段")
    };
    csv.push_str(&format!(
        "{item},{number}\r\n{period},{} – {}\r\n",
        n.from, n.to
    ));
    for (zh, english, value) in n.rows() {
        csv.push_str(&format!("{},{value}\r\n", if en { english } else { zh }));
    }
    Ok(download(
        csv,
        "text/csv; charset=utf-8",
        &format!("yizhan-numbers-{}-{}.csv", n.from, n.to),
    ))
}
