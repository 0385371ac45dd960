import Foundation
import Glibc
import Synchronization
import Testing
@testable import CustodyIngest

/// Store barriers of several cameras' committers are joined (issue 21, item 1): never released
/// by a barrier that was already under way when they asked, and told of a failure that was theirs.
@Suite("Store barrier") struct StoreBarrierTests {
    /// A model of the store: writes are numbered; a barrier makes durable the writes done
    /// before it began (as `syncfs` does), and only once it ends.
    final class Disk: Sendable {
        let state = Mutex((written: 0, durable: 0, began: 0, ended: 0))
        func write() -> Int { state.withLock { $0.written += 1; return $0.written } }
        func sync() {
            let covers = state.withLock { $0.began += 1; return $0.written }
            usleep(30_000)
            state.withLock { $0.ended += 1; $0.durable = max($0.durable, covers) }
        }
    }

    @Test("callers asking while a barrier runs share the next one, and each is released only by a barrier begun after it wrote")
    func joined() throws {
        let barrier = StoreBarrier()
        let disk = Disk()
        let callers = 12
        let notDurable = Mutex(0)
        let group = DispatchGroup()
        for index in 0..<callers {
            group.enter()
            Thread.detachNewThread {  // threads of their own: the dispatch pool runs two at a time here
                defer { group.leave() }
                if index > 0 { usleep(2_000) }  // the first leads; the rest write while it runs
                let mine = disk.write()
                try? barrier.run { disk.sync() }
                if disk.state.withLock({ $0.durable }) < mine { notDurable.withLock { $0 += 1 } }
            }
        }
        group.wait()
        let counts = disk.state.withLock { $0 }
        #expect(notDurable.withLock { $0 } == 0, "a caller was released before its write was durable")
        #expect(counts.began == counts.ended)
        #expect(counts.began < callers, "\(counts.began) barriers for \(callers) callers: none was joined")
        #expect(barrier.barriersRun == UInt64(counts.began))
    }

    struct Full: Error {}


    @Test("a barrier that fails is reported to every caller it was to cover, and the next caller runs a new one")
    func failureReachesEveryone() {
        let barrier = StoreBarrier()
        let failures = Mutex(0)
        let group = DispatchGroup()
        for index in 0..<6 {
            group.enter()
            Thread.detachNewThread {  // threads of their own: the dispatch pool runs two at a time here
                defer { group.leave() }
                if index > 0 { usleep(2_000) }
                do {
                    try barrier.run { usleep(20_000); throw Full() }
                } catch is Full {
                    failures.withLock { $0 += 1 }
                } catch {}
            }
        }
        group.wait()
        #expect(failures.withLock { $0 } == 6)
        var ran = false
        #expect(throws: Never.self) { try barrier.run { ran = true } }
        #expect(ran)
    }
}
