import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation
import NIOCore
import NIOHTTP1

/// A response ready to be written: status, JSON (or text) body, or a stream of lines.
public struct APIResponse: Sendable {
    public var status: HTTPResponseStatus
    public var contentType = "application/json"
    public var body: ByteBuffer
    /// Lines written one by one until the stream ends (`GET /v1/events`); `body` is then empty.
    public var stream: EventLines?
    /// Further headers (`Content-Range` of a partial answer).
    public var headers: [String: String] = [:]

    init(status: HTTPResponseStatus, contentType: String = "application/json", body: ByteBuffer) {
        self.status = status; self.contentType = contentType; self.body = body
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) -> APIResponse {
        encoded(value, status: status)
    }

    /// `value` as the JSON body; a list goes through `json(_:)` of an array, which pages it (`Page`).
    static func encoded<T: Encodable>(_ value: T, status: HTTPResponseStatus) -> APIResponse {
        let data = (try? APICoding.encoder().encode(value)) ?? Data("{}".utf8)
        var buffer = ByteBuffer(bytes: data)
        buffer.writeString("\n")
        return APIResponse(status: status, body: buffer)
    }

    static func error(_ status: HTTPResponseStatus, _ code: String, _ message: String) -> APIResponse {
        json(ErrorResponse(error: code, message: message), status: status)
    }

    static func text(_ text: String, contentType: String) -> APIResponse {
        APIResponse(status: .ok, contentType: contentType, body: ByteBuffer(string: text))
    }
}

/// One request as handlers see it: who asks (from the kernel, with the roles the config gives
/// them), the path's parameters, the query and the whole body.
public struct APIRequest: Sendable {
    public var peer: PeerIdentity
    /// The roles `peer` holds (root and the daemon's own user hold all).
    public var roles: Set<StationRole>
    /// The catalog as this caller may read it: bound to the confidentiality flags their roles are
    /// not cleared for (none on a route that gives this caller its answer whole,
    /// `AdminRoute.unredactedFor`). Handlers read clip metadata through it, never around it.
    public var reader: CatalogReader
    public var method: String
    public var path: String
    /// The route's path parameters (`:clip` → `clip`), percent-decoded.
    public var parameters: [String: String]
    public var query: [String: String]
    public var body: ByteBuffer
    /// The caller asked for Chinese (`Accept-Language: zh…`).
    public var chinese: Bool
    /// The `Range` header, for the one route that answers in parts (a clip's bytes).
    public var range: String? = nil
    /// The page of a list this request asks for (`limit`, `offset`), checked before the handler
    /// runs (`RouteAnswer` parses it for every route, so no request exists without one).
    public var page: Page

    /// A path parameter the route declares; the route table guarantees it is there.
    func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// Decodes the JSON body, or refuses with a message naming what is wrong.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try APICoding.decoder().decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw APIRefusal(.badRequest, "bad-request", "the request body is not a valid \(T.self): \(error)")
        }
    }
}

/// A request refused for a reason the caller can act on; audited by `AdminResponder`.
public struct APIRefusal: Error {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    /// The message in Chinese, answered when the caller asks for zh (`Accept-Language`).
    var chinese: String?
    init(_ status: HTTPResponseStatus, _ code: String, _ message: String, zh: String? = nil) {
        self.status = status; self.code = code; self.message = message; self.chinese = zh
    }
    static func notFound(_ what: String, zh: String? = nil) -> APIRefusal { APIRefusal(.notFound, "not-found", what, zh: zh) }
}
