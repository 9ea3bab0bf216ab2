//! The JSON object of one action as add and list replies write it, rendered
//! once when the action is added, so a list reply only copies text:
//! `{"type": "reaction", "value": "smile", "uuid": "user-1", "actionTimetoken": "...", "messageTimetoken": "..."}`.
//!
//! Keys come in the order of the 2025 service, `type, value, uuid,
//! actionTimetoken, messageTimetoken`, in the spaced layout.

use std::sync::Arc;

use serde::Serialize;

use crate::json::{self, Layout};

#[derive(Serialize)]
struct ActionObject<'a> {
    #[serde(rename = "type")]
    action_type: &'a str,
    value: &'a str,
    uuid: &'a str,
    #[serde(rename = "actionTimetoken")]
    action_timetoken: String,
    #[serde(rename = "messageTimetoken")]
    message_timetoken: String,
}

/// Renders one action as add and list replies write it.
pub fn render(
    action_type: &str,
    value: &str,
    uuid: &str,
    action_timetoken: u64,
    message_timetoken: u64,
) -> Arc<str> {
    let object = ActionObject {
        action_type,
        value,
        uuid,
        action_timetoken: action_timetoken.to_string(),
        message_timetoken: message_timetoken.to_string(),
    };
    let bytes = json::to_vec(&object, Layout::Spaced);
    // serde_json writes UTF-8 only, so no text is replaced here.
    Arc::from(String::from_utf8_lossy(&bytes).as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_orders_keys() {
        let text = render("re\"action", "😀", "user-1", 2, 1);
        assert_eq!(
            &*text,
            r#"{"type": "re\"action", "value": "😀", "uuid": "user-1", "actionTimetoken": "2", "messageTimetoken": "1"}"#
        );
    }
}
