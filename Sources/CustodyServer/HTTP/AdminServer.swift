import Foundation
import Glibc
import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// The admin API: HTTP/1.1 with JSON over the Unix socket (`curl --unix-socket` works), served by
/// Hummingbird with the routes of `RouteTable`, the caller identified by `SO_PEERCRED`. Socket
/// mode 0660 with the configured group lets the kernel refuse outsiders before the daemon sees them.
public struct AdminServer: Service {
    let api: APIHandlers
    let socketPath: String
    let socketGroup: String?
    let logger: Logger
    let onListening: @Sendable () -> Void

    public init(api: APIHandlers, socketPath: String, socketGroup: String?, logger: Logger,
                onListening: @escaping @Sendable () -> Void = {}) {
        self.api = api; self.socketPath = socketPath; self.socketGroup = socketGroup; self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        try FileManager.default.createDirectory(atPath: (socketPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let gid = try socketGID()
        let failure = NIOLockedValueBox<(any Error)?>(nil)
        let (socketPath, logger, onListening) = (self.socketPath, self.logger, self.onListening)
        // Connections are capped below the descriptor limit, per user and in all (availability issue).
        let limits = api.config.limits
        let budget = DescriptorBudget.claim(maxConnections: limits.maxConnections, reserve: limits.descriptorReserve)
        let gate = ConnectionGate(total: budget.connections, perUser: limits.maxConnectionsPerUser, privileged: limits.privilegedConnections)
        logger.info("admin API connection limits", metadata: [
            "descriptors": "\(budget.limit)", "reserve": "\(budget.reserve)", "connections": "\(gate.total)", "perUser": "\(gate.perUser)"])
        let refusals = api.refusals
        let app = Application(
            responder: AdminResponder(api: api),
            server: HTTPServerBuilder { responder in
                AdmittedHTTP1Channel(inner: HTTP1Channel(responder: responder), gate: gate, refusals: refusals, limits: limits)
            },
            // The kernel's queue of connections not yet accepted: a burst (a flood of reconnects,
            // clerks' tools at a shift change) waits there instead of being refused with EAGAIN
            // before the gate can admit or refuse it; the kernel caps it at net.core.somaxconn.
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: nil, backlog: 4096),
            onServerRunning: { channel in
                if chown(socketPath, getuid(), gid) != 0 || chmod(socketPath, 0o660) != 0 {
                    failure.withLockedValue {
                        $0 = ServerError(description: "cannot set owner/mode of \(socketPath): \(String(cString: strerror(errno)))")
                    }
                    try? await channel.close()
                    return
                }
                logger.info("admin API listening", metadata: ["socket": "\(socketPath)"])
                onListening()
            },
            logger: logger)
        // The event stream never ends by itself: end every subscriber's stream when the daemon stops,
        // so the server's graceful shutdown is not held up by `GET /v1/events` clients.
        try await withGracefulShutdownHandler {
            try await app.run()
        } onGracefulShutdown: {
            api.monitor.events.finishAll()
        }
        unlink(socketPath)
        if let error = failure.withLockedValue({ $0 }) { throw error }
    }

    /// The group the socket belongs to: `[api] socket_group`, else the daemon's own.
    private func socketGID() throws -> gid_t {
        guard let name = socketGroup else { return getgid() }
        guard let entry = getgrnam(name) else {
            throw ServerError(description: "socket group \(name) does not exist; create it (systemd/custody.sysusers) or change [api] socket_group")
        }
        return entry.pointee.gr_gid
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var description: String
}
