//! Subscribe envelopes: the compact JSON objects a subscribe reply lists in
//! `m`, one per published message or action change.
//!
//! Field names and values follow recorded replies of the PubNub service
//! (ObjC SDK integration fixtures, 2025): `a` shard `"5"`, `f` flags 0, `e` 3
//! for message actions (absent for messages), `i` the publisher's user id,
//! `p` the event timetoken and region, `k` subscribe key, `c` channel and `d`
//! the payload. Action payloads have no `uuid`, because clients take the actor
//! from `i`.

use std::sync::Arc;

use serde::Serialize;
use serde_json::value::RawValue;

use crate::json::{self, Layout};
use crate::store::Action;

/// Region reported in the `t` cursor of subscribe replies (value seen in recordings).
pub const SUBSCRIBE_REGION: u32 = 41;

/// Region reported in the `p` field of each envelope (value seen in recordings).
pub const PUBLISH_REGION: u32 = 43;

/// One event waiting for subscribers, with its envelope already serialized.
#[derive(Debug, Clone)]
pub struct Event {
    pub timetoken: u64,
    pub envelope: Arc<str>,
}

#[derive(Serialize)]
struct Published {
    t: String,
    r: u32,
}

impl Published {
    fn at(timetoken: u64) -> Published {
        Published {
            t: timetoken.to_string(),
            r: PUBLISH_REGION,
        }
    }
}

#[derive(Serialize)]
struct MessageEnvelope<'a> {
    a: &'static str,
    f: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    i: Option<&'a str>,
    p: Published,
    k: &'a str,
    c: &'a str,
    d: &'a RawValue,
    #[serde(skip_serializing_if = "Option::is_none")]
    u: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cmt: Option<&'a str>,
}

#[derive(Serialize)]
struct ActionData<'a> {
    #[serde(rename = "type")]
    action_type: &'a str,
    value: &'a str,
    #[serde(rename = "actionTimetoken")]
    action_timetoken: String,
    #[serde(rename = "messageTimetoken")]
    message_timetoken: String,
}

#[derive(Serialize)]
struct ActionPayload<'a> {
    source: &'static str,
    version: &'static str,
    event: &'static str,
    data: ActionData<'a>,
}

#[derive(Serialize)]
struct ActionEnvelope<'a> {
    a: &'static str,
    f: u32,
    e: u32,
    i: &'a str,
    p: Published,
    k: &'a str,
    c: &'a str,
    d: ActionPayload<'a>,
}

fn serialize<T: Serialize>(value: &T) -> Arc<str> {
    let bytes = json::to_vec(value, Layout::Compact);
    Arc::from(String::from_utf8_lossy(&bytes).as_ref())
}

/// Fields of a published message that go into its envelope.
pub struct MessageFields<'a> {
    pub subscribe_key: &'a str,
    pub channel: &'a str,
    pub message: &'a RawValue,
    pub meta: Option<&'a RawValue>,
    pub uuid: Option<&'a str>,
    pub custom_message_type: Option<&'a str>,
}

/// Builds the event of a published message.
pub fn message_event(timetoken: u64, fields: &MessageFields<'_>) -> Event {
    let envelope = MessageEnvelope {
        a: "5",
        f: 0,
        i: fields.uuid,
        p: Published::at(timetoken),
        k: fields.subscribe_key,
        c: fields.channel,
        d: fields.message,
        u: fields.meta,
        cmt: fields.custom_message_type,
    };
    Event {
        timetoken,
        envelope: serialize(&envelope),
    }
}

/// Kind of change an action event announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionChange {
    Added,
    Removed,
}

/// Builds the event announcing that `action` was added or removed.
pub fn action_event(
    timetoken: u64,
    subscribe_key: &str,
    channel: &str,
    action: &Action,
    change: ActionChange,
) -> Event {
    let envelope = ActionEnvelope {
        a: "5",
        f: 0,
        e: 3,
        i: &action.uuid,
        p: Published::at(timetoken),
        k: subscribe_key,
        c: channel,
        d: ActionPayload {
            source: "actions",
            version: "1.0",
            event: match change {
                ActionChange::Added => "added",
                ActionChange::Removed => "removed",
            },
            data: ActionData {
                action_type: &action.action_type,
                value: &action.value,
                action_timetoken: action.action_timetoken.to_string(),
                message_timetoken: action.message_timetoken.to_string(),
            },
        },
    };
    Event {
        timetoken,
        envelope: serialize(&envelope),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_event_matches_recording() {
        let action = Action::new(
            "custom".to_owned(),
            "test-value".to_owned(),
            "user-1".to_owned(),
            17_579_669_463_728_661,
            17_579_669_502_020_754,
        );

        let event = action_event(
            17_579_669_502_110_345,
            "sub-c-TEST",
            "test-channel",
            &action,
            ActionChange::Added,
        );

        assert_eq!(event.timetoken, 17_579_669_502_110_345);
        assert_eq!(
            &*event.envelope,
            r#"{"a":"5","f":0,"e":3,"i":"user-1","p":{"t":"17579669502110345","r":43},"k":"sub-c-TEST","c":"test-channel","d":{"source":"actions","version":"1.0","event":"added","data":{"type":"custom","value":"test-value","actionTimetoken":"17579669502020754","messageTimetoken":"17579669463728661"}}}"#
        );
    }

    #[test]
    fn message_event_carries_meta_and_type() {
        let message = json::parse_raw(r#"{"text":"hi"}"#).unwrap();
        let meta = json::parse_raw(r#"{"k":1}"#).unwrap();
        let fields = MessageFields {
            subscribe_key: "sub",
            channel: "ch",
            message: &message,
            meta: Some(&meta),
            uuid: Some("user-1"),
            custom_message_type: Some("chat"),
        };

        let event = message_event(15, &fields);

        assert_eq!(
            &*event.envelope,
            r#"{"a":"5","f":0,"i":"user-1","p":{"t":"15","r":43},"k":"sub","c":"ch","d":{"text":"hi"},"u":{"k":1},"cmt":"chat"}"#
        );
    }
}
