//! The same add / get / remove / paging scenario in every transport and
//! signing mode the emulator offers: plain HTTP, HTTPS, signed, and both.

mod common;

use common::config_for;
use pubnub_actions::{Client, Code, PageBounds};
use pubnub_emulator::Emulator;

const MESSAGE_TT: u64 = 15610547826969050;

/// Adds five actions, pages through them three at a time, checks a
/// duplicate, removes everything and checks the channel is empty.
fn run_scenario(client: &Client, channel: &str) {
    let mut added = Vec::new();
    for index in 0..5 {
        let response = client
            .add_message_action(channel, MESSAGE_TT, "reaction", &format!("v{index}"))
            .unwrap();
        assert_eq!(response.status.code, Code::Ok, "{}", response.status);
        added.push(response.data.unwrap().action_timetoken);
    }

    let first = client
        .get_message_actions(
            channel,
            PageBounds {
                limit: 3,
                ..PageBounds::default()
            },
        )
        .unwrap();
    let first = first.into_result().unwrap();
    let first_tts: Vec<u64> = first
        .actions
        .iter()
        .map(|action| action.action_timetoken)
        .collect();
    assert_eq!(first_tts, added[2..5].to_vec());
    let second = client
        .get_message_actions(channel, first.next.unwrap())
        .unwrap()
        .into_result()
        .unwrap();
    let second_tts: Vec<u64> = second
        .actions
        .iter()
        .map(|action| action.action_timetoken)
        .collect();
    assert_eq!(second_tts, added[0..2].to_vec());
    assert_eq!(second.next, None);

    let duplicate = client
        .add_message_action(channel, MESSAGE_TT, "reaction", "v0")
        .unwrap();
    assert_eq!(duplicate.status.code, Code::AlreadyAdded);

    for action_timetoken in added {
        let removed = client
            .remove_message_action(channel, MESSAGE_TT, action_timetoken)
            .unwrap();
        assert_eq!(removed.status.code, Code::Ok, "{}", removed.status);
    }
    let empty = client
        .get_message_actions(channel, PageBounds::default())
        .unwrap()
        .into_result()
        .unwrap();
    assert!(empty.actions.is_empty());
}

fn client_for(emulator: &Emulator, secret_key: Option<&str>) -> Client {
    let mut config = config_for(&emulator.origin());
    config.tls = emulator.is_tls();
    config.ca_file = emulator.certificate_path().map(|path| path.to_path_buf());
    config.secret_key = secret_key.map(str::to_owned);
    Client::new(config).unwrap()
}

#[test]
fn plain_http_mode() {
    let emulator = Emulator::start(pubnub_emulator::Config::default()).unwrap();
    run_scenario(&client_for(&emulator, None), "room plain");
}

#[test]
fn tls_mode() {
    let emulator = Emulator::start(pubnub_emulator::Config::default().tls(true)).unwrap();
    let client = client_for(&emulator, None);
    run_scenario(&client, "room tls");
}

#[test]
fn secret_key_mode() {
    let config = pubnub_emulator::Config::default()
        .publish_key("pub-c-TEST")
        .secret_key("sec-c-TEST");
    let emulator = Emulator::start(config).unwrap();
    run_scenario(&client_for(&emulator, Some("sec-c-TEST")), "room/signed #1");
}

#[test]
fn tls_and_secret_key_mode() {
    let config = pubnub_emulator::Config::default()
        .tls(true)
        .publish_key("pub-c-TEST")
        .secret_key("sec-c-TEST");
    let emulator = Emulator::start(config).unwrap();
    run_scenario(
        &client_for(&emulator, Some("sec-c-TEST")),
        "room signed tls",
    );
}
