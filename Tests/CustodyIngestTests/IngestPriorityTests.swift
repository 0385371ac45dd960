import Foundation
import Synchronization
import Testing
@testable import CustodyIngest

/// The ingest's threads run at nice 10 so the daemon's server answers first on a busy station
/// (issue 21, item 1: API p99 < 50 ms while twelve cameras ingest). Every kind of thread the
/// ingest starts is checked here: a dump's own thread (`startThread`), the staging workers
/// (`OrderedPipeline`), the read-back workers (`ParallelMap`) and a copy's hashing thread (`Ring`).
/// The thread that starts them keeps its priority.
@Suite("Ingest threads yield the CPU to the server") struct IngestPriorityTests {
    @Test("a thread started for the ingest runs at nice 10; its starter keeps its own")
    func startedThread() throws {
        let before = try #require(IngestPriority.currentThreadNice())
        let seen = Mutex<Int32?>(nil)
        let done = DispatchSemaphore(value: 0)
        IngestPriority.startThread(name: "custody-ingest") {
            seen.withLock { $0 = IngestPriority.currentThreadNice() }
            done.signal()
        }
        done.wait()
        #expect(seen.withLock { $0 } == max(before, IngestPriority.nice))
        #expect(IngestPriority.currentThreadNice() == before)
    }

    /// Nice 10, or the test process's own if it runs lower still.
    private static func expected() throws -> Int32 { max(try #require(IngestPriority.currentThreadNice()), IngestPriority.nice) }

    @Test("the staging workers run at nice 10")
    func stagingWorkers() throws {
        let expected = try Self.expected()
        let pipeline = OrderedPipeline(count: 8, width: 4, lookahead: 8) { _ in IngestPriority.currentThreadNice() }
        var seen: [Int32?] = []
        while let nice = pipeline.next() { seen.append(nice) }
        #expect(seen.count == 8)
        #expect(seen.allSatisfy { $0 == expected })
    }

    @Test("the read-back workers run at nice 10")
    func readBackWorkers() throws {
        let expected = try Self.expected()
        let seen = ParallelMap.run(Array(0..<8), width: 4) { _ in IngestPriority.currentThreadNice() }
        #expect(seen.count == 8)
        #expect(seen.allSatisfy { $0 == expected })
    }

    @Test("a copy's hashing thread runs at nice 10")
    func hashingThread() throws {
        let expected = try Self.expected()
        let ring = try Ring(count: 2, slotBytes: 64 << 10)
        let niced = Mutex<Set<String>>([])
        var fills = 0
        _ = try ring.run(threaded: true, fill: { buffer, capacity in
            fills += 1
            // From the third fill on, the hashing thread has freed a slot: it is running, lowered.
            if fills == 3 { niced.withLock { $0 = Self.threadsAtNice(expected) } }
            guard fills <= 4 else { return 0 }
            memset(buffer, 0x5a, capacity)
            return capacity
        }, drain: { _ in })
        #expect(!niced.withLock { $0 }.isEmpty, "no thread of this process ran at nice 10 while the ring hashed")
    }

    /// Thread ids of this process whose nice value (field 19 of /proc/self/task/TID/stat) is `nice`.
    private static func threadsAtNice(_ nice: Int32) -> Set<String> {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return Set(tasks.filter { tid in
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 16 && Int32(fields[16]) == nice  // field 19 overall: 3 + 16
        })
    }
}
