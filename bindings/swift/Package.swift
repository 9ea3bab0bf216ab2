// swift-tools-version:6.0

// SwiftPM package over the static library that cargo builds from this
// repository (libpubnub_actions.a) and its committed C header.
//
// The library is linked from the directory in the PNA_LIBRARY_DIR environment
// variable (an absolute path), or else from target/release of the repository
// that contains this package, where `cargo build --release` puts it. The full
// path of the archive goes to the linker, so the shared library that cargo
// builds next to it is never picked up instead.
//
// Linking needs the path as an unsafe flag, which SwiftPM accepts for a root
// package and for a dependency given by local path (`.package(path:)`), but not
// for a dependency given by URL and version.
//
// On macOS, when scripts/build-xcframework has put
// Binaries/CPubNubActions.xcframework next to this file, the package uses that
// framework instead, so that Xcode can build it for iOS and macOS.

import Foundation
import PackageDescription

let libraryDirectory =
    ProcessInfo.processInfo.environment["PNA_LIBRARY_DIR"]
    ?? URL(fileURLWithPath: Context.packageDirectory + "/../../target/release").standardized.path

// The system libraries that `cargo rustc --release -- --print native-static-libs`
// lists for Linux; the Swift driver adds the C library itself.
let linuxSystemLibraries: [LinkerSetting] = ["pthread", "dl", "m", "rt", "util", "gcc_s"].map {
    .linkedLibrary($0, .when(platforms: [.linux]))
}

// NOTE: the XCFramework branch is untested; no Apple toolchain was available.
#if os(macOS)
let xcframeworkPath = "Binaries/CPubNubActions.xcframework"
let usesXCFramework = FileManager.default.fileExists(atPath: Context.packageDirectory + "/" + xcframeworkPath)
#else
let xcframeworkPath = ""
let usesXCFramework = false
#endif

let cModule: Target =
    usesXCFramework
    ? .binaryTarget(name: "CPubNubActions", path: xcframeworkPath)
    // The module map names ../../../../include/pubnub_actions.h, the
    // generated header, so that there is no copy to keep in sync.
    : .systemLibrary(name: "CPubNubActions")

let archiveLinkerSettings: [LinkerSetting] =
    usesXCFramework
    ? []
    : [.unsafeFlags(["-Xlinker", libraryDirectory + "/libpubnub_actions.a"])] + linuxSystemLibraries

let package = Package(
    name: "PubNubActions",
    platforms: [.macOS(.v10_15), .iOS(.v13)],
    products: [
        .library(name: "PubNubActions", targets: ["PubNubActions"])
    ],
    targets: [
        cModule,
        .target(
            name: "PubNubActions",
            dependencies: ["CPubNubActions"],
            linkerSettings: archiveLinkerSettings
        ),
        .testTarget(
            name: "PubNubActionsTests",
            dependencies: ["PubNubActions"]
        ),
    ]
)
