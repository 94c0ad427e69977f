//! Who is signed in: the session context every staff page reads, a handful of signals.

use leptos::prelude::*;
use yizhan_core::{Account, Role, SessionInfo};

/// Who is signed in, shared by every page. Copy: a handful of signals (the sign-in gate reads
/// them directly).
#[derive(Clone, Copy)]
pub struct Session {
    /// The session, while signed in.
    pub(super) info: RwSignal<Option<SessionInfo>>,
    /// Whether the first `GET /api/v1/session` has answered.
    pub(super) checked: RwSignal<bool>,
    /// Whether the last session ended by expiring (the sign-in form says so).
    pub(super) expired: RwSignal<bool>,
    /// Counts sign-ins; pages' reads depend on it, so they load again after signing back in.
    pub(super) epoch: RwSignal<u32>,
    /// The account whose pages are mounted. A lost session keeps them (hidden, with what was
    /// typed); signing out on purpose, or another account signing in, drops them.
    pub(super) owner: RwSignal<Option<String>>,
}

impl Session {
    pub(super) fn new() -> Session {
        Session {
            info: RwSignal::new(None),
            checked: RwSignal::new(false),
            expired: RwSignal::new(false),
            epoch: RwSignal::new(0),
            owner: RwSignal::new(None),
        }
    }

    /// The signed-in account (tracked).
    pub fn account(&self) -> Option<Account> {
        self.info.with(|i| i.as_ref().map(|s| s.account.clone()))
    }

    /// The signed-in account, without tracking (for a page's starting values).
    pub fn account_untracked(&self) -> Option<Account> {
        self.info
            .try_with_untracked(|i| i.as_ref().map(|s| s.account.clone()))
            .flatten()
    }

    /// Whether someone is signed in (tracked).
    pub fn is_signed_in(&self) -> bool {
        self.info.with(Option::is_some)
    }

    /// Whether the signed-in account is an admin (tracked).
    pub fn is_admin(&self) -> bool {
        self.info
            .with(|i| i.as_ref().is_some_and(|s| s.account.role == Role::Admin))
    }

    /// Whether the operator requires a second step of this account and it is not on yet
    /// (tracked): until it is, only the security page works.
    pub fn two_step_missing(&self) -> bool {
        self.info.with(|i| {
            i.as_ref()
                .is_some_and(|s| s.two_step.required && !s.two_step.enabled)
        })
    }

    /// Two-step sign-in was turned on in this session.
    pub fn two_step_enabled(&self) {
        self.info.update(|i| {
            if let Some(s) = i {
                s.two_step.enabled = true;
                s.account.two_step = true;
            }
        });
    }

    /// Whether this account signs in with a second step (tracked).
    pub fn has_two_step(&self) -> bool {
        self.info
            .with(|i| i.as_ref().is_some_and(|s| s.account.two_step))
    }

    /// The number of sign-ins so far (tracked): read it in a resource to load again after one.
    pub fn epoch(&self) -> u32 {
        self.epoch.get()
    }

    /// The CSRF token for writes (untracked).
    pub fn csrf(&self) -> Option<String> {
        self.info
            .try_with_untracked(|i| i.as_ref().map(|s| s.csrf_token.clone()))
            .flatten()
    }

    /// Someone signed in (or the first check found a session).
    pub fn signed_in(&self, info: SessionInfo) {
        let id = info.account.id.clone();
        if self.owner.get_untracked().as_deref() != Some(id.as_str()) {
            self.owner.set(Some(id));
        }
        self.info.set(Some(info));
        self.expired.set(false);
        self.checked.set(true);
        self.epoch.update(|e| *e += 1);
    }

    /// The server no longer knows the session (401): show the sign-in form over the page.
    pub(super) fn lost(&self, expired: bool) {
        self.expired.set(expired);
        self.info.set(None);
        self.checked.set(true);
    }

    /// The session was renewed elsewhere (another tab): the same person, a new CSRF token.
    pub(super) fn renewed(&self, info: SessionInfo) {
        self.info.set(Some(info));
    }

    /// Signed out on purpose: forget the pages too.
    pub fn signed_out(&self) {
        self.info.set(None);
        self.expired.set(false);
        self.owner.set(None);
    }
}

/// The session context.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(Session::new)
}
