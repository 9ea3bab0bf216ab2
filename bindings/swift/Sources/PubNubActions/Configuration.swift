import CPubNubActions
import Foundation

/// Settings of a ``PubNubActionsClient``.
///
/// The names follow the PubNub Swift SDK's `PubNubConfiguration` where it has
/// the same setting. There is no default origin: set the host of the service,
/// or the emulator's `127.0.0.1:PORT` with `useSecureConnections` false.
public struct Configuration: Hashable, Sendable {
    /// Subscribe key of the key set.
    public var subscribeKey: String
    /// Publish key; needed to publish and to sign requests.
    public var publishKey: String?
    /// Secret key; when set (with `publishKey`), every request is signed.
    public var secretKey: String?
    /// Access Manager auth key or token, sent as `auth`.
    public var authKey: String?
    /// User id sent with every request; it becomes the publisher of added
    /// actions. At most 92 bytes.
    public var userId: String
    /// Host or host:port of the service, with no scheme.
    public var origin: String
    /// Whether to use HTTPS with certificate verification. Set false for the
    /// local emulator.
    public var useSecureConnections: Bool
    /// Path of a PEM file of certificate authorities to trust instead of the
    /// built-in Mozilla roots; nil for the built-in roots.
    public var certificateAuthorityFile: String?
    /// Seconds allowed to connect; nil means 10. The library accepts 0.001 to 3600.
    public var connectTimeout: TimeInterval?
    /// Seconds allowed for a whole request; nil means 10. The library accepts 0.001 to 3600.
    public var requestTimeout: TimeInterval?
    /// Worker threads that run requests; nil means 4. The library accepts 1 to 256.
    public var workerCount: Int?
    /// Requests that may wait for a worker; nil means 4096. More are rejected
    /// with ``PubNubActionsError/Code/queueFull``.
    public var queueCapacity: Int?

    public init(
        subscribeKey: String,
        publishKey: String? = nil,
        secretKey: String? = nil,
        authKey: String? = nil,
        userId: String,
        origin: String,
        useSecureConnections: Bool = true,
        certificateAuthorityFile: String? = nil,
        connectTimeout: TimeInterval? = nil,
        requestTimeout: TimeInterval? = nil,
        workerCount: Int? = nil,
        queueCapacity: Int? = nil
    ) {
        self.subscribeKey = subscribeKey
        self.publishKey = publishKey
        self.secretKey = secretKey
        self.authKey = authKey
        self.userId = userId
        self.origin = origin
        self.useSecureConnections = useSecureConnections
        self.certificateAuthorityFile = certificateAuthorityFile
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.workerCount = workerCount
        self.queueCapacity = queueCapacity
    }
}

extension Configuration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The settings with the secret key and the auth key replaced by
    /// "<redacted>", so that printing a configuration never shows a secret.
    public var description: String {
        let redacted = "<redacted>"
        let fields: [(String, String?)] = [
            ("subscribeKey", subscribeKey),
            ("publishKey", publishKey),
            ("secretKey", secretKey.map { _ in redacted }),
            ("authKey", authKey.map { _ in redacted }),
            ("userId", userId),
            ("origin", origin),
            ("useSecureConnections", String(useSecureConnections)),
            ("certificateAuthorityFile", certificateAuthorityFile),
            ("connectTimeout", connectTimeout.map { String($0) }),
            ("requestTimeout", requestTimeout.map { String($0) }),
            ("workerCount", workerCount.map { String($0) }),
            ("queueCapacity", queueCapacity.map { String($0) }),
        ]
        let text = fields.map { name, value in "\(name): \(value ?? "nil")" }
        return "Configuration(\(text.joined(separator: ", ")))"
    }

    public var debugDescription: String {
        description
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["description": description], displayStyle: .struct)
    }
}

// MARK: - Conversion to pna_config_t

extension Configuration {
    /// The numeric settings converted to the C units, checked where the C
    /// API would read the value as "use the default" instead of rejecting it.
    struct NumericSettings {
        var connectTimeoutMilliseconds: UInt32 = 0
        var requestTimeoutMilliseconds: UInt32 = 0
        var workerCount: UInt32 = 0
        var queueCapacity: UInt32 = 0
    }

    func numericSettings() throws(PubNubActionsError) -> NumericSettings {
        var settings = NumericSettings()
        settings.connectTimeoutMilliseconds = try milliseconds(connectTimeout)
        settings.requestTimeoutMilliseconds = try milliseconds(requestTimeout)
        settings.workerCount = try count(workerCount, invalid: .workerCountInvalid)
        settings.queueCapacity = try count(queueCapacity, invalid: .queueCapacityInvalid)
        return settings
    }

    /// Checks every string for a NUL character, which would cut it short in C.
    func checkStrings() throws(PubNubActionsError) {
        try checkNoNUL(subscribeKey, argument: "subscribeKey")
        try checkNoNUL(publishKey, argument: "publishKey")
        try checkNoNUL(secretKey, argument: "secretKey")
        try checkNoNUL(authKey, argument: "authKey")
        try checkNoNUL(userId, argument: "userId")
        try checkNoNUL(origin, argument: "origin")
        try checkNoNUL(certificateAuthorityFile, argument: "certificateAuthorityFile")
    }
}

/// Converts seconds to the C API's milliseconds. nil becomes 0, which the C
/// API reads as its default. A value that would round to 0 ms or does not fit
/// in UInt32 is rejected here with the code the C API uses for such timeouts.
private func milliseconds(_ seconds: TimeInterval?) throws(PubNubActionsError) -> UInt32 {
    guard let seconds else {
        return 0
    }
    let milliseconds = (seconds * 1000).rounded()
    guard milliseconds >= 1, milliseconds <= Double(UInt32.max) else {
        throw .invalidArgument(.timeoutInvalid)
    }
    return UInt32(milliseconds)
}

/// Converts a count to the C API's UInt32. nil becomes 0, which the C API
/// reads as its default. Zero, negative and oversized values are rejected
/// here with the code the C API uses for the setting.
private func count(_ value: Int?, invalid: PubNubActionsError.Code) throws(PubNubActionsError) -> UInt32 {
    guard let value else {
        return 0
    }
    guard value >= 1, let converted = UInt32(exactly: value) else {
        throw .invalidArgument(invalid)
    }
    return converted
}

/// Rejects a string that contains a NUL character, because C would read it
/// only up to that character.
func checkNoNUL(_ value: String?, argument: String) throws(PubNubActionsError) {
    if let value, value.utf8.contains(0) {
        throw .invalidValue(argument: argument, reason: "contains a NUL character, which a C string cannot carry")
    }
}
