import CCustodyLinux
import CustodyCore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel behind the `ConnectionGate`: as a connection is accepted,
/// before any of its bytes is read, the kernel names its user (`SO_PEERCRED`) and the gate
/// admits or refuses it. A refused connection gets a short 503 and is closed at once (its
/// refusal is audited once a minute per user, with a count, by `RefusalLog`); an admitted one
/// gets its header and idle timeouts (`ConnectionClock`) and is given back to the gate when it
/// closes. Every connection of the admin API goes through here (`AdminServer`).
struct AdmittedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    let gate: ConnectionGate
    let refusals: RefusalLog
    let limits: CustodyConfig.Limits

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        Self.peerUID(of: channel).flatMap { uid -> EventLoopFuture<Value> in
            do {
                if let refusal = gate.admit(uid) {
                    refusals.refusedConnection(uid: uid, why: refusal.reason)
                    try channel.pipeline.syncOperations.addHandler(RefuseConnection(reason: refusal.reason, zh: refusal.zh), position: .first)
                    return inner.setup(channel: channel, logger: logger)
                }
                channel.closeFuture.whenComplete { [gate] _ in gate.release(uid) }
                let clock = ConnectionClock(header: .milliseconds(Int64(limits.headerTimeoutSeconds * 1000)),
                                            idle: .milliseconds(Int64(limits.idleTimeoutSeconds * 1000)))
                try channel.pipeline.syncOperations.addHandler(clock, position: .first)
                // Hummingbird builds the HTTP pipeline synchronously (on this event loop), so the
                // decoder is there when `setup` returns.
                let value = inner.setup(channel: channel, logger: logger)
                let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
                try channel.pipeline.syncOperations.addHandler(RequestMarks(clock: clock), position: .after(decoder))
                return value
            } catch {
                channel.close(promise: nil)
                return inner.setup(channel: channel, logger: logger)
            }
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }

    /// The connecting process's uid, from the kernel; a connection it cannot name counts as
    /// nobody's (uid -1), which holds no role.
    static func peerUID(of channel: any Channel) -> EventLoopFuture<UInt32> {
        guard let provider = channel as? SocketOptionProvider else { return channel.eventLoop.makeSucceededFuture(.max) }
        let cred: EventLoopFuture<custody_ucred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(custody_sol_socket()), name: SocketOptionName(custody_so_peercred()))
        return cred.map(\.uid).recover { _ in .max }
    }
}

/// Answers a connection the gate refused with a 503 naming why, and closes it; nothing it
/// sends is read.
final class RefuseConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reason: String
    let zh: String
    init(reason: String, zh: String) { self.reason = reason; self.zh = zh }

    private var answered = false

    // Added before or after the connection became active: the answer goes out once, either way.
    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { answer(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        answer(context)
        context.fireChannelActive()
    }

    private func answer(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let body = #"{"error":"too-many-connections","message":"# + Self.quoted(reason) + #","messageZh":"# + Self.quoted(zh) + "}\n"
        let head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\nRetry-After: 1\r\n\r\n"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: head + body))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
