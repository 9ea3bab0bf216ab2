//! The Rust client against the emulator (and raw loopback servers) over real HTTP.

mod common;

use std::sync::mpsc;
use std::time::Duration;

use common::{RawServer, closed_origin, config_for, emulator_and_client};
use pubnub_actions::{Category, Client, Code, Operation, PageBounds};
use pubnub_emulator::Emulator;

const MESSAGE_TT: u64 = 15610547826969050;

#[test]
fn add_get_remove_get_round_trip() {
    let (_emulator, client) = emulator_and_client();

    let added = client
        .add_message_action("chats.room1", MESSAGE_TT, "reaction", "smiley_face")
        .unwrap();
    assert_eq!(added.status.code, Code::Ok);
    assert_eq!(added.status.category, Category::Acknowledgment);
    assert_eq!(added.status.operation, Operation::AddMessageAction);
    assert_eq!(added.status.http_status, 200);
    assert_eq!(added.status.channel, "chats.room1");
    assert_eq!(added.status.user_id, "user-1");
    let action = added.data.unwrap();
    assert_eq!(action.action_type, "reaction");
    assert_eq!(action.value, "smiley_face");
    assert_eq!(action.uuid, "user-1");
    assert_eq!(action.message_timetoken, MESSAGE_TT);
    assert!(
        action.action_timetoken > MESSAGE_TT,
        "action timetokens are server time: {}",
        action.action_timetoken
    );

    let page = client
        .get_message_actions("chats.room1", PageBounds::default())
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(page.actions, vec![action.clone()]);
    assert_eq!(page.next, None);

    let removed = client
        .remove_message_action("chats.room1", MESSAGE_TT, action.action_timetoken)
        .unwrap();
    assert_eq!(removed.status.code, Code::Ok);
    assert_eq!(removed.status.operation, Operation::RemoveMessageAction);

    let page = client
        .get_message_actions("chats.room1", PageBounds::default())
        .unwrap()
        .into_result()
        .unwrap();
    assert!(page.actions.is_empty());
}

#[test]
fn publish_returns_timetoken_for_actions() {
    let (_emulator, client) = emulator_and_client();
    let published = client
        .publish("chat", r#"{"text":"hello"}"#)
        .unwrap()
        .into_result()
        .unwrap();
    assert!(
        published.timetoken > 15_000_000_000_000_000,
        "{}",
        published.timetoken
    );
    let action = client
        .add_message_action("chat", published.timetoken, "receipt", "read")
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(action.message_timetoken, published.timetoken);
    assert!(action.action_timetoken > published.timetoken);
}

#[test]
fn channel_and_values_with_reserved_and_unicode_characters() {
    let (_emulator, client) = emulator_and_client();
    let channel = "room #1/ü?&=%";
    let action = client
        .add_message_action(channel, MESSAGE_TT, "réaction", "👍 \"quoted\"")
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(action.action_type, "réaction");
    assert_eq!(action.value, "👍 \"quoted\"");
    let page = client
        .get_message_actions(channel, PageBounds::default())
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(page.actions, vec![action]);
    let other = client
        .get_message_actions("room #1", PageBounds::default())
        .unwrap()
        .into_result()
        .unwrap();
    assert!(other.actions.is_empty());
}

#[test]
fn duplicate_add_is_conflict() {
    let (_emulator, client) = emulator_and_client();
    client
        .add_message_action("chat1", MESSAGE_TT, "emotion", "smile")
        .unwrap()
        .into_result()
        .unwrap();
    let duplicate = client
        .add_message_action("chat1", MESSAGE_TT, "emotion", "smile")
        .unwrap();
    assert_eq!(duplicate.data, None);
    assert_eq!(duplicate.status.code, Code::AlreadyAdded);
    assert_eq!(duplicate.status.category, Category::Unknown);
    assert_eq!(duplicate.status.http_status, 409);
    assert_eq!(
        duplicate.status.server_message.as_deref(),
        Some("Action Already Added")
    );
    assert_eq!(
        duplicate.status.message,
        "this user already added an action with this type and value to the message (HTTP 409): Action Already Added"
    );
}

#[test]
fn remove_wrong_author_or_missing_action() {
    let emulator = Emulator::start(pubnub_emulator::Config::default()).unwrap();
    let author = Client::new(config_for(&emulator.origin())).unwrap();
    let mut other_config = config_for(&emulator.origin());
    other_config.user_id = "user-2".into();
    let other = Client::new(other_config).unwrap();

    let action = author
        .add_message_action("chat", MESSAGE_TT, "reaction", "heart")
        .unwrap()
        .into_result()
        .unwrap();
    let wrong = other
        .remove_message_action("chat", MESSAGE_TT, action.action_timetoken)
        .unwrap();
    assert_eq!(wrong.status.code, Code::BadRequest);
    assert_eq!(wrong.status.category, Category::BadRequest);
    assert_eq!(wrong.status.http_status, 400);
    assert_eq!(
        wrong.status.server_message.as_deref(),
        Some("Not deleting message action: wrong uuid specified")
    );

    let missing = author
        .remove_message_action("chat", MESSAGE_TT, action.action_timetoken + 1)
        .unwrap();
    assert_eq!(missing.status.code, Code::BadRequest);
    assert_eq!(
        missing.status.server_message.as_deref(),
        Some("No matching message actions to delete")
    );

    let page = author
        .get_message_actions("chat", PageBounds::default())
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(
        page.actions.len(),
        1,
        "the failed removals left the action in place"
    );
}

#[test]
fn paging_walks_backwards_through_all_actions() {
    let (_emulator, client) = emulator_and_client();
    let mut added = Vec::new();
    for index in 0..7 {
        let action = client
            .add_message_action("paged", MESSAGE_TT, "receipt", &format!("value{index}"))
            .unwrap();
        added.push(action.into_result().unwrap().action_timetoken);
    }

    let mut bounds = PageBounds {
        start: 0,
        end: 0,
        limit: 3,
    };
    let mut pages = Vec::new();
    loop {
        let page = client
            .get_message_actions("paged", bounds)
            .unwrap()
            .into_result()
            .unwrap();
        pages.push(
            page.actions
                .iter()
                .map(|action| action.action_timetoken)
                .collect::<Vec<_>>(),
        );
        match page.next {
            Some(next) => bounds = next,
            None => break,
        }
    }
    assert_eq!(
        pages,
        vec![
            added[4..7].to_vec(),
            added[1..4].to_vec(),
            added[0..1].to_vec()
        ]
    );
}

#[test]
fn start_is_exclusive_and_end_inclusive() {
    let (_emulator, client) = emulator_and_client();
    let mut added = Vec::new();
    for index in 0..5 {
        let action = client
            .add_message_action("ranged", MESSAGE_TT, "custom", &format!("v{index}"))
            .unwrap();
        added.push(action.into_result().unwrap().action_timetoken);
    }
    let bounds = PageBounds {
        start: added[3],
        end: added[1],
        limit: 0,
    };
    let page = client
        .get_message_actions("ranged", bounds)
        .unwrap()
        .into_result()
        .unwrap();
    let returned: Vec<u64> = page
        .actions
        .iter()
        .map(|action| action.action_timetoken)
        .collect();
    assert_eq!(returned, vec![added[1], added[2]]);
    assert_eq!(page.next, None);
}

#[test]
fn invalid_arguments_are_rejected_before_sending() {
    let origin = closed_origin();
    let client = Client::new(config_for(&origin)).unwrap();
    assert_eq!(
        client.add_message_action("", 1, "t", "v").unwrap_err(),
        Code::ChannelEmpty
    );
    assert_eq!(
        client.add_message_action("c", 0, "t", "v").unwrap_err(),
        Code::MessageTimetokenZero
    );
    assert_eq!(
        client.add_message_action("c", 1, "", "v").unwrap_err(),
        Code::TypeEmpty
    );
    assert_eq!(
        client.add_message_action("c", 1, "t", "").unwrap_err(),
        Code::ValueEmpty
    );
    assert_eq!(
        client.remove_message_action("c", 1, 0).unwrap_err(),
        Code::ActionTimetokenZero
    );

    let too_many = PageBounds {
        limit: 101,
        ..PageBounds::default()
    };
    assert_eq!(
        client.get_message_actions("c", too_many).unwrap_err(),
        Code::LimitTooLarge
    );
    let empty_range = PageBounds {
        start: 5,
        end: 5,
        limit: 0,
    };
    assert_eq!(
        client.get_message_actions("c", empty_range).unwrap_err(),
        Code::RangeEmpty
    );

    let callback_ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&callback_ran);
    let rejected = client.add_message_action_async("", 1, "t", "v", move |_| {
        flag.store(true, std::sync::atomic::Ordering::SeqCst)
    });
    assert_eq!(rejected.unwrap_err(), Code::ChannelEmpty);
    client.close();
    assert!(!callback_ran.load(std::sync::atomic::Ordering::SeqCst));
}

#[test]
fn invalid_subscribe_key_is_bad_request() {
    let emulator =
        Emulator::start(pubnub_emulator::Config::default().subscribe_key("sub-c-REAL")).unwrap();
    let client = Client::new(config_for(&emulator.origin())).unwrap();
    let response = client
        .get_message_actions("chat", PageBounds::default())
        .unwrap();
    assert_eq!(response.status.code, Code::BadRequest);
    assert_eq!(response.status.http_status, 400);
    assert_eq!(
        response.status.server_message.as_deref(),
        Some("Invalid Subkey")
    );
}

#[test]
fn signed_requests_pass_and_wrong_secret_is_denied() {
    let emulator_config = pubnub_emulator::Config::default()
        .publish_key("pub-c-TEST")
        .secret_key("sec-c-TEST");
    let emulator = Emulator::start(emulator_config).unwrap();

    let mut signed = config_for(&emulator.origin());
    signed.secret_key = Some("sec-c-TEST".into());
    let client = Client::new(signed).unwrap();
    let action = client
        .add_message_action("signed room", MESSAGE_TT, "reaction", "ok")
        .unwrap()
        .into_result()
        .unwrap();
    client
        .get_message_actions(
            "signed room",
            PageBounds {
                limit: 10,
                ..PageBounds::default()
            },
        )
        .unwrap()
        .into_result()
        .unwrap();
    client
        .remove_message_action("signed room", MESSAGE_TT, action.action_timetoken)
        .unwrap()
        .into_result()
        .unwrap();

    let mut wrong = config_for(&emulator.origin());
    wrong.secret_key = Some("sec-c-WRONG".into());
    let denied = Client::new(wrong)
        .unwrap()
        .get_message_actions("signed room", PageBounds::default())
        .unwrap();
    assert_eq!(denied.status.code, Code::AccessDenied);
    assert_eq!(denied.status.category, Category::AccessDenied);
    assert_eq!(denied.status.http_status, 403);

    let unsigned = Client::new(config_for(&emulator.origin())).unwrap();
    let denied = unsigned
        .get_message_actions("signed room", PageBounds::default())
        .unwrap();
    assert_eq!(denied.status.code, Code::AccessDenied);
}

#[test]
fn access_rules_deny_writes_without_permission() {
    let emulator_config = pubnub_emulator::Config::default().grant(
        "reader",
        "chat",
        pubnub_emulator::Permissions::READ,
    );
    let emulator = Emulator::start(emulator_config).unwrap();
    let mut config = config_for(&emulator.origin());
    config.auth_key = Some("reader".into());
    let client = Client::new(config).unwrap();
    client
        .get_message_actions("chat", PageBounds::default())
        .unwrap()
        .into_result()
        .unwrap();
    let denied = client
        .add_message_action("chat", MESSAGE_TT, "reaction", "x")
        .unwrap();
    assert_eq!(denied.status.code, Code::AccessDenied);
    assert_eq!(
        denied.status.server_message.as_deref(),
        Some(
            "Supplied authorization key does not have the permissions required to perform this operation."
        )
    );
}

#[test]
fn connection_refused_is_unexpected_disconnect() {
    let client = Client::new(config_for(&closed_origin())).unwrap();
    let response = client
        .get_message_actions("chat", PageBounds::default())
        .unwrap();
    assert_eq!(response.status.code, Code::ConnectionFailed);
    assert_eq!(response.status.category, Category::UnexpectedDisconnect);
    assert_eq!(response.status.http_status, 0);
    assert!(
        response
            .status
            .message
            .starts_with("the connection to the origin failed (127.0.0.1:"),
        "{}",
        response.status.message
    );
}

#[test]
fn silent_server_times_out() {
    let server = RawServer::start(None);
    let mut config = config_for(&server.origin);
    config.request_timeout = Duration::from_millis(300);
    let client = Client::new(config).unwrap();
    let response = client
        .get_message_actions("chat", PageBounds::default())
        .unwrap();
    assert_eq!(response.status.code, Code::Timeout);
    assert_eq!(response.status.category, Category::Timeout);
    assert_eq!(response.status.http_status, 0);
}

#[test]
fn html_error_page_is_malformed_with_http_status() {
    let server = RawServer::html(500);
    let client = Client::new(config_for(&server.origin)).unwrap();
    let response = client
        .add_message_action("chat", MESSAGE_TT, "reaction", "x")
        .unwrap();
    assert_eq!(response.data, None);
    assert_eq!(response.status.code, Code::MalformedResponse);
    assert_eq!(response.status.category, Category::MalformedResponse);
    assert_eq!(response.status.http_status, 500);
    assert!(
        response
            .status
            .message
            .contains("\"<html><body><h1>Internal Server Error</h1></body></html>\""),
        "{}",
        response.status.message
    );
}

#[test]
fn truncated_body_is_malformed() {
    let server = RawServer::truncated();
    let client = Client::new(config_for(&server.origin)).unwrap();
    let response = client
        .add_message_action("chat", MESSAGE_TT, "reaction", "x")
        .unwrap();
    assert_eq!(response.status.code, Code::MalformedResponse);
    assert_eq!(response.status.category, Category::MalformedResponse);
    assert_eq!(response.status.http_status, 200);
}

#[test]
fn async_calls_complete_with_their_results() {
    let (_emulator, client) = emulator_and_client();
    let (sender, receiver) = mpsc::channel();
    let add_sender = sender.clone();
    let id = client
        .add_message_action_async("async", MESSAGE_TT, "reaction", "fire", move |response| {
            add_sender.send(response).unwrap();
        })
        .unwrap();
    let added = receiver.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(added.status.request_id, id);
    let action = added.into_result().unwrap();

    let (page_sender, page_receiver) = mpsc::channel();
    client
        .get_message_actions_async("async", PageBounds::default(), move |response| {
            page_sender.send(response).unwrap()
        })
        .unwrap();
    let page = page_receiver
        .recv_timeout(Duration::from_secs(10))
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(page.actions, vec![action.clone()]);

    let (remove_sender, remove_receiver) = mpsc::channel();
    client
        .remove_message_action_async(
            "async",
            MESSAGE_TT,
            action.action_timetoken,
            move |response| remove_sender.send(response).unwrap(),
        )
        .unwrap();
    let removed = remove_receiver
        .recv_timeout(Duration::from_secs(10))
        .unwrap();
    assert_eq!(removed.status.code, Code::Ok);
    assert_eq!(removed.status.operation, Operation::RemoveMessageAction);
}

#[test]
fn cancel_completes_in_flight_request_once() {
    let server = RawServer::start(None);
    let client = Client::new(config_for(&server.origin)).unwrap();
    let (sender, receiver) = mpsc::channel();
    let id = client
        .get_message_actions_async("chat", PageBounds::default(), move |response| {
            sender.send(response).unwrap()
        })
        .unwrap();
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(client.cancel(id), Ok(()));
    let cancelled = receiver.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(cancelled.status.code, Code::Cancelled);
    assert_eq!(cancelled.status.category, Category::Cancelled);
    assert_eq!(cancelled.status.request_id, id);
    assert_eq!(cancelled.data, None);
    assert_eq!(client.cancel(id), Err(Code::RequestNotFound));
    assert!(
        receiver.recv_timeout(Duration::from_millis(200)).is_err(),
        "the callback ran only once"
    );
}

#[test]
fn close_cancels_pending_requests() {
    let server = RawServer::start(None);
    let mut config = config_for(&server.origin);
    config.worker_count = 1;
    let client = Client::new(config).unwrap();

    let (sender, receiver) = mpsc::channel();
    for _ in 0..5 {
        let sender = sender.clone();
        client
            .get_message_actions_async("chat", PageBounds::default(), move |response| {
                sender.send(response.status).unwrap()
            })
            .unwrap();
    }
    drop(sender);
    client.close();

    let statuses: Vec<_> = receiver.iter().collect();
    assert_eq!(statuses.len(), 5);
    for status in statuses {
        assert_eq!(status.code, Code::Cancelled);
        assert!(
            status
                .message
                .contains("the client was closed before the request completed"),
            "{}",
            status.message
        );
    }

    assert_eq!(
        client
            .get_message_actions_async("chat", PageBounds::default(), |_| {})
            .unwrap_err(),
        Code::ClientClosed
    );
}

#[test]
fn tls_with_trusted_certificate_round_trip() {
    let emulator = Emulator::start(pubnub_emulator::Config::default().tls(true)).unwrap();
    let mut config = config_for(&emulator.origin());
    config.tls = true;
    config.ca_file = emulator.certificate_path().map(|path| path.to_path_buf());
    let client = Client::new(config).unwrap();

    let added = client
        .add_message_action("secure", MESSAGE_TT, "reaction", "lock")
        .unwrap();
    assert_eq!(added.status.code, Code::Ok);
    assert!(added.status.tls);
    let action = added.data.unwrap();
    let page = client
        .get_message_actions("secure", PageBounds::default())
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(page.actions, vec![action]);
}

#[test]
fn tls_with_untrusted_certificate_fails() {
    let emulator = Emulator::start(pubnub_emulator::Config::default().tls(true)).unwrap();
    let mut config = config_for(&emulator.origin());
    config.tls = true;
    let client = Client::new(config).unwrap();
    let response = client
        .get_message_actions("secure", PageBounds::default())
        .unwrap();
    assert_eq!(response.status.code, Code::TlsCertificateUntrusted);
    assert_eq!(response.status.category, Category::TlsUntrustedCertificate);
    assert_eq!(response.status.http_status, 0);
    assert!(
        response
            .status
            .message
            .starts_with("the origin's TLS certificate is not trusted"),
        "{}",
        response.status.message
    );
    assert!(
        response.status.message.contains("UnknownIssuer"),
        "{}",
        response.status.message
    );
}

#[test]
fn plain_http_to_tls_origin_suggests_tls() {
    let emulator = Emulator::start(pubnub_emulator::Config::default().tls(true)).unwrap();
    let client = Client::new(config_for(&emulator.origin())).unwrap();
    let response = client
        .get_message_actions("secure", PageBounds::default())
        .unwrap();
    assert_eq!(response.status.code, Code::ConnectionFailed);
    assert_eq!(response.status.category, Category::UnexpectedDisconnect);
    assert!(
        response
            .status
            .message
            .ends_with("; if the origin serves HTTPS, set tls"),
        "{}",
        response.status.message
    );
}
