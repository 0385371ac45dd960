import Crypto
import CustodyCore
import Foundation

/// Thin wrapper so only this file imports Crypto's SHA256.
struct SHA256Hasher {
    private var inner = SHA256()

    mutating func update(_ data: Data) { inner.update(data: data) }

    mutating func finalizeHex() -> String {
        Hex.string(inner.finalize())
    }

    static func hex(of data: Data) -> String {
        var hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finalizeHex()
    }
}
