//! Signed-in people: station managers and union admins, their sessions, and what they send.
//! The same rules check a form in the browser and a body on the server.

use serde::{Deserialize, Serialize};

use crate::amenity::{Amenity, AmenityStatus};
use crate::field::FieldCode;
use crate::ids::{StationId, UnionId};
use crate::opening_hours::OpeningHours;
use crate::query::FieldErrors;
use crate::station::{StationState, UnionRef};
use crate::time::Timestamp;

/// The longest notice a manager may post, in characters after trimming.
pub const MAX_NOTICE_CHARS: usize = 200;
/// The longest reply to a rider's report.
pub const MAX_REPLY_CHARS: usize = 200;
/// Shortest password (OWASP ASVS 2.1.1 asks for at least 12 characters).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password; longer ones only cost hashing time.
pub const MAX_PASSWORD_CHARS: usize = 128;
/// The header carrying the session's CSRF token on every cookie-authenticated write.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What a signed-in person may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Keeps the status of the stations assigned to them.
    Manager,
    /// Runs a union's stations and people, and every union below it.
    Admin,
}

impl Role {
    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// Parses a wire code.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "manager" => Some(Role::Manager),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A sign-in name: 3–40 of `a-z 0-9 . _ -` (a phone number works too). Case-folded, so
/// `Wang.Li` and `wang.li` are one account.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^[a-z0-9._-]{3,40}$"))]
pub struct Username(String);

impl Username {
    /// Parses and lower-cases a username.
    pub fn parse(s: &str) -> Result<Username, FieldCode> {
        let s = s.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(FieldCode::Missing);
        }
        if s.len() > 40 {
            return Err(FieldCode::TooLong);
        }
        if s.len() < 3
            || !s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        {
            return Err(FieldCode::Invalid);
        }
        Ok(Username(s))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Username::parse(&s).map_err(|c| c.as_str().to_owned())
    }
}

impl From<Username> for String {
    fn from(u: Username) -> String {
        u.0
    }
}

/// Checks a new password: length only, as ASVS 2.1 advises (no composition rules).
pub fn check_password(p: &str) -> Result<(), FieldCode> {
    let n = p.chars().count();
    if n == 0 {
        Err(FieldCode::Missing)
    } else if n < MIN_PASSWORD_CHARS {
        Err(FieldCode::Invalid)
    } else if n > MAX_PASSWORD_CHARS {
        Err(FieldCode::TooLong)
    } else {
        Ok(())
    }
}

/// The body of `POST /api/v1/session`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    /// Sign-in name (any case).
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub username: String,
    /// Password.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
    /// For an account with two-step verification: the 6-digit code of the authenticator app,
    /// or one of the recovery codes. Asked for (401 `code_required`) after a right password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A person as the admin pages and the session show them. Never carries the password hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    /// Random id.
    pub id: String,
    /// Sign-in name.
    pub username: Username,
    /// Name shown to colleagues, e.g. 王丽.
    pub display_name: String,
    /// Manager or admin.
    pub role: Role,
    /// The union the account belongs to.
    pub union: UnionRef,
    /// The stations a manager keeps (empty for admins, who act on their whole union).
    #[serde(default)]
    pub stations: Vec<StationId>,
    /// A disabled account cannot sign in.
    #[serde(default)]
    pub disabled: bool,
    /// Signs in with a second step (an authenticator app's code).
    #[serde(default)]
    pub two_step: bool,
}

/// `GET /api/v1/session` and the answer to signing in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// Who is signed in.
    pub account: Account,
    /// Send back in `X-CSRF-Token` on every write.
    pub csrf_token: String,
    /// Two-step verification for this account.
    #[serde(default)]
    pub two_step: TwoStep,
}

/// Whether an account signs in with a second step (an authenticator app's code).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoStep {
    /// Set up and in use.
    pub enabled: bool,
    /// The operator requires it of this account (admins, when `YIZHAN_REQUIRE_ADMIN_TOTP` is
    /// set): until it is set up, only the security page works.
    pub required: bool,
}

/// The answer to starting two-step set-up: the secret to put in an authenticator app, as the
/// QR code's `otpauth://` link and as text to type in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoStepSetup {
    /// The secret, base32, in groups of four for typing.
    pub secret: String,
    /// `otpauth://totp/...`: what the QR code (`GET /api/v1/session/two-step/qr.svg`) holds.
    pub uri: String,
}

/// Finishing two-step set-up: the account's password (a session alone, perhaps someone else's
/// phone left signed in, must not turn it on) and the app's first 6-digit code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoStepConfirm {
    /// The account's current password.
    pub password: String,
    /// The code the app shows.
    pub code: String,
}

/// One-time recovery codes, shown once when two-step is set up; each signs in once in place
/// of an app code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    /// The codes.
    pub codes: Vec<String>,
}

/// One of the signed-in person's sessions, as `GET /api/v1/sessions` lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionSummary {
    /// Opaque id for `DELETE /api/v1/sessions/{id}` (not the cookie, nor its stored hash).
    pub id: String,
    /// A coarse label of the device it was opened on, e.g. `Android · WeChat`.
    pub device: String,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it was last used (to the minute).
    pub last_seen_at: Timestamp,
    /// Whether it is the session asking.
    pub current: bool,
}

/// `GET /api/v1/sessions`: the signed-in person's live sessions, newest use first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    /// Live sessions.
    pub sessions: Vec<SessionSummary>,
}

/// Trims a free text field and checks its length; `None` when blank.
pub fn clean_text(
    field: &str,
    text: Option<&str>,
    max: usize,
    errors: &mut FieldErrors,
) -> Option<String> {
    let t = text.map(str::trim).filter(|t| !t.is_empty())?;
    if t.chars().count() > max {
        errors.insert(field.into(), FieldCode::TooLong);
    }
    Some(t.to_owned())
}

/// The body of `PATCH /api/v1/stations/{id}/status`: what the manager sees at the counter.
/// Sending it unchanged re-confirms the status ("still accurate") and resets its expiry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusUpdate {
    /// `open` or `closed` (`unknown` is what time does, not a manager: 422).
    #[cfg_attr(feature = "openapi", schema(value_type = SettableState))]
    pub state: StationState,
    /// The state of each amenity the station has; ones left out keep their state.
    #[serde(default)]
    pub amenities: Vec<AmenityStatus>,
    /// A short note (≤ 200 characters); blank removes it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub notice: Option<String>,
    /// New opening hours (OSM syntax), when they change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub hours: Option<String>,
}

/// The states a manager may set (for the API description; the body's field is a
/// [`StationState`], and `unknown` is refused when the update is checked).
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code, reason = "describes the body for OpenAPI only")]
pub enum SettableState {
    /// Open now.
    Open,
    /// Closed now.
    Closed,
}

impl StatusUpdate {
    /// Checks the update against the amenities the station offers. Returns the trimmed notice and
    /// the parsed hours.
    #[allow(clippy::type_complexity)]
    pub fn validate(
        &self,
        offered: &[Amenity],
    ) -> Result<(Option<String>, Option<OpeningHours>), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.state == StationState::Unknown {
            errors.insert("state".into(), FieldCode::Invalid);
        }
        for (i, a) in self.amenities.iter().enumerate() {
            if !offered.contains(&a.code) {
                errors.insert(format!("amenities[{i}].code"), FieldCode::Unknown);
            }
        }
        let notice = clean_text(
            "notice",
            self.notice.as_deref(),
            MAX_NOTICE_CHARS,
            &mut errors,
        );
        let hours = match self.hours.as_deref().map(str::trim) {
            None => None,
            Some("") => {
                errors.insert("hours".into(), FieldCode::Missing);
                None
            }
            Some(h) => match OpeningHours::parse(h) {
                Ok(h) => Some(h),
                Err(_) => {
                    errors.insert("hours".into(), FieldCode::Invalid);
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok((notice, hours))
        } else {
            Err(errors)
        }
    }
}

/// A rider's report as the station's inbox shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxReport {
    /// Report id.
    pub id: String,
    /// The station it is about.
    pub station_id: StationId,
    /// That station's name.
    pub station_name: String,
    /// What kind of report.
    pub kind: crate::report::ReportKind,
    /// The broken amenity, for `amenity_broken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amenity: Option<Amenity>,
    /// The rider's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// When it arrived.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// When staff resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub resolved_at: Option<Timestamp>,
    /// The reply riders see on the station page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

/// The body of `POST /api/v1/manage/reports/{id}/resolve`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resolve {
    /// A short reply for riders (≤ 200 characters), e.g. "已修好".
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub reply: String,
}

impl Resolve {
    /// The trimmed reply, or the field error.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        match clean_text("reply", Some(&self.reply), MAX_REPLY_CHARS, &mut errors) {
            None => Err(FieldErrors::from([("reply".into(), FieldCode::Missing)])),
            Some(r) if errors.is_empty() => Ok(r),
            Some(_) => Err(errors),
        }
    }
}

pub use crate::report::StaffReply;

/// The body of `POST /api/v1/admin/accounts`: a new station manager (or admin).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    /// Sign-in name: 3–40 of `a-z 0-9 . _ -` (stored lower-cased; a phone number works too).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[A-Za-z0-9._-]{3,40}$"))]
    pub username: String,
    /// Name shown to colleagues.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 40))]
    pub display_name: String,
    /// Manager (default) or admin.
    #[serde(default = "default_role")]
    pub role: Role,
    /// Union the account belongs to; the admin's own when left out.
    #[serde(default)]
    pub union_id: Option<UnionId>,
    /// Stations a manager keeps.
    #[serde(default)]
    pub stations: Vec<StationId>,
}

fn default_role() -> Role {
    Role::Manager
}

/// The longest display name.
pub const MAX_DISPLAY_NAME_CHARS: usize = 40;

impl NewAccount {
    /// Checks the fields; returns the parsed username and trimmed display name.
    pub fn validate(&self) -> Result<(Username, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let username = Username::parse(&self.username)
            .map_err(|c| errors.insert("username".into(), c))
            .ok();
        let name = clean_text(
            "display_name",
            Some(&self.display_name),
            MAX_DISPLAY_NAME_CHARS,
            &mut errors,
        );
        if name.is_none() {
            errors.insert("display_name".into(), FieldCode::Missing);
        }
        match (username, name) {
            (Some(u), Some(n)) if errors.is_empty() => Ok((u, n)),
            _ => Err(errors),
        }
    }
}

/// The body of `PATCH /api/v1/admin/accounts/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountChange {
    /// The stations the manager keeps from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stations: Option<Vec<StationId>>,
    /// Disable (true) or enable (false) the account; disabling signs it out everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// A new display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 40))]
    pub display_name: Option<String>,
}

/// A freshly made password, shown once to the admin who created or reset the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedPassword {
    /// The account.
    pub account: Account,
    /// The one-time password to hand over.
    pub password: String,
}

/// The body of `POST /api/v1/session/password`: a signed-in person changes their password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    /// The password now.
    pub current: String,
    /// The new one: 12–128 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 128))]
    pub new: String,
}

/// One entry of the union's audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// When.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    /// Who (username), or `system`.
    pub actor: String,
    /// What was done, e.g. `station.status`, `account.create`.
    pub action: String,
    /// What it was done to: `station`, `account`.
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// Fields that changed, with their values before and after.
    pub changes: Vec<AuditChange>,
}

/// One changed field in an audit entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditChange {
    /// Field name.
    pub field: String,
    /// Value before (JSON text), absent when created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Value after (JSON text), absent when removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amenity::AmenityState;

    #[test]
    fn usernames_fold_case_and_refuse_odd_characters() {
        assert_eq!(
            Username::parse(" Wang.Li ").map(|u| u.0),
            Ok("wang.li".into())
        );
        assert_eq!(
            Username::parse("13800138000").map(|u| u.0),
            Ok("13800138000".into())
        );
        assert_eq!(Username::parse(""), Err(FieldCode::Missing));
        assert_eq!(Username::parse("ab"), Err(FieldCode::Invalid));
        assert_eq!(Username::parse("王丽"), Err(FieldCode::Invalid));
        assert_eq!(Username::parse("a<b>c"), Err(FieldCode::Invalid));
        assert_eq!(Username::parse(&"a".repeat(41)), Err(FieldCode::TooLong));
    }

    #[test]
    fn passwords_are_judged_by_length_alone() {
        assert_eq!(check_password(""), Err(FieldCode::Missing));
        assert_eq!(check_password("short-pass1"), Err(FieldCode::Invalid));
        assert_eq!(check_password("twelve chars"), Ok(()));
        assert_eq!(check_password("驿站驿站驿站驿站驿站驿站"), Ok(()));
        assert_eq!(check_password(&"x".repeat(129)), Err(FieldCode::TooLong));
    }

    fn update(notice: Option<&str>) -> StatusUpdate {
        StatusUpdate {
            state: StationState::Open,
            amenities: vec![AmenityStatus {
                code: Amenity::Microwave,
                state: AmenityState::OutOfOrder,
            }],
            notice: notice.map(str::to_owned),
            hours: None,
        }
    }

    #[test]
    fn a_status_update_checks_notice_amenities_state_and_hours() {
        let offered = [Amenity::Water, Amenity::Microwave];
        assert_eq!(
            update(Some("  微波炉维修中，周五恢复 ")).validate(&offered),
            Ok((Some("微波炉维修中，周五恢复".into()), None))
        );
        assert_eq!(update(Some("   ")).validate(&offered), Ok((None, None)));
        // 200 characters pass, 201 do not.
        assert!(update(Some(&"修".repeat(200))).validate(&offered).is_ok());
        assert_eq!(
            update(Some(&"修".repeat(201))).validate(&offered),
            Err(FieldErrors::from([("notice".into(), FieldCode::TooLong)]))
        );
        assert_eq!(
            update(None).validate(&[Amenity::Water]),
            Err(FieldErrors::from([(
                "amenities[0].code".into(),
                FieldCode::Unknown
            )]))
        );
        let mut u = update(None);
        u.state = StationState::Unknown;
        u.hours = Some("sometimes".into());
        assert_eq!(
            u.validate(&offered),
            Err(FieldErrors::from([
                ("state".into(), FieldCode::Invalid),
                ("hours".into(), FieldCode::Invalid)
            ]))
        );
        u.state = StationState::Closed;
        u.hours = Some("24/7".into());
        assert!(matches!(u.validate(&offered), Ok((None, Some(_)))));
    }

    #[test]
    fn a_reply_is_required_and_short() {
        let r = |s: &str| Resolve { reply: s.into() }.validate();
        assert_eq!(r(" 已修好 "), Ok("已修好".into()));
        assert_eq!(
            r("  "),
            Err(FieldErrors::from([("reply".into(), FieldCode::Missing)]))
        );
        assert_eq!(
            r(&"好".repeat(201)),
            Err(FieldErrors::from([("reply".into(), FieldCode::TooLong)]))
        );
    }

    #[test]
    fn a_new_account_needs_a_username_and_a_name() {
        let a = |u: &str, n: &str| NewAccount {
            username: u.into(),
            display_name: n.into(),
            role: Role::Manager,
            union_id: None,
            stations: vec![],
        };
        assert!(a("wangli", "王丽").validate().is_ok());
        assert_eq!(
            a("x", " ").validate(),
            Err(FieldErrors::from([
                ("username".into(), FieldCode::Invalid),
                ("display_name".into(), FieldCode::Missing)
            ]))
        );
    }
}
