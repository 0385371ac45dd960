import CustodyServer
import Dispatch
import Foundation
import FuzzSupport
import NIOCore
import NIOEmbedded
import NIOHTTP1

/// Any bytes as what a client sends on one admin-API connection (several pipelined requests,
/// perhaps): through NIO's HTTP/1.1 server pipeline as `AdminServer` sets it up, the daemon's
/// `RequestAssembler`, and a real `Router` over a real catalog and store. Every request is answered
/// or the connection closed; never a crash, and never a 5xx (an error no handler turned into a
/// refusal the caller can act on).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let channel = EmbeddedChannel()
    defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
    do {
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
    } catch {
        fatalError("cannot set up the HTTP pipeline: \(error)")
    }
    let bytes = channel.allocator.buffer(bytes: UnsafeRawBufferPointer(start: data, count: size))
    // A request NIO cannot parse is answered 400 by the error handler, which then closes; the
    // requests parsed before it are still read, as the daemon's inbound stream yields them first.
    _ = try? channel.writeInbound(bytes)
    var assembler = RequestAssembler()
    if serve(channel, &assembler) {
        // The client's EOF: whatever the decoder still holds comes out now, into a closed channel.
        _ = try? channel.close().wait()
        _ = serve(channel, &assembler)
    }
    return 0
}

/// `FUZZ_HTTP_TRACE=1`: each request line, its status and time on stderr, with the body of a refusal
/// (to check what a seed reaches).
private let tracing = ProcessInfo.processInfo.environment["FUZZ_HTTP_TRACE"] == "1"

/// The body of `AdminServer.serve` over an `EmbeddedChannel`: false once the connection is done
/// (the event stream, or a write that failed because the channel closed).
private func serve(_ channel: EmbeddedChannel, _ assembler: inout RequestAssembler) -> Bool {
    while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
        guard let request = assembler.add(part) else { continue }
        // The event stream never ends; the daemon gives the connection to it for good.
        if Station.shared.router.isEventStream(request.head, peer: Station.shared.peer) { return false }
        let started = DispatchTime.now().uptimeNanoseconds
        let response = Station.shared.answer(request)
        if tracing {
            let why = response.status.code >= 300 ? " " + String(String(buffer: response.body).prefix(300)) : ""
            let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
            FileHandle.standardError.write(Data("\(request.head.method) \(request.head.uri) -> \(response.status.code) in \(ms) ms\(why)\n".utf8))
        }
        if response.status.code >= 500 {
            fatalError("\(request.head.method) \(request.head.uri) answered \(response.status): \(String(buffer: response.body))")
        }
        do {
            try channel.writeOutbound(HTTPServerResponsePart.head(response.head(for: request.head)))
            try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(response.body)))
            try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        } catch {
            return false
        }
        while (try? channel.readOutbound(as: IOData.self)) != nil {}
        if !request.head.isKeepAlive { channel.close(mode: .output, promise: nil) }
    }
    return true
}

@_cdecl("FuzzHTTP_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzHTTP)
}
