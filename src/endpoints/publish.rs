//! Publish a message: `GET /publish/{pub_key}/{sub_key}/0/{channel}/0/{message}`,
//! the message being URL-encoded JSON. The reply is `[1, "Sent", "<timetoken>"]`.

use serde_json::Value;

use super::{Method, Reply, Request, StatusContext, parse_timetoken, push_segment, read_reply};
use crate::config::Config;
use crate::error::{Code, Operation};
use crate::model::{Published, Response};

/// Checks the arguments and builds the request; `message_json` must be a JSON document.
pub fn request(config: &Config, channel: &str, message_json: &str) -> Result<Request, Code> {
    let publish_key = config
        .publish_key
        .as_deref()
        .ok_or(Code::PublishKeyMissing)?;
    if channel.is_empty() {
        return Err(Code::ChannelEmpty);
    }
    if message_json.is_empty() {
        return Err(Code::MessageEmpty);
    }
    if serde_json::from_str::<serde::de::IgnoredAny>(message_json).is_err() {
        return Err(Code::MessageNotJson);
    }

    let mut path = String::from("/publish");
    push_segment(&mut path, publish_key);
    push_segment(&mut path, &config.subscribe_key);
    path.push_str("/0");
    push_segment(&mut path, channel);
    path.push_str("/0");
    push_segment(&mut path, message_json);

    Ok(Request {
        operation: Operation::Publish,
        channel: channel.to_owned(),
        method: Method::Get,
        path,
        query: Vec::new(),
        body: None,
    })
}

/// Parses the reply `[1, "Sent", "<timetoken>"]`.
pub fn parse(context: &StatusContext, reply: &Reply) -> Response<Published> {
    let body = match read_reply(context, reply) {
        Ok((body, _)) => body,
        Err(status) => return Response { status, data: None },
    };
    let timetoken = match &body {
        Value::Array(items) if items.first().and_then(Value::as_u64) == Some(1) => {
            items.get(2).and_then(parse_timetoken)
        }
        _ => None,
    };
    match timetoken {
        Some(timetoken) => Response {
            status: context.success(reply.http_status),
            data: Some(Published { timetoken }),
        },
        None => Response {
            status: context.malformed(reply, "expected [1, \"Sent\", \"<timetoken>\"]"),
            data: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::test_support::context;

    fn config() -> Config {
        let mut config = Config::new("sub-c-TEST", "user-1", "127.0.0.1:9");
        config.publish_key = Some("pub-c-TEST".into());
        config
    }

    #[test]
    fn request_encodes_message_as_path_segment() {
        let built = request(&config(), "chat1", r#""Hello world""#).unwrap();
        assert_eq!(
            built.path,
            "/publish/pub-c-TEST/sub-c-TEST/0/chat1/0/%22Hello%20world%22"
        );
    }

    #[test]
    fn request_rejects_missing_key_and_bad_message() {
        let no_key = Config::new("sub-c-TEST", "user-1", "127.0.0.1:9");
        assert_eq!(
            request(&no_key, "c", "1").unwrap_err(),
            Code::PublishKeyMissing
        );
        assert_eq!(request(&config(), "", "1").unwrap_err(), Code::ChannelEmpty);
        assert_eq!(request(&config(), "c", "").unwrap_err(), Code::MessageEmpty);
        assert_eq!(
            request(&config(), "c", "hello").unwrap_err(),
            Code::MessageNotJson
        );
    }

    #[test]
    fn parse_sent_and_invalid_key() {
        let sent = Reply {
            http_status: 200,
            body: br#"[1,"Sent","16703134903692795"]"#.to_vec(),
            retry_after_seconds: None,
        };
        let response = parse(&context(Operation::Publish), &sent);
        assert_eq!(
            response.data,
            Some(Published {
                timetoken: 16703134903692795
            })
        );

        let invalid = Reply {
            http_status: 400,
            body: br#"[0,"Invalid Key","14707240653092162"]"#.to_vec(),
            retry_after_seconds: None,
        };
        let response = parse(&context(Operation::Publish), &invalid);
        assert_eq!(response.status.code, Code::BadRequest);
        assert_eq!(
            response.status.server_message.as_deref(),
            Some("Invalid Key")
        );
    }
}
