//! Remove an action:
//! `DELETE /v1/message-actions/{sub_key}/channel/{channel}/message/{message_timetoken}/action/{action_timetoken}`.

use super::{Method, Reply, Request, StatusContext, push_segment, read_reply};
use crate::config::Config;
use crate::error::{Code, Operation};
use crate::model::{Response, Timetoken};

/// Checks the arguments and builds the request.
pub fn request(
    config: &Config,
    channel: &str,
    message_timetoken: Timetoken,
    action_timetoken: Timetoken,
) -> Result<Request, Code> {
    if channel.is_empty() {
        return Err(Code::ChannelEmpty);
    }
    if message_timetoken == 0 {
        return Err(Code::MessageTimetokenZero);
    }
    if action_timetoken == 0 {
        return Err(Code::ActionTimetokenZero);
    }

    let mut path = String::from("/v1/message-actions");
    push_segment(&mut path, &config.subscribe_key);
    path.push_str("/channel");
    push_segment(&mut path, channel);
    path.push_str(&format!(
        "/message/{message_timetoken}/action/{action_timetoken}"
    ));

    Ok(Request {
        operation: Operation::RemoveMessageAction,
        channel: channel.to_owned(),
        method: Method::Delete,
        path,
        query: Vec::new(),
        body: None,
    })
}

/// Parses the reply: `{"status": 200, "data": {}}` on success; HTTP 207 means
/// the action was removed but its "removed" event was not published.
pub fn parse(context: &StatusContext, reply: &Reply) -> Response<()> {
    match read_reply(context, reply) {
        Ok((body, partial_status)) if body.is_object() => Response {
            status: partial_status.unwrap_or_else(|| context.success(reply.http_status)),
            data: Some(()),
        },
        Ok(_) => Response {
            status: context.malformed(reply, "the reply is not a JSON object"),
            data: None,
        },
        Err(status) => Response { status, data: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::test_support::{context, reply};
    use crate::error::Category;

    #[test]
    fn request_builds_path_and_rejects_zero_timetokens() {
        let config = Config::new("sub-c-TEST", "user-1", "127.0.0.1:9");
        let built = request(&config, "ch1", 15610547826969050, 15610547826970050).unwrap();
        assert_eq!(built.method, Method::Delete);
        assert_eq!(
            built.path,
            "/v1/message-actions/sub-c-TEST/channel/ch1/message/15610547826969050/action/15610547826970050"
        );
        assert_eq!(request(&config, "", 1, 1).unwrap_err(), Code::ChannelEmpty);
        assert_eq!(
            request(&config, "c", 0, 1).unwrap_err(),
            Code::MessageTimetokenZero
        );
        assert_eq!(
            request(&config, "c", 1, 0).unwrap_err(),
            Code::ActionTimetokenZero
        );
    }

    // RC-14: removal succeeds with an empty data object.
    #[test]
    fn parse_rc14_success() {
        let response = parse(
            &context(Operation::RemoveMessageAction),
            &reply(200, r#"{"status": 200, "data": {}}"#),
        );
        assert_eq!(response.status.code, Code::Ok);
        assert_eq!(response.data, Some(()));
    }

    // RC-20: removed, but the event was not published.
    #[test]
    fn parse_rc20_removed_but_not_published() {
        let body = r#"{"status": 207, "error": {"source": "actions", "message": "Deleted but failed to publish removed events."}}"#;
        let response = parse(&context(Operation::RemoveMessageAction), &reply(207, body));
        assert_eq!(response.status.code, Code::EventNotPublished);
        assert_eq!(
            response.status.server_message.as_deref(),
            Some("Deleted but failed to publish removed events.")
        );
        assert_eq!(response.data, Some(()));
    }

    #[test]
    fn parse_wrong_author_and_missing_action() {
        let wrong = r#"{"status": 400, "error": {"source": "actions", "message": "Not deleting message action: wrong uuid specified"}}"#;
        let status = parse(&context(Operation::RemoveMessageAction), &reply(400, wrong)).status;
        assert_eq!(status.code, Code::BadRequest);
        assert_eq!(status.category, Category::BadRequest);
        assert_eq!(
            status.server_message.as_deref(),
            Some("Not deleting message action: wrong uuid specified")
        );

        let missing = r#"{"status": 400, "error": {"source": "actions", "message": "No matching message actions to delete"}}"#;
        let status = parse(
            &context(Operation::RemoveMessageAction),
            &reply(400, missing),
        )
        .status;
        assert_eq!(
            status.server_message.as_deref(),
            Some("No matching message actions to delete")
        );
    }

    #[test]
    fn parse_non_object_is_malformed() {
        let response = parse(&context(Operation::RemoveMessageAction), &reply(200, "[]"));
        assert_eq!(response.status.code, Code::MalformedResponse);
        assert_eq!(response.data, None);
    }
}
