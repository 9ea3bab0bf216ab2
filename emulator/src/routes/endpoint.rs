//! The endpoints the emulator serves and how a method and path select one.

use hyper::{Method, StatusCode};

use super::publish::MessageSource;
use crate::access::Access;

/// One endpoint with the path parameters it was called with (percent-decoded).
#[derive(Debug, Clone, Copy)]
pub enum Endpoint<'a> {
    Time,
    Publish {
        publish_key: &'a str,
        subscribe_key: &'a str,
        channel: &'a str,
        source: MessageSource,
    },
    ListActions {
        subscribe_key: &'a str,
        channel: &'a str,
    },
    AddAction {
        subscribe_key: &'a str,
        channel: &'a str,
        message_timetoken: &'a str,
    },
    RemoveAction {
        subscribe_key: &'a str,
        channel: &'a str,
        message_timetoken: &'a str,
        action_timetoken: &'a str,
    },
    History {
        subscribe_key: &'a str,
        channel: &'a str,
    },
    DeleteHistory {
        subscribe_key: &'a str,
        channel: &'a str,
    },
    Subscribe {
        subscribe_key: &'a str,
        /// Comma-separated channel names, as in the path.
        channels: &'a str,
    },
    Presence {
        subscribe_key: &'a str,
        /// Comma-separated channel names, as in the path.
        channels: &'a str,
        change: PresenceChange,
    },
}

/// Presence request an SDK sends around subscribe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresenceChange {
    Heartbeat,
    Leave,
}

/// PubNub service an endpoint belongs to; each has its own error body shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Time,
    Publish,
    Actions,
    History,
    Subscribe,
    Presence,
}

impl<'a> Endpoint<'a> {
    /// Finds the endpoint for `method` and the path `segments`, or returns 404
    /// for an unknown path and 405 for a known path with another method.
    pub fn select(method: &Method, segments: &[&'a str]) -> Result<Endpoint<'a>, StatusCode> {
        let (endpoint, expected_method) = match *segments {
            ["time", "0"] => (Endpoint::Time, Method::GET),
            ["publish", publish_key, subscribe_key, _, channel, _, _] => (
                Endpoint::Publish {
                    publish_key,
                    subscribe_key,
                    channel,
                    source: MessageSource::Path,
                },
                Method::GET,
            ),
            ["publish", publish_key, subscribe_key, _, channel, _] => (
                Endpoint::Publish {
                    publish_key,
                    subscribe_key,
                    channel,
                    source: MessageSource::Body,
                },
                Method::POST,
            ),
            ["v1", "message-actions", subscribe_key, "channel", channel] => (
                Endpoint::ListActions {
                    subscribe_key,
                    channel,
                },
                Method::GET,
            ),
            [
                "v1",
                "message-actions",
                subscribe_key,
                "channel",
                channel,
                "message",
                message_timetoken,
            ] => (
                Endpoint::AddAction {
                    subscribe_key,
                    channel,
                    message_timetoken,
                },
                Method::POST,
            ),
            [
                "v1",
                "message-actions",
                subscribe_key,
                "channel",
                channel,
                "message",
                message_timetoken,
                "action",
                action_timetoken,
            ] => (
                Endpoint::RemoveAction {
                    subscribe_key,
                    channel,
                    message_timetoken,
                    action_timetoken,
                },
                Method::DELETE,
            ),
            [
                "v3",
                "history-with-actions",
                "sub-key",
                subscribe_key,
                "channel",
                channel,
            ] => (
                Endpoint::History {
                    subscribe_key,
                    channel,
                },
                Method::GET,
            ),
            [
                "v3",
                "history",
                "sub-key",
                subscribe_key,
                "channel",
                channel,
            ] => (
                Endpoint::DeleteHistory {
                    subscribe_key,
                    channel,
                },
                Method::DELETE,
            ),
            [
                "v2",
                "presence",
                "sub-key",
                subscribe_key,
                "channel",
                channels,
                change @ ("heartbeat" | "leave"),
            ] => (
                Endpoint::Presence {
                    subscribe_key,
                    channels,
                    change: if change == "leave" {
                        PresenceChange::Leave
                    } else {
                        PresenceChange::Heartbeat
                    },
                },
                Method::GET,
            ),
            ["v2", "subscribe", subscribe_key, channels, _] => (
                Endpoint::Subscribe {
                    subscribe_key,
                    channels,
                },
                Method::GET,
            ),
            _ => return Err(StatusCode::NOT_FOUND),
        };

        if *method == expected_method {
            Ok(endpoint)
        } else {
            Err(StatusCode::METHOD_NOT_ALLOWED)
        }
    }

    /// Returns the service the endpoint belongs to.
    pub fn service(&self) -> Service {
        match self {
            Endpoint::Time => Service::Time,
            Endpoint::Publish { .. } => Service::Publish,
            Endpoint::ListActions { .. }
            | Endpoint::AddAction { .. }
            | Endpoint::RemoveAction { .. } => Service::Actions,
            Endpoint::History { .. } | Endpoint::DeleteHistory { .. } => Service::History,
            Endpoint::Subscribe { .. } => Service::Subscribe,
            Endpoint::Presence { .. } => Service::Presence,
        }
    }

    /// Returns the subscribe key named in the path; `None` for endpoints without one.
    pub fn subscribe_key(&self) -> Option<&'a str> {
        match *self {
            Endpoint::Time => None,
            Endpoint::Publish { subscribe_key, .. }
            | Endpoint::ListActions { subscribe_key, .. }
            | Endpoint::AddAction { subscribe_key, .. }
            | Endpoint::RemoveAction { subscribe_key, .. }
            | Endpoint::History { subscribe_key, .. }
            | Endpoint::DeleteHistory { subscribe_key, .. }
            | Endpoint::Subscribe { subscribe_key, .. }
            | Endpoint::Presence { subscribe_key, .. } => Some(subscribe_key),
        }
    }

    /// Returns the channels the endpoint reads or writes.
    pub fn channels(&self) -> Vec<&'a str> {
        match *self {
            Endpoint::Time => Vec::new(),
            Endpoint::Publish { channel, .. }
            | Endpoint::ListActions { channel, .. }
            | Endpoint::AddAction { channel, .. }
            | Endpoint::RemoveAction { channel, .. }
            | Endpoint::History { channel, .. }
            | Endpoint::DeleteHistory { channel, .. } => vec![channel],
            Endpoint::Subscribe { channels, .. } | Endpoint::Presence { channels, .. } => channels
                .split(',')
                .filter(|channel| !channel.is_empty())
                .collect(),
        }
    }

    /// Returns the access the endpoint needs on its channels.
    ///
    /// NOTE: PubNub Access Manager has a separate "delete" permission for
    /// deleting history. The emulator's rules know only read and write, so a
    /// history delete needs write.
    pub fn required_access(&self) -> Access {
        match self {
            Endpoint::Time
            | Endpoint::ListActions { .. }
            | Endpoint::History { .. }
            | Endpoint::Subscribe { .. }
            | Endpoint::Presence { .. } => Access::Read,
            Endpoint::Publish { .. }
            | Endpoint::AddAction { .. }
            | Endpoint::RemoveAction { .. }
            | Endpoint::DeleteHistory { .. } => Access::Write,
        }
    }
}
