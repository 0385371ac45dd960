import NIOCore
import NIOHTTP1

/// Puts the parts NIO's HTTP/1.1 decoder yields (a head, body chunks, an end) back together into
/// whole requests, one after another on a keep-alive connection.
///
/// A body over the limit is never handed on cut off (a CSV import must be whole): the chunks are
/// dropped and the request comes out as ``Assembled/tooLarge(_:)``, which the router answers with
/// 413. `AdminServer` reads its connections through this type, and so does the HTTP fuzz target
/// (`Fuzz/Sources/FuzzHTTP`), so that the fuzzer drives the assembly the daemon uses.
public struct RequestAssembler: Sendable {
    /// A request whose end has arrived.
    public enum Assembled: Sendable {
        /// The head and the whole body.
        case complete(HTTPRequestHead, body: ByteBuffer)
        /// The body went over the limit; nothing of it is kept.
        case tooLarge(HTTPRequestHead)

        public var head: HTTPRequestHead {
            switch self {
            case .complete(let head, _), .tooLarge(let head): return head
            }
        }
    }

    /// The largest body kept, in bytes.
    public let maxBodyBytes: Int
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    public init(maxBodyBytes: Int = Router.maxBodyBytes) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Takes the next part; returns the request when `part` was its end, nil otherwise.
    public mutating func add(_ part: HTTPServerRequestPart) -> Assembled? {
        switch part {
        case .head(let h):
            head = h
            body.clear()
            tooLarge = false
            return nil
        case .body(var chunk):
            guard !tooLarge else { return nil }
            if body.readableBytes + chunk.readableBytes <= maxBodyBytes {
                body.writeBuffer(&chunk)
            } else {
                tooLarge = true
                body.clear()
            }
            return nil
        case .end:
            guard let request = head else { return nil }
            head = nil
            return tooLarge ? .tooLarge(request) : .complete(request, body: body)
        }
    }
}
