//! HTTP routes: the JSON API under `/api/v1`, the health check, and the app shell.

pub mod admin;
pub mod api_docs;
pub mod applications;
pub mod coverage;
pub mod health;
pub mod http;
pub mod insight;
pub mod manage;
pub mod metrics;
pub mod openapi;
pub mod poster;
pub mod reports;
pub mod responses;
pub mod review;
pub mod router;
pub mod services;
pub mod session;
pub mod stations;
pub mod visits;
pub mod webhooks;

pub use router::api;
