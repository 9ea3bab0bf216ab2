//! Add an action: `POST /v1/message-actions/{sub_key}/channel/{channel}/message/{message_timetoken}`
//! with the body `{"type": ..., "value": ...}`.

use serde_json::{Value, json};

use super::{Method, Reply, Request, StatusContext, parse_action, push_segment, read_reply};
use crate::config::Config;
use crate::error::{Code, Operation};
use crate::model::{MessageAction, Response, Timetoken};

/// Checks the arguments and builds the request.
pub fn request(
    config: &Config,
    channel: &str,
    message_timetoken: Timetoken,
    action_type: &str,
    value: &str,
) -> Result<Request, Code> {
    if channel.is_empty() {
        return Err(Code::ChannelEmpty);
    }
    if message_timetoken == 0 {
        return Err(Code::MessageTimetokenZero);
    }
    if action_type.is_empty() {
        return Err(Code::TypeEmpty);
    }
    if value.is_empty() {
        return Err(Code::ValueEmpty);
    }

    let mut path = String::from("/v1/message-actions");
    push_segment(&mut path, &config.subscribe_key);
    path.push_str("/channel");
    push_segment(&mut path, channel);
    path.push_str("/message/");
    path.push_str(&message_timetoken.to_string());
    let body = json!({ "type": action_type, "value": value }).to_string();

    Ok(Request {
        operation: Operation::AddMessageAction,
        channel: channel.to_owned(),
        method: Method::Post,
        path,
        query: Vec::new(),
        body: Some(body),
    })
}

/// Parses the reply: the stored action is in `data`, on HTTP 200 and on HTTP 207.
pub fn parse(context: &StatusContext, reply: &Reply) -> Response<MessageAction> {
    let (body, partial_status) = match read_reply(context, reply) {
        Ok(read) => read,
        Err(status) => return Response { status, data: None },
    };
    let action = match body.get("data") {
        Some(data @ Value::Object(_)) => parse_action(data),
        _ => Err("the reply has no \"data\" object".to_owned()),
    };
    match action {
        Ok(action) => Response {
            status: partial_status.unwrap_or_else(|| context.success(reply.http_status)),
            data: Some(action),
        },
        Err(problem) => Response {
            status: context.malformed(reply, &problem),
            data: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::test_support::{context, reply};
    use crate::error::Category;

    #[test]
    fn request_encodes_channel_and_builds_body() {
        let config = Config::new("sub-c-TEST", "user-1", "127.0.0.1:9");
        let request = request(
            &config,
            "my channel/1",
            15610547826969050,
            "reaction",
            "smiley \"face\"",
        )
        .unwrap();
        assert_eq!(request.method, Method::Post);
        assert_eq!(
            request.path,
            "/v1/message-actions/sub-c-TEST/channel/my%20channel%2F1/message/15610547826969050"
        );
        assert_eq!(
            request.body.as_deref(),
            Some(r#"{"type":"reaction","value":"smiley \"face\""}"#)
        );
    }

    #[test]
    fn request_rejects_empty_and_zero_arguments() {
        let config = Config::new("sub-c-TEST", "user-1", "127.0.0.1:9");
        assert_eq!(
            request(&config, "", 1, "t", "v").unwrap_err(),
            Code::ChannelEmpty
        );
        assert_eq!(
            request(&config, "c", 0, "t", "v").unwrap_err(),
            Code::MessageTimetokenZero
        );
        assert_eq!(
            request(&config, "c", 1, "", "v").unwrap_err(),
            Code::TypeEmpty
        );
        assert_eq!(
            request(&config, "c", 1, "t", "").unwrap_err(),
            Code::ValueEmpty
        );
    }

    // RC-01: a real reply from 2020, keys in the older order.
    #[test]
    fn parse_rc01_success() {
        let body = r#"{"status": 200, "data": {"messageTimetoken": "15782701499548912", "type": "custom", "uuid": "user-1", "value": "test-value", "actionTimetoken": "15782701535815420"}}"#;
        let response = parse(&context(Operation::AddMessageAction), &reply(200, body));
        assert_eq!(response.status.code, Code::Ok);
        assert_eq!(response.status.category, Category::Acknowledgment);
        assert_eq!(response.status.http_status, 200);
        let action = response.data.unwrap();
        assert_eq!(action.action_type, "custom");
        assert_eq!(action.value, "test-value");
        assert_eq!(action.uuid, "user-1");
        assert_eq!(action.action_timetoken, 15782701535815420);
        assert_eq!(action.message_timetoken, 15782701499548912);
    }

    // RC-02: a real reply from 2025, keys in the newer order.
    #[test]
    fn parse_rc02_key_order_independent() {
        let body = r#"{"status": 200, "data": {"type": "custom", "value": "test-value", "actionTimetoken": "17579669502020754", "messageTimetoken": "17579669463728661", "uuid": "user-1"}}"#;
        let action = parse(&context(Operation::AddMessageAction), &reply(200, body))
            .data
            .unwrap();
        assert_eq!(action.action_timetoken, 17579669502020754);
        assert_eq!(action.message_timetoken, 17579669463728661);
    }

    // RC-04: a duplicate add.
    #[test]
    fn parse_rc04_conflict() {
        let body =
            r#"{"status": 409, "error": {"source": "actions", "message": "Action Already Added"}}"#;
        let response = parse(&context(Operation::AddMessageAction), &reply(409, body));
        assert_eq!(response.data, None);
        assert_eq!(response.status.code, Code::AlreadyAdded);
        assert_eq!(response.status.category, Category::Unknown);
        assert_eq!(response.status.http_status, 409);
        assert_eq!(
            response.status.server_message.as_deref(),
            Some("Action Already Added")
        );
    }

    // RC-05: invalid payload, with details.
    #[test]
    fn parse_rc05_missing_field_details() {
        let body = r#"{"status": 400, "error": {"source": "actions", "message": "Request payload contained invalid input.", "details": [{"message": "Missing field", "location": "value", "locationType": "body"}]}}"#;
        let status = parse(&context(Operation::AddMessageAction), &reply(400, body)).status;
        assert_eq!(status.code, Code::BadRequest);
        assert_eq!(status.category, Category::BadRequest);
        assert_eq!(
            status.server_message.as_deref(),
            Some("Request payload contained invalid input.")
        );
        assert_eq!(
            status.server_details.as_deref(),
            Some(r#"[{"location":"value","locationType":"body","message":"Missing field"}]"#)
        );
    }

    // RC-18: Access Manager denial.
    #[test]
    fn parse_rc18_access_denied() {
        let body = r#"{"status": 403, "error": {"source": "actions", "message": "Supplied authorization key does not have the permissions required to perform this operation."}}"#;
        let status = parse(&context(Operation::AddMessageAction), &reply(403, body)).status;
        assert_eq!(status.code, Code::AccessDenied);
        assert_eq!(status.category, Category::AccessDenied);
        assert_eq!(
            status.message,
            "the server denied access (check the auth key, its permissions and the request signature) (HTTP 403): Supplied authorization key does not have the permissions required to perform this operation."
        );
    }

    // RC-19: stored, but the event was not published.
    #[test]
    fn parse_rc19_stored_but_not_published() {
        let body = r#"{"status": 207, "data": {"type": "reaction", "value": "smiley_face", "uuid": "user-1", "actionTimetoken": "15610547826970050", "messageTimetoken": "15610547826969050"}, "error": {"message": "Stored but failed to publish message action.", "source": "actions"}}"#;
        let response = parse(&context(Operation::AddMessageAction), &reply(207, body));
        assert_eq!(response.status.code, Code::EventNotPublished);
        assert!(response.status.is_error());
        assert_eq!(response.status.http_status, 207);
        assert_eq!(
            response.status.server_message.as_deref(),
            Some("Stored but failed to publish message action.")
        );
        assert_eq!(response.data.unwrap().action_timetoken, 15610547826970050);
    }

    #[test]
    fn parse_html_error_page_is_malformed() {
        let response = parse(
            &context(Operation::AddMessageAction),
            &reply(500, "<html><body>Internal Server Error</body></html>"),
        );
        assert_eq!(response.data, None);
        assert_eq!(response.status.code, Code::MalformedResponse);
        assert_eq!(response.status.category, Category::MalformedResponse);
        assert_eq!(response.status.http_status, 500);
        assert!(
            response
                .status
                .message
                .starts_with("the server's reply is not the expected JSON (HTTP 500): not JSON ("),
            "{}",
            response.status.message
        );
        assert!(
            response.status.message.ends_with(
                r#"the reply starts with "<html><body>Internal Server Error</body></html>""#
            ),
            "{}",
            response.status.message
        );
    }

    #[test]
    fn parse_truncated_and_unexpected_shapes_are_malformed() {
        let truncated = parse(
            &context(Operation::AddMessageAction),
            &reply(200, r#"{"status": 200, "data": {"type": "cus"#),
        );
        assert_eq!(truncated.status.code, Code::MalformedResponse);
        assert_eq!(truncated.status.http_status, 200);

        let no_data = parse(
            &context(Operation::AddMessageAction),
            &reply(200, r#"{"status": 200}"#),
        );
        assert_eq!(no_data.status.code, Code::MalformedResponse);
        assert!(
            no_data
                .status
                .message
                .contains("the reply has no \"data\" object"),
            "{}",
            no_data.status.message
        );

        let float_timetoken = r#"{"status": 200, "data": {"type": "t", "value": "v", "uuid": "u", "actionTimetoken": 1.5e16, "messageTimetoken": "1"}}"#;
        let response = parse(
            &context(Operation::AddMessageAction),
            &reply(200, float_timetoken),
        );
        assert_eq!(response.status.code, Code::MalformedResponse);
        assert!(
            response
                .status
                .message
                .contains("\"actionTimetoken\" field is missing or not a timetoken"),
            "{}",
            response.status.message
        );

        let empty = parse(&context(Operation::AddMessageAction), &reply(200, ""));
        assert_eq!(empty.status.code, Code::MalformedResponse);
        assert!(
            empty
                .status
                .message
                .ends_with("the reply starts with nothing (empty body)"),
            "{}",
            empty.status.message
        );
    }
}
