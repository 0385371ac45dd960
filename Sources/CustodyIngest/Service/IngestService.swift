import CustodyCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Watches for camera media (mounts under the watched roots, drop folders) and runs one
/// ingest worker per medium. A `Service` of the daemon's `ServiceGroup`.
public struct IngestService: Service {
    let context: IngestContext
    let mountWatcher: MountWatcher
    let workers = WorkerRegistry()

    public init(context: IngestContext, mountWatcher: MountWatcher = MountWatcher()) {
        self.context = context
        self.mountWatcher = mountWatcher
    }

    public func run() async throws {
        let config = context.config.watch
        let drops = DropFolderWatcher(folders: config.dropDirs, settleSeconds: config.settleSeconds, logger: context.logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await cancelWhenGracefulShutdown {
                    var failing: String?
                    var setAside: Set<String> = []
                    for await reading in mountWatcher.readings() {
                        switch reading {
                        case .unreadable(let reason):
                            // The last table stands: nothing docked is taken for removed.
                            if failing == nil {
                                context.logger.error("mount table unreadable; keeping the last one and retrying", metadata: ["reason": "\(reason)"])
                                context.monitor.raiseAlarm("mount table unreadable (\(reason)): docked cameras are not seen until it can be read again; retrying every second")
                            }
                            failing = reason
                        case .table(let table):
                            if let reason = failing {
                                context.logger.notice("mount table readable again", metadata: ["after": "\(reason)"])
                                failing = nil
                            }
                            let present = MountTable.accepted(table, roots: config.mountRoots, types: config.filesystemTypes)
                            for mount in present.setAside where !setAside.contains(mount.key) {
                                context.logger.notice("mount is part of another medium; not a dump of its own",
                                                      metadata: ["mount": "\(mount.mountPoint)", "source": "\(mount.source)", "folder": "\(mount.fsRoot)"])
                            }
                            setAside = Set(present.setAside.map(\.key))
                            handle(present: present.kept.map(Medium.init(mount:)), kind: .mount)
                        }
                    }
                }
            }
            group.addTask {
                await cancelWhenGracefulShutdown {
                    for await ready in drops.readyMedia() {
                        start(ready)
                    }
                }
            }
            await group.waitForAll()
        }
        await workers.stopAll(logger: context.logger)
    }

    /// Starts workers for new media; notes media that vanished (their workers see the read errors).
    func handle(present: [Medium], kind: Medium.Kind) {
        for medium in present { start(medium) }
        for gone in workers.forget(kind: kind, keeping: Set(present.map(\.key))) {
            context.logger.info("medium removed", metadata: ["medium": "\(gone.root)"])
        }
    }

    func start(_ medium: Medium) {
        let stop = StopFlag()
        guard workers.claim(medium, stop: stop) else { return }
        context.logger.info("medium appeared", metadata: ["medium": "\(medium.root)", "fsType": "\(medium.fsType)"])
        let ingestor = DumpIngestor(medium: medium, context: context, stop: stop)
        IngestPriority.startThread(.dump) { [workers] in
            ingestor.run()
            if let again = workers.finished(medium) { start(again) }
        }
    }
}

/// Which media have a worker (running, or done while the medium is still present).
final class WorkerRegistry: Sendable {
    private struct Entry {
        var medium: Medium
        var stop: StopFlag
        var running: Bool
        /// False once the medium left the mount table (or a drop folder settled again).
        var present = true
        /// The medium came back while its old worker was still winding down.
        var pending: Medium?
    }
    private let entries = Mutex<[String: Entry]>([:])

    /// Registers a worker for a medium unless one is running or it was already handled while present.
    func claim(_ medium: Medium, stop: StopFlag) -> Bool {
        entries.withLock { entries in
            if var existing = entries[medium.key] {
                if existing.running {
                    if !existing.present || medium.kind == .drop {
                        existing.pending = medium
                        entries[medium.key] = existing
                    }
                    return false
                }
                if existing.present && medium.kind == .mount { return false }
            }
            entries[medium.key] = Entry(medium: medium, stop: stop, running: true)
            return true
        }
    }

    /// Marks a worker done; returns a medium to start again if it came back meanwhile.
    func finished(_ medium: Medium) -> Medium? {
        entries.withLock { entries in
            guard var entry = entries[medium.key] else { return nil }
            entry.running = false
            let again = entry.pending
            entry.pending = nil
            if !entry.present && again == nil {
                entries.removeValue(forKey: medium.key)
            } else {
                entries[medium.key] = entry
            }
            if again != nil { entries[medium.key]?.present = false }
            return again
        }
    }

    /// Marks media of `kind` that are no longer present; forgets the idle ones; returns them.
    func forget(kind: Medium.Kind, keeping: Set<String>) -> [Medium] {
        entries.withLock { entries in
            let gone = entries.values.filter { $0.medium.kind == kind && $0.present && !keeping.contains($0.medium.key) }
            for entry in gone {
                if entry.running {
                    entries[entry.medium.key]?.present = false
                } else {
                    entries.removeValue(forKey: entry.medium.key)
                }
            }
            return gone.map(\.medium)
        }
    }

    var runningCount: Int { entries.withLock { $0.values.filter(\.running).count } }

    /// Asks every worker to stop after its current file and waits (bounded) for them.
    func stopAll(logger: Logger) async {
        entries.withLock { $0.values.forEach { $0.stop.set() } }
        for _ in 0..<300 where runningCount > 0 {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if runningCount > 0 { logger.warning("ingest workers still running at shutdown", metadata: ["count": "\(runningCount)"]) }
    }
}
