//! In-memory state of one emulator: published messages and message actions,
//! per subscribe key and channel.
//!
//! One mutex guards everything, and timetokens are taken while it is held, so
//! the order of timetokens is the order in which changes became visible.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::value::RawValue;
use tokio::sync::Notify;

use crate::action_json;
use crate::clock;
use crate::events::{self, ActionChange, Event, MessageFields};

/// Number of recent events kept per channel for subscribers that catch up
/// from an older timetoken; older events are dropped.
///
/// NOTE: how long the PubNub service keeps events for catch-up is not in the
/// references the emulator was built from. 1000 per channel is this emulator's
/// choice.
pub const EVENTS_PER_CHANNEL: usize = 1000;

/// One message action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub action_type: String,
    pub value: String,
    /// User id of the client that added the action.
    pub uuid: String,
    pub message_timetoken: u64,
    /// Assigned by the emulator when the action is added; unique per process.
    pub action_timetoken: u64,
    /// The action as add and list replies write it; see [`action_json`].
    pub json: Arc<str>,
}

impl Action {
    /// Creates an action and renders its JSON.
    pub fn new(
        action_type: String,
        value: String,
        uuid: String,
        message_timetoken: u64,
        action_timetoken: u64,
    ) -> Action {
        let json = action_json::render(
            &action_type,
            &value,
            &uuid,
            action_timetoken,
            message_timetoken,
        );
        Action {
            action_type,
            value,
            uuid,
            message_timetoken,
            action_timetoken,
            json,
        }
    }
}

/// One published message as stored for history.
#[derive(Debug, Clone)]
pub struct StoredMessage {
    pub timetoken: u64,
    /// The message as compact JSON.
    pub message: Box<RawValue>,
    /// The `meta` query value as compact JSON, when the publisher sent one.
    pub meta: Option<Box<RawValue>>,
    pub uuid: Option<String>,
    pub custom_message_type: Option<String>,
}

/// A message to publish.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub message: Box<RawValue>,
    pub meta: Option<Box<RawValue>>,
    pub uuid: Option<String>,
    pub custom_message_type: Option<String>,
    /// Whether history keeps the message (`store` query parameter, default true).
    pub store_in_history: bool,
}

/// Reasons an add is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddError {
    /// The same user already added this type and value to this message.
    Duplicate,
}

/// Reasons a remove is rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoveError {
    /// No action on this channel has this message and action timetoken.
    NotFound,
    /// The action exists but another user added it.
    WrongUuid,
}

/// Selection of the newest items in a timetoken range: actions by action
/// timetoken, or messages by message timetoken.
#[derive(Debug, Clone, Copy)]
pub struct TimetokenRange {
    /// Exclusive upper bound; `None` means no bound.
    pub start: Option<u64>,
    /// Inclusive lower bound; `None` means no bound.
    pub end: Option<u64>,
    /// Number of newest matching items to return.
    pub limit: usize,
}

/// Fields that make an action unique on its message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ActionKey {
    message_timetoken: u64,
    action_type: String,
    value: String,
    uuid: String,
}

impl ActionKey {
    fn of(action: &Action) -> ActionKey {
        ActionKey {
            message_timetoken: action.message_timetoken,
            action_type: action.action_type.clone(),
            value: action.value.clone(),
            uuid: action.uuid.clone(),
        }
    }
}

#[derive(Debug, Default)]
struct Channel {
    /// Stored messages by timetoken.
    messages: BTreeMap<u64, StoredMessage>,
    /// Actions by action timetoken.
    actions: BTreeMap<u64, Action>,
    /// Action timetokens by message timetoken, for history.
    actions_by_message: HashMap<u64, BTreeSet<u64>>,
    action_keys: HashSet<ActionKey>,
    /// Recent subscribe events in timetoken order, at most [`EVENTS_PER_CHANNEL`].
    events: VecDeque<Event>,
}

impl Channel {
    fn push_event(&mut self, event: Event) {
        if self.events.len() == EVENTS_PER_CHANNEL {
            self.events.pop_front();
        }
        self.events.push_back(event);
    }
}

#[derive(Debug, Default)]
struct State {
    /// Channels by subscribe key, then by channel name.
    keysets: HashMap<String, HashMap<String, Channel>>,
}

impl State {
    fn channel(&self, subscribe_key: &str, channel: &str) -> Option<&Channel> {
        self.keysets.get(subscribe_key)?.get(channel)
    }

    fn channel_mut(&mut self, subscribe_key: &str, channel: &str) -> &mut Channel {
        self.keysets
            .entry(subscribe_key.to_owned())
            .or_default()
            .entry(channel.to_owned())
            .or_default()
    }
}

/// Messages and actions of one emulator.
#[derive(Debug, Default)]
pub struct Store {
    state: Mutex<State>,
    /// Woken after every new subscribe event.
    changed: Notify,
}

/// Events for one subscribe reply.
#[derive(Debug, Clone, Default)]
pub struct EventBatch {
    /// Serialized envelopes, oldest first.
    pub envelopes: Vec<Arc<str>>,
    /// Timetoken of the last envelope, the subscriber's next cursor.
    pub last_timetoken: Option<u64>,
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave a half-made change that
        // later readers would misread: each change is one insert or remove.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores a new action and returns it with its assigned action timetoken.
    /// With `publish_event` false, subscribers receive no "added" event.
    #[expect(
        clippy::too_many_arguments,
        reason = "the fields of one add request, each a plain value"
    )]
    pub fn add_action(
        &self,
        subscribe_key: &str,
        channel: &str,
        message_timetoken: u64,
        action_type: &str,
        value: &str,
        uuid: &str,
        publish_event: bool,
    ) -> Result<Action, AddError> {
        let mut state = self.lock();
        let channel_name = channel;
        let channel = state.channel_mut(subscribe_key, channel_name);
        let key = ActionKey {
            message_timetoken,
            action_type: action_type.to_owned(),
            value: value.to_owned(),
            uuid: uuid.to_owned(),
        };
        if channel.action_keys.contains(&key) {
            return Err(AddError::Duplicate);
        }

        let action = Action::new(
            key.action_type.clone(),
            key.value.clone(),
            key.uuid.clone(),
            message_timetoken,
            clock::next_timetoken(),
        );
        channel.action_keys.insert(key);
        channel
            .actions_by_message
            .entry(message_timetoken)
            .or_default()
            .insert(action.action_timetoken);
        channel
            .actions
            .insert(action.action_timetoken, action.clone());
        if !publish_event {
            return Ok(action);
        }
        let event = events::action_event(
            clock::next_timetoken(),
            subscribe_key,
            channel_name,
            &action,
            ActionChange::Added,
        );
        channel.push_event(event);
        drop(state);

        self.changed.notify_waiters();
        Ok(action)
    }

    /// Returns the newest `range.limit` actions with
    /// `end <= actionTimetoken < start`, oldest first, each mapped by `view`.
    pub fn list_actions<T>(
        &self,
        subscribe_key: &str,
        channel: &str,
        range: TimetokenRange,
        view: impl Fn(&Action) -> T,
    ) -> Vec<T> {
        let state = self.lock();
        let Some(channel) = state.channel(subscribe_key, channel) else {
            return Vec::new();
        };
        let lower = range.end.unwrap_or(0);
        let upper = range.start.unwrap_or(u64::MAX);
        if lower >= upper {
            return Vec::new();
        }

        let mut newest: Vec<T> = channel
            .actions
            .range(lower..upper)
            .rev()
            .take(range.limit)
            .map(|(_, action)| view(action))
            .collect();
        newest.reverse();
        newest
    }

    /// Removes the action with this message and action timetoken when `uuid`
    /// added it, and returns the removed action. With `publish_event` false,
    /// subscribers receive no "removed" event.
    pub fn remove_action(
        &self,
        subscribe_key: &str,
        channel: &str,
        message_timetoken: u64,
        action_timetoken: u64,
        uuid: &str,
        publish_event: bool,
    ) -> Result<Action, RemoveError> {
        let mut state = self.lock();
        let channel_name = channel;
        let Some(channel) = state
            .keysets
            .get_mut(subscribe_key)
            .and_then(|channels| channels.get_mut(channel_name))
        else {
            return Err(RemoveError::NotFound);
        };
        match channel.actions.get(&action_timetoken) {
            Some(action) if action.message_timetoken != message_timetoken => {
                return Err(RemoveError::NotFound);
            }
            Some(action) if action.uuid != uuid => return Err(RemoveError::WrongUuid),
            Some(_) => {}
            None => return Err(RemoveError::NotFound),
        }

        let removed = channel
            .actions
            .remove(&action_timetoken)
            .ok_or(RemoveError::NotFound)?;
        channel.action_keys.remove(&ActionKey::of(&removed));
        if let Some(timetokens) = channel.actions_by_message.get_mut(&message_timetoken) {
            timetokens.remove(&action_timetoken);
            if timetokens.is_empty() {
                channel.actions_by_message.remove(&message_timetoken);
            }
        }
        if !publish_event {
            return Ok(removed);
        }
        let event = events::action_event(
            clock::next_timetoken(),
            subscribe_key,
            channel_name,
            &removed,
            ActionChange::Removed,
        );
        channel.push_event(event);
        drop(state);

        self.changed.notify_waiters();
        Ok(removed)
    }

    /// Returns the newest `range.limit` stored messages with
    /// `end <= timetoken < start`, oldest first, each with its actions in
    /// action timetoken order.
    pub fn history(
        &self,
        subscribe_key: &str,
        channel: &str,
        range: TimetokenRange,
    ) -> Vec<(StoredMessage, Vec<Action>)> {
        let state = self.lock();
        let Some(channel) = state.channel(subscribe_key, channel) else {
            return Vec::new();
        };
        let lower = range.end.unwrap_or(0);
        let upper = range.start.unwrap_or(u64::MAX);
        if lower >= upper {
            return Vec::new();
        }

        let mut newest: Vec<(StoredMessage, Vec<Action>)> = channel
            .messages
            .range(lower..upper)
            .rev()
            .take(range.limit)
            .map(|(timetoken, message)| {
                let actions = channel
                    .actions_by_message
                    .get(timetoken)
                    .into_iter()
                    .flatten()
                    .filter_map(|action_timetoken| channel.actions.get(action_timetoken))
                    .cloned()
                    .collect();
                (message.clone(), actions)
            })
            .collect();
        newest.reverse();
        newest
    }

    /// Deletes the stored messages of a channel whose timetoken is on the `end`
    /// side of `start` (exclusive) and not past `end` (inclusive), whichever
    /// bound is larger, and returns how many were deleted. A missing bound
    /// does not limit its side. Actions and subscribe events are kept.
    pub fn delete_messages(
        &self,
        subscribe_key: &str,
        channel: &str,
        start: Option<u64>,
        end: Option<u64>,
    ) -> usize {
        let mut state = self.lock();
        let Some(channel) = state
            .keysets
            .get_mut(subscribe_key)
            .and_then(|channels| channels.get_mut(channel))
        else {
            return 0;
        };
        let is_deleted = |timetoken: u64| match (start, end) {
            (None, None) => true,
            (Some(start), None) => timetoken < start,
            (None, Some(end)) => timetoken >= end,
            (Some(start), Some(end)) if start < end => start < timetoken && timetoken <= end,
            (Some(start), Some(end)) => end <= timetoken && timetoken < start,
        };
        let before = channel.messages.len();
        channel
            .messages
            .retain(|timetoken, _| !is_deleted(*timetoken));
        before - channel.messages.len()
    }

    /// Publishes a message and returns its timetoken.
    pub fn publish(&self, subscribe_key: &str, channel_name: &str, message: NewMessage) -> u64 {
        let mut state = self.lock();
        let timetoken = clock::next_timetoken();
        let channel = state.channel_mut(subscribe_key, channel_name);
        let fields = MessageFields {
            subscribe_key,
            channel: channel_name,
            message: &message.message,
            meta: message.meta.as_deref(),
            uuid: message.uuid.as_deref(),
            custom_message_type: message.custom_message_type.as_deref(),
        };
        channel.push_event(events::message_event(timetoken, &fields));
        if message.store_in_history {
            let stored = StoredMessage {
                timetoken,
                message: message.message,
                meta: message.meta,
                uuid: message.uuid,
                custom_message_type: message.custom_message_type,
            };
            channel.messages.insert(timetoken, stored);
        }
        drop(state);

        self.changed.notify_waiters();
        timetoken
    }

    /// Returns up to `limit` events on `channels` with a timetoken above
    /// `cursor`, oldest first.
    pub fn events_after(
        &self,
        subscribe_key: &str,
        channels: &[&str],
        cursor: u64,
        limit: usize,
    ) -> EventBatch {
        let state = self.lock();
        let mut found: Vec<&Event> = Vec::new();
        for name in channels {
            let Some(channel) = state.channel(subscribe_key, name) else {
                continue;
            };
            let first_new = channel
                .events
                .partition_point(|event| event.timetoken <= cursor);
            found.extend(channel.events.range(first_new..));
        }
        found.sort_by_key(|event| event.timetoken);
        found.dedup_by_key(|event| event.timetoken);
        found.truncate(limit);

        EventBatch {
            last_timetoken: found.last().map(|event| event.timetoken),
            envelopes: found
                .iter()
                .map(|event| Arc::clone(&event.envelope))
                .collect(),
        }
    }

    /// Returns the notifier woken after every new subscribe event.
    pub fn changed(&self) -> &Notify {
        &self.changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(limit: usize) -> TimetokenRange {
        TimetokenRange {
            start: None,
            end: None,
            limit,
        }
    }

    #[test]
    fn duplicate_add_is_rejected_per_user() {
        let store = Store::default();
        store
            .add_action("sub", "ch", 1, "reaction", "smile", "user-1", true)
            .unwrap();
        let again = store.add_action("sub", "ch", 1, "reaction", "smile", "user-1", true);
        assert_eq!(again, Err(AddError::Duplicate));
        assert!(
            store
                .add_action("sub", "ch", 1, "reaction", "smile", "user-2", true)
                .is_ok()
        );
        assert!(
            store
                .add_action("sub", "ch", 2, "reaction", "smile", "user-1", true)
                .is_ok()
        );
        assert!(
            store
                .add_action("sub", "other", 1, "reaction", "smile", "user-1", true)
                .is_ok()
        );
        assert!(
            store
                .add_action("sub2", "ch", 1, "reaction", "smile", "user-1", true)
                .is_ok()
        );
    }

    #[test]
    fn list_returns_newest_oldest_first() {
        let store = Store::default();
        let added: Vec<u64> = (0..5)
            .map(|index| {
                store
                    .add_action(
                        "sub",
                        "ch",
                        1,
                        "receipt",
                        &index.to_string(),
                        "user-1",
                        true,
                    )
                    .unwrap()
                    .action_timetoken
            })
            .collect();
        let listed: Vec<u64> =
            store.list_actions("sub", "ch", all(3), |action| action.action_timetoken);
        assert_eq!(listed, added[2..]);
    }

    #[test]
    fn remove_frees_the_key_for_a_new_add() {
        let store = Store::default();
        let action = store
            .add_action("sub", "ch", 1, "receipt", "read", "user-1", true)
            .unwrap();
        store
            .remove_action("sub", "ch", 1, action.action_timetoken, "user-1", true)
            .unwrap();
        assert!(
            store
                .list_actions("sub", "ch", all(100), Action::clone)
                .is_empty()
        );
        assert!(
            store
                .add_action("sub", "ch", 1, "receipt", "read", "user-1", true)
                .is_ok()
        );
    }

    /// Publishes three messages, deletes with bounds chosen from their
    /// timetokens and returns the indexes of the messages left.
    fn left_after_delete(bounds: impl Fn(&[u64]) -> (Option<u64>, Option<u64>)) -> Vec<usize> {
        let store = Store::default();
        let published: Vec<u64> = (0..3)
            .map(|index| {
                let message = NewMessage {
                    message: RawValue::from_string(index.to_string()).unwrap(),
                    meta: None,
                    uuid: None,
                    custom_message_type: None,
                    store_in_history: true,
                };
                store.publish("sub", "ch", message)
            })
            .collect();
        let (start, end) = bounds(&published);
        store.delete_messages("sub", "ch", start, end);
        store
            .history("sub", "ch", all(10))
            .iter()
            .map(|(message, _)| {
                published
                    .iter()
                    .position(|tt| *tt == message.timetoken)
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn delete_messages_follows_bounds() {
        assert_eq!(left_after_delete(|_| (None, None)), Vec::<usize>::new());
        assert_eq!(left_after_delete(|tt| (Some(tt[1]), None)), [1, 2]);
        assert_eq!(left_after_delete(|tt| (None, Some(tt[1]))), [0]);
        assert_eq!(left_after_delete(|tt| (Some(tt[0]), Some(tt[2]))), [0]);
        assert_eq!(left_after_delete(|tt| (Some(tt[2]), Some(tt[0]))), [2]);
        assert_eq!(
            left_after_delete(|tt| (Some(tt[1]), Some(tt[1]))),
            [0, 1, 2]
        );
        assert_eq!(
            left_after_delete(|tt| (Some(tt[1] + 1), Some(tt[1]))),
            [0, 2]
        );
    }

    #[test]
    fn delete_on_unknown_channel_is_empty() {
        let store = Store::default();
        assert_eq!(store.delete_messages("sub", "none", None, None), 0);
    }

    #[test]
    fn remove_checks_message_timetoken_and_user() {
        let store = Store::default();
        let action = store
            .add_action("sub", "ch", 1, "receipt", "read", "user-1", true)
            .unwrap();
        let tt = action.action_timetoken;
        assert_eq!(
            store.remove_action("sub", "ch", 2, tt, "user-1", true),
            Err(RemoveError::NotFound)
        );
        assert_eq!(
            store.remove_action("sub", "ch", 1, tt, "user-2", true),
            Err(RemoveError::WrongUuid)
        );
        assert_eq!(
            store.remove_action("sub", "x", 1, tt, "user-1", true),
            Err(RemoveError::NotFound)
        );
        assert_eq!(
            store.remove_action("sub", "ch", 1, tt, "user-1", true),
            Ok(action)
        );
        assert_eq!(
            store.remove_action("sub", "ch", 1, tt, "user-1", true),
            Err(RemoveError::NotFound)
        );
    }
}
