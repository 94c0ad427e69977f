//! The envelopes staff list answers come in (`{"unions": [...]}`, `{"stations": [...], "next":
//! ...}`, ...): written once here, so the server that sends them and the staff app that reads
//! them cannot drift apart.

use serde::{Deserialize, Serialize};

use crate::draft::AdminStation;
use crate::ids::UnionId;
use crate::staff::{Account, AuditEntry, InboxReport};

/// A union as the admin's forms list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionItem {
    /// Id.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub id: UnionId,
    /// Name, e.g. 朝阳区总工会.
    pub name: String,
    /// The union above it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub parent: Option<UnionId>,
}

/// `GET /api/v1/admin/unions`: `{"unions": [...]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unions {
    /// The admin's union and every union below it.
    pub unions: Vec<UnionItem>,
}

/// `GET /api/v1/admin/accounts`: `{"accounts": [...]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accounts {
    /// Accounts of the admin's unions.
    pub accounts: Vec<Account>,
}

/// `GET /api/v1/admin/audit`: `{"entries": [...]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// Newest first, 50 at most.
    pub entries: Vec<AuditEntry>,
}

/// `GET /api/v1/manage/reports`: `{"reports": [...]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inbox {
    /// Newest first.
    pub reports: Vec<InboxReport>,
}

/// `GET /api/v1/manage/stations` and `/api/v1/admin/stations`: one page,
/// `{"stations": [...], "total": N, "next": "<id>"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffStations {
    /// The stations, ordered by union, then id.
    pub stations: Vec<AdminStation>,
    /// How many there are in all.
    #[serde(default)]
    pub total: u64,
    /// Pass as `after` for the next page; absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
