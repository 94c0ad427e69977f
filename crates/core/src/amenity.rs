//! What a station offers (the contract's amenity codes) and whether each works right now.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A thing a station offers riders. Codes are fixed by the public contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Amenity {
    /// 饮水
    Water,
    /// 充电
    Charging,
    /// 热饭 / 微波炉
    Microwave,
    /// 休息
    Rest,
    /// 卫生间
    Toilet,
    /// 急救箱
    FirstAid,
    /// 维修
    Repair,
    /// 换电
    BatterySwap,
    /// 淋浴
    Shower,
    /// 空调 / 取暖
    Climate,
    /// 无线网络
    Wifi,
    /// 阅读
    Books,
}

impl Amenity {
    /// Its short name in Chinese and in English, as riders see it (饮水 / Water).
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Amenity::Water => ("饮水", "Water"),
            Amenity::Charging => ("充电", "Charging"),
            Amenity::Microwave => ("热饭", "Microwave"),
            Amenity::Rest => ("休息", "Seats"),
            Amenity::Toilet => ("卫生间", "Toilet"),
            Amenity::FirstAid => ("急救箱", "First aid"),
            Amenity::Repair => ("维修", "Repairs"),
            Amenity::BatterySwap => ("换电", "Battery swap"),
            Amenity::Shower => ("淋浴", "Shower"),
            Amenity::Climate => ("空调取暖", "Heating / AC"),
            Amenity::Wifi => ("无线网络", "Wi-Fi"),
            Amenity::Books => ("阅读", "Books"),
        }
    }
}

/// The code was not one of the contract's amenity codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown amenity code")]
pub struct UnknownAmenity;

impl Amenity {
    /// Every amenity, in the order the app shows them.
    pub const ALL: [Amenity; 12] = [
        Amenity::Water,
        Amenity::Charging,
        Amenity::Microwave,
        Amenity::Rest,
        Amenity::Toilet,
        Amenity::FirstAid,
        Amenity::Repair,
        Amenity::BatterySwap,
        Amenity::Shower,
        Amenity::Climate,
        Amenity::Wifi,
        Amenity::Books,
    ];

    /// The contract code, e.g. `first_aid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Amenity::Water => "water",
            Amenity::Charging => "charging",
            Amenity::Microwave => "microwave",
            Amenity::Rest => "rest",
            Amenity::Toilet => "toilet",
            Amenity::FirstAid => "first_aid",
            Amenity::Repair => "repair",
            Amenity::BatterySwap => "battery_swap",
            Amenity::Shower => "shower",
            Amenity::Climate => "climate",
            Amenity::Wifi => "wifi",
            Amenity::Books => "books",
        }
    }

    /// Parses a comma list such as `water,microwave`; empty items are ignored.
    pub fn parse_list(s: &str) -> Result<Vec<Amenity>, UnknownAmenity> {
        let mut out = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let a = part.parse()?;
            if !out.contains(&a) {
                out.push(a);
            }
        }
        Ok(out)
    }
}

impl FromStr for Amenity {
    type Err = UnknownAmenity;
    fn from_str(s: &str) -> Result<Self, UnknownAmenity> {
        Amenity::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or(UnknownAmenity)
    }
}

impl fmt::Display for Amenity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an amenity works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AmenityState {
    /// Working.
    Ok,
    /// Broken or unavailable.
    OutOfOrder,
    /// Nobody has confirmed it recently.
    Unknown,
}

impl AmenityState {
    /// The contract code.
    pub fn as_str(self) -> &'static str {
        match self {
            AmenityState::Ok => "ok",
            AmenityState::OutOfOrder => "out_of_order",
            AmenityState::Unknown => "unknown",
        }
    }
}

impl FromStr for AmenityState {
    type Err = UnknownAmenity;
    fn from_str(s: &str) -> Result<Self, UnknownAmenity> {
        match s {
            "ok" => Ok(AmenityState::Ok),
            "out_of_order" => Ok(AmenityState::OutOfOrder),
            "unknown" => Ok(AmenityState::Unknown),
            _ => Err(UnknownAmenity),
        }
    }
}

/// One amenity of a station with its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmenityStatus {
    /// Which amenity.
    pub code: Amenity,
    /// Whether it works.
    pub state: AmenityState,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_text() {
        for a in Amenity::ALL {
            assert_eq!(a.as_str().parse::<Amenity>(), Ok(a));
            let json = serde_json::to_string(&a).expect("serialise");
            assert_eq!(json, format!("\"{}\"", a.as_str()));
        }
    }

    #[test]
    fn unknown_code_in_a_list_is_rejected() {
        assert_eq!(Amenity::parse_list("water,sauna"), Err(UnknownAmenity));
    }

    #[test]
    fn list_ignores_blanks_and_repeats() {
        assert_eq!(
            Amenity::parse_list("water,,microwave,water"),
            Ok(vec![Amenity::Water, Amenity::Microwave])
        );
    }
}
