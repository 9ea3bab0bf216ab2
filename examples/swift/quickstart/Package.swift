// swift-tools-version:6.0

// Quickstart for the PubNubActions Swift package, run against the emulator:
//
//   cargo build --release -p pubnub-actions -p pubnub-emulator
//   target/release/pubnub-emulator --port 0     # prints its address
//   cd examples/swift/quickstart && swift run Quickstart 127.0.0.1:PORT
//
// The package links target/release/libpubnub_actions.a, or the archive in
// PNA_LIBRARY_DIR; see bindings/swift/Package.swift.

import PackageDescription

let package = Package(
    name: "PubNubActionsQuickstart",
    platforms: [.macOS(.v10_15)],
    dependencies: [
        // A path dependency's package identity is its directory name, so this
        // package must not live in a directory named "swift" itself.
        .package(path: "../../../bindings/swift")
    ],
    targets: [
        .executableTarget(
            name: "Quickstart",
            dependencies: [.product(name: "PubNubActions", package: "swift")]
        )
    ]
)
