//! Union membership applications: what a rider sends from `/join`, the reference they keep to
//! follow it, what they see at `/join/status`, and what union admins review. The same rules
//! check a form in the browser (before it is sent) and a body on the server (before it is
//! stored), so both name the same fields with the same codes.
//!
//! Personal data is kept to the minimum the union needs to call the rider back and meet them:
//! name, mobile number, employer and occupation, where they work. No identity-card number (PIPL
//! art. 28); the union checks identity in person. [`Phone`] and [`PersonName`] print only a
//! masked form with `{:?}`, so a stray debug log cannot leak them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::field::FieldCode;
use crate::ids::StationId;
use crate::query::FieldErrors;
use crate::station::UnionRef;
use crate::time::Timestamp;

/// Longest "other" text for employer or occupation, in characters after trimming.
pub const MAX_OTHER_CHARS: usize = 30;
/// Longest work district, in characters after trimming.
pub const MAX_WORK_DISTRICT_CHARS: usize = 30;
/// Longest district (the one that routes an application without a station).
pub const MAX_DISTRICT_CHARS: usize = 20;
/// Longest rejection reason.
pub const MAX_REASON_CHARS: usize = 200;
/// Longest privacy policy version string.
pub const MAX_POLICY_VERSION_CHARS: usize = 40;
/// Most applications one bulk decision may name.
pub const MAX_BULK_IDS: usize = 500;

mod codes;
mod form;
mod person;
mod queue;
mod reference;
mod review;
#[cfg(test)]
mod tests;

pub use codes::*;
pub use form::*;
pub use person::*;
pub use queue::*;
pub use reference::*;
pub use review::*;
