//! Station opening hours in OpenStreetMap `opening_hours` syntax, and the
//! answer to "is it open at this moment?" in Beijing time.
//!
//! Only the part of the OSM grammar that rest stations actually use is
//! understood:
//!
//! - `24/7`, alone or as one rule among others (`24/7; Su off`);
//! - `off` / `closed`, alone or after weekdays (`Su off`);
//! - weekday selectors: `Mo`, `Mo-Fr`, `Sa,Su`, `Mo-We,Fr`, and ranges that
//!   wrap over the weekend such as `Fr-Mo`;
//! - time ranges `09:00-21:00`, several separated by commas
//!   (`08:00-12:00,14:00-18:00`), one- or two-digit hours, `24:00` as an
//!   end, and overnight ranges whose end is not after the start
//!   (`20:00-02:00`);
//! - weekdays with nothing after them (`Mo-Fr`) mean open all day;
//! - `PH` (public holidays) as a day, alone or among weekdays (`PH off`,
//!   `Sa,Su,PH 10:00-16:00`), with China's official calendar
//!   ([`Holidays`]): on a holiday, rules naming `PH` apply as well as those
//!   naming its weekday, the later one winning; a make-up working day (调休
//!   上班, a Saturday or Sunday) keeps Monday's hours. Without a calendar a
//!   `PH` rule never applies;
//! - rules separated by `;`; whitespace around separators is tolerated and
//!   empty rules (a trailing `;`) are ignored.
//!
//! Semantics follow OSM "normal rules": rules apply in order and a later rule
//! replaces whatever earlier rules said about the weekdays it names; a rule
//! without weekdays names every day. An overnight range keeps the place open
//! into the next morning (`Fr 20:00-02:00` is Friday 20:00 to Saturday
//! 02:00), and that spill-over applies even when the next day has its own
//! rule, `off` included. Days that no rule names are closed.
//!
//! Everything else — months, week numbers, `SH`, `sunrise`, open ends
//! (`+`), `[n]` weekdays, quoted comments, `||` fallbacks, `open`/`unknown`
//! modifiers, and `,` as an additional-rule separator — is rejected with
//! [`HoursErrorKind::UnsupportedSyntax`] at the position where it starts,
//! rather than being silently misread.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::holidays::{DayKind, Holidays};
use crate::time::{LocalTime, Timestamp, Weekday};

/// Minutes in a day; also the `24:00` end of a range.
const DAY: u16 = 1_440;
/// Bit mask naming every weekday (bit `i` is `Weekday::from_index(i)`).
const ALL_DAYS: u8 = 0x7f;
/// The bit naming public holidays (`PH`).
const PH: u8 = 0x80;

/// Parsed OSM `opening_hours` text.
///
/// Keeps the original (trimmed) text so that it round-trips exactly and
/// travels through serde as that plain string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OpeningHours {
    raw: String,
    rules: Vec<Rule>,
}

/// One `;`-separated rule.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    /// Weekdays this rule names, one bit per day (Monday is bit 0), and
    /// [`PH`] for public holidays.
    days: u8,
    /// Minute-of-day ranges, empty when closed. An end past 1440 spills into
    /// the next day.
    ranges: Vec<(u16, u16)>,
}

/// What one weekday's rule says, for showing a week table.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DaySchedule {
    /// The weekday.
    pub day: Weekday,
    /// Opening ranges as minutes from that day's midnight, in the order
    /// written. An end above 1440 runs into the next day (`20:00-02:00` is
    /// `(1200, 1560)`). Empty means closed (apart from any spill-over from
    /// the previous day).
    pub ranges: Vec<(u16, u16)>,
}

impl OpeningHours {
    /// Parses OSM `opening_hours` text (see the module docs for the subset).
    pub fn parse(text: &str) -> Result<OpeningHours, HoursError> {
        Ok(OpeningHours {
            rules: parse_rules(text)?,
            raw: text.trim().to_owned(),
        })
    }

    /// The text this was parsed from, without surrounding whitespace.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Whether the station is open at `t`, judged on the Beijing clock, with
    /// no holidays known (`PH` rules never apply).
    ///
    /// Minute resolution: open from the first second of the opening minute,
    /// closed from the first second of the closing minute.
    pub fn is_open_at(&self, t: Timestamp) -> bool {
        self.is_open_with(t, &Holidays::default())
    }

    /// [`OpeningHours::is_open_at`] with the deployment's holidays: `PH`
    /// rules apply on holidays, and a make-up working day keeps Monday's hours.
    pub fn is_open_with(&self, t: Timestamp, holidays: &Holidays) -> bool {
        let local = t.beijing();
        let minute = local.minute_of_day;
        let today = self
            .ranges_on(&local, holidays)
            .iter()
            .any(|&(start, end)| start <= minute && minute < end);
        // Yesterday's overnight ranges reach into today's early hours.
        let yesterday = Timestamp::from_unix(t.unix() - 86_400).beijing();
        let spill = self
            .ranges_on(&yesterday, holidays)
            .iter()
            .any(|&(_, end)| minute + DAY < end);
        today || spill
    }

    /// The ranges in force on `day`'s date.
    fn ranges_on(&self, day: &LocalTime, holidays: &Holidays) -> &[(u16, u16)] {
        let bits = match holidays.kind(day) {
            DayKind::Holiday => day_bit(day.weekday) | PH,
            DayKind::MakeUpWorkday => day_bit(Weekday::Mo),
            DayKind::Normal => day_bit(day.weekday),
        };
        self.ranges_named(bits)
    }

    /// The ranges on public holidays, when a rule names `PH` (for a week
    /// table's holiday line).
    pub fn holiday_ranges(&self) -> Option<&[(u16, u16)]> {
        self.rules
            .iter()
            .any(|rule| rule.days & PH != 0)
            .then(|| self.ranges_named(PH))
    }

    /// Whether every minute of every day is open: `24/7`, or rules such as
    /// `Mo-Su 00:00-24:00` or `Mo-Su 12:00-12:00` that leave no gap.
    pub fn is_24_7(&self) -> bool {
        // Closed (or shorter) on holidays is not round the clock.
        if self.holiday_ranges().is_some_and(|r| r != [(0, DAY)]) {
            return false;
        }
        Weekday::ALL.into_iter().all(|day| {
            let mut pieces: Vec<(u16, u16)> = self
                .ranges_for(day)
                .iter()
                .map(|&(start, end)| (start, end.min(DAY)))
                .chain(
                    self.ranges_for(day.prev())
                        .iter()
                        .filter(|&&(_, end)| end > DAY)
                        .map(|&(_, end)| (0, end - DAY)),
                )
                .collect();
            pieces.sort_unstable();
            // Sweep from midnight; any gap before the next piece starts
            // means a closed minute.
            let mut covered = 0;
            for (start, end) in pieces {
                if start > covered {
                    return false;
                }
                covered = covered.max(end);
            }
            covered >= DAY
        })
    }

    /// The ranges in force for each weekday, Monday first.
    pub fn week(&self) -> [DaySchedule; 7] {
        Weekday::ALL.map(|day| DaySchedule {
            day,
            ranges: self.ranges_for(day).to_vec(),
        })
    }

    /// The ranges of the last rule naming `day`; empty when none does.
    fn ranges_for(&self, day: Weekday) -> &[(u16, u16)] {
        self.ranges_named(day_bit(day))
    }

    /// The ranges of the last rule naming any of `bits`; empty when none does.
    fn ranges_named(&self, bits: u8) -> &[(u16, u16)] {
        self.rules
            .iter()
            .rev()
            .find(|rule| rule.days & bits != 0)
            .map_or(&[], |rule| rule.ranges.as_slice())
    }
}

/// Formats a minute of the day as `HH:MM`.
///
/// `1440` is `"24:00"` (end of day); larger values belong to the next day and
/// are shown as that day's clock time (`1560` is `"02:00"`), so callers
/// should mark them as next-day.
pub fn format_minute(m: u16) -> String {
    let m = if m > DAY { (m - 1) % DAY + 1 } else { m };
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl fmt::Display for OpeningHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

impl FromStr for OpeningHours {
    type Err = HoursError;

    fn from_str(s: &str) -> Result<OpeningHours, HoursError> {
        OpeningHours::parse(s)
    }
}

impl TryFrom<String> for OpeningHours {
    type Error = HoursError;

    fn try_from(text: String) -> Result<OpeningHours, HoursError> {
        let rules = parse_rules(&text)?;
        // Reuse the allocation when there is nothing to trim.
        let raw = if text.trim().len() == text.len() {
            text
        } else {
            text.trim().to_owned()
        };
        Ok(OpeningHours { raw, rules })
    }
}

impl From<OpeningHours> for String {
    fn from(hours: OpeningHours) -> String {
        hours.raw
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for OpeningHours {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "OSM opening_hours text, e.g. `Mo-Fr 08:00-20:00; Su off`",
            ))
            .examples(["Mo-Fr 08:00-20:00; Su off"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for OpeningHours {}

/// Why opening-hours text was rejected, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[error("{kind} at position {position}")]
pub struct HoursError {
    /// Byte offset (0-based) in the input where the problem starts.
    pub position: usize,
    /// What went wrong.
    pub kind: HoursErrorKind,
}

/// The kinds of [`HoursError`]. Serialized as [`HoursErrorKind::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoursErrorKind {
    /// Nothing but whitespace and `;`.
    Empty,
    /// A weekday code such as `Mo` was needed.
    ExpectedDay,
    /// A time such as `09:00` was needed.
    ExpectedTime,
    /// A time outside 00:00–24:00, minutes above 59, or `24:00` as a start.
    BadTime,
    /// The `-` between the start and end of a time range is missing.
    ExpectedDash,
    /// The rule is complete but is followed by something other than `;`.
    ExpectedSeparator,
    /// Valid OSM syntax outside the supported subset (months, `SH`, ...).
    UnsupportedSyntax,
}

impl HoursErrorKind {
    /// A stable snake_case identifier, e.g. `"bad_time"`, for clients to
    /// translate.
    pub const fn code(self) -> &'static str {
        match self {
            HoursErrorKind::Empty => "empty",
            HoursErrorKind::ExpectedDay => "expected_day",
            HoursErrorKind::ExpectedTime => "expected_time",
            HoursErrorKind::BadTime => "bad_time",
            HoursErrorKind::ExpectedDash => "expected_dash",
            HoursErrorKind::ExpectedSeparator => "expected_separator",
            HoursErrorKind::UnsupportedSyntax => "unsupported_syntax",
        }
    }

    /// An English explanation for developers and logs.
    pub const fn message(self) -> &'static str {
        match self {
            HoursErrorKind::Empty => "no opening hours given",
            HoursErrorKind::ExpectedDay => "expected a weekday like Mo",
            HoursErrorKind::ExpectedTime => "expected a time like 09:00",
            HoursErrorKind::BadTime => "time out of range (00:00 to 24:00)",
            HoursErrorKind::ExpectedDash => "expected '-' between start and end time",
            HoursErrorKind::ExpectedSeparator => "expected ';' between rules",
            HoursErrorKind::UnsupportedSyntax => "unsupported opening_hours syntax",
        }
    }
}

impl fmt::Display for HoursErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// OSM words that are valid elsewhere in the grammar but not supported here;
/// naming them as unsupported is more helpful than "expected a weekday".
const UNSUPPORTED_WORDS: &[&[u8]] = &[
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
    b"SH", b"week", b"sunrise", b"sunset", b"dawn", b"dusk", b"easter", b"open", b"unknown",
    b"off", b"closed",
];

/// Punctuation that starts unsupported OSM constructs: comments, `||`
/// fallbacks, open ends, `[n]` weekdays and variable-time offsets.
const UNSUPPORTED_BYTES: &[u8] = b"\"|+[(";

fn day_bit(day: Weekday) -> u8 {
    1 << day.index()
}

fn parse_rules(text: &str) -> Result<Vec<Rule>, HoursError> {
    let mut p = Parser {
        text: text.as_bytes(),
        pos: 0,
    };
    let mut rules = Vec::new();
    loop {
        p.skip_ws();
        match p.peek() {
            None => break,
            Some(b';') => {
                p.pos += 1;
                continue;
            }
            Some(_) => {}
        }
        rules.push(p.rule()?);
        p.skip_ws();
        match p.peek() {
            None => break,
            Some(b';') => p.pos += 1,
            Some(_) => return Err(p.unsupported_or(HoursErrorKind::ExpectedSeparator)),
        }
    }
    if rules.is_empty() {
        return Err(HoursError {
            position: 0,
            kind: HoursErrorKind::Empty,
        });
    }
    Ok(rules)
}

/// A byte cursor; every token of the grammar is ASCII, so any other byte is
/// simply unexpected and positions stay on character boundaries.
struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn rest(&self) -> &[u8] {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// The run of ASCII letters at the cursor (possibly empty).
    fn word(&self) -> &[u8] {
        let rest = self.rest();
        let len = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
        rest.get(..len).unwrap_or_default()
    }

    /// The weekday whose code is the whole word at the cursor, so that
    /// `Mon` is not read as `Mo` followed by junk.
    fn weekday_here(&self) -> Option<Weekday> {
        let word = self.word();
        Weekday::ALL
            .into_iter()
            .find(|day| day.as_str().as_bytes() == word)
    }

    fn error(&self, kind: HoursErrorKind) -> HoursError {
        HoursError {
            position: self.pos,
            kind,
        }
    }

    /// `kind` at the cursor, unless what is there is recognisably OSM syntax
    /// we do not support.
    fn unsupported_or(&self, kind: HoursErrorKind) -> HoursError {
        let unsupported = self.peek().is_some_and(|c| UNSUPPORTED_BYTES.contains(&c))
            || UNSUPPORTED_WORDS.contains(&self.word());
        self.error(if unsupported {
            HoursErrorKind::UnsupportedSyntax
        } else {
            kind
        })
    }

    /// Consumes `off` or `closed` if that is the word at the cursor.
    fn eat_off(&mut self) -> bool {
        let len = self.word().len();
        let off = matches!(self.word(), b"off" | b"closed");
        if off {
            self.pos += len;
        }
        off
    }

    fn rule(&mut self) -> Result<Rule, HoursError> {
        if self.rest().starts_with(b"24/7") {
            self.pos += 4;
            return Ok(Rule {
                days: ALL_DAYS,
                ranges: vec![(0, DAY)],
            });
        }
        if self.eat_off() {
            return Ok(Rule {
                days: ALL_DAYS,
                ranges: Vec::new(),
            });
        }
        if self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Ok(Rule {
                days: ALL_DAYS,
                ranges: self.times()?,
            });
        }
        if self.weekday_here().is_none() && !self.holiday_here() {
            let expected = if self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                HoursErrorKind::ExpectedDay
            } else {
                HoursErrorKind::ExpectedTime
            };
            return Err(self.unsupported_or(expected));
        }

        let days = self.days()?;
        let after_days = self.pos;
        self.skip_ws();
        let ranges = match self.peek() {
            // Weekdays alone mean open all day (OSM).
            None | Some(b';') => {
                self.pos = after_days;
                vec![(0, DAY)]
            }
            Some(c) if c.is_ascii_digit() => self.times()?,
            Some(_) if self.eat_off() => Vec::new(),
            Some(_) => return Err(self.unsupported_or(HoursErrorKind::ExpectedTime)),
        };
        Ok(Rule { days, ranges })
    }

    /// Whether the word at the cursor is `PH`.
    fn holiday_here(&self) -> bool {
        self.word() == b"PH"
    }

    /// A weekday selector such as `Mo-We,Fr` or `Sa,Su,PH`, as a bit mask.
    fn days(&mut self) -> Result<u8, HoursError> {
        let mut mask = 0;
        loop {
            if self.holiday_here() {
                self.pos += 2;
                mask |= PH;
                let before_ws = self.pos;
                self.skip_ws();
                if self.peek() == Some(b',') {
                    self.pos += 1;
                    self.skip_ws();
                    continue;
                }
                self.pos = before_ws;
                return Ok(mask);
            }
            let first = self.day()?;
            let before_ws = self.pos;
            self.skip_ws();
            if self.peek() == Some(b'-') {
                self.pos += 1;
                self.skip_ws();
                let last = self.day()?;
                // Walk forward so that `Fr-Mo` wraps over the weekend.
                let mut day = first;
                mask |= day_bit(day);
                while day != last {
                    day = day.next();
                    mask |= day_bit(day);
                }
            } else {
                self.pos = before_ws;
                mask |= day_bit(first);
            }

            let before_ws = self.pos;
            self.skip_ws();
            if self.peek() == Some(b',') {
                self.pos += 1;
                self.skip_ws();
            } else {
                self.pos = before_ws;
                return Ok(mask);
            }
        }
    }

    fn day(&mut self) -> Result<Weekday, HoursError> {
        match self.weekday_here() {
            Some(day) => {
                self.pos += 2;
                Ok(day)
            }
            None => Err(self.unsupported_or(HoursErrorKind::ExpectedDay)),
        }
    }

    /// Comma-separated time ranges.
    fn times(&mut self) -> Result<Vec<(u16, u16)>, HoursError> {
        let mut ranges = Vec::new();
        loop {
            ranges.push(self.time_range()?);
            let before_ws = self.pos;
            self.skip_ws();
            if self.peek() != Some(b',') {
                self.pos = before_ws;
                return Ok(ranges);
            }
            self.pos += 1;
            self.skip_ws();
            // `…, Sa 10:00-12:00` is OSM's additional-rule separator, whose
            // merge semantics differ from `;`; refuse rather than guess.
            if self.weekday_here().is_some() {
                return Err(self.error(HoursErrorKind::UnsupportedSyntax));
            }
        }
    }

    /// `HH:MM-HH:MM`; an end not after the start runs into the next day.
    fn time_range(&mut self) -> Result<(u16, u16), HoursError> {
        let start_pos = self.pos;
        let start = self.time()?;
        if start >= DAY {
            return Err(HoursError {
                position: start_pos,
                kind: HoursErrorKind::BadTime,
            });
        }
        self.skip_ws();
        if self.peek() != Some(b'-') {
            return Err(self.unsupported_or(HoursErrorKind::ExpectedDash));
        }
        self.pos += 1;
        self.skip_ws();
        let end = self.time()?;
        Ok((start, if end <= start { end + DAY } else { end }))
    }

    /// `H:MM` or `HH:MM` up to `24:00`, as minutes since midnight.
    fn time(&mut self) -> Result<u16, HoursError> {
        let start = self.pos;
        let digits_at = |at: usize| {
            self.text
                .get(at..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count()
        };
        let value = |from: usize, len: usize| {
            self.text
                .get(from..from + len)
                .unwrap_or_default()
                .iter()
                .fold(0_u16, |acc, &c| acc * 10 + u16::from(c - b'0'))
        };

        let hour_len = digits_at(start);
        if hour_len == 0 {
            return Err(self.unsupported_or(HoursErrorKind::ExpectedTime));
        }
        let minute_at = start + hour_len + 1;
        let well_formed = hour_len <= 2
            && self.text.get(start + hour_len) == Some(&b':')
            && digits_at(minute_at) == 2;
        if !well_formed {
            return Err(self.error(HoursErrorKind::ExpectedTime));
        }
        let hour = value(start, hour_len);
        let minute = value(minute_at, 2);
        if hour > 24 || minute > 59 || (hour == 24 && minute > 0) {
            return Err(self.error(HoursErrorKind::BadTime));
        }
        self.pos = minute_at + 2;
        Ok(hour * 60 + minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use HoursErrorKind::*;

    fn hours(text: &str) -> OpeningHours {
        OpeningHours::parse(text).expect("valid opening hours in test")
    }

    /// Beijing wall-clock `hh_mm` on `day` of the week of Monday 2026-11-23.
    fn at(day: Weekday, hh_mm: &str) -> Timestamp {
        format!("2026-11-{:02}T{hh_mm}:00+08:00", 23 + day.index())
            .parse()
            .expect("valid timestamp in test")
    }

    fn err(text: &str) -> (HoursErrorKind, usize) {
        let e = OpeningHours::parse(text).expect_err("invalid opening hours in test");
        (e.kind, e.position)
    }

    fn ranges(oh: &OpeningHours) -> Vec<Vec<(u16, u16)>> {
        oh.week().into_iter().map(|d| d.ranges).collect()
    }

    #[test]
    fn twenty_four_seven_is_open_at_any_time() {
        let oh = hours("24/7");
        assert!(oh.is_24_7());
        for day in Weekday::ALL {
            for time in ["00:00", "03:17", "12:00", "23:59"] {
                assert!(oh.is_open_at(at(day, time)), "{day} {time}");
            }
        }
    }

    #[test]
    fn weekday_range_with_times_is_open_only_then() {
        let oh = hours("Mo-Fr 09:00-21:00");
        assert!(oh.is_open_at(at(Weekday::Mo, "09:00")));
        assert!(oh.is_open_at(at(Weekday::Fr, "20:59")));
        assert!(!oh.is_open_at(at(Weekday::We, "08:59")));
        assert!(!oh.is_open_at(at(Weekday::Sa, "12:00")));
        assert!(!oh.is_open_at(at(Weekday::Su, "12:00")));
    }

    #[test]
    fn reference_moment_is_wednesday_afternoon() {
        let t: Timestamp = "2026-11-25T05:04:00Z".parse().expect("timestamp");
        assert!(hours("We 13:04-13:05").is_open_at(t));
        assert!(!hours("We 13:05-14:00").is_open_at(t));
        assert!(!hours("Tu,Th 00:00-24:00").is_open_at(t));
    }

    #[test]
    fn exactly_at_opening_minute_is_open() {
        let oh = hours("Mo 09:00-17:00");
        assert!(oh.is_open_at(at(Weekday::Mo, "09:00")));
        assert!(!oh.is_open_at(at(Weekday::Mo, "09:00").plus_seconds(-1)));
    }

    #[test]
    fn exactly_at_closing_minute_is_closed() {
        let oh = hours("Mo 09:00-17:00");
        assert!(!oh.is_open_at(at(Weekday::Mo, "17:00")));
        assert!(oh.is_open_at(at(Weekday::Mo, "17:00").plus_seconds(-1)));
    }

    #[test]
    fn day_until_midnight_closes_at_midnight() {
        let oh = hours("Mo 00:00-24:00");
        assert!(oh.is_open_at(at(Weekday::Mo, "00:00")));
        assert!(oh.is_open_at(at(Weekday::Mo, "23:59")));
        assert!(!oh.is_open_at(at(Weekday::Tu, "00:00")));
        assert!(!oh.is_open_at(at(Weekday::Mo, "00:00").plus_seconds(-1)));
    }

    #[test]
    fn overnight_range_is_open_after_midnight() {
        let oh = hours("Fr 20:00-02:00");
        assert!(!oh.is_open_at(at(Weekday::Fr, "19:59")));
        assert!(oh.is_open_at(at(Weekday::Fr, "20:00")));
        assert!(oh.is_open_at(at(Weekday::Fr, "23:59")));
        assert!(oh.is_open_at(at(Weekday::Sa, "00:00")));
        assert!(oh.is_open_at(at(Weekday::Sa, "01:59")));
        assert!(!oh.is_open_at(at(Weekday::Sa, "02:00")));
        // Friday's early hours belong to Thursday night, which is closed.
        assert!(!oh.is_open_at(at(Weekday::Fr, "01:00")));
        assert_eq!(ranges(&oh)[4], vec![(1200, 1560)]);
    }

    #[test]
    fn sunday_night_spills_into_monday_morning() {
        let oh = hours("Su 22:00-06:00");
        assert!(oh.is_open_at(at(Weekday::Su, "22:00")));
        // 2026-11-30 is the Monday after Sunday 2026-11-29.
        let monday: Timestamp = "2026-11-30T05:59:00+08:00".parse().expect("timestamp");
        assert!(oh.is_open_at(monday));
        assert!(!oh.is_open_at(monday.plus_seconds(60)));
        // The same holds for the Monday at the start of the week.
        assert!(oh.is_open_at(at(Weekday::Mo, "05:30")));
    }

    #[test]
    fn spill_over_applies_even_when_next_day_is_off() {
        let oh = hours("Fr 20:00-02:00; Sa off");
        assert!(oh.is_open_at(at(Weekday::Sa, "01:00")));
        assert!(!oh.is_open_at(at(Weekday::Sa, "12:00")));
    }

    #[test]
    fn equal_start_and_end_means_twenty_four_hours() {
        let oh = hours("Mo 12:00-12:00");
        assert_eq!(ranges(&oh)[0], vec![(720, 2160)]);
        assert!(oh.is_open_at(at(Weekday::Tu, "11:59")));
        assert!(!oh.is_open_at(at(Weekday::Tu, "12:00")));
        assert_eq!(ranges(&hours("Mo 00:00-00:00"))[0], vec![(0, 1440)]);
    }

    #[test]
    fn single_day_and_day_lists_select_those_days() {
        assert_eq!(
            ranges(&hours("We 10:00-11:00")),
            vec![
                vec![],
                vec![],
                vec![(600, 660)],
                vec![],
                vec![],
                vec![],
                vec![]
            ]
        );
        let weekend = hours("Sa,Su 10:00-11:00");
        let open: Vec<bool> = ranges(&weekend).iter().map(|r| !r.is_empty()).collect();
        assert_eq!(open, [false, false, false, false, false, true, true]);
        let mixed = hours("Mo-We,Fr 10:00-11:00");
        let open: Vec<bool> = ranges(&mixed).iter().map(|r| !r.is_empty()).collect();
        assert_eq!(open, [true, true, true, false, true, false, false]);
    }

    #[test]
    fn weekday_range_wraps_over_the_weekend() {
        let oh = hours("Fr-Mo 10:00-11:00");
        let open: Vec<bool> = ranges(&oh).iter().map(|r| !r.is_empty()).collect();
        assert_eq!(open, [true, false, false, false, true, true, true]);
        assert_eq!(ranges(&hours("Mo-Mo 10:00-11:00"))[1], vec![]);
    }

    #[test]
    fn several_time_ranges_leave_a_lunch_break() {
        let oh = hours("Mo-Fr 08:00-12:00,14:00-18:00");
        assert_eq!(ranges(&oh)[2], vec![(480, 720), (840, 1080)]);
        assert!(oh.is_open_at(at(Weekday::Tu, "11:59")));
        assert!(!oh.is_open_at(at(Weekday::Tu, "12:00")));
        assert!(!oh.is_open_at(at(Weekday::Tu, "13:59")));
        assert!(oh.is_open_at(at(Weekday::Tu, "14:00")));
    }

    #[test]
    fn weekdays_alone_mean_open_all_day() {
        let oh = hours("Mo-Fr");
        assert!(oh.is_open_at(at(Weekday::Mo, "00:00")));
        assert!(oh.is_open_at(at(Weekday::Fr, "23:59")));
        assert!(!oh.is_open_at(at(Weekday::Sa, "12:00")));
        assert_eq!(ranges(&oh)[0], vec![(0, 1440)]);
        assert_eq!(ranges(&hours("Sa; Su"))[6], vec![(0, 1440)]);
    }

    #[test]
    fn off_or_closed_alone_is_always_closed() {
        for text in ["off", "closed", " closed "] {
            let oh = hours(text);
            assert!(ranges(&oh).iter().all(Vec::is_empty));
            assert!(!oh.is_open_at(at(Weekday::We, "12:00")));
            assert!(!oh.is_24_7());
        }
    }

    #[test]
    fn later_rule_replaces_earlier_for_named_days() {
        let oh = hours("Mo-Su 08:00-20:00; Su off");
        assert!(oh.is_open_at(at(Weekday::Sa, "12:00")));
        assert!(!oh.is_open_at(at(Weekday::Su, "12:00")));
        let oh = hours("Mo-Fr 08:00-20:00; We 10:00-12:00");
        assert_eq!(ranges(&oh)[2], vec![(600, 720)]);
        assert!(!oh.is_open_at(at(Weekday::We, "09:00")));
        assert!(oh.is_open_at(at(Weekday::Th, "09:00")));
        assert!(!hours("Sa 10:00-12:00; Sa closed").is_open_at(at(Weekday::Sa, "11:00")));
    }

    /// Beijing `hh:mm` on a date.
    fn on(y: i64, m: u8, d: u8, hh_mm: &str) -> Timestamp {
        let (h, min) = hh_mm.split_once(':').expect("hh:mm");
        let minute: i64 = h.parse::<i64>().expect("h") * 60 + min.parse::<i64>().expect("m");
        let midnight = crate::time::days_from_civil(y, m, d) * 86_400 - 8 * 3600;
        Timestamp::from_unix(midnight + minute * 60)
    }

    /// National Day 2026 (Thursday 1 to Wednesday 7 October), its make-up working Sunday
    /// (20 September), and Dragon Boat Festival (Friday 19 June).
    fn calendar() -> Holidays {
        Holidays::parse("off 2026-10-01..2026-10-07\nwork 2026-09-20\noff 2026-06-19")
            .expect("calendar")
    }

    #[test]
    fn public_holiday_rules_follow_the_calendar() {
        let h = calendar();
        let oh = hours("Mo-Fr 09:00-18:00; PH off");
        // A holiday Thursday is closed; the Thursday after is not
        assert!(!oh.is_open_with(on(2026, 10, 1, "10:00"), &h));
        assert!(oh.is_open_with(on(2026, 10, 8, "10:00"), &h));
        // Without a calendar, PH never applies
        assert!(oh.is_open_at(on(2026, 10, 1, "10:00")));
        // Holiday hours
        let oh = hours("Mo-Su 08:00-20:00; PH 10:00-16:00");
        assert!(!oh.is_open_with(on(2026, 6, 19, "09:00"), &h));
        assert!(oh.is_open_with(on(2026, 6, 19, "11:00"), &h));
        assert!(oh.is_open_with(on(2026, 6, 20, "09:00"), &h));
        assert_eq!(oh.holiday_ranges(), Some(&[(600, 960)][..]));
        assert_eq!(hours("Mo-Fr 09:00-18:00").holiday_ranges(), None);
        // Holidays among weekdays in one rule
        let oh = hours("Mo-Fr 09:00-18:00; Sa,Su,PH 10:00-12:00");
        assert!(!oh.is_open_with(on(2026, 10, 2, "09:30"), &h));
        assert!(oh.is_open_with(on(2026, 10, 2, "11:00"), &h));
        // A later weekday rule wins over an earlier PH rule, as OSM reads rules
        let oh = hours("PH off; Mo-Su 09:00-18:00");
        assert!(oh.is_open_with(on(2026, 10, 1, "10:00"), &h));
    }

    #[test]
    fn a_make_up_working_day_keeps_mondays_hours() {
        let h = calendar();
        let oh = hours("Mo-Fr 09:00-18:00; Sa,Su off");
        assert!(oh.is_open_with(on(2026, 9, 20, "10:00"), &h), "调休 Sunday");
        assert!(
            !oh.is_open_with(on(2026, 9, 27, "10:00"), &h),
            "a plain Sunday"
        );
        // An overnight holiday rule spills into the next morning
        let oh = hours("Mo-Su 09:00-18:00; PH 20:00-02:00");
        assert!(oh.is_open_with(on(2026, 10, 7, "21:00"), &h));
        assert!(oh.is_open_with(on(2026, 10, 8, "01:00"), &h));
        assert!(!oh.is_open_with(on(2026, 10, 8, "03:00"), &h));
    }

    #[test]
    fn closed_on_holidays_is_not_round_the_clock() {
        assert!(hours("24/7").is_24_7());
        assert!(hours("24/7; PH 00:00-24:00").is_24_7());
        assert!(!hours("24/7; PH off").is_24_7());
    }

    #[test]
    fn rule_without_days_applies_to_every_day() {
        let oh = hours("10:00-20:00");
        assert!(ranges(&oh).iter().all(|r| r == &[(600, 1200)]));
        // ...and so replaces everything said before it.
        let oh = hours("Mo 08:00-09:00; 10:00-11:00");
        assert_eq!(ranges(&oh)[0], vec![(600, 660)]);
    }

    #[test]
    fn twenty_four_seven_can_be_one_rule_among_others() {
        let oh = hours("24/7; Su off");
        assert!(oh.is_open_at(at(Weekday::Sa, "03:00")));
        assert!(!oh.is_open_at(at(Weekday::Su, "03:00")));
        assert!(!oh.is_24_7());
        let oh = hours("Mo-Fr 08:00-18:00; 24/7");
        assert!(oh.is_24_7());
    }

    #[test]
    fn full_coverage_counts_as_twenty_four_seven() {
        for text in [
            "24/7",
            "Mo-Su 00:00-24:00",
            "00:00-24:00",
            "Mo-Su",
            "Mo-Su 12:00-12:00",
            "Mo-Su 00:00-12:00,12:00-24:00",
            "Mo-Su 18:00-08:00, 08:00-18:00",
        ] {
            assert!(hours(text).is_24_7(), "{text}");
        }
        for text in [
            "Mo-Sa 00:00-24:00",
            "Mo-Su 00:00-23:59",
            "Mo-Su 00:00-12:00,12:01-24:00",
            "Mo-Su 08:00-20:00",
            "off",
        ] {
            assert!(!hours(text).is_24_7(), "{text}");
        }
    }

    #[test]
    fn one_digit_hours_are_accepted() {
        assert_eq!(ranges(&hours("Mo 9:00-17:30"))[0], vec![(540, 1050)]);
    }

    #[test]
    fn whitespace_around_separators_is_tolerated() {
        let oh = hours("  Mo - We , Fr  08:00 - 12:00 , 14:00-18:00 ;  Sa off ; ");
        assert_eq!(
            oh.as_str(),
            "Mo - We , Fr  08:00 - 12:00 , 14:00-18:00 ;  Sa off ;"
        );
        assert_eq!(ranges(&oh)[4], vec![(480, 720), (840, 1080)]);
        assert_eq!(ranges(&oh)[3], vec![]);
        assert_eq!(
            ranges(&hours("Mo-Fr09:00-10:00;Sa 10:00-11:00"))[0],
            vec![(540, 600)]
        );
    }

    #[test]
    fn week_lists_each_day_as_written() {
        let week = hours("Mo-Fr 08:00-12:00,14:00-18:00; Sa 20:00-02:00").week();
        let days: Vec<Weekday> = week.iter().map(|d| d.day).collect();
        assert_eq!(days, Weekday::ALL);
        assert_eq!(week[0].ranges, vec![(480, 720), (840, 1080)]);
        assert_eq!(week[5].ranges, vec![(1200, 1560)]);
        assert!(week[6].ranges.is_empty());
    }

    #[test]
    fn format_minute_shows_next_day_times_on_the_clock() {
        assert_eq!(format_minute(0), "00:00");
        assert_eq!(format_minute(540), "09:00");
        assert_eq!(format_minute(1439), "23:59");
        assert_eq!(format_minute(1440), "24:00");
        assert_eq!(format_minute(1441), "00:01");
        assert_eq!(format_minute(1560), "02:00");
        assert_eq!(format_minute(2880), "24:00");
        assert_eq!(format_minute(u16::MAX), "12:15");
    }

    #[test]
    fn error_positions_point_at_the_problem() {
        let cases: &[(&str, HoursErrorKind, usize)] = &[
            ("", Empty, 0),
            ("   ", Empty, 0),
            (" ; ;", Empty, 0),
            ("Mo-Fr 25:00-26:00", BadTime, 6),
            ("Mo-Fr 24:00-02:00", BadTime, 6),
            ("Mo 09:60-10:00", BadTime, 3),
            ("Mo 09:00-24:01", BadTime, 9),
            ("Mo 09:00-26:00", BadTime, 9),
            ("Mo-Xx 09:00-10:00", ExpectedDay, 3),
            ("Mon 09:00-10:00", ExpectedDay, 0),
            ("Mo,,Tu", ExpectedDay, 3),
            ("Mo-Fr, 09:00-10:00", ExpectedDay, 7),
            ("Mo-Fr  x", ExpectedTime, 7),
            ("Mo 0900-1800", ExpectedTime, 3),
            ("Mo 9-17", ExpectedTime, 3),
            ("Mo 09:0-10:00", ExpectedTime, 3),
            ("Mo 09:00-", ExpectedTime, 9),
            ("Mo 09:00-10:00,", ExpectedTime, 15),
            ("-09:00", ExpectedTime, 0),
            ("Mo-Fr 24/7", ExpectedTime, 6),
            ("Mo 09:00", ExpectedDash, 8),
            ("Mo 09:00\u{2013}18:00", ExpectedDash, 8),
            ("Mo-Fr 09:00-18:00 Sa 10:00-12:00", ExpectedSeparator, 18),
            ("24/7 Mo", ExpectedSeparator, 5),
            ("Su off 10:00-12:00", ExpectedSeparator, 7),
            ("Jan 09:00-10:00", UnsupportedSyntax, 0),
            ("PH-Fr 10:00-12:00", ExpectedTime, 2),
            ("PH,SH off", UnsupportedSyntax, 3),
            ("SH off", UnsupportedSyntax, 0),
            ("week 01-10 Mo 09:00-10:00", UnsupportedSyntax, 0),
            ("Mo-Fr sunrise-sunset", UnsupportedSyntax, 6),
            ("Mo-Fr 09:00-sunset", UnsupportedSyntax, 12),
            ("Mo-Fr 09:00+", UnsupportedSyntax, 11),
            ("Mo-Fr 09:00-18:00+", UnsupportedSyntax, 17),
            ("Mo-Fr 09:00-18:00 \"call first\"", UnsupportedSyntax, 18),
            ("Mo-Fr 09:00-18:00 || closed", UnsupportedSyntax, 18),
            ("Su[1] 09:00-10:00", UnsupportedSyntax, 2),
            ("Mo-Fr 08:00-12:00, Sa 10:00-12:00", UnsupportedSyntax, 19),
            ("Mo-Fr 09:00-18:00 off", UnsupportedSyntax, 18),
            ("Mo-Fr 09:00-18:00 open", UnsupportedSyntax, 18),
            ("Mo 10:00-12:00 unknown", UnsupportedSyntax, 15),
        ];
        for &(text, kind, position) in cases {
            assert_eq!(err(text), (kind, position), "{text:?}");
        }
    }

    #[test]
    fn error_positions_are_byte_offsets_in_the_untrimmed_input() {
        assert_eq!(err("  Mo-Xx"), (ExpectedDay, 5));
        // "周一" is six bytes of UTF-8.
        assert_eq!(err("Mo 周一"), (ExpectedTime, 3));
        assert_eq!(
            err("Mo-Fr 09:00-18:00\u{ff1b}Sa off"),
            (ExpectedSeparator, 17)
        );
    }

    #[test]
    fn error_display_names_the_problem_and_position() {
        let e = OpeningHours::parse("Mo-Fr  x").expect_err("invalid");
        assert_eq!(e.to_string(), "expected a time like 09:00 at position 7");
        let e = OpeningHours::parse("Mo-Fr 25:00-26:00").expect_err("invalid");
        assert_eq!(
            e.to_string(),
            "time out of range (00:00 to 24:00) at position 6"
        );
    }

    #[test]
    fn error_codes_are_snake_case_and_match_serde() {
        for kind in [
            Empty,
            ExpectedDay,
            ExpectedTime,
            BadTime,
            ExpectedDash,
            ExpectedSeparator,
            UnsupportedSyntax,
        ] {
            let code = kind.code();
            assert!(code.bytes().all(|c| c.is_ascii_lowercase() || c == b'_'));
            let json = serde_json::to_string(&kind).expect("serialize");
            assert_eq!(json, format!("\"{code}\""));
        }
        let e = HoursError {
            position: 6,
            kind: BadTime,
        };
        let json = serde_json::to_string(&e).expect("serialize");
        assert_eq!(json, r#"{"position":6,"kind":"bad_time"}"#);
    }

    #[test]
    fn serde_carries_the_plain_osm_text() {
        let oh = hours(" Mo-Fr 08:00-20:00; Su off ");
        assert_eq!(oh.as_str(), "Mo-Fr 08:00-20:00; Su off");
        assert_eq!(oh.to_string(), "Mo-Fr 08:00-20:00; Su off");
        let json = serde_json::to_string(&oh).expect("serialize");
        assert_eq!(json, "\"Mo-Fr 08:00-20:00; Su off\"");
        let back: OpeningHours = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, oh);
        let bad = serde_json::from_str::<OpeningHours>("\"Mo-Fr 25:00-26:00\"");
        let message = bad.expect_err("invalid").to_string();
        assert!(message.contains("time out of range"), "{message}");
    }

    #[test]
    fn try_from_string_and_from_str_agree_with_parse() {
        let text = "  Sa,Su 10:00-16:00 ";
        let a = OpeningHours::try_from(text.to_owned()).expect("valid");
        let b: OpeningHours = text.parse().expect("valid");
        assert_eq!(a, b);
        assert_eq!(a, hours(text));
        assert_eq!(String::from(a), "Sa,Su 10:00-16:00");
    }

    // ---- property tests ----

    /// What one generated rule says, kept alongside its text so that the
    /// parser can be checked against an independent model.
    /// Start (h, m), end (h, m), and whether hours get two digits.
    type GenRange = ((u16, u16), (u16, u16), bool);

    #[derive(Clone, Debug)]
    enum Body {
        AllDay,
        Off(&'static str),
        Times(Vec<GenRange>),
    }

    fn day_items() -> impl Strategy<Value = Vec<(usize, Option<usize>)>> {
        prop::collection::vec((0_usize..7, prop::option::of(0_usize..7)), 1..4)
    }

    fn times() -> impl Strategy<Value = Vec<GenRange>> {
        let start = (0_u16..24, 0_u16..60);
        let end = (0_u16..25, 0_u16..60).prop_map(|(h, m)| (h, if h == 24 { 0 } else { m }));
        prop::collection::vec((start, end, any::<bool>()), 1..4)
    }

    fn body() -> impl Strategy<Value = Body> {
        prop_oneof![
            Just(Body::AllDay),
            Just(Body::Off("off")),
            Just(Body::Off("closed")),
            times().prop_map(Body::Times),
        ]
    }

    type GeneratedRule = (Option<Vec<(usize, Option<usize>)>>, Body, bool);

    fn rules() -> impl Strategy<Value = Vec<GeneratedRule>> {
        prop::collection::vec((prop::option::of(day_items()), body(), any::<bool>()), 1..5)
    }

    /// Renders generated rules as text (with `spaced` choosing separator
    /// style) and computes the expected week by the "last rule wins" model.
    fn render(rules: &[GeneratedRule]) -> (String, [Vec<(u16, u16)>; 7]) {
        let mut week: [Vec<(u16, u16)>; 7] = Default::default();
        let mut texts = Vec::new();
        for (days, body, spaced) in rules {
            let sep = if *spaced { " , " } else { "," };
            let mut text = String::new();
            let mut named = [days.is_none(); 7];
            if let Some(items) = days {
                let parts: Vec<String> = items
                    .iter()
                    .map(|&(a, b)| {
                        let first = Weekday::from_index(a);
                        match b {
                            None => {
                                named[a] = true;
                                first.as_str().to_owned()
                            }
                            Some(b) => {
                                let mut i = a;
                                named[i] = true;
                                while i != b {
                                    i = (i + 1) % 7;
                                    named[i] = true;
                                }
                                format!("{first}-{}", Weekday::from_index(b))
                            }
                        }
                    })
                    .collect();
                text.push_str(&parts.join(sep));
            }
            let ranges = match body {
                Body::AllDay if days.is_none() => {
                    text.push_str("24/7");
                    vec![(0, DAY)]
                }
                Body::AllDay => vec![(0, DAY)],
                Body::Off(word) => {
                    if days.is_some() {
                        text.push(' ');
                    }
                    text.push_str(word);
                    Vec::new()
                }
                Body::Times(list) => {
                    if days.is_some() {
                        text.push(' ');
                    }
                    let parts: Vec<String> = list
                        .iter()
                        .map(|&((sh, sm), (eh, em), two_digit)| {
                            let hour = |h: u16| {
                                if two_digit {
                                    format!("{h:02}")
                                } else {
                                    h.to_string()
                                }
                            };
                            format!("{}:{sm:02}-{}:{em:02}", hour(sh), hour(eh))
                        })
                        .collect();
                    text.push_str(&parts.join(sep));
                    list.iter()
                        .map(|&((sh, sm), (eh, em), _)| {
                            let (s, e) = (sh * 60 + sm, eh * 60 + em);
                            (s, if e <= s { e + DAY } else { e })
                        })
                        .collect()
                }
            };
            for (i, is_named) in named.into_iter().enumerate() {
                if is_named {
                    week[i] = ranges.clone();
                }
            }
            texts.push(text);
        }
        (texts.join("; "), week)
    }

    /// Minute-of-week bitmap built from `week()`, for brute-force checks.
    fn open_minutes(oh: &OpeningHours) -> Vec<bool> {
        let week_len = 7 * usize::from(DAY);
        let mut open = vec![false; week_len];
        for schedule in oh.week() {
            let base = schedule.day.index() * usize::from(DAY);
            for (start, end) in schedule.ranges {
                for m in start..end {
                    open[(base + usize::from(m)) % week_len] = true;
                }
            }
        }
        open
    }

    /// Monday 2026-11-23 00:00 in Beijing.
    const MONDAY_MIDNIGHT: i64 = 1_795_363_200;

    proptest! {
        #[test]
        fn parse_never_panics_on_arbitrary_text(text in "\\PC*") {
            let _ = OpeningHours::parse(&text);
        }

        #[test]
        fn parse_never_panics_on_near_miss_text(
            text in "[MoTuWeFrSaSuPHofcled0-9:;, /\\-+\"|\\[\\]]{0,40}"
        ) {
            if let Err(e) = OpeningHours::parse(&text) {
                prop_assert!(e.position <= text.len());
            }
        }

        #[test]
        fn generated_rules_parse_to_the_modelled_week(rules in rules()) {
            let (text, expected) = render(&rules);
            let oh = OpeningHours::parse(&text)
                .map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
            let got: Vec<Vec<(u16, u16)>> = ranges(&oh);
            prop_assert_eq!(got, expected.to_vec(), "{}", text);
        }

        #[test]
        fn generated_rules_round_trip_through_text_and_serde(rules in rules()) {
            let (text, _) = render(&rules);
            let oh = OpeningHours::parse(&text)
                .map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
            prop_assert_eq!(OpeningHours::parse(&oh.to_string()), Ok(oh.clone()));
            let json = serde_json::to_string(&oh)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back: OpeningHours = serde_json::from_str(&json)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, oh);
        }

        #[test]
        fn is_open_at_and_is_24_7_agree_with_the_week_table(
            rules in rules(),
            weeks in -3000_i64..3000,
            minutes in prop::collection::vec(0_i64..10_080, 50),
        ) {
            let (text, _) = render(&rules);
            let oh = OpeningHours::parse(&text)
                .map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
            let open = open_minutes(&oh);
            prop_assert_eq!(oh.is_24_7(), open.iter().all(|&o| o), "{}", text);
            for m in minutes {
                let t = Timestamp::from_unix(MONDAY_MIDNIGHT + weeks * 604_800 + m * 60 + 59);
                prop_assert_eq!(oh.is_open_at(t), open[m as usize], "{} minute {}", text, m);
            }
        }

        #[test]
        fn twenty_four_seven_is_open_at_every_timestamp(secs in any::<i64>()) {
            prop_assert!(hours("24/7").is_open_at(Timestamp::from_unix(secs)));
        }
    }

    #[test]
    fn monday_midnight_constant_is_a_beijing_monday_midnight() {
        let local = Timestamp::from_unix(MONDAY_MIDNIGHT).beijing();
        assert_eq!(local.weekday, Weekday::Mo);
        assert_eq!(local.minute_of_day, 0);
    }
}
