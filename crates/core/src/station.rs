//! A rest station as riders see it, and the rule that turns an old status into `unknown`.

use serde::{Deserialize, Serialize};

use crate::amenity::{Amenity, AmenityState, AmenityStatus};
use crate::geo::LatLng;
use crate::ids::{StationId, UnionId};
use crate::opening_hours::OpeningHours;
use crate::time::Timestamp;

/// A station's live status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StationState {
    /// Open now, as its manager says.
    Open,
    /// Closed now, as its manager says.
    Closed,
    /// Not confirmed within the expiry time.
    Unknown,
}

impl StationState {
    /// The contract code.
    pub fn as_str(self) -> &'static str {
        match self {
            StationState::Open => "open",
            StationState::Closed => "closed",
            StationState::Unknown => "unknown",
        }
    }

    /// Parses a contract code.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(StationState::Open),
            "closed" => Some(StationState::Closed),
            "unknown" => Some(StationState::Unknown),
            _ => None,
        }
    }
}

/// What the station's manager last said, and until when it is trusted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationStatus {
    /// Open, closed, or unknown once expired.
    pub state: StationState,
    /// When a manager last confirmed it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub confirmed_at: Option<Timestamp>,
    /// When the confirmation stops being trusted.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<Timestamp>,
    /// A short note from the manager, e.g. "微波炉维修中，周五恢复".
    pub notice: Option<String>,
}

impl StationStatus {
    /// Whether the confirmation is still trusted at `now`.
    pub fn is_fresh(&self, now: Timestamp) -> bool {
        matches!((self.confirmed_at, self.expires_at), (Some(_), Some(e)) if now < e)
    }
}

/// The union that runs a station.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionRef {
    /// The union's id.
    pub id: UnionId,
    /// Its name, e.g. 朝阳区总工会.
    pub name: String,
}

/// A rest station (the contract's `Station`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Station {
    /// Stable id.
    pub id: StationId,
    /// Name, e.g. 链家望京西园店暖心驿站.
    pub name: String,
    /// Street address.
    pub address: String,
    /// District, e.g. 朝阳区.
    pub district: String,
    /// The union that runs it.
    pub union: UnionRef,
    /// WGS-84 position.
    pub location: LatLng,
    /// What it offers and whether each works.
    pub amenities: Vec<AmenityStatus>,
    /// OSM `opening_hours` text.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "Mo-Fr 09:00-21:00; Sa,Su 10:00-18:00"))]
    pub hours: OpeningHours,
    /// Live status.
    pub status: StationStatus,
    /// Contact number.
    pub phone: Option<String>,
    /// Increases with every change; the station's ETag.
    pub version: u64,
    /// Staff answers to recent rider reports (only on the one-station answer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<crate::report::StaffReply>,
    /// Riders (devices) who said "this is right" today, Beijing time; as the server last
    /// counted, up to a minute behind on a fleet. Shown beside the status, never instead of it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub confirmed_today: u32,
}

/// For serde: a count of zero is left out of the JSON.
fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Station {
    /// The station as a rider should see it at `now`: once the manager's confirmation has
    /// expired, the station and every amenity state become `unknown`.
    pub fn as_seen_at(mut self, now: Timestamp) -> Station {
        if !self.status.is_fresh(now) {
            self.status.state = StationState::Unknown;
            for a in &mut self.amenities {
                a.state = AmenityState::Unknown;
            }
        }
        self
    }

    /// The state of one amenity, or `None` when the station does not have it.
    pub fn amenity(&self, code: Amenity) -> Option<AmenityState> {
        self.amenities
            .iter()
            .find(|a| a.code == code)
            .map(|a| a.state)
    }

    /// The live state a rider sees at `now` (`unknown` once expired), without copying.
    pub fn state_at(&self, now: Timestamp) -> StationState {
        if self.status.is_fresh(now) {
            self.status.state
        } else {
            StationState::Unknown
        }
    }

    /// One amenity's state as a rider sees it at `now`.
    pub fn amenity_at(&self, code: Amenity, now: Timestamp) -> Option<AmenityState> {
        let fresh = self.status.is_fresh(now);
        self.amenity(code)
            .map(|s| if fresh { s } else { AmenityState::Unknown })
    }

    /// Open at `now`: the hours say open and the live status, as a rider sees it at `now`
    /// (an expired `closed` reads `unknown`), is not `closed`.
    pub fn is_open_at(&self, now: Timestamp) -> bool {
        self.is_open_with(now, &crate::holidays::Holidays::default())
    }

    /// [`Station::is_open_at`] with the deployment's holidays (`PH` in its hours).
    pub fn is_open_with(&self, now: Timestamp, holidays: &crate::holidays::Holidays) -> bool {
        self.state_at(now) != StationState::Closed && self.hours.is_open_with(now, holidays)
    }
}

/// The body of `GET /api/v1/stations`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationList {
    /// Matching stations, at most `limit`.
    pub stations: Vec<Station>,
    /// How many match in all.
    pub total: usize,
    /// Cursor for the next page, when more match than `limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Dense areas grouped (only with `bbox` and `zoom`); each matching station is either in
    /// `stations` or counted in exactly one cluster.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clusters: Vec<crate::cluster::Cluster>,
    /// `[minLng, minLat, maxLng, maxLat]` around every matching station (not only this page),
    /// so a view can open on the area a filter covers, e.g. one union's; absent when none match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounds: Option<[f64; 4]>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample(hours: &str) -> Station {
        Station {
            id: StationId::parse("bj-test-1").expect("id"),
            name: "链家望京西园店暖心驿站".into(),
            address: "望京西园三区".into(),
            district: "朝阳区".into(),
            union: UnionRef {
                id: UnionId::parse("bj-chaoyang").expect("id"),
                name: "朝阳区总工会".into(),
            },
            location: LatLng::new(39.99, 116.47).expect("point"),
            amenities: vec![
                AmenityStatus {
                    code: Amenity::Water,
                    state: AmenityState::Ok,
                },
                AmenityStatus {
                    code: Amenity::Microwave,
                    state: AmenityState::OutOfOrder,
                },
            ],
            hours: OpeningHours::parse(hours).expect("hours"),
            status: StationStatus {
                state: StationState::Open,
                confirmed_at: Some(Timestamp::from_unix(1_000)),
                expires_at: Some(Timestamp::from_unix(2_000)),
                notice: None,
            },
            phone: Some("010-12345678".into()),
            version: 1,
            replies: Vec::new(),
            confirmed_today: 0,
        }
    }

    #[test]
    fn status_older_than_its_expiry_reads_unknown() {
        let s = sample("24/7").as_seen_at(Timestamp::from_unix(2_000));
        assert_eq!(s.status.state, StationState::Unknown);
        assert_eq!(s.amenity(Amenity::Microwave), Some(AmenityState::Unknown));
    }

    #[test]
    fn status_within_its_expiry_is_kept() {
        let s = sample("24/7").as_seen_at(Timestamp::from_unix(1_999));
        assert_eq!(s.status.state, StationState::Open);
        assert_eq!(
            s.amenity(Amenity::Microwave),
            Some(AmenityState::OutOfOrder)
        );
    }

    #[test]
    fn closed_status_beats_open_hours() {
        let mut s = sample("24/7");
        s.status.state = StationState::Closed;
        assert!(!s.is_open_at(Timestamp::from_unix(1_500)));
    }

    #[test]
    fn station_json_has_the_contract_fields() {
        let v = serde_json::to_value(sample("24/7")).expect("json");
        for key in [
            "id",
            "name",
            "address",
            "district",
            "union",
            "location",
            "amenities",
            "hours",
            "status",
            "phone",
            "version",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
        assert_eq!(v["hours"], "24/7");
        assert_eq!(v["amenities"][1]["state"], "out_of_order");
        assert_eq!(v["status"]["confirmed_at"], "1970-01-01T00:16:40Z");
    }
}
