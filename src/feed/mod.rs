//! The feed: its model, the pure renderer, and podcast:guid.

pub mod guid;
pub mod model;
pub mod render;
