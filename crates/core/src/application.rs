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

use crate::error::FieldCode;
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

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in the order the form offers them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire code.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Parses a wire code.
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// The label in Chinese.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)+ }
            }

            /// The label in English.
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }
        }
    };
}

code_enum!(
    /// The platform or company the rider works for.
    Employer {
        /// 美团.
        Meituan = "meituan", "美团", "Meituan";
        /// 饿了么.
        Eleme = "eleme", "饿了么", "Ele.me";
        /// 顺丰.
        Sf = "sf", "顺丰", "SF Express";
        /// 京东.
        Jd = "jd", "京东", "JD Logistics";
        /// 闪送.
        Shansong = "shansong", "闪送", "Shansong";
        /// 达达.
        Dada = "dada", "达达", "Dada";
        /// 货拉拉.
        Huolala = "huolala", "货拉拉", "Lalamove";
        /// 滴滴.
        Didi = "didi", "滴滴", "DiDi";
        /// Another one, named in `employer_other`.
        Other = "other", "其他", "Other";
    }
);

code_enum!(
    /// What the rider does for a living.
    Occupation {
        /// 外卖骑手.
        FoodDelivery = "food_delivery", "外卖骑手", "Food delivery rider";
        /// 快递员.
        Courier = "courier", "快递员", "Courier";
        /// 网约车司机.
        RideHailing = "ride_hailing", "网约车司机", "Ride-hailing driver";
        /// 货车司机.
        TruckDriver = "truck_driver", "货车司机", "Truck driver";
        /// 家政.
        Housekeeping = "housekeeping", "家政", "Domestic worker";
        /// Something else, named in `occupation_other`.
        Other = "other", "其他", "Other";
    }
);

code_enum!(
    /// Where an application stands.
    ApplicationStatus {
        /// Received; nobody has opened it yet.
        Submitted = "submitted", "已提交", "Submitted";
        /// An admin of the union has opened it.
        UnderReview = "under_review", "审核中", "Under review";
        /// Accepted: the rider collects the member card in person.
        Approved = "approved", "已通过", "Approved";
        /// Refused, with the union's reason; the rider may correct it and resubmit.
        Rejected = "rejected", "未通过", "Rejected";
        /// The rider withdrew it: personal fields are erased, the reference remains.
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
);

impl ApplicationStatus {
    /// Waiting for a decision (`submitted` or `under_review`).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Submitted | ApplicationStatus::UnderReview
        )
    }

    /// What the applicant can do next.
    pub fn next_step(self) -> NextStep {
        match self {
            ApplicationStatus::Submitted | ApplicationStatus::UnderReview => NextStep::Wait,
            ApplicationStatus::Approved => NextStep::CollectCard,
            ApplicationStatus::Rejected => NextStep::Resubmit,
            ApplicationStatus::Withdrawn => NextStep::None,
        }
    }
}

code_enum!(
    /// What the applicant's status page invites them to do; the browser holds the words
    /// (e.g. how to get the member card).
    NextStep {
        /// Nothing to do but wait for the union.
        Wait = "wait", "请等待审核", "Wait for the union";
        /// Approved: bring an identity document to the union to collect the member card.
        CollectCard = "collect_card", "领取会员卡", "Collect the member card";
        /// Rejected: correct the application and send it again.
        Resubmit = "resubmit", "修改后重新提交", "Correct and resubmit";
        /// Withdrawn: nothing more.
        None = "none", "无", "Nothing";
    }
);

code_enum!(
    /// An admin's verdict on an application.
    DecisionKind {
        /// Accept the application.
        Approve = "approve", "通过", "Approve";
        /// Refuse it (a reason is required).
        Reject = "reject", "不通过", "Reject";
    }
);

/// A mainland China mobile number, `1[3-9]` and nine more digits. Spaces, dashes, full-width
/// digits and a leading `+86` are accepted as typed and dropped.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^1[3-9][0-9]{9}$"))]
pub struct Phone(String);

impl Phone {
    /// Parses a mobile number as people type it.
    pub fn parse(s: &str) -> Result<Phone, FieldCode> {
        let digits: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}' | '\u{2010}'..='\u{2015}'))
            .map(|c| match c {
                // Full-width digits, as some Chinese keyboards type them.
                '\u{ff10}'..='\u{ff19}' => {
                    char::from_u32(u32::from(c) - 0xff10 + u32::from('0')).unwrap_or(c)
                }
                '\u{ff0b}' => '+',
                _ => c,
            })
            .collect();
        if digits.is_empty() {
            return Err(FieldCode::Missing);
        }
        let digits = digits.strip_prefix("+86").unwrap_or(&digits);
        let b = digits.as_bytes();
        let ok = b.len() == 11
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1])
            && b.iter().all(u8::is_ascii_digit);
        if ok {
            Ok(Phone(digits.to_owned()))
        } else {
            Err(FieldCode::Invalid)
        }
    }

    /// The eleven digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as lists show it: first three and last four digits, e.g. `138****1234`.
    pub fn masked(&self) -> String {
        // Eleven ASCII digits, so byte slicing is character slicing.
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl AsRef<str> for Phone {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Phone::parse(&s).map_err(|c| c.as_str().to_owned())
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// A person's name: 2–30 characters of Han (CJK Unified Ideographs, extension A and the rarer
/// extensions), Latin letters, single spaces between words, and the middle dot of transliterated
/// names (`·`; `•` and `・` are accepted and stored as `·`), e.g. 王丽, 买买提·艾力, Li Wei.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "王丽"))]
pub struct PersonName(String);

/// Whether `c` is a Han character a name may use.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}'       // CJK Unified Ideographs
        | '\u{3400}'..='\u{4dbf}'     // Extension A
        | '\u{f900}'..='\u{faff}'     // Compatibility Ideographs
        | '\u{20000}'..='\u{323af}'   // Extensions B–H: rare characters some names need
    )
}

/// Whether `c` is a Latin letter (ASCII, or accented as in pinyin with tone marks).
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{c0}'..='\u{24f}')
            && c != '\u{d7}'
            && c != '\u{f7}'
            && c.is_alphabetic())
}

fn is_dot(c: char) -> bool {
    matches!(c, '\u{b7}' | '\u{2022}' | '\u{30fb}')
}

impl PersonName {
    /// The fewest characters a name has.
    pub const MIN_CHARS: usize = 2;
    /// The most characters a name has.
    pub const MAX_CHARS: usize = 30;

    /// Parses a name: trims it, makes runs of blanks one space, drops blanks around a dot,
    /// and checks characters and length.
    pub fn parse(s: &str) -> Result<PersonName, FieldCode> {
        let mut out = String::new();
        let mut pending_space = false;
        for c in s.trim().chars() {
            if c.is_whitespace() {
                pending_space = true;
                continue;
            }
            let c = if is_dot(c) { '\u{b7}' } else { c };
            let after_dot = out.ends_with('\u{b7}');
            if pending_space && !out.is_empty() && c != '\u{b7}' && !after_dot {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
        if out.is_empty() {
            return Err(FieldCode::Missing);
        }
        let n = out.chars().count();
        if n > Self::MAX_CHARS {
            return Err(FieldCode::TooLong);
        }
        let chars_ok = out
            .chars()
            .all(|c| is_han(c) || is_latin(c) || c == ' ' || c == '\u{b7}');
        let dots_ok =
            !out.starts_with('\u{b7}') && !out.ends_with('\u{b7}') && !out.contains("\u{b7}\u{b7}");
        if n < Self::MIN_CHARS || !chars_ok || !dots_ok {
            return Err(FieldCode::Invalid);
        }
        Ok(PersonName(out))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonName(..)")
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        PersonName::parse(&s).map_err(|c| c.as_str().to_owned())
    }
}

impl From<PersonName> for String {
    fn from(p: PersonName) -> String {
        p.0
    }
}

/// Crockford's base32 alphabet: no I, L, O or U, so references survive being read aloud.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn crockford_value(c: u8) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        b'I' | b'L' => b'1',
        b'O' => b'0',
        c => c,
    };
    CROCKFORD
        .iter()
        .position(|&a| a == c)
        .and_then(|p| u8::try_from(p).ok())
}

/// An application's reference, e.g. `BJ-7K3Q-9DXW`: two letters naming the union's city, then
/// 40 random bits as eight Crockford base32 characters. Never sequential; with the phone number
/// it is what lets an applicant follow their application.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "BJ-7K3Q-9DXW", pattern = "^[A-Z]{2}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"))]
pub struct Reference(String);

impl Reference {
    /// The prefix when a union id does not start with two letters.
    pub const FALLBACK_PREFIX: &'static str = "YZ";

    /// The prefix for a union: the first two letters of its id upper-cased when they are
    /// letters (`bj-chaoyang` → `BJ`), else `YZ`.
    pub fn prefix_for(union_id: &str) -> String {
        let b = union_id.as_bytes();
        if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1].is_ascii_alphabetic() {
            union_id[..2].to_ascii_uppercase()
        } else {
            Self::FALLBACK_PREFIX.to_owned()
        }
    }

    /// A reference from a prefix (two ASCII letters, else `YZ`) and 40 random bits.
    pub fn generate(prefix: &str, random: [u8; 5]) -> Reference {
        let prefix = Self::prefix_for(prefix);
        let bits = random
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let mut out = String::with_capacity(12);
        out.push_str(&prefix);
        for i in 0..8 {
            if i % 4 == 0 {
                out.push('-');
            }
            let shift = 35 - 5 * i;
            // A 5-bit value indexes the 32-letter alphabet.
            let v = usize::try_from((bits >> shift) & 0x1f).unwrap_or(0);
            out.push(char::from(CROCKFORD[v]));
        }
        Reference(out)
    }

    /// Parses a reference as a person types it: any case, with or without dashes or spaces, and
    /// Crockford's look-alikes (I and L read as 1, O as 0) in the random part.
    pub fn parse(s: &str) -> Result<Reference, FieldCode> {
        let compact: Vec<u8> = s
            .bytes()
            .filter(|b| !matches!(b, b'-' | b' ' | b'\t'))
            .collect();
        if compact.is_empty() {
            return Err(FieldCode::Missing);
        }
        if compact.len() != 10 || !compact[..2].iter().all(u8::is_ascii_alphabetic) {
            return Err(FieldCode::Invalid);
        }
        let mut out = String::with_capacity(12);
        out.push(char::from(compact[0].to_ascii_uppercase()));
        out.push(char::from(compact[1].to_ascii_uppercase()));
        for (i, c) in compact[2..].iter().enumerate() {
            if i % 4 == 0 {
                out.push('-');
            }
            let v = crockford_value(*c).ok_or(FieldCode::Invalid)?;
            out.push(char::from(CROCKFORD[usize::from(v)]));
        }
        Ok(Reference(out))
    }

    /// The reference in its canonical form, `BJ-7K3Q-9DXW`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-letter prefix.
    pub fn prefix(&self) -> &str {
        &self.0[..2]
    }

    /// The 40 random bits.
    pub fn random_bits(&self) -> u64 {
        self.0[2..]
            .bytes()
            .filter(|b| *b != b'-')
            .filter_map(crockford_value)
            .fold(0u64, |acc, v| (acc << 5) | u64::from(v))
    }
}

impl fmt::Debug for Reference {
    /// Only the prefix: a reference and a phone number together open an application.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reference({}-…)", self.prefix())
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Reference {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Reference {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Reference::parse(&s).map_err(|c| c.as_str().to_owned())
    }
}

impl From<Reference> for String {
    fn from(r: Reference) -> String {
        r.0
    }
}

/// The rider's explicit consent to the privacy notice shown at `/join`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    /// The version of the notice the rider read, e.g. `2026-11`: the one
    /// `GET /api/v1/applications/policy` names.
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub policy_version: String,
    /// Ticked by the rider; must be `true`.
    pub accepted: bool,
}

/// The body of `POST /api/v1/applications`: the `/join` form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApplication {
    /// The station whose poster was scanned: credits it and routes to its union.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station_id: Option<StationId>,
    /// Without a station: the Beijing district (e.g. `朝阳区`) whose union receives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 20))]
    pub district: Option<String>,
    /// Full name, 2–30 characters: Han characters, Latin letters, single spaces between words and
    /// the middle dot of transliterated names (e.g. 王丽, 买买提·艾力, Li Wei).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, max_length = 30))]
    pub name: String,
    /// Mobile number, `1[3-9]` + 9 digits (spaces, dashes, full-width digits and `+86` are
    /// accepted as typed).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, pattern = r"^(\+86)?1[3-9][0-9]{9}$")
    )]
    pub phone: String,
    /// Platform or company.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub employer: Option<Employer>,
    /// The employer's name when `employer` is `other` (≤ 30 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub employer_other: Option<String>,
    /// Occupation.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub occupation: Option<Occupation>,
    /// The occupation when `occupation` is `other` (≤ 30 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 30))]
    pub occupation_other: Option<String>,
    /// Where the rider mostly works, e.g. `望京` (≤ 30 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, max_length = 30))]
    pub work_district: String,
    /// Explicit consent to the privacy notice: required to apply (`accepted` true, the version in
    /// force); left out where a rejected application is handed back for correcting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
}

/// A [`NewApplication`] that passed [`NewApplication::validate`]: trimmed, with "other" texts
/// only where the choice is `other`, and a district only when there is no station.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidApplication {
    /// The credited station.
    pub station_id: Option<StationId>,
    /// The routing district, when there is no station.
    pub district: Option<String>,
    /// Name.
    pub name: PersonName,
    /// Mobile number.
    pub phone: Phone,
    /// Employer.
    pub employer: Employer,
    /// Employer's name for `other`.
    pub employer_other: Option<String>,
    /// Occupation.
    pub occupation: Occupation,
    /// Occupation for `other`.
    pub occupation_other: Option<String>,
    /// Work district.
    pub work_district: String,
    /// The privacy notice version consented to.
    pub policy_version: String,
}

/// Trims `text`; `None` when blank. Records `too_long` past `max`.
fn trimmed(
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

/// The "other" text for a choice: required for `other`, dropped for anything else (the form
/// may still hold what was typed before the choice changed).
fn other_text(
    field: &str,
    is_other: bool,
    text: Option<&str>,
    errors: &mut FieldErrors,
) -> Option<String> {
    if !is_other {
        return None;
    }
    let t = trimmed(field, text, MAX_OTHER_CHARS, errors);
    if t.is_none() {
        errors.insert(field.into(), FieldCode::Missing);
    }
    t
}

impl NewApplication {
    /// Checks every field, naming each bad one. Consent must be given (`consent`: `missing`
    /// when absent or not accepted); a district is required when there is no station.
    pub fn validate(&self) -> Result<ValidApplication, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = PersonName::parse(&self.name)
            .map_err(|c| errors.insert("name".into(), c))
            .ok();
        let phone = Phone::parse(&self.phone)
            .map_err(|c| errors.insert("phone".into(), c))
            .ok();
        if self.employer.is_none() {
            errors.insert("employer".into(), FieldCode::Missing);
        }
        let employer_other = other_text(
            "employer_other",
            self.employer == Some(Employer::Other),
            self.employer_other.as_deref(),
            &mut errors,
        );
        if self.occupation.is_none() {
            errors.insert("occupation".into(), FieldCode::Missing);
        }
        let occupation_other = other_text(
            "occupation_other",
            self.occupation == Some(Occupation::Other),
            self.occupation_other.as_deref(),
            &mut errors,
        );
        let work_district = trimmed(
            "work_district",
            Some(&self.work_district),
            MAX_WORK_DISTRICT_CHARS,
            &mut errors,
        );
        if work_district.is_none() {
            errors.insert("work_district".into(), FieldCode::Missing);
        }
        let district = if self.station_id.is_some() {
            None
        } else {
            let d = trimmed(
                "district",
                self.district.as_deref(),
                MAX_DISTRICT_CHARS,
                &mut errors,
            );
            if d.is_none() {
                errors.insert("district".into(), FieldCode::Missing);
            }
            d
        };
        let policy_version = match &self.consent {
            Some(c) if c.accepted => {
                let v = c.policy_version.trim();
                if v.is_empty() || v.chars().count() > MAX_POLICY_VERSION_CHARS {
                    errors.insert("consent".into(), FieldCode::Invalid);
                }
                Some(v.to_owned())
            }
            _ => {
                errors.insert("consent".into(), FieldCode::Missing);
                None
            }
        };
        match (
            name,
            phone,
            self.employer,
            self.occupation,
            work_district,
            policy_version,
        ) {
            (
                Some(name),
                Some(phone),
                Some(employer),
                Some(occupation),
                Some(work_district),
                Some(policy_version),
            ) if errors.is_empty() => Ok(ValidApplication {
                station_id: self.station_id.clone(),
                district,
                name,
                phone,
                employer,
                employer_other,
                occupation,
                occupation_other,
                work_district,
                policy_version,
            }),
            _ => Err(errors),
        }
    }

    /// [`NewApplication::validate`], plus: the consent is to `current`, the privacy notice in
    /// force (`consent`: `invalid` otherwise, so the form asks again).
    pub fn validate_for_policy(&self, current: &str) -> Result<ValidApplication, FieldErrors> {
        let result = self.validate();
        let stale = self
            .consent
            .as_ref()
            .is_some_and(|c| c.accepted && c.policy_version.trim() != current);
        match result {
            Ok(_) if stale => Err(FieldErrors::from([("consent".into(), FieldCode::Invalid)])),
            Err(mut errors) if stale => {
                errors.entry("consent".into()).or_insert(FieldCode::Invalid);
                Err(errors)
            }
            other => other,
        }
    }
}

impl From<&ValidApplication> for NewApplication {
    /// The form again, filled in, for correcting a rejected application (without consent,
    /// which is asked again).
    fn from(v: &ValidApplication) -> NewApplication {
        NewApplication {
            station_id: v.station_id.clone(),
            district: v.district.clone(),
            name: v.name.as_str().to_owned(),
            phone: v.phone.as_str().to_owned(),
            employer: Some(v.employer),
            employer_other: v.employer_other.clone(),
            occupation: Some(v.occupation),
            occupation_other: v.occupation_other.clone(),
            work_district: v.work_district.clone(),
            consent: None,
        }
    }
}

/// The body of `POST /api/v1/applications/lookup` and `/withdraw`: the reference and the
/// phone number it was sent with (in a body, never in a URL).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lookup {
    /// The reference, any case, dashes optional.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^[A-Za-z]{2}-?[0-9A-TV-Za-tv-z]{4}-?[0-9A-TV-Za-tv-z]{4}$",
            example = "BJ-7K3Q-9DXW"
        )
    )]
    pub reference: String,
    /// The mobile number given in the application.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, pattern = r"^(\+86)?1[3-9][0-9]{9}$")
    )]
    pub phone: String,
}

impl Lookup {
    /// Parses both fields, naming each bad one.
    pub fn validate(&self) -> Result<(Reference, Phone), FieldErrors> {
        let mut errors = FieldErrors::new();
        let reference = Reference::parse(&self.reference)
            .map_err(|c| errors.insert("reference".into(), c))
            .ok();
        let phone = Phone::parse(&self.phone)
            .map_err(|c| errors.insert("phone".into(), c))
            .ok();
        match (reference, phone) {
            (Some(r), Some(p)) => Ok((r, p)),
            _ => Err(errors),
        }
    }
}

/// The body of `POST /api/v1/applications/resubmit`: a rejected application, corrected. It
/// keeps its reference and goes back to `submitted`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resubmit {
    /// The reference.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            pattern = "^[A-Za-z]{2}-?[0-9A-TV-Za-tv-z]{4}-?[0-9A-TV-Za-tv-z]{4}$",
            example = "BJ-7K3Q-9DXW"
        )
    )]
    pub reference: String,
    /// The phone number the application was sent with (it may change in `application`).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, pattern = r"^(\+86)?1[3-9][0-9]{9}$")
    )]
    pub phone: String,
    /// The corrected application, with consent given again.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub application: NewApplication,
}

/// A station as an application names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationRef {
    /// Id.
    pub id: StationId,
    /// Name.
    pub name: String,
}

/// The answer to an accepted application (201), and to a retry with the same key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationReceipt {
    /// The reference to keep (screenshot it).
    pub reference: Reference,
    /// `submitted`.
    pub status: ApplicationStatus,
    /// The union that received it.
    pub union: UnionRef,
}

/// What the privacy notice at `/join` must say that only the server knows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacyPolicy {
    /// The version in force; `consent.policy_version` must name it.
    pub version: String,
    /// Days an application is kept after its decision (or withdrawal), then deleted.
    pub retention_days: u64,
}

/// One step of an application's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    /// The status it moved to.
    pub status: ApplicationStatus,
    /// When.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    /// The union's reason, on a `rejected` step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An application's history, oldest first.
pub type Timeline = Vec<TimelineEvent>;

/// What the applicant sees at `/join/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    /// The reference.
    pub reference: Reference,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// What the applicant can do next (the browser has the words).
    pub next_step: NextStep,
    /// The union deciding it.
    pub union: UnionRef,
    /// The credited station.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<StationRef>,
    /// When it was first sent.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// History, oldest first.
    pub timeline: Timeline,
    /// The union's reason, when rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When rejected: the application as sent (without consent), to correct and resubmit
    /// without retyping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<NewApplication>,
}

/// One application in the admin's queue: the phone number masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationSummary {
    /// Random id (for the record's URL; not the reference).
    pub id: String,
    /// The reference.
    pub reference: Reference,
    /// Masked mobile number, e.g. `138****1234` (empty once withdrawn).
    pub phone_masked: String,
    /// Name (empty once withdrawn).
    pub name: String,
    /// The union deciding it.
    pub union: UnionRef,
    /// The credited station.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<StationRef>,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// When it was sent.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
}

/// `GET /api/v1/admin/applications`: the admin's queue, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationList {
    /// At most 1,000 applications, newest first.
    pub applications: Vec<ApplicationSummary>,
}

/// One application in full, as an admin opens it (each opening is written to the audit log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationRecord {
    /// Random id.
    pub id: String,
    /// The reference.
    pub reference: Reference,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// The union deciding it.
    pub union: UnionRef,
    /// The credited station.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<StationRef>,
    /// The routing district, when sent without a station.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Name (empty once withdrawn).
    pub name: String,
    /// Full mobile number (empty once withdrawn).
    pub phone: String,
    /// Employer (absent once withdrawn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<Employer>,
    /// Employer's name for `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer_other: Option<String>,
    /// Occupation (absent once withdrawn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<Occupation>,
    /// Occupation for `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation_other: Option<String>,
    /// Work district.
    pub work_district: String,
    /// Privacy notice version consented to.
    pub policy_version: String,
    /// When consent was given.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub consented_at: Timestamp,
    /// When it was first sent.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// Last change.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
    /// When it was decided (or withdrawn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub decided_at: Option<Timestamp>,
    /// Who decided (username).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// The reason, when rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// History, oldest first.
    pub timeline: Timeline,
}

/// The body of `POST /api/v1/admin/applications/{id}/decision`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    /// `approve` or `reject`.
    pub decision: DecisionKind,
    /// Required to reject (≤ 200 characters); the applicant sees it. Ignored on approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub reason: Option<String>,
}

fn check_decision(
    kind: DecisionKind,
    reason: Option<&str>,
    errors: &mut FieldErrors,
) -> Option<String> {
    match kind {
        DecisionKind::Approve => None,
        DecisionKind::Reject => {
            let r = trimmed("reason", reason, MAX_REASON_CHARS, errors);
            if r.is_none() {
                errors.insert("reason".into(), FieldCode::Missing);
            }
            r
        }
    }
}

impl Decision {
    /// The decision and its trimmed reason (only for a rejection), or the field errors.
    pub fn validate(&self) -> Result<(DecisionKind, Option<String>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let reason = check_decision(self.decision, self.reason.as_deref(), &mut errors);
        if errors.is_empty() {
            Ok((self.decision, reason))
        } else {
            Err(errors)
        }
    }
}

fn approve() -> DecisionKind {
    DecisionKind::Approve
}

/// The body of `POST /api/v1/admin/applications/decisions`: one decision for many (bulk
/// approve by default).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkDecision {
    /// Application ids (1–500).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub ids: Vec<String>,
    /// `approve` (default) or `reject`.
    #[serde(default = "approve")]
    pub decision: DecisionKind,
    /// Required to reject (≤ 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub reason: Option<String>,
}

impl BulkDecision {
    /// The ids without repeats, the decision and its reason, or the field errors.
    #[allow(clippy::type_complexity)]
    pub fn validate(&self) -> Result<(Vec<String>, DecisionKind, Option<String>), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut ids: Vec<String> = Vec::new();
        // The cap is checked on what was sent, before any work on it; de-duplication is then
        // one pass with a set.
        if self.ids.len() > MAX_BULK_IDS {
            errors.insert("ids".into(), FieldCode::TooLong);
        } else {
            let mut seen = std::collections::BTreeSet::new();
            for id in &self.ids {
                let id = id.trim();
                if !id.is_empty() && seen.insert(id) {
                    ids.push(id.to_owned());
                }
            }
            if ids.is_empty() {
                errors.insert("ids".into(), FieldCode::Missing);
            }
        }
        let reason = check_decision(self.decision, self.reason.as_deref(), &mut errors);
        if errors.is_empty() {
            Ok((ids, self.decision, reason))
        } else {
            Err(errors)
        }
    }
}

/// The answer to a bulk decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkOutcome {
    /// How many were decided.
    pub decided: usize,
    /// Ids left alone: already decided, withdrawn, or not the admin's to decide.
    pub skipped: Vec<String>,
}

/// Applications credited to one station, for the chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationCount {
    /// The station.
    pub station_id: StationId,
    /// Its name.
    pub station_name: String,
    /// Applications received through it (any status, withdrawn included).
    pub applications: u64,
    /// Of those, approved.
    pub approvals: u64,
}

/// Counts without a station.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    /// Applications.
    pub applications: u64,
    /// Of those, approved.
    pub approvals: u64,
}

/// `GET /api/v1/admin/applications/stats`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationStats {
    /// Per station, most applications first.
    pub stations: Vec<StationCount>,
    /// Applications sent by district, without a station.
    pub without_station: Counts,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form() -> NewApplication {
        NewApplication {
            station_id: Some(StationId::parse("bj-chaoyang-0001").expect("id")),
            district: None,
            name: "王丽".into(),
            phone: "13812341234".into(),
            employer: Some(Employer::Meituan),
            employer_other: None,
            occupation: Some(Occupation::FoodDelivery),
            occupation_other: None,
            work_district: "望京".into(),
            consent: Some(Consent {
                policy_version: "2026-11".into(),
                accepted: true,
            }),
        }
    }

    fn field(a: &NewApplication, name: &str) -> Option<FieldCode> {
        a.validate().err().and_then(|e| e.get(name).copied())
    }

    #[test]
    fn a_complete_form_validates() {
        let v = form().validate().expect("valid");
        assert_eq!(v.name.as_str(), "王丽");
        assert_eq!(v.phone.as_str(), "13812341234");
        assert_eq!(v.policy_version, "2026-11");
        assert_eq!(v.district, None);
    }

    #[test]
    fn phone_with_spaces_dashes_full_width_digits_or_plus_86_is_accepted() {
        for typed in [
            "138 1234 1234",
            "138-1234-1234",
            " 13812341234 ",
            "+86 138 1234 1234",
            "１３８１２３４１２３４",
        ] {
            assert_eq!(
                Phone::parse(typed).map(|p| p.as_str().to_owned()),
                Ok("13812341234".into()),
                "{typed}"
            );
        }
    }

    #[test]
    fn phone_that_is_not_a_mainland_mobile_is_rejected() {
        for bad in [
            "12345678901",  // second digit 2: no such mobile prefix
            "23812341234",  // does not start with 1
            "1381234123",   // ten digits
            "138123412345", // twelve digits
            "12",
            "1381234123a",
            "010-65432100", // a landline
            "8613812341234",
        ] {
            assert_eq!(Phone::parse(bad), Err(FieldCode::Invalid), "{bad}");
        }
        assert_eq!(Phone::parse("  "), Err(FieldCode::Missing));
    }

    #[test]
    fn masked_phone_keeps_three_and_four_digits() {
        let p = Phone::parse("13812341234").expect("phone");
        assert_eq!(p.masked(), "138****1234");
        assert_eq!(format!("{p:?}"), "Phone(138****1234)");
    }

    #[test]
    fn names_of_han_latin_and_middle_dots_are_accepted_and_tidied() {
        for (typed, stored) in [
            ("王丽", "王丽"),
            (" 买买提·艾力 ", "买买提·艾力"),
            ("买买提 • 艾力", "买买提·艾力"),
            ("买买提・艾力", "买买提·艾力"),
            ("Li   Wei", "Li Wei"),
            ("Lǚ Xiǎo", "Lǚ Xiǎo"),
            ("䶮明", "䶮明"), // extension A
            ("𠇔丽", "𠇔丽"), // extension B
        ] {
            assert_eq!(
                PersonName::parse(typed).map(|n| n.as_str().to_owned()),
                Ok(stored.into()),
                "{typed}"
            );
        }
    }

    #[test]
    fn name_with_digits_symbols_or_a_lone_dot_is_invalid() {
        for bad in [
            "王丽2",
            "王@丽",
            "·王丽",
            "王丽·",
            "王··丽",
            "<b>王</b>",
            "王😀",
        ] {
            assert_eq!(PersonName::parse(bad), Err(FieldCode::Invalid), "{bad}");
        }
    }

    #[test]
    fn name_of_one_character_is_invalid_and_of_thirty_one_too_long() {
        assert_eq!(PersonName::parse("王"), Err(FieldCode::Invalid));
        assert!(PersonName::parse(&"王".repeat(30)).is_ok());
        assert_eq!(PersonName::parse(&"王".repeat(31)), Err(FieldCode::TooLong));
        assert_eq!(PersonName::parse(" "), Err(FieldCode::Missing));
        assert_eq!(
            format!("{:?}", PersonName::parse("王丽")),
            "Ok(PersonName(..))"
        );
    }

    #[test]
    fn other_employer_needs_its_name_and_other_choices_drop_it() {
        let mut a = form();
        a.employer = Some(Employer::Other);
        assert_eq!(field(&a, "employer_other"), Some(FieldCode::Missing));
        a.employer_other = Some("x".repeat(31));
        assert_eq!(field(&a, "employer_other"), Some(FieldCode::TooLong));
        a.employer_other = Some(" 曹操出行 ".into());
        assert_eq!(
            a.validate().expect("valid").employer_other.as_deref(),
            Some("曹操出行")
        );
        let mut b = form();
        b.employer_other = Some("left over".into());
        assert_eq!(b.validate().expect("valid").employer_other, None);
        b.occupation = Some(Occupation::Other);
        assert_eq!(field(&b, "occupation_other"), Some(FieldCode::Missing));
    }

    #[test]
    fn consent_not_given_or_not_ticked_is_missing() {
        let mut a = form();
        a.consent = None;
        assert_eq!(field(&a, "consent"), Some(FieldCode::Missing));
        a.consent = Some(Consent {
            policy_version: "2026-11".into(),
            accepted: false,
        });
        assert_eq!(field(&a, "consent"), Some(FieldCode::Missing));
    }

    #[test]
    fn consent_to_an_older_notice_is_invalid() {
        let mut a = form();
        assert!(a.validate_for_policy("2026-11").is_ok());
        assert_eq!(
            a.validate_for_policy("2027-01")
                .expect_err("stale")
                .get("consent"),
            Some(&FieldCode::Invalid)
        );
        a.name = String::new();
        let e = a.validate_for_policy("2027-01").expect_err("two problems");
        assert_eq!(e.get("consent"), Some(&FieldCode::Invalid));
        assert_eq!(e.get("name"), Some(&FieldCode::Missing));
    }

    #[test]
    fn without_a_station_the_district_is_required_and_with_one_it_is_dropped() {
        let mut a = form();
        a.station_id = None;
        assert_eq!(field(&a, "district"), Some(FieldCode::Missing));
        a.district = Some(" 朝阳区 ".into());
        assert_eq!(
            a.validate().expect("valid").district.as_deref(),
            Some("朝阳区")
        );
        let mut b = form();
        b.district = Some("海淀区".into());
        assert_eq!(b.validate().expect("valid").district, None);
    }

    #[test]
    fn an_empty_form_names_every_required_field() {
        let e = NewApplication::default().validate().expect_err("empty");
        let names: Vec<&str> = e.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            vec![
                "consent",
                "district",
                "employer",
                "name",
                "occupation",
                "phone",
                "work_district"
            ]
        );
    }

    #[test]
    fn a_form_travels_as_json_with_snake_case_codes() {
        let json = r#"{"station_id":"bj-chaoyang-0001","name":"王丽","phone":"13812341234",
            "employer":"eleme","occupation":"ride_hailing","work_district":"望京",
            "consent":{"policy_version":"2026-11","accepted":true}}"#;
        let a: NewApplication = serde_json::from_str(json).expect("parse");
        assert_eq!(a.employer, Some(Employer::Eleme));
        assert_eq!(a.occupation, Some(Occupation::RideHailing));
        assert!(a.validate().is_ok());
        assert!(serde_json::from_str::<NewApplication>(r#"{"employer":"uber"}"#).is_err());
    }

    #[test]
    fn enums_have_codes_and_labels_in_both_languages() {
        for e in Employer::ALL {
            assert_eq!(Employer::parse(e.as_str()), Some(*e));
            assert!(!e.zh().is_empty() && !e.en().is_empty());
        }
        assert_eq!(Employer::Eleme.zh(), "饿了么");
        assert_eq!(Occupation::TruckDriver.zh(), "货车司机");
        assert_eq!(
            serde_json::to_string(&ApplicationStatus::UnderReview).expect("json"),
            "\"under_review\""
        );
        assert!(ApplicationStatus::UnderReview.is_pending());
        assert!(!ApplicationStatus::Rejected.is_pending());
        assert_eq!(
            ApplicationStatus::Approved.next_step(),
            NextStep::CollectCard
        );
    }

    #[test]
    fn reference_prefix_comes_from_the_union_id() {
        assert_eq!(Reference::prefix_for("bj-chaoyang"), "BJ");
        assert_eq!(Reference::prefix_for("sh"), "SH");
        assert_eq!(Reference::prefix_for("1-x"), "YZ");
        assert_eq!(Reference::prefix_for("b"), "YZ");
        let r = Reference::generate("bj", [0, 0, 0, 0, 0]);
        assert_eq!(r.as_str(), "BJ-0000-0000");
        let r = Reference::generate("BJ", [0xff; 5]);
        assert_eq!(r.as_str(), "BJ-ZZZZ-ZZZZ");
    }

    #[test]
    fn reference_is_read_in_any_case_without_dashes_and_with_look_alikes() {
        let want = Reference::parse("BJ-7K3Q-9DX1").expect("canonical");
        for typed in [
            "bj-7k3q-9dx1",
            "BJ7K3Q9DX1",
            " bj 7k3q 9dxl ",
            "BJ-7K3Q-9DXI",
        ] {
            assert_eq!(Reference::parse(typed), Ok(want.clone()), "{typed}");
        }
        assert_eq!(
            Reference::parse("BJ-0000-000O").map(|r| r.to_string()),
            Ok("BJ-0000-0000".into())
        );
        for bad in [
            "BJ-7K3Q-9DXU",
            "B1-7K3Q-9DXW",
            "BJ-7K3Q-9DX",
            "BJ-7K3Q-9DXWW",
            "京J-7K3Q-9DXW",
        ] {
            assert_eq!(Reference::parse(bad), Err(FieldCode::Invalid), "{bad}");
        }
        assert_eq!(Reference::parse(""), Err(FieldCode::Missing));
        assert_eq!(format!("{want:?}"), "Reference(BJ-…)");
    }

    #[test]
    fn lookup_names_each_bad_field() {
        let e = Lookup {
            reference: "nope".into(),
            phone: "12".into(),
        }
        .validate()
        .expect_err("bad");
        assert_eq!(e.get("reference"), Some(&FieldCode::Invalid));
        assert_eq!(e.get("phone"), Some(&FieldCode::Invalid));
    }

    #[test]
    fn rejecting_needs_a_reason_of_at_most_two_hundred_characters() {
        let reject = |r: Option<&str>| Decision {
            decision: DecisionKind::Reject,
            reason: r.map(str::to_owned),
        };
        assert_eq!(
            reject(None)
                .validate()
                .expect_err("no reason")
                .get("reason"),
            Some(&FieldCode::Missing)
        );
        assert_eq!(
            reject(Some("  "))
                .validate()
                .expect_err("blank")
                .get("reason"),
            Some(&FieldCode::Missing)
        );
        let long = "因".repeat(201);
        assert_eq!(
            reject(Some(&long))
                .validate()
                .expect_err("long")
                .get("reason"),
            Some(&FieldCode::TooLong)
        );
        assert_eq!(
            reject(Some(" 请到现场核验 ")).validate(),
            Ok((DecisionKind::Reject, Some("请到现场核验".into())))
        );
        let approve = Decision {
            decision: DecisionKind::Approve,
            reason: Some("ignored".into()),
        };
        assert_eq!(approve.validate(), Ok((DecisionKind::Approve, None)));
    }

    #[test]
    fn bulk_decision_defaults_to_approve_and_drops_repeats() {
        let b: BulkDecision = serde_json::from_str(r#"{"ids":["a","b","a"," "]}"#).expect("json");
        assert_eq!(
            b.validate(),
            Ok((vec!["a".into(), "b".into()], DecisionKind::Approve, None))
        );
        let empty = BulkDecision {
            ids: vec![],
            decision: DecisionKind::Approve,
            reason: None,
        };
        assert_eq!(
            empty.validate().expect_err("empty").get("ids"),
            Some(&FieldCode::Missing)
        );
        let many = BulkDecision {
            ids: (0..=MAX_BULK_IDS).map(|i| i.to_string()).collect(),
            decision: DecisionKind::Approve,
            reason: None,
        };
        assert_eq!(
            many.validate().expect_err("many").get("ids"),
            Some(&FieldCode::TooLong)
        );
    }

    proptest! {
        #[test]
        fn reference_round_trips_through_text(
            a in "[a-z]{2}",
            bytes in proptest::array::uniform5(any::<u8>()),
        ) {
            let r = Reference::generate(&a, bytes);
            prop_assert_eq!(r.as_str().len(), 12);
            let expected = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            prop_assert_eq!(r.random_bits(), expected);
            prop_assert_eq!(Reference::parse(r.as_str()), Ok(r.clone()));
            prop_assert_eq!(Reference::parse(&r.as_str().to_lowercase().replace('-', "")), Ok(r.clone()));
            let json = serde_json::to_string(&r).expect("json");
            prop_assert_eq!(serde_json::from_str::<Reference>(&json).expect("back"), r);
        }

        #[test]
        fn masked_phone_never_shows_the_middle_digits(
            second in 3u8..=9,
            rest in proptest::collection::vec(0u8..=9, 9),
        ) {
            let digits: String = std::iter::once(1u8)
                .chain(std::iter::once(second))
                .chain(rest)
                .map(|d| char::from(b'0' + d))
                .collect();
            let p = Phone::parse(&digits).expect("valid mobile");
            let m = p.masked();
            prop_assert_eq!(m.len(), 11);
            prop_assert_eq!(&m[..3], &digits[..3]);
            prop_assert_eq!(&m[3..7], "****");
            prop_assert_eq!(&m[7..], &digits[7..]);
            prop_assert_eq!(m.chars().filter(char::is_ascii_digit).count(), 7);
            prop_assert_eq!(format!("{p:?}"), format!("Phone({m})"));
        }

        #[test]
        fn any_eleven_digits_parse_exactly_when_they_look_like_a_mobile(s in "[0-9]{11}") {
            let b = s.as_bytes();
            let mobile = b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
            prop_assert_eq!(Phone::parse(&s).is_ok(), mobile);
        }
    }
}
