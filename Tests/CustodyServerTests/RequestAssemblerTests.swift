import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import CustodyServer

@Suite("Request assembly on an admin-API connection")
struct RequestAssemblerTests {
    /// The parts NIO's HTTP/1.1 server pipeline (as `AdminServer` configures it) makes of `bytes`.
    static func parts(of bytes: [UInt8]) throws -> [HTTPServerRequestPart] {
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish(acceptAlreadyClosed: true) }
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
        try channel.writeInbound(ByteBuffer(bytes: bytes))
        var parts: [HTTPServerRequestPart] = []
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) { parts.append(part) }
        return parts
    }

    static func head(_ uri: String) -> HTTPServerRequestPart {
        .head(HTTPRequestHead(version: .http1_1, method: .POST, uri: uri))
    }

    @Test("a chunked body sent in pieces comes out whole, once, when the request ends")
    func chunkedBody() throws {
        let json = #"{"badge":"012345","name":"张三","unit":"一中队"}"#
        let bytes = Array(json.utf8)
        var wire = Array("POST /v1/officers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for start in stride(from: 0, to: bytes.count, by: 5) {
            let piece = bytes[start..<min(start + 5, bytes.count)]  // cuts through the Chinese characters' UTF-8
            wire += Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Array("\r\n".utf8)
        }
        wire += Array("0\r\n\r\n".utf8)
        let parts = try Self.parts(of: wire)
        #expect(parts.count > 3, "the decoder should hand the body over in several chunks")
        var assembler = RequestAssembler()
        let assembled = parts.compactMap { assembler.add($0) }
        #expect(assembled.count == 1)
        guard case .complete(let head, let body)? = assembled.first else {
            Issue.record("expected a complete request, got \(assembled)")
            return
        }
        #expect(head.uri == "/v1/officers")
        #expect(String(buffer: body) == json)
    }

    @Test("a body over the limit is dropped whole and the request marked too large; the next request on the connection is whole again")
    func tooLargeThenNext() {
        var assembler = RequestAssembler(maxBodyBytes: 10)
        var results: [RequestAssembler.Assembled] = []
        let sequence: [HTTPServerRequestPart] = [
            Self.head("/v1/import/officers"), .body(ByteBuffer(string: "0123456")), .body(ByteBuffer(string: "789ab")),
            .body(ByteBuffer(string: "c")), .end(nil),
            Self.head("/v1/officers"), .body(ByteBuffer(string: "{}")), .end(nil),
        ]
        for part in sequence {
            if let request = assembler.add(part) { results.append(request) }
        }
        #expect(results.count == 2)
        guard results.count == 2 else { return }
        guard case .tooLarge(let first) = results[0] else {
            Issue.record("the 13-byte body over a 10-byte limit was handed on: \(results[0])")
            return
        }
        #expect(first.uri == "/v1/import/officers")
        guard case .complete(let second, let body) = results[1] else {
            Issue.record("the request after a too-large one was not whole: \(results[1])")
            return
        }
        #expect(second.uri == "/v1/officers")
        #expect(String(buffer: body) == "{}")
    }

    @Test("a body of exactly the limit is kept")
    func bodyAtLimit() {
        var assembler = RequestAssembler(maxBodyBytes: 4)
        _ = assembler.add(Self.head("/v1/cases"))
        _ = assembler.add(.body(ByteBuffer(string: "ab")))
        _ = assembler.add(.body(ByteBuffer(string: "cd")))
        guard case .complete(_, let body)? = assembler.add(.end(nil)) else {
            Issue.record("a body of exactly the limit was refused")
            return
        }
        #expect(String(buffer: body) == "abcd")
    }
}
