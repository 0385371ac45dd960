import CustodyCatalog
import CustodyCore
import CustodyIngest
import CustodyServer
import Dispatch
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// One station for the whole process, in a fresh temp folder: catalog, store, spool and the
/// daemon's real admin server (`AdminServer`, Hummingbird) on a Unix socket there. The fuzzer runs
/// as root, so the kernel names root as the caller and every role's routes are reached. The API cannot
/// make clips, so a few are ingested first through the real copier and catalog: the clip routes
/// (annotate, retain, holds, confidentiality, access requests, disc planning) then have something
/// to act on. Their hashes are fixed by their bytes (see `clips`), for the seeds and dictionary.
final class Station: Sendable {
    static let shared = Station()

    /// The admin server's socket.
    let socketPath: String

    /// Source path and bytes of each clip ingested at start.
    static let clips: [(path: String, bytes: String)] = [
        ("DCIM/100MEDIA/A7K2931_012345_20261127083000_0001.MP4", "fuzz clip one"),
        ("DCIM/100MEDIA/A7K2931_012345_20261127090000_0002.MP4", "fuzz clip two"),
        ("DCIM/100MEDIA/A7K2931_012346_20261128100000_0003.JPG", "fuzz photo three"),
    ]

    /// Where the station lives (under `FUZZ_HTTP_DIR`, else the temp folder), removed when the
    /// process exits. Not under /dev (so not /dev/shm): xorriso refuses to read or write images
    /// there, and disc verification would fail for that reason alone.
    static let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["FUZZ_HTTP_DIR"] ?? NSTemporaryDirectory())
        .appendingPathComponent("custody-fuzzhttp-\(getpid())")

    private init() {
        let root = Self.folder
        Self.removeLeftovers(in: root.deletingLastPathComponent())
        var config = CustodyConfig(
            paths: .init(store: root.appendingPathComponent("store").path, catalog: root.appendingPathComponent("catalog.sqlite").path,
                         socket: root.appendingPathComponent("custodyd.sock").path, spool: root.appendingPathComponent("spool").path),
            watch: .init(mountRoots: [root.appendingPathComponent("media").path], dropDirs: []),
            policy: .init(uploadDeadlineHours: 24, retentionMonths: 6),
            station: .init(unit: "某某县公安局交警大队", timeZone: "Asia/Shanghai"))
        config.discs.burner = "spool"
        let logger = Logger(label: "fuzz-http", factory: { _ in SwiftLogNoOpLogHandler() })
        do {
            let catalog = try Catalog(path: config.paths.catalog)
            let store = try EvidenceStore(root: config.paths.store)
            try FileManager.default.createDirectory(atPath: config.paths.spool, withIntermediateDirectories: true)
            let monitor = IngestMonitor()
            let rules = PolicySource(config: config, catalog: catalog, logger: logger)
            try Self.ingestClips(into: catalog, store: store, media: root.appendingPathComponent("media"), policy: rules.policy)
            let integrity = try StationIntegrity(config: config, catalog: catalog, monitor: monitor, logger: logger)
            integrity.startFullCheck()
            let api = APIHandlers(config: config, catalog: catalog, store: store, monitor: monitor, rules: rules,
                                  integrity: integrity, startedAt: Date(), logger: logger)
            socketPath = config.paths.socket
            Self.serve(api, socketPath: socketPath, logger: logger)
        } catch {
            fatalError("cannot set up the station in \(root.path): \(error)")
        }
        atexit { try? FileManager.default.removeItem(at: Station.folder) }
    }

    /// Removes the stations of runs that ended without cleaning up (a crash skips `atexit`).
    private static func removeLeftovers(in base: URL) {
        let prefix = "custody-fuzzhttp-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid == getpid() || kill(pid, 0) != 0 else { continue }
            try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
        }
    }

    /// Copies each of `clips` into the store and catalogs it, as one dump of one camera.
    private static func ingestClips(into catalog: Catalog, store: EvidenceStore, media: URL, policy: MatchPolicy) throws {
        let dump = try catalog.startDump(sourceKind: "mount", mountPoint: media.path, mountSource: "/dev/sdb1", fsType: "vfat",
                                         mountKey: "fuzz", mountID: 1)
        let copier = VerifiedCopier(store: store)
        for (index, clip) in clips.enumerated() {
            let source = media.appendingPathComponent(clip.path)
            try FileManager.default.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(clip.bytes.utf8).write(to: source)
            let fd = open(source.path, O_RDONLY)
            guard fd >= 0 else { throw CocoaError(.fileReadNoPermission) }
            defer { close(fd) }
            let copy = try copier.copy(sourceFD: fd, displayPath: clip.path)
            let recorded = Date(timeIntervalSince1970: 1_795_000_000 + Double(index) * 3_600)
            let item = Clip(sha256: copy.sha256, sizeBytes: copy.size, mediaKind: clip.path.hasSuffix("JPG") ? "photo" : "video",
                            format: clip.path.hasSuffix("JPG") ? "jpeg" : "mp4", recordedAt: recorded, durationSeconds: 30,
                            timeSource: "filename", deviceSerial: "A7K2931", officerBadge: index == 2 ? "012346" : "012345",
                            ingestedAt: Date(), dueAt: nil, late: false, flags: [], sourcePath: clip.path)
            try catalog.record(IngestedFile(dumpID: dump.id, sourcePath: RawPath(clip.path), sourceSize: copy.size, sourceMtime: nil,
                                            clip: item, grammar: nil), policy: policy)
        }
    }

    /// Starts the admin server as the daemon does (a `Service` in a `ServiceGroup`) and returns
    /// once it listens.
    private static func serve(_ api: APIHandlers, socketPath: String, logger: Logger) {
        let listening = DispatchSemaphore(value: 0)
        let server = AdminServer(api: api, socketPath: socketPath, socketGroup: nil, logger: logger) { listening.signal() }
        Task.detached {
            let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
            do {
                try await group.run()
            } catch {
                fatalError("the admin server stopped: \(error)")
            }
        }
        guard listening.wait(timeout: .now() + 30) == .success else { fatalError("the admin server did not start listening") }
    }
}
