//! Integration tests: HTTP in, feed bytes or HTTP out.

mod helpers;

mod admin;
mod cli;
mod errors;
mod feeds;
mod jobs;
mod podcasting;
mod readme_flow;
mod s3;
mod shows;
