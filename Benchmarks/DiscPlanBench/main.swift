import CustodyCore
import Foundation

/// Deterministic SplitMix64 so every run plans the same queue.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// 100,000 body-camera clips: 5 MB to 2 GB (mostly small), 30 % in cases of 2–20 clips.
func makeQueue(count: Int) -> [DiscItem] {
    var rng = SplitMix64(state: 42)
    let start = Date(timeIntervalSince1970: 1_767_225_600)
    var items: [DiscItem] = []
    items.reserveCapacity(count)
    var caseNumber = 0
    var caseLeft = 0
    for index in 0..<count {
        let exponent = Double.random(in: 0...1, using: &rng)
        let size = Int64(5_000_000 * pow(400, exponent * exponent))
        var caseKey: String?
        if caseLeft == 0, Int.random(in: 0..<100, using: &rng) < 5 {
            caseNumber += 1
            caseLeft = Int.random(in: 2...20, using: &rng)
        }
        if caseLeft > 0 {
            caseKey = "CASE-\(caseNumber)"
            caseLeft -= 1
        }
        let id = String(format: "%016llx%048d", rng.next(), index)
        items.append(DiscItem(id: id, sizeBytes: size, caseKey: caseKey,
                              queuedAt: start.addingTimeInterval(Double(index) * 30)))
    }
    return items
}

let items = makeQueue(count: 100_000)
let total = items.reduce(Int64(0)) { $0 + $1.sizeBytes }
print("queue: \(items.count) items, \(DiscSpace.format(bytes: total))")
for media in [DiscMedia.dvd, .bd25, .bd100] {
    for requireFull in [false, true] {
        let clock = ContinuousClock()
        var plan: DiscPlan?
        let elapsed = clock.measure {
            plan = DiscPlanner.plan(items: items, media: media, requireFull: requireFull)
        }
        guard let plan else { continue }
        let full = plan.sets.filter { $0.fillRatio >= plan.fillTarget }.count
        let minFull = plan.sets.dropLast().map(\.fillRatio).min() ?? 0
        print(String(format: "%-6@ requireFull=%-5@ time %8.1f ms  sets %5d (≥98%%: %5d)  mean fill %.4f  min fill (all but last) %.4f  leftover %d  refused %d",
                     media.rawValue, "\(requireFull)",
                     Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000,
                     plan.sets.count, full, plan.meanFillRatio, minFull, plan.leftover.count, plan.refused.count))
    }
}
