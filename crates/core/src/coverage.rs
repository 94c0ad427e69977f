//! The coverage dashboard of a union (its own stations and those of the unions below it): which
//! state each station is in, counted per state and listed by how long ago it was confirmed, and
//! its figures week by week. The rules here are shared by the server (which mirrors the state
//! rule in SQL) and the staff app (labels, filters).

use serde::{Deserialize, Serialize};

use crate::field::{FieldCode, FieldErrors};
use crate::ids::StationId;
use crate::station::StationState;
use crate::time::{Timestamp, Weekday};

/// Rows the coverage table answers at most (`matching` says how many there are).
pub const COVERAGE_ROWS_LIMIT: usize = 500;
/// Weeks of figures when none are asked.
pub const WEEKS_DEFAULT: u32 = 12;
/// Weeks of figures at most.
pub const WEEKS_MAX: u32 = 104;
const WEEK_SECONDS: i64 = 7 * 86_400;

/// One state per station, for the dashboard. The first that applies wins:
/// `faults` (an open, unresolved fault report), `closed` (its manager said closed and that is
/// still fresh), `fresh` (open, confirmed within the expiry), and otherwise `stale` (past its
/// expiry, never confirmed, or confirmed as unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CoverageState {
    /// Open, and its manager confirmed it within the expiry.
    Fresh,
    /// Its status is past its expiry, or was never confirmed.
    Stale,
    /// Its manager said closed, and that is still fresh.
    Closed,
    /// Riders reported a fault nobody has resolved yet.
    Faults,
}

impl CoverageState {
    /// Every state, in the order the dashboard lists them.
    pub const ALL: [CoverageState; 4] = [
        CoverageState::Fresh,
        CoverageState::Stale,
        CoverageState::Closed,
        CoverageState::Faults,
    ];

    /// The code, as in `?state=`.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageState::Fresh => "fresh",
            CoverageState::Stale => "stale",
            CoverageState::Closed => "closed",
            CoverageState::Faults => "faults",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<CoverageState> {
        CoverageState::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// The label in Chinese and in English.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            CoverageState::Fresh => ("正常", "Fresh"),
            CoverageState::Stale => ("已过期", "Stale"),
            CoverageState::Closed => ("已关闭", "Closed"),
            CoverageState::Faults => ("有故障", "Open faults"),
        }
    }

    /// The label in Chinese (`en` false) or English.
    pub fn label(self, en: bool) -> &'static str {
        let (zh, english) = self.labels();
        if en {
            english
        } else {
            zh
        }
    }

    /// The state of a station whose manager last said `said`, `fresh` when that is within the
    /// expiry, with `open_faults` unresolved fault reports.
    pub fn of(said: StationState, fresh: bool, open_faults: u64) -> CoverageState {
        match (said, fresh) {
            _ if open_faults > 0 => CoverageState::Faults,
            (StationState::Closed, true) => CoverageState::Closed,
            (StationState::Open, true) => CoverageState::Fresh,
            _ => CoverageState::Stale,
        }
    }
}

/// Stations per state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageCounts {
    /// Open and confirmed within the expiry.
    pub fresh: u64,
    /// Past the expiry or never confirmed.
    pub stale: u64,
    /// Closed, as still freshly said.
    pub closed: u64,
    /// With open fault reports.
    pub faults: u64,
}

impl CoverageCounts {
    /// The count of `state`.
    pub fn get(&self, state: CoverageState) -> u64 {
        match state {
            CoverageState::Fresh => self.fresh,
            CoverageState::Stale => self.stale,
            CoverageState::Closed => self.closed,
            CoverageState::Faults => self.faults,
        }
    }

    /// Adds `n` stations in `state`.
    pub fn add(&mut self, state: CoverageState, n: u64) {
        let into = match state {
            CoverageState::Fresh => &mut self.fresh,
            CoverageState::Stale => &mut self.stale,
            CoverageState::Closed => &mut self.closed,
            CoverageState::Faults => &mut self.faults,
        };
        *into += n;
    }

    /// All stations counted.
    pub fn total(&self) -> u64 {
        self.fresh + self.stale + self.closed + self.faults
    }
}

/// A station in the coverage table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageRow {
    /// The station.
    pub id: StationId,
    /// Its name.
    pub name: String,
    /// Its district.
    pub district: String,
    /// The union that runs it.
    pub union_name: String,
    /// Its state on the dashboard.
    pub state: CoverageState,
    /// When its manager last confirmed its status (none: never).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub confirmed_at: Option<Timestamp>,
    /// Fault reports not resolved yet.
    pub open_reports: u64,
}

/// `GET /api/v1/admin/coverage`: the union's stations by state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    /// Stations per state, over every station in scope (whatever the filter).
    pub counts: CoverageCounts,
    /// The districts of the stations in scope, sorted.
    pub districts: Vec<String>,
    /// Stations matching the filter.
    pub matching: u64,
    /// The first of them (at most 500), never-confirmed first, then the oldest confirmation.
    pub stations: Vec<CoverageRow>,
}

/// Which stations the table lists: one state, one district, or both (none: all).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CoverageFilter {
    /// Only stations in this state.
    pub state: Option<CoverageState>,
    /// Only stations in this district.
    pub district: Option<String>,
}

impl CoverageFilter {
    /// The filter of `?state=&district=` (blank: any), where `districts` are those in scope: an
    /// unknown state or a district outside the scope is named.
    pub fn parse(
        state: Option<&str>,
        district: Option<&str>,
        districts: &[String],
    ) -> Result<CoverageFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let state = match state.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(code) => CoverageState::parse(code).or_else(|| {
                errors.insert("state".into(), FieldCode::Unknown);
                None
            }),
        };
        let district = parse_district(district, districts, &mut errors);
        if errors.is_empty() {
            Ok(CoverageFilter { state, district })
        } else {
            Err(errors)
        }
    }
}

/// A `?district=` (blank: any) that must be one of `districts`.
pub fn parse_district(
    district: Option<&str>,
    districts: &[String],
    errors: &mut FieldErrors,
) -> Option<String> {
    let d = district.map(str::trim).filter(|d| !d.is_empty())?;
    if districts.iter().any(|known| known == d) {
        Some(d.to_owned())
    } else {
        errors.insert("district".into(), FieldCode::Unknown);
        None
    }
}

/// The start (Monday 00:00 Beijing time) of the week `t` is in.
pub fn week_start(t: Timestamp) -> Timestamp {
    let midnight = t.beijing_midnight();
    let weekday = midnight.beijing().weekday;
    let from_monday = Weekday::ALL.iter().position(|w| *w == weekday).unwrap_or(0);
    midnight.plus_seconds(-(from_monday as i64) * 86_400)
}

/// The last `n` weeks up to and including `now`'s: their starts, oldest first.
pub fn weeks_to(now: Timestamp, n: u32) -> Vec<Timestamp> {
    let last = week_start(now);
    (0..i64::from(n))
        .rev()
        .map(|back| last.plus_seconds(-back * WEEK_SECONDS))
        .collect()
}

/// Which of the weeks starting at `first` holds `t` (negative: before it).
pub fn week_index(first: Timestamp, t: Timestamp) -> i64 {
    (t.unix() - first.unix()).div_euclid(WEEK_SECONDS)
}

/// The `?weeks=` asked (blank: 12), from 1 to 104.
pub fn parse_weeks(weeks: Option<&str>, errors: &mut FieldErrors) -> u32 {
    match weeks.map(str::trim).filter(|w| !w.is_empty()) {
        None => WEEKS_DEFAULT,
        Some(w) => match w.parse::<u32>() {
            Ok(n) if (1..=WEEKS_MAX).contains(&n) => n,
            Ok(_) => {
                errors.insert("weeks".into(), FieldCode::OutOfRange);
                WEEKS_DEFAULT
            }
            Err(_) => {
                errors.insert("weeks".into(), FieldCode::Invalid);
                WEEKS_DEFAULT
            }
        },
    }
}

/// The median of `values` (sorted here), the mean of the middle two for an even count.
pub fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// One week's figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekFigures {
    /// The week's Monday, `YYYY-MM-DD` (Beijing).
    pub week: String,
    /// Membership applications received.
    pub applications: u64,
    /// Applications approved.
    pub approvals: u64,
    /// Fault reports received.
    pub reports: u64,
    /// Fault reports resolved this week.
    pub resolved: u64,
    /// Median hours from report to resolution, of those resolved this week (none: none were).
    pub median_hours_to_resolve: Option<f64>,
    /// Visits riders counted ("我到了").
    pub visits: u64,
    /// Riders' "this is right".
    pub confirmations: u64,
}

/// A series of [`WeekFigures`], as the chart and the CSV show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Series {
    /// Applications.
    Applications,
    /// Approvals.
    Approvals,
    /// Fault reports.
    Reports,
    /// Median hours to resolve.
    MedianHours,
    /// Visits.
    Visits,
    /// Confirmations.
    Confirmations,
}

impl Series {
    /// Every series, in chart and CSV order.
    pub const ALL: [Series; 6] = [
        Series::Applications,
        Series::Approvals,
        Series::Reports,
        Series::MedianHours,
        Series::Visits,
        Series::Confirmations,
    ];

    /// The label in Chinese and in English.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Series::Applications => ("入会申请", "Applications"),
            Series::Approvals => ("批准入会", "Approvals"),
            Series::Reports => ("故障报告", "Fault reports"),
            Series::MedianHours => ("处理用时中位数（小时）", "Median hours to resolve"),
            Series::Visits => ("服务人次（我到了）", "Visits (I'm here)"),
            Series::Confirmations => ("骑手确认", "Rider confirmations"),
        }
    }

    /// Its value in `w` (none: no report was resolved that week).
    pub fn value(self, w: &WeekFigures) -> Option<f64> {
        // Counts stay far below 2^53, so they are exact as f64.
        let n = |v: u64| Some(v as f64);
        match self {
            Series::Applications => n(w.applications),
            Series::Approvals => n(w.approvals),
            Series::Reports => n(w.reports),
            Series::MedianHours => w.median_hours_to_resolve,
            Series::Visits => n(w.visits),
            Series::Confirmations => n(w.confirmations),
        }
    }
}

/// `GET /api/v1/admin/weekly`: figures week by week, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weekly {
    /// The district asked for (none: every district in scope).
    pub district: Option<String>,
    /// The station asked for (none: every station).
    pub station: Option<String>,
    /// One entry per week, oldest first; the last is the current week so far.
    pub weeks: Vec<WeekFigures>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_fault_outranks_every_status() {
        for said in [
            StationState::Open,
            StationState::Closed,
            StationState::Unknown,
        ] {
            for fresh in [true, false] {
                assert_eq!(CoverageState::of(said, fresh, 1), CoverageState::Faults);
            }
        }
    }

    #[test]
    fn closed_counts_only_while_fresh_and_anything_not_fresh_is_stale() {
        use CoverageState as C;
        assert_eq!(C::of(StationState::Closed, true, 0), C::Closed);
        assert_eq!(C::of(StationState::Closed, false, 0), C::Stale);
        assert_eq!(C::of(StationState::Open, true, 0), C::Fresh);
        assert_eq!(C::of(StationState::Open, false, 0), C::Stale);
        assert_eq!(C::of(StationState::Unknown, true, 0), C::Stale);
    }

    #[test]
    fn state_codes_round_trip_and_unknown_ones_are_named() {
        for s in CoverageState::ALL {
            assert_eq!(CoverageState::parse(s.as_str()), Some(s));
        }
        let districts = vec!["朝阳区".to_owned()];
        let errors =
            CoverageFilter::parse(Some("rotten"), Some("海淀区"), &districts).expect_err("bad");
        assert_eq!(errors.get("state"), Some(&FieldCode::Unknown));
        assert_eq!(errors.get("district"), Some(&FieldCode::Unknown));
        let ok = CoverageFilter::parse(Some(" stale"), Some("朝阳区"), &districts).expect("ok");
        assert_eq!(ok.state, Some(CoverageState::Stale));
        assert_eq!(ok.district.as_deref(), Some("朝阳区"));
        assert_eq!(
            CoverageFilter::parse(Some(""), None, &districts),
            Ok(CoverageFilter::default())
        );
    }

    #[test]
    fn weeks_start_on_monday_midnight_in_beijing() {
        // Sunday 2026-12-06 23:30 Beijing is still in the week of Monday 2026-11-30.
        let sunday_night: Timestamp = "2026-12-06T23:30:00+08:00".parse().expect("time");
        assert_eq!(
            week_start(sunday_night).to_string(),
            "2026-11-29T16:00:00Z",
            "Monday 2026-11-30 00:00 Beijing"
        );
        // Monday 00:10 Beijing is Sunday 16:10 UTC, already the next week.
        let monday: Timestamp = "2026-12-07T00:10:00+08:00".parse().expect("time");
        assert_eq!(week_start(monday).to_string(), "2026-12-06T16:00:00Z");
        let weeks = weeks_to(sunday_night, 3);
        assert_eq!(weeks.len(), 3);
        assert_eq!(weeks[2], week_start(sunday_night));
        assert_eq!(week_index(weeks[0], sunday_night), 2);
        assert_eq!(week_index(weeks[0], weeks[0].plus_seconds(-1)), -1);
    }

    #[test]
    fn weeks_asked_must_be_a_number_from_one_to_104() {
        for (asked, code) in [
            ("0", FieldCode::OutOfRange),
            ("105", FieldCode::OutOfRange),
            ("twelve", FieldCode::Invalid),
            ("-3", FieldCode::Invalid),
        ] {
            let mut errors = FieldErrors::new();
            parse_weeks(Some(asked), &mut errors);
            assert_eq!(errors.get("weeks"), Some(&code), "{asked}");
        }
        let mut errors = FieldErrors::new();
        assert_eq!(parse_weeks(None, &mut errors), 12);
        assert_eq!(parse_weeks(Some("4"), &mut errors), 4);
        assert!(errors.is_empty());
    }

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 10.0]), Some(3.0));
    }
}
