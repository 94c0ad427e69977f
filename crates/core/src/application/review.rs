//! What comes back: receipts, the applicant's view at `/join/status`, and the admin's queue,
//! records and decisions.

use super::*;

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
