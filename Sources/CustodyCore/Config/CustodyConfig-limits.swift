import Foundation

extension CustodyConfig {
    /// What any one local user may take of the daemon (`[limits]`, availability issue): the admin
    /// API's connections, how long a connection may dawdle, how many events wait for a listener,
    /// and how often repeated refusals are written down.
    public struct Limits: Sendable, Equatable {
        /// Connections to the admin API at once, all users together. The daemon also keeps
        /// `descriptorReserve` descriptors of its limit free of connections, whichever is lower.
        public var maxConnections = 512
        /// Connections at once of one Unix user. Root and the daemon's own user may use every
        /// connection; everyone else leaves `privilegedConnections` of them free.
        public var maxConnectionsPerUser = 64
        public var privilegedConnections = 16
        /// Descriptors never used for connections: the mount watcher, the store, the catalog and
        /// the cameras' files need them whatever callers do.
        public var descriptorReserve = 256
        /// Seconds from a request's first byte (or a connection's opening) until its head is complete.
        public var headerTimeoutSeconds: Double = 10
        /// Seconds a connection may stay silent between requests before it is closed.
        public var idleTimeoutSeconds: Double = 60
        /// Events waiting for one `GET /v1/events` listener; one further behind is cut off.
        public var eventBuffer = 256
        /// Repeated refusals of the same request by the same user within this many seconds are
        /// one audit row with a count.
        public var refusalIntervalSeconds: Double = 60
        /// Refusals of the same request by one user written one by one in an interval before
        /// further ones are only counted; and of all requests by one user.
        public var refusalBurst = 5
        public var refusalRowsPerUser = 50
        /// Rows a list answer holds when the caller names no `limit`, and the most it may name:
        /// a longer list is read page by page (`Link: <…>; rel="next"`), never in one answer.
        public var pageDefault = 1000
        public var pageMaximum = 10_000
        public init() {}
    }
}
