//! Two-step sign-in: time-based one-time codes (RFC 6238: SHA-1, 6 digits, 30 s, as every
//! authenticator app makes them) and one-time recovery codes. Pure functions; the database
//! keeps the secret, the last step used (so a code works once) and the recovery codes' hashes.

use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::error::AppError;

/// Seconds a code lasts.
pub const STEP_SECS: u64 = 30;
/// Codes one step early or late are accepted too: phones' clocks drift.
const SKEW_STEPS: i64 = 1;
/// How many recovery codes set-up hands out.
pub const RECOVERY_CODES: usize = 10;
/// What the authenticator app shows as the issuer.
const ISSUER: &str = "Yizhan";

fn totp(secret: &[u8], account: &str) -> Result<TOTP, AppError> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECS,
        secret.to_vec(),
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .map_err(|e| AppError::Internal(format!("totp: {e}")))
}

/// A new secret: 160 random bits (RFC 4226's recommendation), base32.
pub fn new_secret() -> Result<String, AppError> {
    let bytes = crate::secret::random_bytes::<20>()?;
    Ok(Secret::Raw(bytes.to_vec()).to_encoded().to_string())
}

fn raw(secret_b32: &str) -> Result<Vec<u8>, AppError> {
    Secret::Encoded(secret_b32.to_owned())
        .to_bytes()
        .map_err(|e| AppError::Internal(format!("stored secret: {e:?}")))
}

/// The `otpauth://` link an authenticator app reads from the QR code.
pub fn uri(secret_b32: &str, account: &str) -> Result<String, AppError> {
    Ok(totp(&raw(secret_b32)?, account)?.get_url())
}

/// The secret in groups of four, for typing into an app by hand.
pub fn grouped(secret_b32: &str) -> String {
    crate::secret::groups_of_four(secret_b32.as_bytes(), " ")
}

/// The code for the step holding unix time `at` (what the app shows then).
pub fn code_at(secret_b32: &str, at: u64) -> Result<String, AppError> {
    Ok(totp(&raw(secret_b32)?, "-")?.generate(at))
}

/// Whether what was typed has the shape of an app code (6 digits) rather than a recovery code.
pub fn looks_like_app_code(typed: &str) -> bool {
    let digits: Vec<u8> = typed.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits.len() == 6 && digits.iter().all(u8::is_ascii_digit)
}

/// The step a typed code belongs to, if it is right at `now` (give or take a step) and later
/// than `last_step`, the last one used: a code works once.
pub fn check(
    secret_b32: &str,
    typed: &str,
    now: u64,
    last_step: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != 6 || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let t = totp(&raw(secret_b32)?, "-")?;
    let current = i64::try_from(now / STEP_SECS).unwrap_or(i64::MAX);
    for step in current - SKEW_STEPS..=current + SKEW_STEPS {
        let Ok(at) = u64::try_from(step) else {
            continue;
        };
        let expected = t.generate(at * STEP_SECS);
        if crate::secret::same_token(&expected, &typed) && last_step.is_none_or(|last| step > last)
        {
            return Ok(Some(step));
        }
    }
    Ok(None)
}

/// Fresh recovery codes: 16 characters from an alphabet without look-alikes (80 bits each), in
/// groups of four.
pub fn new_recovery_codes() -> Result<Vec<String>, AppError> {
    (0..RECOVERY_CODES)
        .map(|_| {
            crate::secret::random_code(b"abcdefghjkmnpqrstuvwxyz23456789").map_err(AppError::from)
        })
        .collect()
}

/// What is stored of a recovery code: SHA-256 of it without separators or case (80 random
/// bits need no slow hash).
pub fn recovery_hash(code: &str) -> String {
    let clean: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    crate::secret::hex(&Sha256::digest(format!("recovery\n{clean}").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_rfc_6238s_test_vector() {
        // RFC 6238 appendix B: the ASCII secret "12345678901234567890", SHA-1, at 59 s: 94287082
        // (8 digits; an app shows the last 6).
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(code_at(&secret, 59).expect("code"), "287082");
        assert_eq!(code_at(&secret, 1_111_111_109).expect("code"), "081804");
    }

    #[test]
    fn a_code_is_accepted_a_step_either_side_and_only_once() {
        let secret = new_secret().expect("secret");
        let now = 1_800_000_000;
        let code = code_at(&secret, now).expect("code");
        let step = check(&secret, &code, now, None)
            .expect("check")
            .expect("right");
        assert_eq!(step, i64::try_from(now / STEP_SECS).expect("step"));
        assert_eq!(
            check(&secret, &code, now, Some(step)).expect("check"),
            None,
            "used"
        );
        let late = code_at(&secret, now - STEP_SECS).expect("code");
        assert!(check(&secret, &late, now, None).expect("check").is_some());
        let stale = code_at(&secret, now - 3 * STEP_SECS).expect("code");
        assert_eq!(check(&secret, &stale, now, None).expect("check"), None);
        for bad in ["", "12345", "1234567", "abcdef"] {
            assert_eq!(
                check(&secret, bad, now, None).expect("check"),
                None,
                "{bad}"
            );
        }
    }

    #[test]
    fn recovery_codes_differ_and_hash_alike_however_typed() {
        let codes = new_recovery_codes().expect("codes");
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(codes[0].len(), 19);
        assert_ne!(codes[0], codes[1]);
        let typed = codes[0].to_uppercase().replace('-', " ");
        assert_eq!(recovery_hash(&typed), recovery_hash(&codes[0]));
    }

    #[test]
    fn the_uri_names_the_issuer_and_account() {
        let secret = new_secret().expect("secret");
        let uri = uri(&secret, "chaoyang-admin").expect("uri");
        assert!(
            uri.starts_with("otpauth://totp/Yizhan:chaoyang-admin?"),
            "{uri}"
        );
        assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    }
}
