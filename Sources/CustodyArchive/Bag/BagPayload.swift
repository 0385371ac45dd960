import Foundation

/// One file to put in the bag: where it is in the store and the readable
/// path it gets under `data/` (the clerk and the court read names, not hashes).
public struct BagPayloadItem: Sendable, Hashable {
    /// The file in the content-addressed store.
    public var source: URL
    /// Path below `data/`, with `/` between folders, e.g. "案件 A-001/片段 1.mp4".
    public var path: String
    /// The clip's SHA-256 (its store address). When given, the copy is refused
    /// unless the bytes read hash to it, so a rotten store file is never exported.
    public var expectedSHA256: String?

    public init(source: URL, path: String, expectedSHA256: String? = nil) {
        self.source = source
        self.path = path
        self.expectedSHA256 = expectedSHA256
    }

    /// A store clip exported under a readable name, checked against its address.
    public static func clip(storeRoot: URL, sha256: String, path: String) -> BagPayloadItem {
        BagPayloadItem(source: ContentStore.url(storeRoot: storeRoot, sha256: sha256),
                       path: path, expectedSHA256: sha256.lowercased())
    }
}

/// Layout of the Custody store: `<root>/sha256/ab/cd/<hex>`.
public enum ContentStore {
    public static func url(storeRoot: URL, sha256: String) -> URL {
        let hex = sha256.lowercased()
        let a = String(hex.prefix(2))
        let b = String(hex.dropFirst(2).prefix(2))
        return storeRoot.appendingPathComponent("sha256").appendingPathComponent(a)
            .appendingPathComponent(b).appendingPathComponent(hex)
    }
}

/// A text tag file supplied by the caller, e.g. the clips' audit history.
public struct BagTagFile: Sendable, Hashable {
    /// A plain file name in the bag's top folder, e.g. "custody-report.json".
    public var name: String
    public var contents: Data

    public init(name: String, contents: Data) {
        self.name = name
        self.contents = contents
    }

    public init(name: String, text: String) {
        self.init(name: name, contents: Data(text.utf8))
    }
}

/// One line of a manifest: what was written and what it hashed to.
public struct BagManifestEntry: Sendable, Hashable {
    /// Path relative to the bag folder, e.g. "data/案件/片段 1.mp4".
    public var path: String
    public var sha256: String
    public var bytes: Int64
}

/// What the writer hands back once the bag is written and re-read.
public struct BagReceipt: Sendable, Hashable {
    public var bagURL: URL
    /// "octets.files", as in bag-info.txt.
    public var payloadOxum: String
    public var payload: [BagManifestEntry]
    public var tagFiles: [BagManifestEntry]
    /// SHA-256 of tagmanifest-sha256.txt: one value that pins the whole bag,
    /// worth writing into the access register.
    public var tagManifestSHA256: String
}

/// Where the writer is, for a progress bar. Sent on the writer's own thread.
public struct BagProgress: Sendable, Hashable {
    public enum Phase: String, Sendable, Hashable {
        case copying, writingTags, verifying, done
    }

    public var phase: Phase
    /// Bag-relative path of the file being worked on, if any.
    public var file: String?
    public var fileIndex: Int
    public var fileCount: Int
    /// Payload bytes handled so far in this phase, and in all.
    public var bytesDone: Int64
    public var bytesTotal: Int64
}
