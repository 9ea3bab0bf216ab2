import Foundation
import PubNubActions
import XCTest

/// HTTPS to the emulator's `--tls` mode, which serves a certificate that it
/// generates at start and writes to a PEM file.
final class TLSTests: XCTestCase {
    let channel = "chats.room1"

    /// Starts the emulator with TLS and returns it with the path of its certificate.
    private func startTLSEmulator() throws -> (Emulator, String) {
        let certificatePath = FileManager.default.temporaryDirectory
            .appendingPathComponent("pubnub-actions-swift-\(UUID().uuidString).pem").path
        addTeardownBlock {
            try? FileManager.default.removeItem(atPath: certificatePath)
        }
        let emulator = try startEmulator(["--tls", "--tls-cert-out", certificatePath])
        return (emulator, certificatePath)
    }

    func testTrustedCertificateConnects() async throws {
        let (emulator, certificatePath) = try startTLSEmulator()
        var configuration = localConfiguration(origin: emulator.origin)
        configuration.useSecureConnections = true
        configuration.certificateAuthorityFile = certificatePath
        let client = try PubNubActionsClient(configuration: configuration)
        let messageTimetoken = try await publishMessage(client, channel: channel)

        let action = try await client.addMessageAction(
            channel: channel, type: "reaction", value: "locked", messageTimetoken: messageTimetoken)
        let page = try await client.fetchMessageActions(channel: channel)

        XCTAssertEqual(page.actions, [action])
    }

    func testUntrustedCertificateIsConnectionFailed() async throws {
        let (emulator, _) = try startTLSEmulator()
        var configuration = localConfiguration(origin: emulator.origin)
        configuration.useSecureConnections = true
        let client = try PubNubActionsClient(configuration: configuration)

        let error = await expectError { try await client.fetchMessageActions(channel: channel) }

        guard case .connectionFailed(let status) = error else {
            return XCTFail("expected connectionFailed, got \(String(describing: error))")
        }
        XCTAssertEqual(status.code, .tlsCertificateUntrusted)
        XCTAssertEqual(status.category, .tlsUntrustedCertificate)
        XCTAssertTrue(status.isTLS)
        XCTAssertNil(status.httpStatus)
        XCTAssertTrue(
            status.message.hasPrefix(
                "the origin's TLS certificate is not trusted (unknown issuer, expired or another host name); "
                    + "for a private CA set ca_file (\(emulator.origin)): "),
            status.message)
    }
}
