//! China's official holidays (法定节假日) and make-up working days (调休上班) as a deployment
//! keeps them, so opening hours that say `PH off` or `PH 10:00-16:00` mean the right days. The
//! State Council announces each year's in November; the server ships the known years and an
//! operator can supply a newer list (`YIZHAN_HOLIDAYS`). The same text travels to the browser
//! apps in a `<meta>` tag, with `;` for line breaks, and is read by the same parser.
//!
//! One entry per line: `off 2026-10-01..2026-10-07` (a day or a range of days off) or
//! `work 2026-09-20` (a weekend day that is a working day). `#` starts a comment; anything after
//! the date is a note (`off 2026-10-01..2026-10-07 国庆节`).

use std::fmt;

use crate::time::{LocalTime, Weekday};

/// A date as `yyyymmdd`, which orders like the dates.
type Date = u32;

/// The holidays and make-up working days a deployment knows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holidays {
    /// Days off, as inclusive ranges.
    off: Vec<(Date, Date)>,
    /// Weekend days that are working days.
    work: Vec<Date>,
}

/// What kind of day a date is, for opening hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// A public holiday: rules naming `PH` apply (after those naming its weekday).
    Holiday,
    /// A weekend day that is a working day: it keeps Monday's hours.
    MakeUpWorkday,
    /// Any other day: its weekday's hours.
    Normal,
}

/// Why a holiday list was refused: the line (1-based) and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("holidays, line {line}: {why}")]
pub struct HolidaysError {
    /// The line, counting from 1.
    pub line: usize,
    /// What is wrong, in English.
    pub why: &'static str,
}

fn date(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(y * 10_000 + m * 100 + d)
}

impl Holidays {
    /// Reads a list (lines, or `;`-separated entries as the `<meta>` tag has them).
    pub fn parse(text: &str) -> Result<Holidays, HolidaysError> {
        let mut out = Holidays::default();
        let entries = text.lines().enumerate().flat_map(|(i, line)| {
            let line = line.split('#').next().unwrap_or_default();
            line.split(';').map(move |entry| (i, entry.trim()))
        });
        for (i, line) in entries {
            if line.is_empty() {
                continue;
            }
            let bad = |why| HolidaysError { line: i + 1, why };
            let mut words = line.split_whitespace();
            let (kind, when) = (words.next().unwrap_or_default(), words.next());
            let when = when.ok_or(bad("a date is missing"))?;
            let (first, last) = when.split_once("..").unwrap_or((when, when));
            let first = date(first).ok_or(bad("a date must read like 2026-10-01"))?;
            let last = date(last).ok_or(bad("a date must read like 2026-10-01"))?;
            if last < first {
                return Err(bad("a range must not end before it starts"));
            }
            match kind {
                "off" => out.off.push((first, last)),
                "work" if first == last => out.work.push(first),
                "work" => return Err(bad("a working day is one date, not a range")),
                _ => return Err(bad("each entry starts with off or work")),
            }
        }
        Ok(out)
    }

    /// Whether no day is known.
    pub fn is_empty(&self) -> bool {
        self.off.is_empty() && self.work.is_empty()
    }

    /// What kind of day `at`'s date is.
    pub fn kind(&self, at: &LocalTime) -> DayKind {
        if self.is_empty() {
            return DayKind::Normal;
        }
        // A year past 9999 (or before 0) is on no list.
        let Some(d) = u32::try_from(at.year)
            .ok()
            .filter(|y| *y <= 9999)
            .map(|y| y * 10_000 + u32::from(at.month) * 100 + u32::from(at.day))
        else {
            return DayKind::Normal;
        };
        if self.off.iter().any(|&(a, b)| a <= d && d <= b) {
            DayKind::Holiday
        } else if self.work.contains(&d) && matches!(at.weekday, Weekday::Sa | Weekday::Su) {
            DayKind::MakeUpWorkday
        } else {
            DayKind::Normal
        }
    }
}

/// The list on one line, entries separated by `;` (what the `<meta>` tag carries).
impl fmt::Display for Holidays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = |d: Date| format!("{:04}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100);
        let mut sep = "";
        for &(a, b) in &self.off {
            if a == b {
                write!(f, "{sep}off {}", day(a))?;
            } else {
                write!(f, "{sep}off {}..{}", day(a), day(b))?;
            }
            sep = ";";
        }
        for &w in &self.work {
            write!(f, "{sep}work {}", day(w))?;
            sep = ";";
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Timestamp;

    /// Beijing noon of a date.
    fn noon(y: i32, m: u8, d: u8) -> LocalTime {
        let days = crate::time::days_from_civil(i64::from(y), m, d);
        Timestamp::from_unix(days * 86_400 + 4 * 3600).beijing()
    }

    const LIST: &str =
        "# 2026\noff 2026-10-01..2026-10-07 国庆节\nwork 2026-09-20  # 周日上班\noff 2026-06-19";

    #[test]
    fn days_off_make_up_days_and_other_days_are_told_apart() {
        let h = Holidays::parse(LIST).expect("list");
        assert_eq!(h.kind(&noon(2026, 10, 1)), DayKind::Holiday);
        assert_eq!(h.kind(&noon(2026, 10, 7)), DayKind::Holiday);
        assert_eq!(h.kind(&noon(2026, 10, 8)), DayKind::Normal);
        assert_eq!(h.kind(&noon(2026, 6, 19)), DayKind::Holiday);
        assert_eq!(h.kind(&noon(2026, 9, 20)), DayKind::MakeUpWorkday);
        assert_eq!(h.kind(&noon(2026, 9, 21)), DayKind::Normal);
        assert_eq!(
            Holidays::default().kind(&noon(2026, 10, 1)),
            DayKind::Normal
        );
    }

    #[test]
    fn the_one_line_form_reads_back_the_same() {
        let h = Holidays::parse(LIST).expect("list");
        let line = h.to_string();
        assert_eq!(
            line,
            "off 2026-10-01..2026-10-07;off 2026-06-19;work 2026-09-20"
        );
        assert_eq!(Holidays::parse(&line), Ok(h));
    }

    #[test]
    fn a_bad_line_is_named_by_its_number() {
        for (text, line) in [
            ("off 2026-10-01\nholiday 2026-10-02", 2),
            ("off 2026-13-01", 1),
            ("off 2026-10-07..2026-10-01", 1),
            ("work 2026-09-20..2026-09-21", 1),
            ("\n\noff", 3),
            ("off 26-10-01", 1),
        ] {
            assert_eq!(
                Holidays::parse(text).map_err(|e| e.line),
                Err(line),
                "{text}"
            );
        }
    }
}
