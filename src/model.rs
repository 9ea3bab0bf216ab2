//! Message actions, pages of actions and responses.

use crate::error::Status;

/// A PubNub timetoken: Unix time in units of 100 ns, 17 digits for current dates.
pub type Timetoken = u64;

/// Largest number of actions the service returns for one get request; the
/// PubNub SDKs use it as the default and the maximum (Python `MAX_LIMIT = 100`).
pub const MAX_LIMIT: u32 = 100;

/// An action attached to a published message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageAction {
    /// Action type, such as `reaction` or `receipt`.
    pub action_type: String,
    /// Action value, such as `smiley_face`.
    pub value: String,
    /// User id of the author (the `uuid` field on the wire).
    pub uuid: String,
    /// Timetoken the server assigned when the action was added.
    pub action_timetoken: Timetoken,
    /// Timetoken of the message the action is attached to.
    pub message_timetoken: Timetoken,
}

/// Bounds of a get request: `start` is exclusive, `end` inclusive, both on the
/// action timetoken, and 0 leaves a bound unset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageBounds {
    /// Return actions with `action_timetoken < start`; 0 means no upper bound.
    pub start: Timetoken,
    /// Return actions with `action_timetoken >= end`; 0 means no lower bound.
    pub end: Timetoken,
    /// Maximum number of actions, 1 to 100; 0 means 100.
    pub limit: u32,
}

/// One page of a channel's actions, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionsPage {
    /// The actions, in ascending action timetoken order.
    pub actions: Vec<MessageAction>,
    /// Bounds of the next (older) page, or `None` when this page is the last.
    pub next: Option<PageBounds>,
}

/// Result of a publish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Published {
    /// Timetoken of the published message; actions refer to it.
    pub timetoken: Timetoken,
}

/// Outcome of a request: its status and, when the server returned them, its data.
///
/// `data` can be present on an error status: an HTTP 207 reply to an add carries
/// the stored action even though its event was not published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response<T> {
    /// Outcome of the request.
    pub status: Status,
    /// The returned data, when there is any.
    pub data: Option<T>,
}

impl<T> Response<T> {
    /// Converts into `Ok(data)` for a successful request and `Err(status)` otherwise.
    ///
    /// A successful request always has data, except remove, whose data is `()`.
    pub fn into_result(self) -> Result<T, Status> {
        match (self.status.is_error(), self.data) {
            (false, Some(data)) => Ok(data),
            _ => Err(self.status),
        }
    }
}
