import Foundation

/// One clip waiting in the long-term disc queue.
public struct DiscItem: Sendable, Equatable, Hashable {
    /// SHA-256 of the clip (hex), which is also its content address.
    public var id: String
    public var sizeBytes: Int64
    /// Clips sharing a case key (case number or enforcement activity) are kept on one disc.
    public var caseKey: String?
    public var queuedAt: Date

    public init(id: String, sizeBytes: Int64, caseKey: String? = nil, queuedAt: Date) {
        self.id = id
        self.sizeBytes = sizeBytes
        self.caseKey = caseKey
        self.queuedAt = queuedAt
    }

    /// Bytes the clip occupies on disc (see `DiscSpace.footprint`).
    public var footprintBytes: Int64 { DiscSpace.footprint(ofFileSize: sizeBytes) }
}

/// Marks a set that holds one part of a case too large for a single disc.
public struct SplitCasePart: Sendable, Equatable {
    public var caseKey: String
    /// 1-based part number.
    public var part: Int
    public var partCount: Int
}

/// The content of one disc set (burned as copy A and copy B).
public struct DiscSet: Sendable, Equatable {
    /// Items ordered oldest queued first (ties by id).
    public var items: [DiscItem]
    /// Sum of item footprints.
    public var usedBytes: Int64
    /// Capacity minus reserve.
    public var usableBytes: Int64
    public var splitCase: SplitCasePart?

    /// usedBytes / usableBytes.
    public var fillRatio: Double { usableBytes > 0 ? Double(usedBytes) / Double(usableBytes) : 0 }
}

/// An item the planner will never place on the chosen media.
public struct RefusedItem: Sendable, Equatable {
    public var item: DiscItem
    public var reason: String
}

/// Result of `DiscPlanner.plan`.
public struct DiscPlan: Sendable, Equatable {
    public var media: DiscMedia
    public var usableBytes: Int64
    public var fillTarget: Double
    /// Full sets first (in planning order); only trailing sets may be under the fill target.
    public var sets: [DiscSet]
    public var refused: [RefusedItem]
    /// Items not planned because their set would stay under the fill target (requireFull).
    public var leftover: [DiscItem]
    /// Human readable remarks, e.g. about cases split across several sets.
    public var notes: [String]

    /// The sets as plain item lists.
    public var itemSets: [[DiscItem]] { sets.map(\.items) }

    /// Mean fill ratio over all sets (0 when there are none).
    public var meanFillRatio: Double {
        sets.isEmpty ? 0 : sets.map(\.fillRatio).reduce(0, +) / Double(sets.count)
    }
}
