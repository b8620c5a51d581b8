//! Who changed what: notes' versions and blacklist listings, and the actor.

use serde::Serialize;

/// Through what a change was made, recorded with it (kehu has one user, the
/// seller; what tells two changes apart is where they came from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    App,
    Cli,
}

/// One blacklist change.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BlacklistEvent {
    /// `None` for a listing made before kehu kept this history.
    pub at: Option<String>,
    /// True when the customer was put on the list, false when taken off.
    pub listed: bool,
    pub reason: String,
    /// `app` or `cli` (empty before history was kept).
    pub actor: String,
}

/// A note's earlier state: the text it had until `at`, when it was edited or
/// deleted.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NoteVersion {
    pub at: String,
    /// `edit` or `delete`.
    pub kind: String,
    /// The text before the change.
    pub body: String,
    pub actor: String,
}

/// A note with everything it ever said.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NoteHistory {
    pub id: i64,
    pub created_at: String,
    pub updated_at: String,
    /// The text now (or when it was deleted).
    pub body: String,
    pub deleted_at: Option<String>,
    /// Oldest first.
    pub changes: Vec<NoteVersion>,
}

impl Actor {
    pub fn code(self) -> &'static str {
        match self {
            Actor::App => "app",
            Actor::Cli => "cli",
        }
    }
}
