import CCustodyLinux
import Crypto
import CustodyCore

/// What one pass over a file's bytes computes: SHA-256 (the content address, always from the
/// camera's bytes), XXH3-128 (the read-back check `[ingest] read_back = "xxh3-128"`), or both
/// over the same buffers while copying (issue 21).
enum PassKinds: Sendable {
    case sha256, xxh3, both

    /// While copying: SHA-256 always, and the read-back check's own digest when it is not SHA-256.
    static func copying(_ check: ReadBackCheck) -> PassKinds { check == .xxh3 ? .both : .sha256 }
    /// While reading a stored copy back: only the check's digest.
    static func readingBack(_ check: ReadBackCheck) -> PassKinds { check == .xxh3 ? .xxh3 : .sha256 }
}

/// The digests of one pass, in lowercase hex (nil: not computed).
struct PassDigest: Sendable, Equatable {
    var sha256: String?
    var xxh3: String?

    /// The digest the read-back check compares.
    func checked(by check: ReadBackCheck) -> String? { check == .xxh3 ? xxh3 : sha256 }
}

/// Hashes the chunks of one pass, on one thread.
struct PassHasher: ~Copyable {
    private var sha: SHA256?
    private let xxh: UnsafeMutableRawPointer?

    init(_ kinds: PassKinds) {
        sha = kinds == .xxh3 ? nil : SHA256()
        // 576 bytes from malloc: out of memory traps here as any Swift allocation does.
        if kinds == .sha256 {
            xxh = nil
        } else {
            guard let state = custody_xxh3_create() else { fatalError("out of memory for an XXH3 state") }
            xxh = state
        }
    }

    deinit { if let xxh { custody_xxh3_free(xxh) } }

    mutating func update(_ chunk: UnsafeRawBufferPointer) {
        sha?.update(bufferPointer: chunk)
        if let xxh, let base = chunk.baseAddress { custody_xxh3_update(xxh, base, chunk.count) }
    }

    consuming func finalize() -> PassDigest {
        var digest = PassDigest()
        if let sha { digest.sha256 = Hex.string(sha.finalize()) }
        if let xxh {
            var high: UInt64 = 0, low: UInt64 = 0
            custody_xxh3_digest(xxh, &high, &low)
            digest.xxh3 = Self.hex(high) + Self.hex(low)
        }
        return digest
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
