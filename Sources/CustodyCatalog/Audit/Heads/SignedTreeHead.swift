import Crypto
import CustodyCore
import Foundation

/// A checkpoint of the audit log signed with the station's key (provable-catalog issue, item 2):
/// RFC 6962 tree size and root, the time, the public key and an Ed25519 signature, as one ASCII
/// line that fits anywhere a head is written (a disc's AUDIT-HEAD.txt, a bag's tag file, a report's
/// footer, a CSV cell, an anchor file, a journal line):
///
///     Custody-Tree-Head v1 size=1234 root=<64 hex> time=2026-11-27T08:30:15Z key=<64 hex> sig=<128 hex>
///
/// The signature covers the line up to ` sig=`. Once written outside the catalog, the catalog
/// cannot take it back: a later log must extend this tree (an RFC 6962 consistency proof), or it
/// was rolled back (shorter) or re-chained (another root).
public struct SignedTreeHead: Sendable, Equatable, Codable {
    public static let marker = "Custody-Tree-Head v1"

    public var treeSize: Int64
    public var root: String
    public var time: Date
    /// The station's Ed25519 public key, hex.
    public var publicKey: String
    /// Ed25519 over `signedText`, hex.
    public var signature: String
    /// Set on the statement a restore signs: the size of the backup's log it restored, so heads of
    /// the history it replaced are known as superseded, not rolled back (only the key can say so).
    public var restoredFrom: Int64?

    /// The text the signature covers.
    public var signedText: String {
        "\(Self.marker) size=\(treeSize) root=\(root) time=\(Self.format(time))"
            + (restoredFrom.map { " restored-from=\($0)" } ?? "") + " key=\(publicKey)"
    }

    /// The whole line.
    public var line: String { signedText + " sig=\(signature)" }

    /// Signs a tree head with the station key.
    public static func sign(treeSize: Int64, root: String, time: Date, key: StationKey, restoredFrom: Int64? = nil) throws -> SignedTreeHead {
        var head = SignedTreeHead(treeSize: treeSize, root: root, time: Date(timeIntervalSince1970: floor(time.timeIntervalSince1970)),
                                  publicKey: key.publicKeyHex, signature: "", restoredFrom: restoredFrom)
        head.signature = Hex.string(try key.sign(Array(head.signedText.utf8)))
        return head
    }

    /// Whether the signature is the key's over the line.
    public var signatureValid: Bool {
        guard let keyBytes = Hex.bytes(publicKey), let signatureBytes = Hex.bytes(signature),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes) else { return false }
        return key.isValidSignature(signatureBytes, for: Array(signedText.utf8))
    }

    /// Every head line in a text (a report, an anchor file, a bag's tags), in order. Lines that
    /// look like heads but do not parse are skipped; the caller says when none was found.
    public static func find(in text: String) -> [SignedTreeHead] {
        var heads: [SignedTreeHead] = []
        var rest = Substring(text)
        while let range = rest.range(of: marker) {
            let tail = rest[range.lowerBound...]
            let end = tail.firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || " =:-.TZv".contains($0))) } ?? tail.endIndex
            if let head = parse(String(tail[..<end])) { heads.append(head) }
            rest = rest[range.upperBound...]
        }
        return heads
    }

    /// Parses one line (trailing text after the signature is ignored).
    public static func parse(_ line: String) -> SignedTreeHead? {
        guard line.hasPrefix(marker) else { return nil }
        var fields: [String: String] = [:]
        for token in line.dropFirst(marker.count).split(separator: " ") {
            guard let eq = token.firstIndex(of: "=") else { continue }
            fields[String(token[..<eq])] = String(token[token.index(after: eq)...])
        }
        guard let size = fields["size"].flatMap(Int64.init), size >= 0,
              let root = fields["root"], root.count == 64, Hex.bytes(root) != nil,
              let time = fields["time"].flatMap(parseTime),
              let key = fields["key"], key.count == 64, let signature = fields["sig"], signature.count == 128
        else { return nil }
        return SignedTreeHead(treeSize: size, root: root.lowercased(), time: time, publicKey: key.lowercased(),
                              signature: String(signature.prefix(128)).lowercased(),
                              restoredFrom: fields["restored-from"].flatMap(Int64.init))
    }

    /// ISO 8601 UTC to the second, as heads write times.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
