import CCustodyLinux
import Foundation
import Glibc
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import CustodyIngest

/// The admin API: HTTP/1.1 with JSON over the Unix socket (`curl --unix-socket` works), the
/// caller identified by `SO_PEERCRED`. Socket mode 0660 with the configured group lets the
/// kernel refuse outsiders before the daemon sees them.
public struct AdminServer: Service {
    let router: Router
    let socketPath: String
    let socketGroup: String?
    let logger: Logger
    let onListening: @Sendable () -> Void
    var events: EventHub { router.api.monitor.events }

    public init(router: Router, socketPath: String, socketGroup: String?, logger: Logger,
                onListening: @escaping @Sendable () -> Void = {}) {
        self.router = router; self.socketPath = socketPath; self.socketGroup = socketGroup; self.logger = logger
        self.onListening = onListening
    }

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    public func run() async throws {
        try FileManager.default.createDirectory(atPath: (socketPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true) { channel -> EventLoopFuture<(custody_ucred, Connection)> in
                guard let provider = channel as? SocketOptionProvider else {
                    return channel.eventLoop.makeFailedFuture(ChannelError.operationUnsupported)
                }
                let credentials: EventLoopFuture<custody_ucred> = provider.unsafeGetSocketOption(
                    level: SocketOptionLevel(custody_sol_socket()), name: SocketOptionName(custody_so_peercred()))
                return credentials.flatMapThrowing { cred -> (custody_ucred, Connection) in
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    // Half-closure: finishing the writer shuts the socket's output only after every
                    // pending write went out (NIO fails pending writes on a full close).
                    return (cred, try Connection(wrappingChannelSynchronously: channel,
                                                 configuration: .init(isOutboundHalfClosureEnabled: true)))
                }
            }
        try applyPermissions()
        logger.info("admin API listening", metadata: ["socket": "\(socketPath)"])
        onListening()
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await (cred, connection) in inbound {
                        group.addTask {
                            let peer = PeerIdentity(uid: cred.uid, gid: cred.gid, pid: cred.pid)
                            await serve(connection, peer: peer)
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            events.finishAll()
            server.channel.close(promise: nil)
        }
        unlink(socketPath)
    }

    private func applyPermissions() throws {
        var gid: gid_t = getgid()
        if let name = socketGroup {
            guard let entry = getgrnam(name) else {
                throw ServerError(description: "socket group \(name) does not exist; create it (systemd/custody.sysusers) or change [api] socket_group")
            }
            gid = entry.pointee.gr_gid
        }
        if chown(socketPath, getuid(), gid) != 0 || chmod(socketPath, 0o660) != 0 {
            throw ServerError(description: "cannot set owner/mode of \(socketPath): \(String(cString: strerror(errno)))")
        }
    }

    /// Reads requests one after another on a connection (keep-alive), answering each.
    private func serve(_ connection: Connection, peer: PeerIdentity) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var assembler = RequestAssembler()
                for try await part in inbound {
                    guard let request = assembler.add(part) else { continue }
                    if let lines = router.eventStream(for: request.head, peer: peer) {
                        var headers = HTTPHeaders()
                        headers.add(name: "Content-Type", value: "application/x-ndjson")
                        headers.add(name: "Cache-Control", value: "no-store")
                        try await outbound.write(.head(HTTPResponseHead(version: request.head.version, status: .ok, headers: headers)))
                        for await line in lines { try await outbound.write(.body(.byteBuffer(line))) }
                        try await outbound.write(.end(nil))
                        return
                    }
                    let response = await router.answer(request, peer: peer)
                    try await outbound.write(.head(response.head(for: request.head)))
                    try await outbound.write(.body(.byteBuffer(response.body)))
                    try await outbound.write(.end(nil))
                    // `Connection: close`: not `return`, which closes at once and would drop what
                    // the socket has not taken yet, cutting a large answer short. Finishing the
                    // writer half-closes after the last byte; the loop ends on the client's EOF.
                    if !request.head.isKeepAlive { outbound.finish() }
                }
            }
        } catch {
            logger.debug("connection closed with error", metadata: ["error": "\(error)"])
        }
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var description: String
}
