//! Measures sequential blocking add + get + remove against an in-process
//! emulator: `cargo run --release --example sequential_bench [ROUNDS]`.

use std::time::Instant;

use pubnub_actions::{Client, Config, PageBounds};
use pubnub_emulator::Emulator;

fn main() {
    let rounds: u64 = std::env::args()
        .nth(1)
        .and_then(|text| text.parse().ok())
        .unwrap_or(2000);
    let emulator =
        Emulator::start(pubnub_emulator::Config::default()).expect("the emulator starts");
    let mut config = Config::new("sub-c-bench", "bench-user", &emulator.origin());
    config.tls = false;
    let client = Client::new(config).expect("the configuration is valid");

    let started = Instant::now();
    for round in 0..rounds {
        let value = format!("v{round}");
        let action = client
            .add_message_action("bench", 17000000000000000, "reaction", &value)
            .expect("valid arguments")
            .into_result()
            .expect("add succeeds");
        let bounds = PageBounds {
            limit: 10,
            ..PageBounds::default()
        };
        client
            .get_message_actions("bench", bounds)
            .expect("valid arguments")
            .into_result()
            .expect("get succeeds");
        client
            .remove_message_action("bench", 17000000000000000, action.action_timetoken)
            .expect("valid arguments")
            .into_result()
            .expect("remove succeeds");
    }
    let seconds = started.elapsed().as_secs_f64();
    let operations = rounds * 3;
    println!(
        "{operations} operations in {seconds:.2} s: {:.0} operations/s",
        operations as f64 / seconds
    );
}
