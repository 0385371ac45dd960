import CustodyCatalog
import CustodyCore
import Foundation
import Glibc

extension DumpIngestor {
    /// One recording removed from a camera: what the release manifest lists.
    struct Released: Codable {
        var path: String
        var sha256: String
        var size: UInt64
    }

    /// Releasing the camera (attribution issue, item 7; the peers' "delete after verified upload"),
    /// after a complete dump, only when an admin enabled it in the device's profile:
    /// - never for a drop folder, an unregistered or unrecognised camera, or a dump with any file
    ///   refused or failed;
    /// - only recordings whose bytes this dump cataloged and the store holds (same path, size and
    ///   modification time as copied, the hash in the catalog, the object of that size in the store);
    /// - never on a read-only medium: the dump waits in `releasing` for the mount helper to
    ///   remount the camera read-write for this step alone, and releases nothing if it stays
    ///   read-only;
    /// - the manifest of what was removed (path, SHA-256, size) and what was kept, with why, in one
    ///   audit row (`dump.release`).
    /// - Returns: a line for the dump's summary, or nil when no release was due.
    func releaseCamera(recordings: [ScannedFile], dump: Dump, serial: String?, errors: Int64) throws -> String? {
        guard medium.kind == .mount, let serial, let device = try catalog.device(serial: serial), !device.placeholder,
              let profile = context.config.deviceProfiles.first(where: { $0.brand == device.brand }), profile.releaseAfterDump else { return nil }
        let object = "dump:\(dump.id)"
        guard errors == 0 else {
            let why = "\(errors) file(s) of the camera were refused or failed; nothing is removed from it"
            try catalog.audit(actor: "custodyd", action: "dump.release-refused", object: object, detail: ["device": serial, "reason": why])
            return "camera not released: " + why
        }
        let recorded = try catalog.recordedSources(dumpID: dump.id)
        var kept: [String: String] = [:]
        var candidates: [(ScannedFile, String)] = []
        for file in recordings {
            guard let source = recorded[file.path]?.last(where: { $0.size == file.size }),
                  try catalog.holdsClip(sha256: source.sha256), context.store.size(of: source.sha256) == file.size else {
                kept[file.path.display] = "not cataloged by this dump with its bytes in the store"
                continue
            }
            candidates.append((file, source.sha256))
        }
        guard try waitUntilWritable(dump: dump, seconds: profile.releaseWaitSeconds) else {
            let why = "the camera stayed read-only (the mount helper did not make it writable within \(Int(profile.releaseWaitSeconds)) s); nothing is removed from it"
            try catalog.audit(actor: "custodyd", action: "dump.release-skipped", object: object, detail: ["device": serial, "reason": why])
            return "camera not released: " + why
        }
        var removed: [Released] = []
        for (file, sha256) in candidates {
            do {
                try DumpScanner().removeFile(root: medium.root, path: file.path, size: file.size, mtime: file.mtime)
                removed.append(Released(path: file.path.display, sha256: sha256, size: file.size))
            } catch {
                kept[file.path.display] = "\(error)"
            }
        }
        let bytes = removed.reduce(UInt64(0)) { $0 + $1.size }
        try catalog.audit(actor: "custodyd", action: "dump.release", object: object,
                          detail: ["device": serial, "removed": String(removed.count), "bytes": String(bytes), "kept": String(kept.count),
                                   "manifest": String(decoding: (try? JSONEncoder.sorted.encode(removed)) ?? Data(), as: UTF8.self),
                                   "keptFiles": String(decoding: (try? JSONEncoder.sorted.encode(kept)) ?? Data(), as: UTF8.self)])
        logger.notice("camera released", metadata: ["dump": "\(dump.id)", "device": "\(serial)", "removed": "\(removed.count)", "kept": "\(kept.count)"])
        return "camera released: \(removed.count) recording(s) removed, \(kept.count) kept"
    }

    /// Whether the medium is writable, waiting (in the `releasing` state, which the mount helper
    /// watches for) up to `seconds` for it to be remounted read-write.
    private func waitUntilWritable(dump: Dump, seconds: Double) throws -> Bool {
        func writable() -> Bool {
            var fs = statvfs()
            return statvfs(medium.root, &fs) == 0 && fs.f_flag & UInt(ST_RDONLY) == 0
        }
        if writable() { return true }
        let reason = "every file verified and cataloged; waiting for the camera to be made writable to clear its recordings"
        try catalog.setDumpState(id: dump.id, .releasing, reason: reason)
        context.monitor.update(dump.id) { $0.state = .releasing; $0.message = reason }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && !stop.isSet {
            Thread.sleep(forTimeInterval: 0.5)
            if writable() { return true }
        }
        return writable()
    }
}

extension JSONEncoder {
    /// Sorted keys: the same manifest always reads (and hashes) the same.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
