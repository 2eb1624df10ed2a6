//! The one error of every use case. The web API, the web UI and the command line each turn it
//! into their own answer.

use crate::domain::FieldErrors;
use crate::import::Failure;

/// Why a use case did not happen. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input was refused, field by field.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// No such thing, or not one the caller may see.
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    /// Only the show's owners (and admins) may do this; editors edit its content.
    #[error("{0}")]
    OwnersOnly(&'static str),
    /// The request meets the state of things: a taken slug, a deleted show, a show moving out.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// A file refused for what it is: too large (413), or a type or content that is not
    /// allowed (422). `code` is stable: `media_too_large`, `media_type_not_allowed`...
    #[error("{message}")]
    Media {
        code: &'static str,
        message: String,
        too_large: bool,
    },
    /// Busy: a writer of the same show held its turn too long.
    #[error("the service is busy, try again shortly")]
    Unavailable,
    /// A feed to import could not be fetched or read.
    #[error(transparent)]
    Import(#[from] Failure),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What every use case returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Error {
        Error::Invalid(errors)
    }
}

impl Error {
    /// One field's problem.
    pub fn field(name: &str, message: impl Into<String>) -> Error {
        Error::Invalid(FieldErrors::one(name, message))
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Error {
        Error::Conflict {
            code,
            message: message.into(),
        }
    }

    /// Whether the database is out of reach for now, which is worth a retry.
    pub fn is_unavailable(&self) -> bool {
        match self {
            Error::Unavailable => true,
            Error::Database(err) => is_unavailable(err),
            _ => false,
        }
    }
}

/// Whether a database error means the database is out of reach for now (no free connection,
/// a restart), which is worth a retry: 503, not 500.
pub fn is_unavailable(err: &sqlx::Error) -> bool {
    crate::db::is_unavailable(err)
}

/// Turns a unique violation on `constraint` into a conflict, passing other errors through.
pub fn on_constraint<'a>(
    constraint: &'a str,
    code: &'static str,
    message: impl FnOnce() -> String + 'a,
) -> impl FnOnce(sqlx::Error) -> Error + 'a {
    move |err| match &err {
        sqlx::Error::Database(db) if db.constraint() == Some(constraint) => Error::Conflict {
            code,
            message: message(),
        },
        _ => Error::Database(err),
    }
}

/// The slug is another show's.
pub fn slug_taken<'a>(slug: &'a str) -> impl FnOnce(sqlx::Error) -> Error + 'a {
    on_constraint("shows_slug_key", "slug_taken", move || {
        format!("the slug {slug:?} is already taken")
    })
}

/// The show is deleted: nothing but a restore or a purge changes it.
pub fn show_deleted() -> Error {
    Error::conflict(
        "show_deleted",
        "the show is in the trash; restore it (POST …/restore) first, or delete it with \
         ?purge=true to free its slug",
    )
}
