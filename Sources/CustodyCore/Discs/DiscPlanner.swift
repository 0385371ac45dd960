import Foundation

/// Packs queued clips into disc sets.
///
/// Algorithm (deterministic, O(n log n)):
/// 1. Items larger than the usable space are refused (clips are never split).
/// 2. Each case becomes one group, each caseless clip its own group; groups
///    are ordered oldest first (ties by key).
/// 3. A case larger than one disc is split by first-fit-decreasing into
///    consecutive dedicated sets.
/// 4. "Big" groups (more than the allowed gap, i.e. 2 % of usable space) are
///    placed best-fit into a small window of open sets, oldest first; a set
///    leaves the window once it reaches the fill target or to make room.
/// 5. "Filler" groups (at most the allowed gap) top up every set: oldest
///    first while any filler fits, then largest-that-fits to close the gap.
///    Left-over fillers form new sets the same way.
/// 6. Sets reaching the target come first; under-target sets go last and,
///    with `requireFull`, are returned as `leftover` instead.
public enum DiscPlanner {
    public static let defaultFillTarget = 0.98
    /// Number of sets open for best-fit of big groups at any time.
    public static let openSetWindow = 16

    public static func plan(
        items: [DiscItem],
        media: DiscMedia,
        reserveBytes: Int64? = nil,
        requireFull: Bool,
        fillTarget: Double = defaultFillTarget
    ) -> DiscPlan {
        let usable = DiscSpace.usableBytes(media: media, reserveBytes: reserveBytes)
        var refused: [RefusedItem] = []
        var accepted: [DiscItem] = []
        accepted.reserveCapacity(items.count)
        for item in items {
            if item.footprintBytes > usable {
                refused.append(RefusedItem(item: item, reason: refusal(item, media: media, usable: usable)))
            } else {
                accepted.append(item)
            }
        }
        refused.sort { ageOrder($0.item, $1.item) }

        let groups = PlannerGroup.build(accepted)
        let gapAllowance = usable - Int64((Double(usable) * fillTarget).rounded(.up))
        var bins: [PlannerBin] = []
        var open: [Int] = []
        var fillers: [PlannerGroup] = []
        var notes: [String] = []

        for group in groups {
            if group.footprint > usable {
                bins.append(contentsOf: splitCase(group, usable: usable))
                // The last part stays open so that other groups can share its disc.
                if open.count >= openSetWindow { open.removeFirst() }
                open.append(bins.count - 1)
            } else if group.footprint <= gapAllowance {
                fillers.append(group)
            } else {
                placeBestFit(group, bins: &bins, open: &open, usable: usable, gapAllowance: gapAllowance)
            }
        }

        var fill = FillerIndex(fillers)
        for index in bins.indices {
            fill.topUp(&bins[index], usable: usable, gapAllowance: gapAllowance)
        }
        while !fill.isEmpty {
            var bin = PlannerBin()
            fill.topUp(&bin, usable: usable, gapAllowance: gapAllowance)
            bins.append(bin)
        }

        let target = Int64((Double(usable) * fillTarget).rounded(.up))
        consolidate(&bins, usable: usable, target: target, gapAllowance: gapAllowance)

        // Full sets first, under-target sets last; runs of split-case parts stay together.
        var units: [[PlannerBin]] = []
        for bin in bins {
            if let split = bin.split, split.part > 1, var last = units.popLast() {
                last.append(bin)
                units.append(last)
            } else {
                units.append([bin])
            }
        }
        let ordered = units.filter { $0.last!.used >= target } + units.filter { $0.last!.used < target }

        var sets: [DiscSet] = []
        var leftover: [DiscItem] = []
        for bin in ordered.joined() {
            let binItems = bin.items.sorted(by: ageOrder)
            if requireFull && bin.used < target {
                leftover.append(contentsOf: binItems)
                continue
            }
            sets.append(DiscSet(items: binItems, usedBytes: bin.used, usableBytes: usable, splitCase: bin.split))
        }
        leftover.sort(by: ageOrder)

        var reported = Set<String>()
        for (number, set) in sets.enumerated() {
            guard let split = set.splitCase, !reported.contains(split.caseKey) else { continue }
            reported.insert(split.caseKey)
            let count = sets.filter { $0.splitCase?.caseKey == split.caseKey }.count
            var note = "case \(split.caseKey) is larger than one \(media.rawValue) disc: split across sets \(number + 1)–\(number + count) of this plan"
            if count < split.partCount {
                note += " (\(split.partCount - count) more part(s) left over)"
            }
            notes.append(note)
        }
        for entry in refused {
            notes.append(entry.reason)
        }
        return DiscPlan(media: media, usableBytes: usable, fillTarget: fillTarget,
                        sets: sets, refused: refused, leftover: leftover, notes: notes)
    }

    /// Oldest queued first, ties broken by id.
    static func ageOrder(_ a: DiscItem, _ b: DiscItem) -> Bool {
        a.queuedAt != b.queuedAt ? a.queuedAt < b.queuedAt : a.id < b.id
    }

    static func refusal(_ item: DiscItem, media: DiscMedia, usable: Int64) -> String {
        let fitting = media.larger.filter { item.footprintBytes <= DiscSpace.usableBytes(media: $0, reserveBytes: nil) }
        let suggestZH = fitting.isEmpty ? "没有足够大的光盘介质" : "请改用更大的介质：" + fitting.map(\.displayNameZH).joined(separator: "、")
        let suggestEN = fitting.isEmpty ? "no supported media is large enough"
            : "use larger media: " + fitting.map(\.rawValue).joined(separator: ", ")
        let size = DiscSpace.format(bytes: item.sizeBytes)
        let room = DiscSpace.format(bytes: usable)
        return "片段 \(item.id) 大小 \(size)，超过\(media.displayNameZH)可用容量 \(room)，片段不可拆分；\(suggestZH)。"
            + " / Clip \(item.id) (\(size)) exceeds the usable capacity of \(media.rawValue) media (\(room));"
            + " clips are never split — \(suggestEN)."
    }

    private static func placeBestFit(_ group: PlannerGroup, bins: inout [PlannerBin], open: inout [Int],
                                     usable: Int64, gapAllowance: Int64) {
        var best = -1
        var bestRemaining = Int64.max
        for (slot, binIndex) in open.enumerated() {
            let remaining = usable - bins[binIndex].used - group.footprint
            if remaining >= 0, remaining < bestRemaining {
                best = slot
                bestRemaining = remaining
            }
        }
        if best < 0 {
            if open.count >= openSetWindow {
                // Close the fullest open set; it is topped up with fillers later.
                let fullest = open.indices.max { bins[open[$0]].used < bins[open[$1]].used }!
                open.remove(at: fullest)
            }
            bins.append(PlannerBin())
            open.append(bins.count - 1)
            best = open.count - 1
        }
        let binIndex = open[best]
        bins[binIndex].add(group)
        if usable - bins[binIndex].used <= gapAllowance {
            open.remove(at: best)
        }
    }

    /// Fillers ran out: repack the groups of under-target sets first-fit-decreasing,
    /// keeping the result only when it needs fewer sets.
    private static func consolidate(_ bins: inout [PlannerBin], usable: Int64, target: Int64, gapAllowance: Int64) {
        let under = bins.indices.filter { bins[$0].used < target && bins[$0].split == nil }
        guard under.count > 1 else { return }
        let pooled: [PlannerGroup] = under.flatMap { bins[$0].groups }
        let groups = pooled.sorted(by: PlannerGroup.sizeOrder)
        var repacked: [PlannerBin] = []
        var open: [Int] = []
        for group in groups {
            placeBestFit(group, bins: &repacked, open: &open, usable: usable, gapAllowance: gapAllowance)
        }
        guard repacked.count < under.count else { return }
        let underSet = Set(under)
        bins = bins.indices.filter { !underSet.contains($0) }.map { bins[$0] } + repacked
    }

    private static func splitCase(_ group: PlannerGroup, usable: Int64) -> [PlannerBin] {
        let bySize = group.items.sorted {
            $0.footprintBytes != $1.footprintBytes ? $0.footprintBytes > $1.footprintBytes : ageOrder($0, $1)
        }
        var parts: [PlannerBin] = []
        for item in bySize {
            if let index = parts.firstIndex(where: { $0.used + item.footprintBytes <= usable }) {
                parts[index].items.append(item)
                parts[index].used += item.footprintBytes
            } else {
                parts.append(PlannerBin(items: [item], used: item.footprintBytes))
            }
        }
        for index in parts.indices {
            parts[index].split = SplitCasePart(caseKey: group.key, part: index + 1, partCount: parts.count)
        }
        return parts
    }
}
