//! The feed: its model, the pure renderer, validation warnings, and podcast:guid.

pub mod categories;
pub mod guid;
pub mod model;
pub mod render;
pub mod validate;
