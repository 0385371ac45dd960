import Foundation

/// Writes a BagIt 1.0 bag (RFC 8493) for an export: the clips under readable
/// names in data/, SHA-256 manifests, bag-info.txt tying the drive to the
/// access register, and the caller's custody report as an extra tag file.
/// Synchronous and blocking: run it off the main thread; progress is sent on
/// the calling thread. On any error the half-written bag folder is removed,
/// so a retry starts clean and no partial bag is handed out.
public struct BagWriter: Sendable {
    /// Refuse names that FAT/exFAT drives cannot hold (on by default, because
    /// the target is usually a USB drive).
    public var requirePortableNames: Bool

    public init(requirePortableNames: Bool = true) {
        self.requirePortableNames = requirePortableNames
    }

    public static let bagitDeclaration = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

    /// Writes the bag at `bag` (a folder that must not exist yet, inside an
    /// existing folder), verifies it by re-reading, and returns its receipt.
    public func write(bagAt bag: URL, payload: [BagPayloadItem], info: BagInfo, tagFiles: [BagTagFile] = [],
                      progress: (BagProgress) -> Void = { _ in }) throws(BagExportError) -> BagReceipt {
        let plan = try makePlan(payload: payload, info: info, tagFiles: tagFiles)
        let root = bag.standardizedFileURL.path
        let target = try HeldFolder.open((root as NSString).deletingLastPathComponent)
        let folder = try target.makeNew((root as NSString).lastPathComponent)
        do throws(BagExportError) {
            return try fill(root: root, folder: folder, target: target, bag: bag, plan: plan, info: info, tagFiles: tagFiles,
                            progress: progress)
        } catch {
            try? FileManager.default.removeItem(atPath: root)
            throw error
        }
    }

    struct PlannedFile {
        var item: BagPayloadItem
        var components: [String]
        var size: Int64
        var bagPath: String { "data/" + components.joined(separator: "/") }
    }

    /// Every check that can be made before touching the drive.
    func makePlan(payload: [BagPayloadItem], info: BagInfo,
                  tagFiles: [BagTagFile]) throws(BagExportError) -> [PlannedFile] {
        guard !payload.isEmpty else { throw .emptyPayload }
        try info.validate()
        var tagNames = Set<String>()
        for tag in tagFiles {
            try BagPaths.checkTagFileName(tag.name)
            guard tagNames.insert(tag.name.lowercased()).inserted else { throw .duplicatePath(tag.name) }
        }
        var seen = Set<String>()
        var plan: [PlannedFile] = []
        for item in payload {
            let parts = try BagPaths.components(of: item.path, portable: requirePortableNames)
            let joined = parts.joined(separator: "/")
            // FAT and exFAT ignore case, so two names differing only in case collide there.
            guard seen.insert(requirePortableNames ? joined.lowercased() : joined).inserted else {
                throw .duplicatePath(item.path)
            }
            let fd = try SecureFileIO.openRegularFile(item.source.path)
            var st = stat()
            _ = fstat(fd, &st)
            close(fd)
            plan.append(PlannedFile(item: item, components: parts, size: Int64(st.st_size)))
        }
        return plan
    }

    func fill(root: String, folder: HeldFolder, target: HeldFolder, bag: URL, plan: [PlannedFile], info: BagInfo,
              tagFiles: [BagTagFile], progress: (BagProgress) -> Void) throws(BagExportError) -> BagReceipt {
        let total = plan.reduce(Int64(0)) { $0 + $1.size }
        // Every folder of the bag, held open from the target folder down, by its path under the bag.
        var folders = ["data": try folder.ensure("data")]
        var entries: [BagManifestEntry] = []
        var done: Int64 = 0
        for (index, file) in plan.enumerated() {
            var dir = "data"
            for part in file.components.dropLast() {
                let parent = folders[dir]!
                dir += "/" + part
                if folders[dir] == nil { folders[dir] = try parent.ensure(part) }
            }
            func report(_ bytes: Int64) {
                progress(BagProgress(phase: .copying, file: file.bagPath, fileIndex: index,
                                     fileCount: plan.count, bytesDone: bytes, bytesTotal: total))
            }
            report(done)
            let copied = try SecureFileIO.copy(from: file.item.source.path, to: folders[dir]!, name: file.components.last!) { n in
                done += Int64(n)
                report(done)
            }
            if let expected = file.item.expectedSHA256?.lowercased(), expected != copied.sha256 {
                throw .sourceHashMismatch(path: file.item.source.path, expected: expected, actual: copied.sha256)
            }
            entries.append(BagManifestEntry(path: file.bagPath, sha256: copied.sha256, bytes: copied.bytes))
        }
        progress(BagProgress(phase: .writingTags, file: nil, fileIndex: plan.count, fileCount: plan.count,
                             bytesDone: done, bytesTotal: total))
        let oxum = "\(entries.reduce(Int64(0)) { $0 + $1.bytes }).\(entries.count)"
        var tags: [BagManifestEntry] = []
        func tag(_ name: String, _ data: Data) throws(BagExportError) {
            let written = try SecureFileIO.writeNewFile(in: folder, name, data)
            tags.append(BagManifestEntry(path: name, sha256: written.sha256, bytes: written.bytes))
        }
        try tag("manifest-sha256.txt", Data(Self.manifest(entries).utf8))
        try tag("bagit.txt", Data(Self.bagitDeclaration.utf8))
        try tag("bag-info.txt", Data(info.render(payloadOxum: oxum).utf8))
        for extra in tagFiles { try tag(extra.name, extra.contents) }
        let tagManifest = try SecureFileIO.writeNewFile(in: folder, "tagmanifest-sha256.txt", Data(Self.manifest(tags).utf8))
        // Deepest folders first, then the bag itself and the folder holding it.
        for dir in folders.keys.sorted(by: { $0.count > $1.count }) { try folders[dir]!.sync() }
        try folder.sync()
        try target.sync()

        progress(BagProgress(phase: .verifying, file: nil, fileIndex: plan.count, fileCount: plan.count,
                             bytesDone: done, bytesTotal: total))
        let problems = BagVerifier.verify(bagAt: bag)
        guard problems.isEmpty else { throw .verificationFailed(problems.map(\.message)) }
        progress(BagProgress(phase: .done, file: nil, fileIndex: plan.count, fileCount: plan.count,
                             bytesDone: done, bytesTotal: total))
        return BagReceipt(bagURL: bag, payloadOxum: oxum, payload: entries, tagFiles: tags,
                          tagManifestSHA256: tagManifest.sha256)
    }

    /// Manifest text: "<sha256>  <encoded path>" per line, sorted by path so the
    /// same export always gives the same bytes.
    static func manifest(_ entries: [BagManifestEntry]) -> String {
        entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
            .map { "\($0.sha256)  \(BagPaths.manifestEncode($0.path))\n" }
            .joined()
    }
}
