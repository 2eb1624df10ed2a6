//! Who may do what: the instance's admins, and each show's members.

use uuid::Uuid;

use super::text_enum;

text_enum! {
    /// A member's role on a show: owners also manage members and the show's address; editors
    /// edit its content.
    pub enum Role {
        Owner = "owner",
        Editor = "editor",
    }
}

/// Who is asking: admins see every show, others the shows they are members of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: Uuid,
    pub is_admin: bool,
}
