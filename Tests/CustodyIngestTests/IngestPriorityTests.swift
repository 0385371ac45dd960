import Foundation
import Synchronization
import Testing
@testable import CustodyIngest

/// The ingest's threads run at nice 10 so the daemon's server answers first on a busy station
/// (issue 21, item 1: API p99 < 50 ms while twelve cameras ingest). Every kind of thread the
/// ingest starts is checked here: a dump's own thread (`startThread`), the staging workers
/// (`OrderedPipeline`), the read-back workers (`ParallelMap`) and a copy's hashing thread (`Ring`).
/// Each is named for `top -H` and /proc, and the thread that starts them keeps its priority.
@Suite("Ingest threads yield the CPU to the server") struct IngestPriorityTests {
    @Test("a thread started for the ingest runs at nice 10 under its name; its starter keeps its own")
    func startedThread() throws {
        let before = try #require(IngestPriority.currentThreadNice())
        let seen = Mutex<(Int32?, String)>((nil, ""))
        let done = DispatchSemaphore(value: 0)
        IngestPriority.startThread(.dump) {
            seen.withLock { $0 = (IngestPriority.currentThreadNice(), Self.threadName()) }
            done.signal()
        }
        done.wait()
        #expect(seen.withLock { $0.0 } == max(before, IngestPriority.nice))
        #expect(seen.withLock { $0.1 } == "custody-ingest")
        #expect(IngestPriority.currentThreadNice() == before)
    }

    /// Nice 10, or the test process's own if it runs lower still.
    private static func expected() throws -> Int32 { max(try #require(IngestPriority.currentThreadNice()), IngestPriority.nice) }

    @Test("the staging workers run at nice 10, named custody-stage")
    func stagingWorkers() throws {
        let expected = try Self.expected()
        let pipeline = OrderedPipeline(count: 8, width: 4, lookahead: 8) { _ in Seen(nice: IngestPriority.currentThreadNice(), name: Self.threadName()) }
        var seen: [Seen] = []
        while let one = pipeline.next() { seen.append(one) }
        #expect(seen.count == 8)
        #expect(seen.allSatisfy { $0 == Seen(nice: expected, name: "custody-stage") }, "\(seen)")
    }

    @Test("the read-back workers run at nice 10, named custody-verify")
    func readBackWorkers() throws {
        let expected = try Self.expected()
        let seen = ParallelMap.run(Array(0..<8), width: 4) { _ in Seen(nice: IngestPriority.currentThreadNice(), name: Self.threadName()) }
        #expect(seen.count == 8)
        #expect(seen.allSatisfy { $0 == Seen(nice: expected, name: "custody-verify") }, "\(seen)")
    }

    @Test("a copy's hashing thread runs at nice 10, named custody-hash")
    func hashingThread() throws {
        let expected = try Self.expected()
        let ring = try Ring(count: 2, slotBytes: 64 << 10)
        let hashing = Mutex<[Seen]>([])
        var fills = 0
        _ = try ring.run(threaded: true, fill: { buffer, capacity in
            fills += 1
            // From the third fill on, the hashing thread has freed a slot: it is running.
            if fills == 3 { hashing.withLock { $0 = Self.threads().filter { $0.name == "custody-hash" } } }
            guard fills <= 4 else { return 0 }
            memset(buffer, 0x5a, capacity)
            return capacity
        }, drain: { _ in })
        let seen = hashing.withLock { $0 }
        #expect(!seen.isEmpty && seen.allSatisfy { $0.nice == expected }, "the hashing thread, by name and nice: \(seen)")
    }

    @Test("every kind of ingest thread has a name the kernel takes (at most 15 bytes)")
    func namesFit() {
        for kind in IngestPriority.ThreadKind.allCases { #expect(kind.rawValue.utf8.count <= 15, "\(kind.rawValue)") }
    }

    struct Seen: Sendable, Equatable { var nice: Int32?; var name: String }

    /// The calling thread's name as the kernel has it.
    private static func threadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// This process's threads: name and nice value (field 19 of /proc/self/task/TID/stat).
    private static func threads() -> [Seen] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.compactMap { tid in
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 16 else { return nil }
            return Seen(nice: Int32(fields[16]), name: String(stat[stat.index(after: open)..<close]))  // field 19 overall: 3 + 16
        }
    }
}
