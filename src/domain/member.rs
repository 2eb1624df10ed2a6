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

text_enum! {
    /// Where a change came from, as the edit history shows it.
    pub enum Surface {
        Ui = "ui",
        Api = "api",
        Cli = "cli",
        Import = "import",
    }
}

/// Who is asking: admins see every show, others the shows they are members of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: Uuid,
    pub is_admin: bool,
    /// Through which surface they ask: recorded with each change they make.
    pub surface: Surface,
    /// For an import, the surface that started it (`surface` is then `Import`).
    pub via: Option<Surface>,
}

impl Viewer {
    /// The same person and rights, on `surface`.
    pub fn new(user_id: Uuid, is_admin: bool, surface: Surface) -> Viewer {
        Viewer {
            user_id,
            is_admin,
            surface,
            via: None,
        }
    }

    /// The importer acting for this viewer: its changes are recorded as `import`, with the
    /// surface that started it.
    pub fn importing(self) -> Viewer {
        Viewer {
            surface: Surface::Import,
            via: Some(self.surface),
            ..self
        }
    }
}
