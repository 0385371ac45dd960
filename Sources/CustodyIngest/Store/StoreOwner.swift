import CustodyCore
import Foundation
import Glibc

/// Which catalog owns a store (authorization issue, item 5). A store is the evidence of one
/// catalog: a second custodyd given the same store with another catalog would adopt every file
/// it holds (startup recovery) and could dispose of clips the first catalog keeps. So the store
/// records its catalog's identity in `<store>/OWNER` the first time a daemon starts on it, and a
/// daemon whose catalog is another refuses to start.
public struct StoreOwner: Sendable {
    public let storeRoot: String

    public init(storeRoot: String) { self.storeRoot = storeRoot }

    var path: String { storeRoot + "/OWNER" }

    /// The refusal when the store belongs to another catalog.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Claims the store for `catalogID` (at `catalogPath`) if no catalog owns it yet; refuses when
    /// another does. Returns true when this call made the claim (to be logged and audited).
    @discardableResult
    public func claim(catalogID: String, catalogPath: String) throws -> Bool {
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            let fields = Dictionary(text.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }, uniquingKeysWith: { a, _ in a })
            guard fields["catalog-id"] == catalogID else {
                throw Refusal(description: "store \(storeRoot) belongs to catalog \(fields["catalog"] ?? "?") (id \(fields["catalog-id"] ?? "?")), not to \(catalogPath) (id \(catalogID)); a store serves one catalog: give this custodyd its own store, or the catalog that owns this one")
            }
            return false
        }
        let text = "catalog-id \(catalogID)\ncatalog \(catalogPath)\nclaimed \(ISO8601DateFormatter().string(from: Date()))\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o440)
        guard fd >= 0 else {
            throw Refusal(description: "cannot record the owner of store \(storeRoot) in \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw Refusal(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        try EvidenceStore.fsyncDirectory(storeRoot)
        return true
    }
}
