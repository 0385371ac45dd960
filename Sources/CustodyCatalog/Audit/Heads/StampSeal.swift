import CustodyCore
import Foundation

/// What the station adds to every stamp once the daemon has loaded its key (provable-catalog
/// issue): the checkpoint signed with the station key, kept outside the catalog by `anchor` (the
/// day's anchor file and a journal line), and the integrity alarm standing, so everything made
/// while it stands says so. Set once at start (`Catalog.useSeal`); every disc, report, custody
/// report, export and checkpoint goes through `Catalog.stamp`, so none can miss it.
public struct StampSeal: Sendable {
    public var key: StationKey
    public var anchor: @Sendable (SignedTreeHead, String) throws -> Void
    public var alarm: @Sendable () -> String?

    public init(key: StationKey, anchor: @escaping @Sendable (SignedTreeHead, String) throws -> Void,
                alarm: @escaping @Sendable () -> String?) {
        self.key = key; self.anchor = anchor; self.alarm = alarm
    }
}

extension Catalog {
    /// Signs and anchors every stamp from now on.
    public func useSeal(_ seal: StampSeal) {
        stampSeal.withLock { $0 = seal }
    }
}
