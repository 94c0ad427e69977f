//! The numbers a union puts in its report for a period ("服务户外劳动者 N 人次"): its stations,
//! the 24-hour ones, riders' visits and confirmations, applications and approvals, fault reports
//! and those resolved. Read by the admin's home page and downloadable as CSV.

use serde::{Deserialize, Serialize};

use crate::field::{FieldCode, FieldErrors};
use crate::time::Timestamp;

/// The period when none is asked: the last 30 days, today included.
pub const PERIOD_DEFAULT_DAYS: i64 = 30;

/// Whole Beijing days, `from` to `to` inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// 00:00 Beijing time of the first day.
    pub start: Timestamp,
    /// 00:00 Beijing time of the day after the last.
    pub end: Timestamp,
}

/// `2026-12-06` as the start of that day in Beijing.
fn day(text: &str) -> Option<Timestamp> {
    let t = text.trim();
    let shaped = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    let start: Timestamp = format!("{t}T00:00:00+08:00").parse().ok()?;
    // `2026-02-31` would parse as a day in March: only a date that prints back as given counts.
    (start.beijing().to_string().get(..10) == Some(t)).then_some(start)
}

impl Period {
    /// The period of the `from` and `to` dates (`YYYY-MM-DD`, Beijing); either may be absent:
    /// `to` is then today, `from` 30 days before `to`.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        now: Timestamp,
    ) -> Result<Period, FieldErrors> {
        let mut errors = FieldErrors::new();
        let last = match to.filter(|t| !t.trim().is_empty()) {
            None => Some(now.beijing_midnight()),
            Some(t) => day(t).or_else(|| {
                errors.insert("to".into(), FieldCode::Invalid);
                None
            }),
        };
        let first = match from.filter(|f| !f.trim().is_empty()) {
            None => last.map(|l| l.plus_seconds(-(PERIOD_DEFAULT_DAYS - 1) * 86_400)),
            Some(f) => day(f).or_else(|| {
                errors.insert("from".into(), FieldCode::Invalid);
                None
            }),
        };
        match (first, last) {
            (Some(start), Some(last)) if errors.is_empty() => Ok(Period {
                start,
                end: last.plus_seconds(86_400),
            }),
            _ => Err(errors),
        }
    }

    /// Whether `from` is after `to`: such a period holds no day (forms say so before asking).
    pub fn is_backwards(self) -> bool {
        self.start >= self.end
    }

    /// The first day, `YYYY-MM-DD`.
    pub fn from_date(self) -> String {
        date_of(self.start)
    }

    /// The last day, `YYYY-MM-DD`.
    pub fn to_date(self) -> String {
        date_of(self.end.plus_seconds(-86_400))
    }
}

fn date_of(t: Timestamp) -> String {
    t.beijing().to_string().chars().take(10).collect()
}

/// `GET /api/v1/admin/numbers`: the admin's union and the unions below it, for a period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionNumbers {
    /// First day, `YYYY-MM-DD` (Beijing).
    pub from: String,
    /// Last day, `YYYY-MM-DD` (Beijing), included.
    pub to: String,
    /// Stations riders can find (today).
    pub stations: u64,
    /// Of them, open 24 hours (`24/7`).
    pub stations_24h: u64,
    /// Visits riders counted ("我到了").
    pub visits: u64,
    /// Riders' "this is right".
    pub confirmations: u64,
    /// Membership applications received.
    pub applications: u64,
    /// Applications approved.
    pub approvals: u64,
    /// Fault reports received.
    pub reports: u64,
    /// Fault reports resolved.
    pub reports_resolved: u64,
}

impl UnionNumbers {
    /// The numbers as `(label in Chinese, label in English, value)`, in report order.
    pub fn rows(&self) -> [(&'static str, &'static str, u64); 8] {
        [
            ("驿站", "Stations", self.stations),
            ("24小时驿站", "24-hour stations", self.stations_24h),
            ("服务人次（我到了）", "Visits (I'm here)", self.visits),
            ("骑手确认", "Rider confirmations", self.confirmations),
            ("入会申请", "Membership applications", self.applications),
            ("批准入会", "Approved", self.approvals),
            ("故障报告", "Fault reports", self.reports),
            ("已处理报告", "Reports resolved", self.reports_resolved),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        // 2026-12-06 16:00 Beijing
        Timestamp::from_unix(1_796_544_000)
    }

    #[test]
    fn a_period_is_whole_beijing_days_with_both_ends_included() {
        let p = Period::parse(Some("2026-12-01"), Some("2026-12-06"), now()).expect("valid");
        assert_eq!(p.start.to_string(), "2026-11-30T16:00:00Z");
        assert_eq!(p.end.to_string(), "2026-12-06T16:00:00Z");
        assert_eq!(
            (p.from_date(), p.to_date()),
            ("2026-12-01".into(), "2026-12-06".into())
        );
        let one = Period::parse(Some("2026-12-06"), Some("2026-12-06"), now()).expect("one day");
        assert_eq!(one.end.unix() - one.start.unix(), 86_400);
    }

    #[test]
    fn without_dates_it_is_the_last_thirty_days_to_today() {
        let p = Period::parse(None, Some(" "), now()).expect("default");
        assert_eq!(
            (p.from_date(), p.to_date()),
            ("2026-11-07".into(), "2026-12-06".into())
        );
    }

    #[test]
    fn dates_that_are_not_days_are_named() {
        for (from, to, field) in [
            ("2026-02-31", "2026-03-01", "from"),
            ("2026-12-01", "12/06/2026", "to"),
            ("2026-1-01", "2026-12-06", "from"),
        ] {
            let errors = Period::parse(Some(from), Some(to), now()).expect_err(from);
            assert_eq!(
                errors.get(field),
                Some(&FieldCode::Invalid),
                "{from}..{to}: {errors:?}"
            );
        }
    }

    #[test]
    fn a_backwards_period_holds_no_day_and_a_long_one_is_fine() {
        let back = Period::parse(Some("2026-12-07"), Some("2026-12-06"), now()).expect("parses");
        assert!(back.is_backwards());
        let years = Period::parse(Some("2024-01-01"), Some("2026-12-06"), now()).expect("parses");
        assert!(!years.is_backwards());
    }
}
