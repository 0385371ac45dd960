import Foundation
import NIOCore
import NIOHTTP1

/// The header and idle timeouts of one admin-API connection (availability issue, item 1): from
/// its first byte a request's head must be complete within `header` (a client that trickles a
/// head, or sends part of one and stops, is cut off), and a connection silent between requests
/// is closed after `idle`. A connection with a request being answered is never timed out (an
/// fsck or an event stream takes as long as it takes). Two handlers share it: `ConnectionClock`
/// first in the pipeline sees the bytes, `RequestMarks` after the HTTP decoder sees heads and
/// answers; both run on the connection's event loop only.
final class ConnectionClock: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum Phase { case idle, readingHead, busy }
    let header: TimeAmount
    let idle: TimeAmount
    private(set) var phase = Phase.idle
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(header: TimeAmount, idle: TimeAmount) { self.header = header; self.idle = idle }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // Added to a connection already open: its idle time runs from now.
        if context.channel.isActive { arm(idle) }
    }
    func handlerRemoved(context: ChannelHandlerContext) { deadline?.cancel(); self.context = nil }

    func channelActive(context: ChannelHandlerContext) {
        arm(idle)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase == .idle {
            phase = .readingHead
            arm(header)
        }
        context.fireChannelRead(data)
    }

    /// A request's head is complete: its body and answer take as long as they take.
    func headComplete() {
        phase = .busy
        deadline?.cancel()
        deadline = nil
    }

    /// An answer was written whole: the connection waits for the next request.
    func answerComplete() {
        phase = .idle
        arm(idle)
    }

    private func arm(_ amount: TimeAmount) {
        deadline?.cancel()
        guard let context else { return }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: amount) {
            loopBound.value.expired()
        }
    }

    private func expired() {
        guard phase != .busy, let context else { return }
        context.close(promise: nil)
    }
}

/// Tells the `ConnectionClock` when a request's head is complete and when its answer was written
/// (placed right after the HTTP/1 decoder, where heads and answers are NIOHTTP1 parts).
final class RequestMarks: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let clock: ConnectionClock
    init(clock: ConnectionClock) { self.clock = clock }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { clock.headComplete() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { clock.answerComplete() }
        context.write(data, promise: promise)
    }
}
