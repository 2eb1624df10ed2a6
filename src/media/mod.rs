//! Media files themselves: what an uploaded object is, read from its bytes. Uses nothing else
//! of podpub.

pub mod probe;
