//! Who is calling from where: the client's address (the socket peer, or behind trusted proxies
//! the first address none of them vouches for), and the salted hashes limits count by, so no
//! address is stored as it is.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;

/// The client's address: the socket peer, or the nearest untrusted hop of `X-Forwarded-For`
/// when the peer is one of `YIZHAN_TRUSTED_PROXIES`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| AppError::Internal("no peer address: serve with connect info".into()))?;
        Ok(ClientAddr(client_ip(
            peer,
            &parts.headers,
            &state.settings.trusted_proxies,
        )))
    }
}

/// Each proxy appends the address it saw to `X-Forwarded-For`, so walking it from the right past
/// our own proxies finds the first address no trusted machine vouches for: the client. Anything
/// left of that could be made up by the client, so it is never used.
fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.contains(&ip.to_canonical());
    let peer = peer.to_canonical();
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip.to_canonical();
                if !is_trusted(&client) {
                    break;
                }
            }
            // A garbled hop: trust nothing beyond the last good one.
            Err(_) => break,
        }
    }
    client
}

/// What the address limit counts: the whole IPv4 address, or the IPv6 /64 a phone hops around in.
pub(crate) fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// Salted SHA-256, hex. `what` keeps a device id from ever hashing like an address.
pub(crate) fn salted_hash(salt: &[u8], what: &str, value: &str) -> String {
    let digest = Sha256::new()
        .chain_update(salt)
        .chain_update(what.as_bytes())
        .chain_update([0])
        .chain_update(value.as_bytes())
        .finalize();
    crate::auth::hex(&digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    #[test]
    fn forwarded_for_from_an_untrusted_peer_is_ignored() {
        let h = forwarded(&["203.0.113.7"]);
        assert_eq!(client_ip(ip("198.51.100.1"), &h, &[]), ip("198.51.100.1"));
    }

    #[test]
    fn trusted_proxy_names_the_client_to_its_left() {
        let proxy = ip("10.0.0.2");
        let h = forwarded(&["203.0.113.7"]);
        assert_eq!(client_ip(proxy, &h, &[proxy]), ip("203.0.113.7"));
    }

    #[test]
    fn addresses_a_client_made_up_left_of_the_real_one_are_not_believed() {
        let (outer, inner) = (ip("10.0.0.1"), ip("10.0.0.2"));
        // The client sent "1.2.3.4" itself; the outer proxy appended the real address.
        let h = forwarded(&["1.2.3.4, 203.0.113.7", "10.0.0.1"]);
        assert_eq!(client_ip(inner, &h, &[outer, inner]), ip("203.0.113.7"));
    }

    #[test]
    fn garbled_forwarded_for_falls_back_to_the_proxy() {
        let proxy = ip("10.0.0.2");
        let h = forwarded(&["not-an-address"]);
        assert_eq!(client_ip(proxy, &h, &[proxy]), proxy);
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }

    #[test]
    fn ipv4_mapped_ipv6_peer_counts_as_ipv4() {
        let h = HeaderMap::new();
        assert_eq!(
            client_ip(ip("::ffff:198.51.100.1"), &h, &[]),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn ipv6_addresses_in_one_64_share_a_limit() {
        assert_eq!(
            address_key(ip("2001:db8:1:2:aaaa::1")),
            address_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            address_key(ip("2001:db8:1:2::1")),
            address_key(ip("2001:db8:1:3::1"))
        );
    }

    #[test]
    fn hashes_depend_on_the_salt_and_on_what_is_hashed() {
        let a = salted_hash(b"salt-a", "device", "abcdefgh12345678");
        assert_eq!(a.len(), 64);
        assert_ne!(a, salted_hash(b"salt-b", "device", "abcdefgh12345678"));
        assert_ne!(a, salted_hash(b"salt-a", "address", "abcdefgh12345678"));
    }
}
