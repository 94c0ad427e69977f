//! What the applicant sends: the `/join` form, consent, lookups and corrections, and the
//! rules that check them in the browser and on the server alike.

use super::*;

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
pub(super) fn trimmed(
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
