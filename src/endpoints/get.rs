//! Get a channel's actions: `GET /v1/message-actions/{sub_key}/channel/{channel}`
//! with optional `start` (exclusive), `end` (inclusive) and `limit`.
//!
//! The service returns the newest `limit` actions of the range, oldest first, and
//! in recorded replies never includes `more` even when `limit` cut the result, so
//! the next page is derived here: a full page continues below its oldest action.

use serde_json::Value;

use super::{
    Method, Reply, Request, StatusContext, parse_action, parse_timetoken, push_segment, read_reply,
};
use crate::config::Config;
use crate::error::{Code, Operation};
use crate::model::{ActionsPage, MAX_LIMIT, PageBounds, Response};

/// Checks the arguments and builds the request.
pub fn request(config: &Config, channel: &str, bounds: PageBounds) -> Result<Request, Code> {
    if channel.is_empty() {
        return Err(Code::ChannelEmpty);
    }
    if bounds.limit > MAX_LIMIT {
        return Err(Code::LimitTooLarge);
    }
    if bounds.start != 0 && bounds.end != 0 && bounds.end >= bounds.start {
        return Err(Code::RangeEmpty);
    }

    let mut path = String::from("/v1/message-actions");
    push_segment(&mut path, &config.subscribe_key);
    path.push_str("/channel");
    push_segment(&mut path, channel);
    let mut query = Vec::new();
    if bounds.start != 0 {
        query.push(("start", bounds.start.to_string()));
    }
    if bounds.end != 0 {
        query.push(("end", bounds.end.to_string()));
    }
    query.push(("limit", effective_limit(bounds).to_string()));

    Ok(Request {
        operation: Operation::GetMessageActions,
        channel: channel.to_owned(),
        method: Method::Get,
        path,
        query,
        body: None,
    })
}

fn effective_limit(bounds: PageBounds) -> u32 {
    if bounds.limit == 0 {
        MAX_LIMIT
    } else {
        bounds.limit
    }
}

/// Parses the reply into a page, computing the bounds of the next page.
pub fn parse(context: &StatusContext, reply: &Reply, bounds: PageBounds) -> Response<ActionsPage> {
    let body = match read_reply(context, reply) {
        Ok((body, _)) => body,
        Err(status) => return Response { status, data: None },
    };
    let Some(Value::Array(items)) = body.get("data") else {
        let status = context.malformed(reply, "the reply has no \"data\" array");
        return Response { status, data: None };
    };

    let mut actions = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match parse_action(item) {
            Ok(action) => actions.push(action),
            Err(problem) => {
                let status = context.malformed(reply, &format!("data[{index}]: {problem}"));
                return Response { status, data: None };
            }
        }
    }

    let next = match body.get("more") {
        Some(more) => next_from_more(more, bounds),
        None => next_from_full_page(&actions, bounds),
    };
    Response {
        status: context.success(reply.http_status),
        data: Some(ActionsPage { actions, next }),
    }
}

/// Reads the service's `more` object: `{"start": "<tt>", "end": "<tt>", "limit": <n>}`.
fn next_from_more(more: &Value, bounds: PageBounds) -> Option<PageBounds> {
    let start = more.get("start").and_then(parse_timetoken)?;
    let end = more
        .get("end")
        .and_then(parse_timetoken)
        .unwrap_or(bounds.end);
    let limit = more
        .get("limit")
        .and_then(Value::as_u64)
        .and_then(|limit| u32::try_from(limit).ok())
        .filter(|limit| (1..=MAX_LIMIT).contains(limit))
        .unwrap_or(bounds.limit);
    Some(PageBounds { start, end, limit })
}

/// Returns the next page's bounds: a page with `limit` actions may have older ones below it.
fn next_from_full_page(
    actions: &[crate::model::MessageAction],
    bounds: PageBounds,
) -> Option<PageBounds> {
    let oldest = actions.first()?.action_timetoken;
    let is_full = actions.len() >= effective_limit(bounds) as usize;
    let range_left = bounds.end == 0 || oldest > bounds.end;
    (is_full && range_left).then_some(PageBounds {
        start: oldest,
        end: bounds.end,
        limit: bounds.limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::test_support::{context, reply};

    fn action_json(action_timetoken: u64) -> String {
        format!(
            r#"{{"messageTimetoken": "15782701804657905", "type": "receipt", "uuid": "user-1", "value": "value2", "actionTimetoken": "{action_timetoken}"}}"#
        )
    }

    fn page_json(timetokens: &[u64]) -> String {
        let items: Vec<String> = timetokens.iter().map(|tt| action_json(*tt)).collect();
        format!(r#"{{"status": 200, "data": [{}]}}"#, items.join(", "))
    }

    #[test]
    fn request_sends_bounds_and_default_limit() {
        let config = Config::new("sub-c-TEST", "user-1", "127.0.0.1:9");
        let all = request(&config, "ch1", PageBounds::default()).unwrap();
        assert_eq!(all.query, vec![("limit", "100".to_owned())]);
        let bounded = request(
            &config,
            "ch1",
            PageBounds {
                start: 20,
                end: 10,
                limit: 5,
            },
        )
        .unwrap();
        assert_eq!(
            bounded.query,
            vec![
                ("start", "20".to_owned()),
                ("end", "10".to_owned()),
                ("limit", "5".to_owned())
            ]
        );
    }

    #[test]
    fn request_rejects_bad_bounds() {
        let config = Config::new("sub-c-TEST", "user-1", "127.0.0.1:9");
        let limit = PageBounds {
            limit: 101,
            ..PageBounds::default()
        };
        assert_eq!(
            request(&config, "ch1", limit).unwrap_err(),
            Code::LimitTooLarge
        );
        let empty = PageBounds {
            start: 10,
            end: 10,
            limit: 0,
        };
        assert_eq!(
            request(&config, "ch1", empty).unwrap_err(),
            Code::RangeEmpty
        );
        assert_eq!(
            request(&config, "", PageBounds::default()).unwrap_err(),
            Code::ChannelEmpty
        );
    }

    // RC-07 page 1: limit 5 returns the newest five, and the next page starts at the oldest of them.
    #[test]
    fn parse_rc07_full_page_has_next() {
        let timetokens = [
            15782701881328640,
            15782701887222660,
            15782701893068150,
            15782701898986040,
            15782701904880250,
        ];
        let bounds = PageBounds {
            start: 0,
            end: 0,
            limit: 5,
        };
        let response = parse(
            &context(Operation::GetMessageActions),
            &reply(200, &page_json(&timetokens)),
            bounds,
        );
        assert_eq!(response.status.code, Code::Ok);
        let page = response.data.unwrap();
        let returned: Vec<u64> = page
            .actions
            .iter()
            .map(|action| action.action_timetoken)
            .collect();
        assert_eq!(returned, timetokens);
        assert_eq!(
            page.next,
            Some(PageBounds {
                start: 15782701881328640,
                end: 0,
                limit: 5
            })
        );
    }

    #[test]
    fn parse_short_page_is_last() {
        let response = parse(
            &context(Operation::GetMessageActions),
            &reply(200, &page_json(&[3, 4])),
            PageBounds {
                limit: 5,
                ..PageBounds::default()
            },
        );
        assert_eq!(response.data.unwrap().next, None);
    }

    // RC-14 step 4: an empty channel.
    #[test]
    fn parse_empty_page() {
        let response = parse(
            &context(Operation::GetMessageActions),
            &reply(200, r#"{"status": 200, "data": []}"#),
            PageBounds::default(),
        );
        assert_eq!(response.status.code, Code::Ok);
        assert_eq!(
            response.data,
            Some(ActionsPage {
                actions: vec![],
                next: None
            })
        );
    }

    #[test]
    fn parse_full_page_at_end_bound_is_last() {
        let bounds = PageBounds {
            start: 0,
            end: 3,
            limit: 2,
        };
        let response = parse(
            &context(Operation::GetMessageActions),
            &reply(200, &page_json(&[3, 4])),
            bounds,
        );
        assert_eq!(response.data.unwrap().next, None);
    }

    #[test]
    fn parse_more_object_sets_next() {
        let body = format!(
            r#"{{"status": 200, "data": [{}], "more": {{"url": "/v1/message-actions/sub-c-TEST/channel/test-channel?start=7&end=2&limit=1", "start": "7", "end": "2", "limit": 1}}}}"#,
            action_json(8)
        );
        let response = parse(
            &context(Operation::GetMessageActions),
            &reply(200, &body),
            PageBounds {
                start: 0,
                end: 2,
                limit: 0,
            },
        );
        assert_eq!(
            response.data.unwrap().next,
            Some(PageBounds {
                start: 7,
                end: 2,
                limit: 1
            })
        );
    }

    #[test]
    fn parse_bad_item_names_its_index() {
        let body = format!(
            r#"{{"status": 200, "data": [{}, {{"type": "t"}}]}}"#,
            action_json(1)
        );
        let response = parse(
            &context(Operation::GetMessageActions),
            &reply(200, &body),
            PageBounds::default(),
        );
        assert_eq!(response.status.code, Code::MalformedResponse);
        assert!(
            response
                .status
                .message
                .contains("data[1]: the action's \"value\" field is missing or not a string"),
            "{}",
            response.status.message
        );
    }

    // RC-17: unknown subscribe key.
    #[test]
    fn parse_rc17_invalid_subkey() {
        let reply = Reply {
            http_status: 400,
            body: br#"{"status":400,"error":{"source":"actions","message":"Invalid Subkey"}}"#
                .to_vec(),
            retry_after_seconds: None,
        };
        let response = parse(
            &context(Operation::GetMessageActions),
            &reply,
            PageBounds::default(),
        );
        assert_eq!(response.status.code, Code::BadRequest);
        assert_eq!(
            response.status.server_message.as_deref(),
            Some("Invalid Subkey")
        );
    }
}
