//! Shared by the renderer benchmarks: synthetic data, the baseline renderers, and an XML outline
//! to check that they render the same feed.

pub mod data;
pub mod outline;
pub mod quickxml_baseline;
pub mod rss_baseline;
