//! The Yizhan API server: stations and their live status over HTTP, and the built app.
#![forbid(unsafe_code)]

pub mod auth;
pub mod backup;
pub mod bootstrap;
pub mod chart;
pub mod city;
pub mod client;
pub mod config;
pub mod confirmed;
pub mod db;
pub mod demo;
pub mod error;
pub mod index;
pub mod lang;
pub mod metrics;
pub mod password;
pub mod poster;
pub mod purge;
pub mod request_id;
pub mod routes;
pub mod secret;
pub mod shell;
pub mod startup;
pub mod state;
pub mod totp;
pub mod transfer;
pub mod web;
pub mod webhook;
