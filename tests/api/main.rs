//! Integration tests: HTTP in, feed bytes or HTTP out.

#[path = "../kit/mod.rs"]
mod kit;

mod admin;
mod cdn;
mod cli;
mod deploy;
mod episode_dates;
mod errors;
mod faults;
mod feeds;
mod fencing;
mod form_fuzz;
mod housekeeping;
mod import;
mod import_deadline;
mod import_feeds;
mod import_identity;
mod import_limits;
mod jobs;
mod members;
mod metrics;
mod moves;
mod notify;
mod openapi;
mod pgbouncer;
mod podcasting;
mod podcasting_channel;
mod podcasting_items;
mod podcasting_value;
mod pool;
mod readme_flow;
mod resilience;
mod s3;
mod shows;
mod shutdown;
mod signin;
mod targets;
mod trash;
mod ui;
mod ui_hardening;
mod ui_pages;
mod ui_podcasting;
mod ui_security;
mod ui_trash;
mod web_limits;
