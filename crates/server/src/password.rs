//! Password hashing: Argon2id in a bounded pool of workers, and the check that costs the same
//! for an unknown name as for a wrong password.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;
use crate::secret::random_bytes;

/// Argon2id with OWASP's first recommended setting: 46 MiB, one pass, one lane.
fn argon2() -> Argon2<'static> {
    // The parameters are constants within the crate's limits; `default()` is only a fallback
    // that cannot happen.
    let params = Params::new(46 * 1024, 1, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The bounded pool password hashes run in: each takes 46 MiB and tens of milliseconds, so a
/// flood of sign-ins must queue for a few workers, not allocate a hash per request.
#[derive(Debug)]
pub struct Hashers {
    pub(crate) permits: std::sync::Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
}

impl Hashers {
    /// `workers` hashes at once; a request waits at most `wait` for one, then gets 503.
    pub fn new(workers: usize, wait: std::time::Duration) -> Hashers {
        Hashers {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(workers.max(1))),
            wait,
        }
    }

    /// Runs `work` on a blocking thread once a worker is free.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|_| AppError::Busy)?;
        // The permit goes with the work: a request dropped mid-hash (the client hung up) must
        // not free its worker while the 46 MiB hash still runs.
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|e| AppError::Internal(format!("hash task: {e}")))?
    }
}

/// Hashes a password (off the async threads, within the pool).
pub async fn hash_password(hashers: &Hashers, password: String) -> Result<String, AppError> {
    let salt_bytes = random_bytes::<16>()?;
    hashers
        .run(move || {
            let salt = SaltString::encode_b64(&salt_bytes)
                .map_err(|e| AppError::Internal(format!("salt: {e}")))?;
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| AppError::Internal(format!("argon2: {e}")))
        })
        .await
}

/// A hash to check against when the username does not exist, so a wrong name takes as long as
/// a wrong password and does not reveal which accounts exist. Same parameters as [`argon2`].
const DUMMY_HASH: &str = "$argon2id$v=19$m=47104,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$mTZKPFpBY1PHcT7pLI9yLh8/4wd/yjWc1L3blhNEZu0";

/// Whether `password` matches `hash` (`None`: check against a dummy and say no). The dummy is
/// really checked: an unknown name costs the same time as a known one.
pub async fn verify_password(
    hashers: &Hashers,
    password: String,
    hash: Option<String>,
) -> Result<bool, AppError> {
    hashers
        .run(move || {
            let known = hash.is_some();
            let text = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
            let parsed = PasswordHash::new(&text)
                .map_err(|e| AppError::Internal(format!("stored hash: {e}")))?;
            let matches = argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            Ok(known & matches)
        })
        .await
}
