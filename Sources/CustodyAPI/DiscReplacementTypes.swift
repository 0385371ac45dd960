import Foundation

/// A copy of a disc set that an admin replaced (`discs burn --replace --reason`): its record
/// stays, with the maker of its first burn, how far it got, where it was kept, and why and by
/// whom it was replaced (issue 19, item 2).
public struct SupersededCopyItem: Codable, Sendable, Equatable {
    public var maker: String
    public var burnedAt: Date?
    /// The state it had reached: verified, label-confirmed or stored.
    public var lastState: String
    public var location: String?
    public var reason: String
    public var supersededBy: String
    public var supersededAt: Date
    public init(maker: String, burnedAt: Date?, lastState: String, location: String?, reason: String, supersededBy: String, supersededAt: Date) {
        self.maker = maker; self.burnedAt = burnedAt; self.lastState = lastState; self.location = location; self.reason = reason
        self.supersededBy = supersededBy; self.supersededAt = supersededAt
    }
}
