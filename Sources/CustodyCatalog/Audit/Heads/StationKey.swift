import CustodyCore
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The station's Ed25519 signing key, made at first start (provable-catalog issue, item 2). It
/// lives in its own file outside the catalog (mode 0600, owned by the daemon's user), so whoever
/// can rewrite the catalog file cannot sign a tree head the discs, exports and reports will
/// accept. The public key is printed by `custodyctl audit key` and on every disc and report.
public struct StationKey: Sendable {
    /// The 32 raw bytes of the private key (swift-crypto's key type is not `Sendable`; it is
    /// made from these when signing).
    let raw: [UInt8]
    public let publicKeyHex: String

    init(privateKey: Curve25519.Signing.PrivateKey) {
        raw = Array(privateKey.rawRepresentation)
        publicKeyHex = Hex.string(privateKey.publicKey.rawRepresentation)
    }

    var privateKey: Curve25519.Signing.PrivateKey {
        // The bytes came from a valid key, so this cannot fail.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// A short name for the key: the first 16 hex digits of SHA-256 of the public key.
    public var keyID: String { Self.keyID(publicKeyHex: publicKeyHex) }

    /// The short name of any public key (hex), as printed on stamps.
    public static func keyID(publicKeyHex: String) -> String {
        String(Hex.string(SHA256.hash(data: Hex.bytes(publicKeyHex) ?? [])).prefix(16))
    }

    /// Loads the key at `path`, or makes a new one there when the file does not exist.
    /// - Returns: the key and whether it was made now.
    public static func loadOrCreate(path: String) throws -> (key: StationKey, created: Bool) {
        if FileManager.default.fileExists(atPath: path) {
            return (try load(path: path), false)
        }
        let key = StationKey(privateKey: Curve25519.Signing.PrivateKey())
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let text = "# Custody station signing key (Ed25519). Keep private; back it up apart from the catalog.\n"
            + "private \(Hex.string(key.privateKey.rawRepresentation))\npublic \(key.publicKeyHex)\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StationKeyError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw StationKeyError(path: path, reason: String(cString: strerror(errno)))
        }
        // Its name too: a key lost at a power cut would be replaced by a new one, and every head
        // signed before would no longer be this station's (found by the power-loss trials).
        let folder = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0, fsync(folder) == 0 else { throw StationKeyError(path: path, reason: String(cString: strerror(errno))) }
        close(folder)
        return (key, true)
    }

    static func load(path: String) throws -> StationKey {
        var info = stat()
        guard stat(path, &info) == 0 else { throw StationKeyError(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & 0o077 == 0 else {
            throw StationKeyError(path: path, reason: "it is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it")
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("private ") }),
              let raw = Hex.bytes(String(line.dropFirst("private ".count)).trimmingCharacters(in: .whitespaces)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw StationKeyError(path: path, reason: "it holds no Ed25519 private key") }
        return StationKey(privateKey: key)
    }

    func sign(_ message: [UInt8]) throws -> [UInt8] {
        Array(try privateKey.signature(for: message))
    }
}

/// Why the station key could not be read or made, for the administrator.
public struct StationKeyError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "station key \(path): \(reason)" }
}
