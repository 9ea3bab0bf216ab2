//! Fails when include/pubnub_actions.h differs from what cbindgen generates
//! from the current sources. `PNA_UPDATE_HEADER=1 cargo test --test header`
//! rewrites the header instead.

use std::path::Path;

#[test]
fn committed_header_matches_generated() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");

    let header_path = root.join("include/pubnub_actions.h");
    if std::env::var_os("PNA_UPDATE_HEADER").is_some() {
        std::fs::write(&header_path, &generated).expect("include/pubnub_actions.h is writable");
        return;
    }
    let committed = std::fs::read_to_string(&header_path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/pubnub_actions.h is stale; regenerate it with `PNA_UPDATE_HEADER=1 cargo test --test header`"
    );
}
