/// A source of clips: a mounted camera filesystem or a drop folder that docking hardware fills.
public struct Medium: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable { case mount, drop }
    public var kind: Kind
    public var root: String
    public var source: String
    public var fsType: String
    /// Stable identity while the medium is present (see `MountEntry.key`).
    public var key: String
    /// The kernel's mount id: tells "still mounted since the last run" from "plugged in again".
    public var mountID: Int?

    public init(kind: Kind, root: String, source: String, fsType: String, key: String, mountID: Int? = nil) {
        self.kind = kind; self.root = root; self.source = source; self.fsType = fsType; self.key = key
        self.mountID = mountID
    }

    public init(mount: MountEntry) {
        self.init(kind: .mount, root: mount.mountPoint, source: mount.source, fsType: mount.fsType, key: mount.key,
                  mountID: mount.mountID)
    }
}
