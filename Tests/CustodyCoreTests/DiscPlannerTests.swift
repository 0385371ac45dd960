import CustodyCore
import Foundation
import Testing

private let base = Date(timeIntervalSince1970: 1_767_225_600)
private let mb: Int64 = 1_000_000

private func item(_ n: Int, _ size: Int64, _ caseKey: String? = nil) -> DiscItem {
    DiscItem(id: String(format: "%064x", n), sizeBytes: size, caseKey: caseKey,
             queuedAt: base.addingTimeInterval(Double(n) * 60))
}

/// 30 long-term clips: three cases, big caseless clips and small ones.
private func thirtyClips() -> [DiscItem] {
    var items: [DiscItem] = []
    let cases: [(String, [Int64])] = [("A2026-001", [800, 760, 820]), ("A2026-002", [300, 310, 290, 305]),
                                      ("A2026-003", [1200, 1150])]
    var n = 0
    for (key, sizes) in cases {
        for size in sizes { n += 1; items.append(item(n, size * mb + Int64(n), key)) }
    }
    for size in [1400, 450, 990, 620, 1310, 530, 870, 700] as [Int64] { n += 1; items.append(item(n, size * mb + 7)) }
    for size in [12, 88, 45, 67, 23, 91, 55, 38, 74, 19, 83, 61, 29] as [Int64] { n += 1; items.append(item(n, size * mb + 3)) }
    return items
}

@Test func thirtyClipsOnDVD() {
    let items = thirtyClips()
    #expect(items.count == 30)
    let plan = DiscPlanner.plan(items: items, media: .dvd, requireFull: false)
    #expect(plan.refused.isEmpty)
    #expect(plan.leftover.isEmpty)
    #expect(plan.sets.count >= 3)
    let planned = plan.sets.flatMap(\.items)
    #expect(planned.count == 30)
    #expect(Set(planned.map(\.id)).count == 30)
    for (index, set) in plan.sets.enumerated() {
        let used = set.items.reduce(Int64(0)) { $0 + $1.footprintBytes }
        #expect(used == set.usedBytes)
        #expect(used <= DiscMedia.dvd.capacityBytes - DiscSpace.defaultReserveBytes(for: .dvd))
        if index < plan.sets.count - 1 {
            #expect(set.fillRatio >= 0.98, "set \(index) fill \(set.fillRatio)")
        }
    }
    for key in ["A2026-001", "A2026-002", "A2026-003"] {
        let holding = plan.sets.filter { $0.items.contains { $0.caseKey == key } }
        #expect(holding.count == 1, "case \(key) spread over \(holding.count) sets")
    }
    // Deterministic regardless of input order.
    let again = DiscPlanner.plan(items: items.reversed(), media: .dvd, requireFull: false)
    #expect(again == plan)
}

@Test func requireFullLeavesUnderfilledSetOver() {
    let plan = DiscPlanner.plan(items: thirtyClips(), media: .dvd, requireFull: true)
    #expect(!plan.leftover.isEmpty)
    #expect(plan.sets.allSatisfy { $0.fillRatio >= 0.98 })
    #expect(plan.sets.flatMap(\.items).count + plan.leftover.count == 30)
}

@Test func oversizeClipIsRefusedWithMessage() {
    let big = item(99, 5_000 * mb)
    let plan = DiscPlanner.plan(items: [big, item(1, 100 * mb)], media: .dvd, requireFull: false)
    #expect(plan.refused.count == 1)
    let reason = plan.refused.first?.reason ?? ""
    #expect(reason.contains(big.id))
    #expect(reason.contains("4.66 GiB"))      // the clip's size
    #expect(reason.contains("DVD光盘"))
    #expect(reason.contains("dvd-dl"))
    #expect(reason.contains("never split"))
    #expect(plan.sets.flatMap(\.items).map(\.id) == [item(1, 100 * mb).id])
}

@Test func caseLargerThanDiscIsSplitAcrossConsecutiveSets() {
    let items = (1...8).map { item($0, 1_500 * mb, "BIG-CASE") } + (20...40).map { item($0, 80 * mb) }
    let plan = DiscPlanner.plan(items: items, media: .dvd, requireFull: false)
    let indices = plan.sets.indices.filter { plan.sets[$0].splitCase?.caseKey == "BIG-CASE" }
    #expect(indices.count == 3)
    #expect(indices == Array(indices.first!...indices.last!))
    #expect(plan.notes.contains { $0.contains("BIG-CASE") && $0.contains("split") })
    #expect(plan.sets.flatMap(\.items).filter { $0.caseKey == "BIG-CASE" }.count == 8)
}

@Test func footprintRoundsToSectorsPlusOverhead() {
    #expect(DiscSpace.footprint(ofFileSize: 1) == 2048 + DiscSpace.perFileOverheadBytes)
    #expect(DiscSpace.footprint(ofFileSize: 2048) == 2048 + DiscSpace.perFileOverheadBytes)
    #expect(DiscSpace.footprint(ofFileSize: 2049) == 4096 + DiscSpace.perFileOverheadBytes)
    #expect(DiscMedia(rawValue: "dvd-dl") == .dvdDL)
    #expect(DiscMedia.cd.capacityBytes == 360_000 * 2048)
}

@Test func scheduleTriggersOnFullQueueOrAge() {
    let now = base.addingTimeInterval(86_400 * 10)
    let full = DiscSchedule.shouldPlan(queuedBytes: 4_650_000_000, oldestQueuedAt: now, now: now,
                                       maxWaitDays: 30, media: .dvd)
    #expect(full.plan)
    let young = DiscSchedule.shouldPlan(queuedBytes: 100 * mb, oldestQueuedAt: base, now: now,
                                        maxWaitDays: 30, media: .dvd)
    #expect(!young.plan)
    let old = DiscSchedule.shouldPlan(queuedBytes: 100 * mb, oldestQueuedAt: base, now: now,
                                      maxWaitDays: 7, media: .dvd)
    #expect(old.plan && old.reason.contains("waited"))
    #expect(!DiscSchedule.shouldPlan(queuedBytes: 0, oldestQueuedAt: nil, now: now, maxWaitDays: 1, media: .cd).plan)
}
