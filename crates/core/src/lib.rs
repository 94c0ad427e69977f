//! Yizhan's domain: rest stations, their amenities and live status, and the rules that decide
//! what a rider sees. Shared by the browser app (wasm) and the API server, so it depends on serde
//! and nothing heavier. Values parse at the boundary: an invalid id, coordinate or hours string
//! cannot exist as one of these types.
#![forbid(unsafe_code)]

pub mod amenity;
pub mod application;
pub mod cluster;
pub mod coverage;
pub mod datum;
pub mod decimal;
pub mod draft;
pub mod envelope;
pub mod error;
pub mod field;
pub mod geo;
pub mod handoff;
pub mod holidays;
pub mod html;
pub mod ids;
pub mod insight;
pub mod lang;
pub mod opening_hours;
pub mod pages;
pub mod query;
pub mod report;
pub mod services;
pub mod staff;
pub mod station;
pub mod time;
pub mod url;
pub mod webhook;

pub use amenity::{Amenity, AmenityState, AmenityStatus};
pub use application::{
    ApplicationList, ApplicationQuery, ApplicationReceipt, ApplicationRecord, ApplicationStats,
    ApplicationStatus, ApplicationSummary, ApplicationView, BulkDecision, BulkOutcome, Consent,
    Decision, DecisionKind, Employer, Lookup, NewApplication, NextStep, Occupation, PersonName,
    Phone, PrivacyPolicy, Reference, Resubmit, SentLimit, StationCount, StationRef, TimelineEvent,
    ValidApplication,
};
pub use coverage::{
    Coverage, CoverageCounts, CoverageFilter, CoverageRow, CoverageState, Series, WeekFigures,
    Weekly,
};
pub use draft::{AdminStation, ImportReport, ImportRow, StationDraft, ValidStation};
pub use error::{ApiError, ErrorBody, ErrorCode, ErrorHead, FieldCode};
pub use geo::{BBox, LatLng, Latitude, Longitude};
pub use ids::{IdError, StationId, UnionId};
pub use insight::{Period, UnionNumbers};
pub use lang::Lang;
pub use opening_hours::OpeningHours;
pub use query::{StationFilter, StationQuery, NEARBY_LIST_LEN};
pub use report::{DeviceId, NewReport, ReportKind, ReportReceipt, StationToday};
pub use services::{
    CardItem, Contact, InheritedServices, ServiceItem, ServicesCard, ServicesDraft, UnionServices,
};
pub use staff::{
    Account, AccountChange, AuditChange, AuditEntry, InboxReport, IssuedPassword, NewAccount,
    PasswordChange, RecoveryCodes, Resolve, Role, SessionInfo, SessionList, SessionSummary, SignIn,
    StaffReply, StatusUpdate, TwoStep, TwoStepConfirm, TwoStepSetup, Username,
};
pub use station::{Station, StationList, StationState, StationStatus, UnionRef};
pub use time::Timestamp;
pub use webhook::{
    DeliveryState, WebhookDelivery, WebhookDraft, WebhookEvent, WebhookFormat, WebhookView,
};

/// The sixteen districts of Beijing, in the order the city lists them.
pub const BEIJING_DISTRICTS: [&str; 16] = [
    "东城区",
    "西城区",
    "朝阳区",
    "丰台区",
    "石景山区",
    "海淀区",
    "门头沟区",
    "房山区",
    "通州区",
    "顺义区",
    "昌平区",
    "大兴区",
    "怀柔区",
    "平谷区",
    "密云区",
    "延庆区",
];
