//! The filters of the applications queue: read by the server from
//! `GET /api/v1/admin/applications?status=&station=&from=&to=` and written by the staff page,
//! whose own address (`/admin/applications?…`) carries the same names.

use super::*;
use crate::url::QueryWriter;

/// A limit of the date filter: a Beijing calendar date (`2026-11-01`, the whole day) or an
/// RFC 3339 time. Kept as given, so a written query reads back the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentLimit {
    text: String,
    start: Timestamp,
    is_date: bool,
}

impl SentLimit {
    /// Parses a date `YYYY-MM-DD` (Beijing) or an RFC 3339 time.
    pub fn parse(s: &str) -> Option<SentLimit> {
        let text = s.trim();
        let is_date = text.len() == 10;
        let start = if is_date {
            format!("{text}T00:00:00+08:00").parse().ok()?
        } else {
            text.parse().ok()?
        };
        Some(SentLimit {
            text: text.to_owned(),
            start,
            is_date,
        })
    }

    /// The text as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first moment it covers: a date's midnight in Beijing, or the time itself.
    pub fn start(&self) -> Timestamp {
        self.start
    }

    /// The moment it ends before: the next Beijing midnight for a date, or the time itself.
    pub fn end(&self) -> Timestamp {
        if self.is_date {
            self.start.plus_seconds(86_400)
        } else {
            self.start
        }
    }
}

/// What the queue lists; `None` means any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplicationQuery {
    /// Only applications in this status.
    pub status: Option<ApplicationStatus>,
    /// Only applications credited to this station.
    pub station: Option<StationId>,
    /// Sent on or after this.
    pub from: Option<SentLimit>,
    /// Sent on or before this date (the whole day), or before this time.
    pub to: Option<SentLimit>,
}

impl ApplicationQuery {
    /// Parses decoded query pairs. Blank values mean any and unknown names are ignored; every
    /// known one with a bad value is reported and left out (the server answers 400 with them,
    /// the page shows the queue without that filter).
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (ApplicationQuery, FieldErrors) {
        let mut q = ApplicationQuery::default();
        let mut errors = FieldErrors::new();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let ok = match key {
                "status" => ApplicationStatus::parse(value)
                    .map(|s| q.status = Some(s))
                    .ok_or(FieldCode::Unknown),
                "station" => StationId::parse(value)
                    .map(|s| q.station = Some(s))
                    .map_err(|_| FieldCode::Invalid),
                "from" => SentLimit::parse(value)
                    .map(|t| q.from = Some(t))
                    .ok_or(FieldCode::Invalid),
                "to" => SentLimit::parse(value)
                    .map(|t| q.to = Some(t))
                    .ok_or(FieldCode::Invalid),
                _ => Ok(()),
            };
            if let Err(code) = ok {
                errors.insert(key.to_owned(), code);
            }
        }
        (q, errors)
    }

    /// The query string without the `?` (empty when nothing is filtered), values
    /// percent-encoded; [`ApplicationQuery::parse`] reads it back to the same query.
    pub fn to_query_string(&self) -> String {
        let mut w = QueryWriter::default();
        if let Some(s) = self.status {
            w.plain("status").push_str(s.as_str());
        }
        if let Some(s) = &self.station {
            w.plain("station").push_str(s.as_str());
        }
        if let Some(t) = &self.from {
            w.text("from", t.as_str());
        }
        if let Some(t) = &self.to {
            w.text("to", t.as_str());
        }
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_beijing_days_and_to_includes_the_whole_day() {
        let day = SentLimit::parse("2026-11-01").expect("date");
        assert_eq!(day.start().to_string(), "2026-10-31T16:00:00Z");
        assert_eq!(day.end().to_string(), "2026-11-01T16:00:00Z");
        let time = SentLimit::parse("2026-11-01T08:00:00Z").expect("time");
        assert_eq!(time.start(), time.end());
        assert!(SentLimit::parse("yesterday").is_none());
        assert!(SentLimit::parse("2026-13-01").is_none());
    }

    #[test]
    fn bad_values_are_reported_by_field_and_blank_ones_mean_any() {
        let (q, errors) = ApplicationQuery::parse([
            ("status", "lost"),
            ("station", "Not An Id"),
            ("from", " "),
            ("to", "2026-11-31x"),
            ("page", "2"),
        ]);
        assert_eq!(q, ApplicationQuery::default());
        assert_eq!(errors.get("status"), Some(&FieldCode::Unknown));
        assert_eq!(errors.get("station"), Some(&FieldCode::Invalid));
        assert_eq!(errors.get("to"), Some(&FieldCode::Invalid));
        assert_eq!(errors.len(), 3);
    }
}
