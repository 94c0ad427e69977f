//! Points in time and the Beijing wall clock.
//!
//! A [`Timestamp`] is whole seconds since the Unix epoch in UTC. It travels
//! as an RFC 3339 string (`2026-11-25T05:04:00Z`) so that JSON stays readable
//! and works the same in the browser and on the server.
//!
//! Riders and stations live on Beijing time. China keeps UTC+8 all year with
//! no daylight saving, so [`Timestamp::beijing`] is a fixed shift and needs no
//! time-zone database — which keeps the WebAssembly build small.
//!
//! Calendar arithmetic uses Howard Hinnant's `days_from_civil` /
//! `civil_from_days` algorithms for the proleptic Gregorian calendar.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const SECONDS_PER_DAY: i64 = 86_400;
/// Beijing is UTC+8 all year round.
const BEIJING_OFFSET_SECONDS: i64 = 8 * 3_600;

/// A moment in time: whole seconds since 1970-01-01T00:00:00Z.
///
/// Serialized as an RFC 3339 string in UTC, e.g. `2026-11-25T05:04:00Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(value_type = String, format = DateTime, example = "2026-11-25T05:04:00Z")
)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Builds a timestamp from seconds since the Unix epoch (UTC).
    pub const fn from_unix(seconds: i64) -> Timestamp {
        Timestamp(seconds)
    }

    /// Seconds since the Unix epoch (UTC).
    pub const fn unix(self) -> i64 {
        self.0
    }

    /// This moment shifted by `seconds` (negative goes back).
    ///
    /// Saturates at the ends of the `i64` range rather than wrapping.
    pub const fn plus_seconds(self, seconds: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// The current time from the system clock.
    ///
    /// Not available on `wasm32`: there `SystemTime` panics, so the browser
    /// builds a timestamp from `Date.now()` with [`Timestamp::from_unix`].
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> Timestamp {
        use std::time::{SystemTime, UNIX_EPOCH};
        let seconds = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            // A clock set before 1970 is odd but representable.
            Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
        };
        Timestamp(seconds)
    }

    /// Whole minutes from this moment until `now`, rounded toward zero.
    ///
    /// Negative when this moment lies in the future; rounding toward zero
    /// keeps a few seconds of clock skew from showing as "-1 min".
    pub fn minutes_ago(&self, now: Timestamp) -> i64 {
        now.0.saturating_sub(self.0) / 60
    }

    /// The start (00:00 Beijing time) of this moment's Beijing calendar day: "today" for counts
    /// riders see.
    pub fn beijing_midnight(&self) -> Timestamp {
        let local = self.0.saturating_add(BEIJING_OFFSET_SECONDS);
        Timestamp(
            local
                .div_euclid(SECONDS_PER_DAY)
                .saturating_mul(SECONDS_PER_DAY)
                .saturating_sub(BEIJING_OFFSET_SECONDS),
        )
    }

    /// The Beijing (UTC+8) calendar date and wall-clock time of this moment.
    pub fn beijing(&self) -> LocalTime {
        let local = self.0.saturating_add(BEIJING_OFFSET_SECONDS);
        let days = local.div_euclid(SECONDS_PER_DAY);
        let second_of_day = local.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        LocalTime {
            weekday: weekday_from_days(days),
            // At most 1439, so the narrowing is lossless.
            minute_of_day: (second_of_day / 60) as u16,
            // Only reachable for timestamps hundreds of millions of years away.
            year: year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
            month,
            day,
        }
    }
}

impl fmt::Display for Timestamp {
    /// Writes RFC 3339 in UTC with seconds precision, e.g.
    /// `2026-11-25T05:04:00Z`. Years outside 0000–9999 cannot be written
    /// in RFC 3339 and will not parse back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.0.div_euclid(SECONDS_PER_DAY);
        let second_of_day = self.0.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            second_of_day / 3_600,
            second_of_day / 60 % 60,
            second_of_day % 60
        )
    }
}

/// Why a string is not an RFC 3339 timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    /// The text does not have the shape `YYYY-MM-DDTHH:MM:SS` plus `Z` or
    /// a `+HH:MM` / `-HH:MM` offset.
    #[error("expected an RFC 3339 timestamp like 2026-11-25T05:04:00Z")]
    Malformed,
    /// The shape is right but a field is impossible (month 13, 31 April,
    /// hour 24, ...).
    #[error("date, time or offset out of range")]
    OutOfRange,
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    /// Parses `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds (dropped),
    /// then `Z` or a numeric offset such as `+08:00`.
    fn from_str(s: &str) -> Result<Timestamp, TimestampError> {
        let b = s.as_bytes();
        let year = digits(b, 0, 4)?;
        literal(b, 4, b"-")?;
        let month = digits(b, 5, 2)?;
        literal(b, 7, b"-")?;
        let day = digits(b, 8, 2)?;
        // RFC 3339 allows a lower-case `t` and `z`.
        literal(b, 10, b"Tt")?;
        let hour = digits(b, 11, 2)?;
        literal(b, 13, b":")?;
        let minute = digits(b, 14, 2)?;
        literal(b, 16, b":")?;
        let second = digits(b, 17, 2)?;

        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let first = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == first {
                return Err(TimestampError::Malformed);
            }
        }

        let offset = match b.get(i) {
            Some(b'Z' | b'z') => {
                i += 1;
                0
            }
            Some(&sign @ (b'+' | b'-')) => {
                let oh = digits(b, i + 1, 2)?;
                literal(b, i + 3, b":")?;
                let om = digits(b, i + 4, 2)?;
                i += 6;
                if oh > 23 || om > 59 {
                    return Err(TimestampError::OutOfRange);
                }
                let magnitude = oh * 3_600 + om * 60;
                if sign == b'-' {
                    -magnitude
                } else {
                    magnitude
                }
            }
            _ => return Err(TimestampError::Malformed),
        };
        if i != b.len() {
            return Err(TimestampError::Malformed);
        }

        // Leap seconds (:60) are rejected: nothing here needs them.
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return Err(TimestampError::OutOfRange);
        }
        // Both ranges were checked just above, so these narrowings are exact.
        let days = days_from_civil(year, month as u8, day as u8);
        Ok(Timestamp(
            days * SECONDS_PER_DAY + hour * 3_600 + minute * 60 + second - offset,
        ))
    }
}

/// Reads exactly `n` ASCII digits starting at byte `at`.
fn digits(b: &[u8], at: usize, n: usize) -> Result<i64, TimestampError> {
    let field = b.get(at..at + n).ok_or(TimestampError::Malformed)?;
    field.iter().try_fold(0_i64, |acc, &c| {
        if c.is_ascii_digit() {
            Ok(acc * 10 + i64::from(c - b'0'))
        } else {
            Err(TimestampError::Malformed)
        }
    })
}

/// Checks that the byte at `at` is one of `allowed`.
fn literal(b: &[u8], at: usize, allowed: &[u8]) -> Result<(), TimestampError> {
    match b.get(at) {
        Some(c) if allowed.contains(c) => Ok(()),
        _ => Err(TimestampError::Malformed),
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        // A visitor rather than `String::deserialize` avoids an allocation
        // per timestamp when the input can lend us a `&str`.
        struct Rfc3339;

        impl Visitor<'_> for Rfc3339 {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp like 2026-11-25T05:04:00Z")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Rfc3339)
    }
}

/// A day of the week, Monday first as in ISO 8601 and OSM.
///
/// Serialized as the OSM two-letter code (`"Mo"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Weekday {
    /// Monday.
    Mo,
    /// Tuesday.
    Tu,
    /// Wednesday.
    We,
    /// Thursday.
    Th,
    /// Friday.
    Fr,
    /// Saturday.
    Sa,
    /// Sunday.
    Su,
}

impl Weekday {
    /// Every weekday, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mo,
        Weekday::Tu,
        Weekday::We,
        Weekday::Th,
        Weekday::Fr,
        Weekday::Sa,
        Weekday::Su,
    ];

    /// Position in the week: Monday is 0, Sunday is 6.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The weekday at `index` (Monday is 0), wrapping modulo 7.
    pub const fn from_index(index: usize) -> Weekday {
        Weekday::ALL[index % 7]
    }

    /// The following day; Sunday is followed by Monday.
    pub const fn next(self) -> Weekday {
        Weekday::from_index(self.index() + 1)
    }

    /// The preceding day; Monday is preceded by Sunday.
    pub const fn prev(self) -> Weekday {
        Weekday::from_index(self.index() + 6)
    }

    /// The OSM two-letter code, e.g. `"Mo"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Weekday::Mo => "Mo",
            Weekday::Tu => "Tu",
            Weekday::We => "We",
            Weekday::Th => "Th",
            Weekday::Fr => "Fr",
            Weekday::Sa => "Sa",
            Weekday::Su => "Su",
        }
    }

    /// The weekday for an OSM two-letter code (`"Mo"`); case-sensitive, as
    /// in OSM.
    pub fn from_code(code: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.as_str() == code)
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar date and wall-clock minute in Beijing (UTC+8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LocalTime {
    /// Day of the week.
    pub weekday: Weekday,
    /// Minutes since local midnight, 0..=1439.
    pub minute_of_day: u16,
    /// Calendar year.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u8,
    /// Day of the month, 1..=31.
    pub day: u8,
}

impl fmt::Display for LocalTime {
    /// `2026-11-25 13:04`: how staff pages, the applicant's status page and the export show a
    /// Beijing time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}",
            self.year,
            self.month,
            self.day,
            self.minute_of_day / 60,
            self.minute_of_day % 60
        )
    }
}

/// 1970-01-01 (day 0) was a Thursday, which is index 3 counting from Monday.
fn weekday_from_days(days: i64) -> Weekday {
    // rem_euclid is in 0..7, so the cast cannot truncate.
    Weekday::from_index((days + 3).rem_euclid(7) as usize)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's
/// `days_from_civil`). Counting years from March puts the leap day last,
/// which makes the day-of-year formula branch-free.
pub(crate) fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let month = i64::from(month);
    let day = i64::from(day);
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400; // [0, 399]
    let shifted_month = if month > 2 { month - 3 } else { month + 9 }; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1; // [0, 365]
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian (year, month, day) of a day count since
/// 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468; // shift the epoch to 0000-03-01
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097; // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1; // [1, 31]
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    }; // [1, 12]
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both are in small fixed ranges, so the narrowing is exact.
    (year, month as u8, day as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn beijing_time_prints_as_date_and_minute_eight_hours_ahead_of_utc() {
        let t = Timestamp::from_unix(1_764_028_800);
        assert_eq!(t.beijing().to_string(), "2025-11-25 08:00");
        assert_eq!(
            Timestamp::from_unix(1_764_028_800 - 60)
                .beijing()
                .to_string(),
            "2025-11-25 07:59"
        );
    }

    /// 2200-01-01T00:00:00Z.
    const YEAR_2200: i64 = 7_258_118_400;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp in test")
    }

    #[test]
    fn epoch_is_a_thursday_in_1970() {
        let t = Timestamp::from_unix(0);
        assert_eq!(t.to_string(), "1970-01-01T00:00:00Z");
        let local = t.beijing();
        assert_eq!(local.weekday, Weekday::Th);
        assert_eq!(local.minute_of_day, 8 * 60);
        assert_eq!((local.year, local.month, local.day), (1970, 1, 1));
    }

    #[test]
    fn reference_moment_is_wednesday_afternoon_in_beijing() {
        let t = ts("2026-11-25T05:04:00Z");
        let local = t.beijing();
        assert_eq!(local.weekday, Weekday::We);
        assert_eq!(local.minute_of_day, 13 * 60 + 4);
        assert_eq!((local.year, local.month, local.day), (2026, 11, 25));
    }

    #[test]
    fn beijing_midnight_is_sixteen_utc_the_day_before() {
        // 2026-12-06 08:00 UTC is 16:00 in Beijing; its day began 2026-12-05 16:00 UTC
        let t = Timestamp::from_unix(1_796_544_000);
        assert_eq!(t.to_string(), "2026-12-06T08:00:00Z");
        assert_eq!(t.beijing_midnight().to_string(), "2026-12-05T16:00:00Z");
        // Midnight itself, and the second before it
        let m = t.beijing_midnight();
        assert_eq!(m.beijing_midnight(), m);
        assert_eq!(
            m.plus_seconds(-1).beijing_midnight(),
            m.plus_seconds(-86_400)
        );
    }

    #[test]
    fn beijing_date_rolls_over_at_utc_sixteen() {
        let local = ts("2026-12-31T16:00:00Z").beijing();
        assert_eq!((local.year, local.month, local.day), (2027, 1, 1));
        assert_eq!(local.minute_of_day, 0);
        assert_eq!(local.weekday, Weekday::Fr);
    }

    #[test]
    fn display_writes_utc_with_z_and_seconds() {
        let t = Timestamp::from_unix(1_795_583_040);
        assert_eq!(t.to_string(), "2026-11-25T05:04:00Z");
        assert_eq!(Timestamp::from_unix(-1).to_string(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn numeric_offsets_are_converted_to_utc() {
        let z = ts("2026-11-25T05:04:00Z");
        assert_eq!(ts("2026-11-25T13:04:00+08:00"), z);
        assert_eq!(ts("2026-11-24T23:34:00-05:30"), z);
        assert_eq!(ts("2026-11-25T05:04:00+00:00"), z);
    }

    #[test]
    fn fractional_seconds_are_ignored() {
        assert_eq!(ts("2026-11-25T05:04:00.999Z"), ts("2026-11-25T05:04:00Z"));
        assert_eq!(
            ts("2026-11-25T13:04:00.5+08:00"),
            ts("2026-11-25T05:04:00Z")
        );
    }

    #[test]
    fn lower_case_t_and_z_are_accepted() {
        assert_eq!(ts("2026-11-25t05:04:00z"), ts("2026-11-25T05:04:00Z"));
    }

    #[test]
    fn malformed_text_is_rejected() {
        for bad in [
            "",
            "2026-11-25",
            "2026-11-25T05:04Z",
            "2026-11-25T05:04:00",
            "2026-11-25 05:04:00Z",
            "2026-11-25T05:04:00.Z",
            "2026-11-25T05:04:00Z ",
            "2026-11-25T05:04:00+0800",
            "2026-11-25T05:04:00+08",
            "26-11-25T05:04:00Z",
            "2026-1-25T05:04:00Z",
            "+2026-11-25T05:04:00Z",
            "２026-11-25T05:04:00Z",
        ] {
            assert_eq!(
                bad.parse::<Timestamp>(),
                Err(TimestampError::Malformed),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn impossible_fields_are_out_of_range() {
        for bad in [
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T05:60:00Z",
            "2026-11-25T05:04:60Z",
            "2026-11-25T05:04:00+24:00",
        ] {
            assert_eq!(
                bad.parse::<Timestamp>(),
                Err(TimestampError::OutOfRange),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn leap_days_exist_in_leap_years() {
        assert_eq!(
            ts("2024-02-29T00:00:00Z").to_string(),
            "2024-02-29T00:00:00Z"
        );
        assert_eq!(
            ts("2000-02-29T12:00:00Z").to_string(),
            "2000-02-29T12:00:00Z"
        );
    }

    #[test]
    fn year_2200_constant_matches_the_calendar() {
        assert_eq!(ts("2200-01-01T00:00:00Z").unix(), YEAR_2200);
    }

    #[test]
    fn serde_uses_the_rfc3339_string() {
        let t = ts("2026-11-25T05:04:00Z");
        let json = serde_json::to_string(&t).expect("serialize");
        assert_eq!(json, "\"2026-11-25T05:04:00Z\"");
        let back: Timestamp =
            serde_json::from_str("\"2026-11-25T13:04:00+08:00\"").expect("deserialize");
        assert_eq!(back, t);
        assert!(serde_json::from_str::<Timestamp>("1795583040").is_err());
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
    }

    #[test]
    fn minutes_ago_rounds_toward_zero() {
        let t = Timestamp::from_unix(1_000_000);
        assert_eq!(t.minutes_ago(t.plus_seconds(59)), 0);
        assert_eq!(t.minutes_ago(t.plus_seconds(60)), 1);
        assert_eq!(t.minutes_ago(t.plus_seconds(3_599)), 59);
        assert_eq!(t.minutes_ago(t.plus_seconds(-30)), 0);
        assert_eq!(t.minutes_ago(t.plus_seconds(-90)), -1);
    }

    #[test]
    fn plus_seconds_saturates_instead_of_wrapping() {
        assert_eq!(
            Timestamp::from_unix(i64::MAX).plus_seconds(1).unix(),
            i64::MAX
        );
        assert_eq!(
            Timestamp::from_unix(i64::MIN).plus_seconds(-1).unix(),
            i64::MIN
        );
    }

    #[test]
    fn extreme_timestamps_do_not_panic() {
        for s in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
            let t = Timestamp::from_unix(s);
            let _ = t.to_string();
            let _ = t.beijing();
            let _ = t.minutes_ago(Timestamp::from_unix(s.wrapping_neg()));
        }
    }

    #[test]
    fn now_is_after_2020() {
        assert!(Timestamp::now() > ts("2020-01-01T00:00:00Z"));
    }

    #[test]
    fn weekdays_wrap_around_the_week() {
        assert_eq!(Weekday::Su.next(), Weekday::Mo);
        assert_eq!(Weekday::Mo.prev(), Weekday::Su);
        assert_eq!(Weekday::from_index(7), Weekday::Mo);
        assert_eq!(Weekday::from_index(13), Weekday::Su);
        for (i, d) in Weekday::ALL.into_iter().enumerate() {
            assert_eq!(d.index(), i);
            assert_eq!(Weekday::from_index(i), d);
            assert_eq!(d.next().prev(), d);
            assert_eq!(Weekday::from_code(d.as_str()), Some(d));
        }
        assert_eq!(Weekday::from_code("mo"), None);
        assert_eq!(Weekday::We.to_string(), "We");
        assert_eq!(
            serde_json::to_string(&Weekday::Sa).expect("serialize"),
            "\"Sa\""
        );
    }

    proptest! {
        #[test]
        fn display_and_parse_round_trip(secs in 0_i64..YEAR_2200) {
            let t = Timestamp::from_unix(secs);
            let text = t.to_string();
            prop_assert_eq!(text.len(), 20);
            prop_assert_eq!(text.parse::<Timestamp>(), Ok(t));
        }

        #[test]
        fn beijing_time_agrees_with_utc_plus_eight(secs in 0_i64..YEAR_2200) {
            let local = Timestamp::from_unix(secs).beijing();
            let shifted = Timestamp::from_unix(secs + 8 * 3_600).to_string();
            let expected_date = format!("{:04}-{:02}-{:02}", local.year, local.month, local.day);
            prop_assert!(shifted.starts_with(&expected_date));
            let hh_mm = format!("T{:02}:{:02}:", local.minute_of_day / 60, local.minute_of_day % 60);
            prop_assert!(shifted.contains(&hh_mm));
        }

        #[test]
        fn consecutive_days_have_consecutive_weekdays(days in -1_000_000_i64..1_000_000) {
            prop_assert_eq!(weekday_from_days(days).next(), weekday_from_days(days + 1));
        }

        #[test]
        fn civil_and_day_counts_are_inverse(days in -100_000_000_i64..100_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert!((1..=12).contains(&m));
            prop_assert!(d >= 1 && i64::from(d) <= days_in_month(y, i64::from(m)));
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }

        #[test]
        fn parse_never_panics(s in "\\PC*") {
            let _ = s.parse::<Timestamp>();
        }
    }
}
