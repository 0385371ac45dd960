import Foundation

/// A case (all its clips) or a single caseless clip; placed as a unit.
struct PlannerGroup {
    var key: String
    var items: [DiscItem]
    var footprint: Int64
    var oldest: Date

    /// Largest first, then oldest, then key.
    static func sizeOrder(_ a: PlannerGroup, _ b: PlannerGroup) -> Bool {
        if a.footprint != b.footprint { return a.footprint > b.footprint }
        if a.oldest != b.oldest { return a.oldest < b.oldest }
        return a.key < b.key
    }

    /// Groups ordered oldest first, ties by key.
    static func build(_ items: [DiscItem]) -> [PlannerGroup] {
        var groups: [PlannerGroup] = []
        var caseIndex: [String: Int] = [:]
        for item in items {
            if let key = item.caseKey, let index = caseIndex[key] {
                groups[index].items.append(item)
                groups[index].footprint += item.footprintBytes
                groups[index].oldest = min(groups[index].oldest, item.queuedAt)
            } else {
                if let key = item.caseKey { caseIndex[key] = groups.count }
                groups.append(PlannerGroup(key: item.caseKey ?? item.id, items: [item],
                                           footprint: item.footprintBytes, oldest: item.queuedAt))
            }
        }
        return groups.sorted { $0.oldest != $1.oldest ? $0.oldest < $1.oldest : $0.key < $1.key }
    }
}

/// A disc set under construction.
struct PlannerBin {
    var items: [DiscItem] = []
    var used: Int64 = 0
    var split: SplitCasePart?
    /// Whole groups placed in this bin (split-case parts hold loose items).
    var groups: [PlannerGroup] = []

    mutating func add(_ group: PlannerGroup) {
        groups.append(group)
        items.append(contentsOf: group.items)
        used += group.footprint
    }
}

/// Filler groups indexed twice: by age (to take the oldest first while
/// anything fits) and by size descending (to close the remaining gap with
/// the largest group that fits). A path-compressed "next unused" array
/// makes each lookup near O(log n).
struct FillerIndex {
    private var groups: [PlannerGroup]
    private var used: [Bool]
    private var agePointer = 0
    private var bySize: [Int]          // group indices, footprint descending
    private var sizes: [Int64]         // footprints in bySize order
    private var nextFree: [Int]        // union-find over bySize positions
    private var positionOf: [Int]      // group index -> position in bySize
    private var remaining: Int

    init(_ groups: [PlannerGroup]) {
        self.groups = groups
        used = Array(repeating: false, count: groups.count)
        bySize = groups.indices.sorted { a, b in
            groups[a].footprint != groups[b].footprint ? groups[a].footprint > groups[b].footprint : a < b
        }
        sizes = bySize.map { groups[$0].footprint }
        nextFree = Array(0...groups.count)
        positionOf = Array(repeating: 0, count: groups.count)
        for (position, group) in bySize.enumerated() { positionOf[group] = position }
        remaining = groups.count
    }

    var isEmpty: Bool { remaining == 0 }

    mutating func topUp(_ bin: inout PlannerBin, usable: Int64, gapAllowance: Int64) {
        // Oldest first while every filler is guaranteed to fit.
        while usable - bin.used >= gapAllowance, let group = takeOldest() {
            bin.add(groups[group])
        }
        // Then close the gap with the largest filler that still fits.
        while remaining > 0, let group = takeLargest(atMost: usable - bin.used) {
            bin.add(groups[group])
        }
    }

    private mutating func takeOldest() -> Int? {
        while agePointer < groups.count, used[agePointer] { agePointer += 1 }
        guard agePointer < groups.count else { return nil }
        let group = agePointer
        markUsed(group)
        return group
    }

    private mutating func takeLargest(atMost gap: Int64) -> Int? {
        // First position whose footprint is <= gap (sizes are descending).
        var low = 0
        var high = sizes.count
        while low < high {
            let mid = (low + high) / 2
            if sizes[mid] <= gap { high = mid } else { low = mid + 1 }
        }
        let position = find(low)
        guard position < sizes.count else { return nil }
        let group = bySize[position]
        markUsed(group)
        return group
    }

    private mutating func markUsed(_ group: Int) {
        used[group] = true
        nextFree[positionOf[group]] = positionOf[group] + 1
        remaining -= 1
    }

    private mutating func find(_ start: Int) -> Int {
        var root = start
        while nextFree[root] != root { root = nextFree[root] }
        var node = start
        while nextFree[node] != root {
            let next = nextFree[node]
            nextFree[node] = root
            node = next
        }
        return root
    }
}
