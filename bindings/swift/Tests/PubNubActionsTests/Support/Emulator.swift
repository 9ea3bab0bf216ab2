import Foundation

/// A pubnub-emulator process listening on a free port of 127.0.0.1.
///
/// The binary is the one named by the PNA_EMULATOR_PATH environment variable,
/// or target/release/pubnub-emulator of the repository that contains this file.
final class Emulator {
    /// Host and port of the emulator, for ``Configuration/origin``.
    let origin: String

    private let process: Process
    // Kept open so that the emulator never writes to a closed pipe.
    private let output: Pipe

    static var executablePath: String {
        if let path = ProcessInfo.processInfo.environment["PNA_EMULATOR_PATH"], !path.isEmpty {
            return path
        }
        // This file is bindings/swift/Tests/PubNubActionsTests/Support/Emulator.swift.
        var repository = URL(fileURLWithPath: #filePath)
        for _ in 0..<6 {
            repository.deleteLastPathComponent()
        }
        return repository.appendingPathComponent("target/release/pubnub-emulator").path
    }

    /// Starts the emulator with `arguments` added to `--port 0`, and waits for
    /// the line that gives its address.
    init(arguments: [String] = []) throws {
        let path = Emulator.executablePath
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw EmulatorError(
                "no executable emulator at \(path); build it with `cargo build --release -p pubnub-emulator` or set PNA_EMULATOR_PATH")
        }

        process = Process()
        output = Pipe()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["--port", "0", "--log-level", "warn"] + arguments
        process.standardOutput = output
        try process.run()

        let line = Emulator.readLine(from: output.fileHandleForReading)
        let prefixes = ["pubnub-emulator listening on http://", "pubnub-emulator listening on https://"]
        guard let prefix = prefixes.first(where: { line.hasPrefix($0) }) else {
            process.terminate()
            process.waitUntilExit()
            throw EmulatorError("the emulator at \(path) printed \(line.debugDescription) instead of its address")
        }
        origin = String(line.dropFirst(prefix.count))
    }

    /// Stops the emulator with SIGKILL and waits for it to exit.
    ///
    /// NOTE: Foundation's Process in Swift 6.0.3 on Linux starts the child with
    /// the signal mask of the calling thread, and the threads that run async
    /// tests block SIGTERM, so the emulator would never see `terminate()`.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    private static func readLine(from handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while let chunk = try? handle.read(upToCount: 1), let byte = chunk.first, byte != UInt8(ascii: "\n") {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

struct EmulatorError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
