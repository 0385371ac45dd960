import Foundation
import Glibc
import Synchronization
import Testing
@testable import CustodyIngest

/// The ordered staging pipeline (performance issue): items run on several threads, at most
/// `lookahead` ahead of the consumer, and come back in item order; a cancel hands back what was
/// done and not taken, so the ingest can remove those temp files.
@Suite("Ordered pipeline") struct OrderedPipelineTests {
    @Test("results come back in item order although items finish out of order")
    func inOrder() {
        let pipeline = OrderedPipeline(count: 200, width: 4, lookahead: 16) { index -> Int in
            usleep(UInt32((index * 7919) % 5) * 200)  // later items often finish first
            return index * 3
        }
        var got: [Int] = []
        while let value = pipeline.next() { got.append(value) }
        #expect(got == (0..<200).map { $0 * 3 })
        #expect(pipeline.cancel().isEmpty)
    }

    @Test("no more than lookahead items are started ahead of the consumer")
    func boundedLookahead() {
        let (pipeline, started) = Self.counting(count: 100, width: 4, lookahead: 8)
        // The workers run ahead as far as they may, and no further.
        #expect(Self.settle { started.value } == 8)
        #expect(pipeline.next() == 0)
        #expect(Self.settle { started.value } == 9)
        _ = pipeline.cancel()
    }

    @Test("cancel stops the workers and returns every result done and not taken, exactly once")
    func cancelReturnsUntaken() {
        let (pipeline, started) = Self.counting(count: 1000, width: 3, lookahead: 12)
        for expected in 0..<5 { #expect(pipeline.next() == expected) }
        #expect(Self.settle { started.value } == 17)
        let rest = pipeline.cancel()
        #expect(rest == Array(5..<17), "the 12 items claimed ahead, in order")
        #expect(pipeline.next() == nil)
        #expect(pipeline.cancel().isEmpty)
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func increment() { count.withLock { $0 += 1 } }
    }

    /// A pipeline whose items are their own index, counting the items started.
    static func counting(count: Int, width: Int, lookahead: Int) -> (OrderedPipeline<Int>, Counter) {
        let started = Counter()
        let pipeline = OrderedPipeline(count: count, width: width, lookahead: lookahead) { index -> Int in
            started.increment()
            return index
        }
        return (pipeline, started)
    }

    /// The value once it has stopped changing for 100 ms (or after 10 s).
    static func settle(_ read: () -> Int) -> Int {
        var last = read(), stableSince = Date()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            usleep(10_000)
            let now = read()
            if now != last { last = now; stableSince = Date() } else if Date().timeIntervalSince(stableSince) >= 0.1 { break }
        }
        return last
    }

    @Test("an empty pipeline ends at once")
    func empty() {
        let pipeline = OrderedPipeline(count: 0, width: 4, lookahead: 16) { $0 }
        #expect(pipeline.next() == nil)
        #expect(pipeline.cancel().isEmpty)
    }
}
