//! The addresses of the rider's and the applicant's pages, which the contract fixes: posters'
//! QR codes and union sites link to them. Each bundle's router reads them, and a link from one
//! bundle to another's page (the map's 申请入会 to the sign-up form, the scanner) is written
//! here rather than by hand.

use crate::url::encode_component;

/// The map.
pub const MAP: &str = "/";
/// The map inside a union's frame.
pub const EMBED: &str = "/embed";
/// The membership application (`?station=` credits a station).
pub const JOIN: &str = "/join";
/// Following an application.
pub const JOIN_STATUS: &str = "/join/status";
/// The in-app QR scanner.
pub const SCAN: &str = "/scan";
/// Where a station's page lives, before its id.
const STATION_PREFIX: &str = "/stations/";

/// `/stations/{id}`, the id encoded.
pub fn station(id: &str) -> String {
    format!("{STATION_PREFIX}{}", encode_component(id))
}

/// The still-encoded id in a station page's path (`/stations/{id}`, one segment).
pub fn station_id(path: &str) -> Option<&str> {
    path.strip_prefix(STATION_PREFIX)
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

/// The application crediting `station`.
pub fn join_crediting(station: &str) -> String {
    format!("{JOIN}?station={}", encode_component(station))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_path_reads_back_as_its_encoded_id() {
        assert_eq!(station("bj-cy-0001"), "/stations/bj-cy-0001");
        assert_eq!(station_id(&station("bj-cy-0001")), Some("bj-cy-0001"));
        assert_eq!(station_id(&station("a/b c")), Some("a%2Fb%20c"));
        for not_one in ["/stations/", "/stations", "/stations/a/b", "/", "/join"] {
            assert_eq!(station_id(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn the_application_names_the_station_encoded() {
        assert_eq!(join_crediting("bj-cy-0001"), "/join?station=bj-cy-0001");
        assert_eq!(join_crediting("a&b"), "/join?station=a%26b");
    }
}
