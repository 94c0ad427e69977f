//! API integration tests: the real router on a real SQLite file, over real HTTP.

mod applications;
mod authz;
mod backup;
mod city;
mod coverage;
mod docs;
mod embed;
mod fleet;
mod helpers;
mod insight;
mod observability;
mod openapi;
mod pages;
mod parsers;
mod reliability;
mod reports;
mod review;
mod safety;
mod scale;
mod services;
mod soak;
mod staff;
mod stations;
mod visits;
mod webhooks;
