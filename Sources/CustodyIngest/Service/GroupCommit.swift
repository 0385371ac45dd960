import CustodyCatalog
import CustodyCore
import Foundation
import Synchronization

/// Group commit (performance issue): the ingest thread stages files into batches, a committer
/// thread makes each batch durable, reads it back, renames and catalogs it.
extension DumpIngestor {
    /// Makes a staged batch durable, on the committer's first thread: one barrier for the data (or
    /// an fsync per file where syncfs is no barrier), read-back and rename of each, one barrier for
    /// the names (or an fsync per folder). `recordBatch` then catalogs what is ready.
    func verifyBatch(_ pending: [PendingFile], dumpID: Int64) -> VerifiedBatch {
        var batch = VerifiedBatch()
        var directories: Set<String> = []
        let barrier = context.store.syncfsIsBarrier
        // A batch of files hashed where they lie (a medium seen again) wrote nothing to make durable.
        let copies = pending.contains { $0.staged != nil }
        do {
            if barrier && copies {
                do {
                    try context.store.barrier()
                } catch StoreError.noSpace {
                    // Written but not storable (delayed allocation found no room): copy each again.
                    pending.forEach { $0.staged?.discard() }
                    batch.result.retry = pending.compactMap { $0.staged == nil ? nil : $0.file }
                    batch.ready = pending.filter { $0.staged == nil }
                    return batch
                }
            }
            // Read-backs run several at a time: each is a synchronous O_DIRECT read, and one at a
            // time kept the disk's queue nearly empty (10,000 photos: the committer was the bottleneck).
            // A file hashed where it lies whose bytes the store holds has nothing to verify.
            let copier = context.copier
            let finished = ParallelMap.run(pending, width: Self.readBackWidth) { item in
                Result { try item.staged.map { try copier.finish($0, dataDurable: barrier, syncDirectories: false).directories } ?? [] }
            }
            var failure: (any Error)?
            for (item, outcome) in zip(pending, finished) {
                switch outcome {
                case .success(let folders):
                    directories.formUnion(folders)
                    batch.ready.append(item)
                case .failure(StoreError.noSpace):
                    batch.result.retry.append(item.file)
                case .failure(let error as StoreError) where error.isVerificationFailure:
                    verificationFailed(item.file, error, dumpID: dumpID)
                    batch.result.errors += 1
                    batch.result.filesDone += 1
                    batch.result.bytesDone += Int64(item.file.size)
                case .failure(let error):
                    // Renamed objects of this batch stay uncataloged: startup recovery adopts them.
                    failure = failure ?? error
                }
            }
            if let failure { throw failure }
            guard !batch.ready.isEmpty, copies else { return batch }
            if barrier { try context.store.barrier() } else { try context.store.syncDirectories(directories) }
        } catch {
            batch.ready = []
            batch.result.failure = error
        }
        return batch
    }

    /// Catalogs a verified batch in one transaction, on the committer's second thread (while the
    /// first verifies the next batch). A clip is acknowledged (counted, shown) only after that.
    func recordBatch(_ batch: VerifiedBatch) -> BatchResult {
        var result = batch.result
        guard !batch.ready.isEmpty else { return result }
        do {
            let outcomes = try catalog.record(batch.ready.map(\.ingested), policy: context.rules.policy)
            for (item, outcome) in zip(batch.ready, outcomes) {
                CrashPoint.afterCommit.hit()  // counted per clip, as on the single path
                if outcome == .newClip { context.monitor.countIngested(bytes: item.ingested.clip.sizeBytes) }
                if outcome == .disposedClip { result.errors += 1; removeReturnedCopy(item.ingested.clip.sha256) }
                context.monitor.metrics.fileSeconds.record(item.elapsed)
                result.clips.append(item.ingested.clip)
                result.filesDone += 1
                result.bytesDone += Int64(item.file.size)
            }
        } catch {
            result.failure = result.failure ?? error
        }
        return result
    }

    /// A batch whose `ready` files are durable under their content addresses, not yet cataloged.
    struct VerifiedBatch: Sendable {
        var ready: [PendingFile] = []
        var result = BatchResult()
    }

    /// How many read-backs of a batch run at once.
    static let readBackWidth = 8

    /// What the committer did with one batch.
    struct BatchResult: Sendable {
        var clips: [Clip] = []
        var filesDone: Int64 = 0, bytesDone: Int64 = 0, errors: Int64 = 0
        var retry: [ScannedFile] = []
        var failure: (any Error)?
    }

    /// A file staged for the next group commit.
    struct PendingFile {
        let file: ScannedFile
        /// nil: the file was hashed where it lies and the store holds its bytes (item 0).
        let staged: PipelinedCopier.StagedCopy?
        let ingested: IngestedFile
        let elapsed: Duration
    }

    /// The files waiting for one barrier and one catalog transaction. A batch is committed
    /// at `[ingest] group_commit_files` files, `group_commit_mb` or `group_commit_ms` after its
    /// first file, whichever comes first (a larger clip is a batch of its own), and before a stop
    /// or an interruption: a clip waits at most that long to be acknowledged.
    struct GroupCommit {
        let maxFiles: Int, maxBytes: UInt64, maxSeconds: Double
        init(_ config: CustodyConfig.Ingest) {
            maxFiles = config.groupCommitFiles; maxBytes = config.groupCommitBytes; maxSeconds = config.groupCommitSeconds
        }
        var pending: [PendingFile] = []
        var bytes: UInt64 = 0
        var opened = Date()
        mutating func add(_ item: PendingFile) {
            if pending.isEmpty { opened = Date() }
            pending.append(item)
            bytes += item.staged?.size ?? 0
        }
        var isFull: Bool {
            pending.count >= maxFiles || bytes >= maxBytes || Date().timeIntervalSince(opened) >= maxSeconds
        }
    }
}

/// The committer of one dump, two serial stages on their own threads: the first makes a batch
/// durable and verifies it (barrier, read-back, rename, barrier), the second catalogs it. While
/// batch n is cataloged, n + 1 is verified and n + 2 staged by the ingest thread; `submit` waits
/// when both stages are busy. Batches reach the catalog in the order they were submitted.
final class BatchCommitter: Sendable {
    private let verifying = DispatchQueue(label: "custody.group-commit.verify")
    private let recording = DispatchQueue(label: "custody.group-commit.catalog")
    private let room = DispatchSemaphore(value: 1), recordRoom = DispatchSemaphore(value: 1)
    private let done = Mutex<[DumpIngestor.BatchResult]>([])

    func submit(verify: @escaping @Sendable () -> DumpIngestor.VerifiedBatch,
                record: @escaping @Sendable (DumpIngestor.VerifiedBatch) -> DumpIngestor.BatchResult) {
        room.wait()
        verifying.async { [self] in
            let verified = verify()
            recordRoom.wait()
            recording.async { [self] in
                let result = record(verified)
                done.withLock { $0.append(result) }
                recordRoom.signal()
            }
            room.signal()
        }
    }

    /// Results of the batches committed so far (without waiting).
    func finished() -> [DumpIngestor.BatchResult] {
        done.withLock { results in
            defer { results = [] }
            return results
        }
    }

    /// Waits for every submitted batch, then returns their results.
    func drain() -> [DumpIngestor.BatchResult] {
        verifying.sync {}
        recording.sync {}
        return finished()
    }
}

/// Maps items on up to `width` threads (blocking I/O, so not the cooperative pool); results in
/// the order of the items.
enum ParallelMap {
    static func run<T: Sendable, R: Sendable>(_ items: [T], width: Int, _ body: @escaping @Sendable (T) -> R) -> [R] {
        guard items.count > 1, width > 1 else { return items.map(body) }
        let work = Work(items: items, body: body)
        let group = DispatchGroup()
        for _ in 0..<min(width, items.count) {
            group.enter()
            IngestPriority.startThread(.verify) {
                work.drain()
                group.leave()
            }
        }
        group.wait()
        return work.results()
    }

    private final class Work<T: Sendable, R: Sendable>: Sendable {
        let items: [T]
        let body: @Sendable (T) -> R
        private let state: Mutex<(next: Int, results: [R?])>
        init(items: [T], body: @escaping @Sendable (T) -> R) {
            self.items = items
            self.body = body
            state = Mutex((0, Array(repeating: nil, count: items.count)))
        }
        func drain() {
            while true {
                let index = state.withLock { s -> Int in
                    defer { s.next += 1 }
                    return s.next
                }
                guard index < items.count else { return }
                let result = body(items[index])
                state.withLock { $0.results[index] = result }
            }
        }
        func results() -> [R] { state.withLock { $0.results.map { $0! } } }
    }
}
