//! Small, pure helpers for showing staff data: status badges, audit values.
//! (Beijing times print themselves: `t.beijing().to_string()`.)

use yizhan_core::{StationState, StationStatus, Timestamp};

/// What a station's status badge says to staff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Badge {
    /// Confirmed open, not yet expired.
    Open,
    /// Confirmed closed, not yet expired.
    Closed,
    /// Never confirmed, or past its expiry: the manager should confirm it.
    Expired,
}

impl Badge {
    /// The badge for a raw status at `now`.
    pub fn of(status: &StationStatus, now: Timestamp) -> Badge {
        if !status.is_fresh(now) {
            return Badge::Expired;
        }
        match status.state {
            StationState::Open => Badge::Open,
            StationState::Closed => Badge::Closed,
            StationState::Unknown => Badge::Expired,
        }
    }

    /// Its words.
    pub fn msg(self) -> super::i18n::Msg {
        use super::i18n::Msg;
        match self {
            Badge::Open => Msg::StatusOpen,
            Badge::Closed => Msg::StatusClosed,
            Badge::Expired => Msg::StatusExpired,
        }
    }

    /// Its CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Badge::Open => "badge badge-open",
            Badge::Closed => "badge badge-closed",
            Badge::Expired => "badge badge-expired",
        }
    }
}

/// An audit value (JSON text) for people: strings without their quotes, `null` and absent as —.
pub fn audit_value(v: Option<&str>) -> String {
    match v.map(serde_json::from_str::<serde_json::Value>) {
        None | Some(Ok(serde_json::Value::Null)) => "—".to_owned(),
        Some(Ok(serde_json::Value::String(s))) => s,
        Some(Ok(other)) => other.to_string(),
        Some(Err(_)) => v.unwrap_or_default().to_owned(),
    }
}
