//! Runs the add / get / remove sequence against the live PubNub service. It
//! runs only when PN_PUBLISH_KEY, PN_SUBSCRIBE_KEY and PN_ORIGIN are set, and
//! otherwise prints that it was skipped and passes.

use pubnub_actions::{Client, Code, Config, PageBounds};

#[test]
fn live_service_round_trip() {
    let variables = ["PN_PUBLISH_KEY", "PN_SUBSCRIBE_KEY", "PN_ORIGIN"].map(std::env::var);
    let [Ok(publish_key), Ok(subscribe_key), Ok(origin)] = variables else {
        eprintln!(
            "live_service_round_trip: skipped; set PN_PUBLISH_KEY, PN_SUBSCRIBE_KEY and PN_ORIGIN to run it"
        );
        return;
    };
    let user_id = std::env::var("PN_USER_ID").unwrap_or_else(|_| "pubnub-actions-live-test".into());
    let mut config = Config::new(&subscribe_key, &user_id, &origin);
    config.publish_key = Some(publish_key);
    let client = Client::new(config).unwrap();
    let channel = format!("pubnub-actions-test-{}", std::process::id());

    let published = client
        .publish(&channel, r#""live test""#)
        .unwrap()
        .into_result()
        .unwrap();
    let action = client
        .add_message_action(&channel, published.timetoken, "reaction", "live")
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(action.message_timetoken, published.timetoken);
    let page = client
        .get_message_actions(&channel, PageBounds::default())
        .unwrap()
        .into_result()
        .unwrap();
    assert!(page.actions.contains(&action));
    let removed = client
        .remove_message_action(&channel, published.timetoken, action.action_timetoken)
        .unwrap();
    assert_eq!(removed.status.code, Code::Ok);
}
