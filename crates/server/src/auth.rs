//! Who is asking: session cookies, the CSRF check on writes, and what a signed-in person may
//! touch (their stations, or their union and every union below it).

use std::collections::HashSet;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use sha2::{Digest, Sha256};
use yizhan_core::staff::CSRF_HEADER;
use yizhan_core::{Account, Role, StationId, Timestamp, UnionId};

use crate::error::AppError;
use crate::state::AppState;

pub use crate::db::union_scope;
pub use crate::password::{hash_password, verify_password, Hashers};
pub use crate::secret::{generated_password, random_bytes, random_token};
pub(crate) use crate::secret::{hex, same_token};

/// The session cookie's name over plain http (a loopback demo).
pub const COOKIE: &str = "yizhan_session";
/// Its name over https: the `__Host-` prefix makes the browser refuse it unless it is Secure,
/// for this exact host and for every path, so no subdomain or plain-http page can plant one.
pub const HOST_COOKIE: &str = "__Host-yizhan_session";

fn cookie_name(secure: bool) -> &'static str {
    if secure {
        HOST_COOKIE
    } else {
        COOKIE
    }
}
/// A session ends after this long without use.
pub const IDLE_SECS: i64 = 2 * 3600;
/// A session ends this long after sign-in, used or not.
pub const ABSOLUTE_SECS: i64 = 7 * 24 * 3600;
/// `last_seen_at` is written at most this often, so reads do not all become writes.
const TOUCH_EVERY_SECS: i64 = 60;

/// SHA-256 of a session cookie, hex: what the database keeps.
pub fn session_hash(cookie: &str) -> String {
    hex(&Sha256::digest(cookie.as_bytes()))
}

/// The session cookie's value, if the request carries one (under the name `secure` gives).
pub fn session_cookie(headers: &HeaderMap, secure: bool) -> Option<String> {
    let name = cookie_name(secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 100)
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Strict, and over https Secure with the
/// `__Host-` prefix. No Max-Age: the server ends sessions (idle and absolute limits); the
/// browser forgets the cookie when it closes.
pub fn set_cookie(value: &str, secure: bool) -> HeaderValue {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("yizhan_session=; Path=/"))
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "__Host-yizhan_session=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0",
        )
    } else {
        HeaderValue::from_static("yizhan_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    }
}

/// The id a session is shown under in the owner's list: derived from the stored hash, so the
/// list reveals neither the cookie nor the row key.
pub fn public_session_id(id_hash: &str) -> String {
    hex(&Sha256::digest(format!("session-id\n{id_hash}").as_bytes())[..8])
}

/// A coarse label of the device a session is opened on (`Android · WeChat`): enough for its
/// owner to recognise it, too little to track anyone.
pub fn device_label(headers: &HeaderMap) -> String {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let system = [
        ("HarmonyOS", "HarmonyOS"),
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Macintosh", "Mac"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map_or("?", |(_, label)| label);
    let browser = [
        ("MicroMessenger", "WeChat"),
        ("DingTalk", "DingTalk"),
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map_or("?", |(_, label)| label);
    format!("{system} · {browser}")
}

/// A signed-in person, checked: session alive, account enabled, and on writes the CSRF token.
#[derive(Clone, Debug)]
pub struct Staff {
    /// Who.
    pub account: Account,
    /// The session's id hash (for signing out this session).
    pub session_hash: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// For admins: their union and every union below it. Empty for managers.
    pub scope: HashSet<UnionId>,
    /// Two-step sign-in for this account.
    pub two_step: yizhan_core::TwoStep,
}

impl Staff {
    /// Whether this person may set the status of a station of `union` with id `station`.
    pub fn may_keep(&self, station: &StationId, union: &UnionId) -> bool {
        match self.account.role {
            Role::Manager => self.account.stations.contains(station),
            Role::Admin => self.scope.contains(union),
        }
    }

    /// Whether this person is an admin of `union` (or a union above it).
    pub fn administers(&self, union: &UnionId) -> bool {
        self.account.role == Role::Admin && self.scope.contains(union)
    }

    /// Admins only; everyone else is refused.
    pub fn admin(self) -> Result<Staff, AppError> {
        if self.account.role == Role::Admin {
            Ok(self)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The scope as a sorted list.
    pub fn scope_list(&self) -> Vec<UnionId> {
        let mut v: Vec<UnionId> = self.scope.iter().cloned().collect();
        v.sort();
        v
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let secure = state.settings.is_https();
        let cookie = session_cookie(&parts.headers, secure).ok_or(AppError::Unauthenticated)?;
        let hash = session_hash(&cookie);
        let session = state
            .db
            .session(&hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let now = Timestamp::now();
        if now.unix() - session.last_seen_at.unix() > IDLE_SECS
            || now.unix() - session.created_at.unix() > ABSOLUTE_SECS
        {
            state.db.delete_session(&hash).await?;
            return Err(AppError::SessionExpired);
        }
        // Every cookie-authenticated write carries the session's token; a page on another site
        // can make the browser send the cookie, but cannot read the token.
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !same_token(sent, &session.csrf_token) {
                return Err(AppError::CsrfFailed);
            }
        }
        if now.unix() - session.last_seen_at.unix() > TOUCH_EVERY_SECS {
            state.db.touch_session(&hash, now).await?;
        }
        let two_step = yizhan_core::TwoStep {
            enabled: session.account.two_step,
            required: state.settings.require_admin_totp && session.account.role == Role::Admin,
        };
        // Until a required second step is set up, only the account's own session and security
        // pages answer.
        if two_step.required && !two_step.enabled {
            let path = parts
                .extensions
                .get::<axum::extract::OriginalUri>()
                .map_or_else(|| parts.uri.path().to_owned(), |u| u.path().to_owned());
            if !path.starts_with("/api/v1/session") {
                return Err(AppError::TwoStepRequired);
            }
        }
        let scope = if session.account.role == Role::Admin {
            let unions = state.db.unions().await?;
            union_scope(&unions, &session.account.union.id)
                .into_iter()
                .collect()
        } else {
            HashSet::new()
        };
        Ok(Staff {
            account: session.account,
            session_hash: hash,
            csrf_token: session.csrf_token,
            scope,
            two_step,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> Hashers {
        Hashers::new(2, std::time::Duration::from_secs(10))
    }

    #[tokio::test]
    async fn passwords_verify_only_against_their_own_hash() {
        let h = pool();
        let hash = hash_password(&h, "correct horse battery".into())
            .await
            .expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=47104,t=1,p=1$"));
        assert!(
            verify_password(&h, "correct horse battery".into(), Some(hash.clone()))
                .await
                .expect("verify")
        );
        assert!(
            !verify_password(&h, "wrong horse battery".into(), Some(hash))
                .await
                .expect("verify")
        );
        assert!(!verify_password(&h, "anything".into(), None)
            .await
            .expect("dummy"));
    }

    #[tokio::test]
    async fn an_unknown_name_costs_as_much_as_a_wrong_password() {
        // Given a stored hash, and a pool of one so the two kinds run alike
        let h = Hashers::new(1, std::time::Duration::from_secs(30));
        let hash = hash_password(&h, "correct horse battery".into())
            .await
            .expect("hash");
        // When each kind of refusal is timed a few times (the median, against noise)
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for _ in 0..5 {
            let t = std::time::Instant::now();
            let _ = verify_password(&h, "wrong".into(), Some(hash.clone())).await;
            known.push(t.elapsed());
            let t = std::time::Instant::now();
            let _ = verify_password(&h, "wrong".into(), None).await;
            unknown.push(t.elapsed());
        }
        known.sort();
        unknown.sort();
        // Then the unknown name does the same Argon2 work: not a hundredth of it, as when the
        // dummy check was skipped (a wide margin, so a busy machine cannot fail it)
        assert!(
            unknown[2] * 3 > known[2],
            "unknown {:?} vs known {:?}",
            unknown[2],
            known[2]
        );
    }

    #[tokio::test]
    async fn a_full_pool_answers_busy_instead_of_queueing_without_end() {
        // Given one worker, and a request that may not wait
        let h = std::sync::Arc::new(Hashers::new(1, std::time::Duration::ZERO));
        let permit = h.permits.clone().acquire_owned().await.expect("permit");
        // When a hash is asked for while the worker is taken
        let busy = hash_password(&h, "correct horse battery".into()).await;
        // Then it is refused at once as busy, and works again once the worker is free
        assert!(matches!(busy, Err(AppError::Busy)), "{busy:?}");
        drop(permit);
        assert!(hash_password(&h, "correct horse battery".into())
            .await
            .is_ok());
    }

    #[tokio::test]
    async fn a_request_dropped_mid_hash_keeps_its_worker_until_the_hash_ends() {
        // Given one worker, and a hash whose request is dropped at once (the client hung up)
        let h = std::sync::Arc::new(Hashers::new(1, std::time::Duration::from_secs(30)));
        let dropped = {
            let h = h.clone();
            tokio::spawn(async move { hash_password(&h, "correct horse battery".into()).await })
        };
        // (wait until the hash holds the worker)
        while h.permits.available_permits() == 1 {
            tokio::task::yield_now().await;
        }
        dropped.abort();
        let _ = dropped.await;
        // Then the worker is still taken while the hash runs, so no second hash starts beside it
        assert_eq!(h.permits.available_permits(), 0);
        // And it comes back once the hash ends
        let again = hash_password(&h, "correct horse battery".into()).await;
        assert!(again.is_ok());
    }

    #[test]
    fn cookies_are_read_from_among_others_and_set_strictly() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; yizhan_session=abc; b=2"),
        );
        assert_eq!(session_cookie(&h, false).as_deref(), Some("abc"));
        assert_eq!(
            session_cookie(&h, true),
            None,
            "https reads only the __Host- name"
        );
        let set = set_cookie("abc", true);
        let set = set.to_str().expect("ascii");
        assert!(
            set.starts_with("__Host-yizhan_session=abc; Path=/;"),
            "{set}"
        );
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Secure")
        );
        assert!(!set.contains("Domain"), "{set}");
        assert!(!set_cookie("abc", false)
            .to_str()
            .expect("ascii")
            .contains("Secure"));
    }

    #[test]
    fn devices_are_labelled_coarsely() {
        let label = |ua: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::USER_AGENT, HeaderValue::from_static(ua));
            device_label(&h)
        };
        assert_eq!(
            label("Mozilla/5.0 (Linux; Android 12; V2111A) AppleWebKit/537.36 Chrome/86.0 Mobile Safari/537.36 MicroMessenger/8.0.40"),
            "Android · WeChat"
        );
        assert_eq!(label("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1"), "iPhone · Safari");
        assert_eq!(device_label(&HeaderMap::new()), "? · ?");
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let a = generated_password().expect("random");
        let b = generated_password().expect("random");
        assert_eq!(a.len(), 19);
        assert_ne!(a, b);
        assert!(yizhan_core::staff::check_password(&a).is_ok());
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
    }
}
