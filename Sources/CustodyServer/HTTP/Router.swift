import CustodyAPI
import Foundation
import NIOCore
import NIOHTTP1

/// A response ready to be written: status, JSON (or text) body.
public struct APIResponse: Sendable {
    public var status: HTTPResponseStatus
    public var contentType = "application/json"
    public var body: ByteBuffer

    static func json<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) -> APIResponse {
        let data = (try? APICoding.encoder().encode(value)) ?? Data("{}".utf8)
        var buffer = ByteBuffer(bytes: data)
        buffer.writeString("\n")
        return APIResponse(status: status, body: buffer)
    }

    static func error(_ status: HTTPResponseStatus, _ code: String, _ message: String) -> APIResponse {
        json(ErrorResponse(error: code, message: message), status: status)
    }
}

/// Maps requests to handlers after checking the caller's role. Every refusal is audited.
public struct Router: Sendable {
    static let maxBodyBytes = 1 << 20
    let api: APIHandlers

    public init(api: APIHandlers) { self.api = api }

    public func respond(to head: HTTPRequestHead, body: ByteBuffer, peer: PeerIdentity) async -> APIResponse {
        let components = URLComponents(string: head.uri)
        let path = components?.path ?? head.uri
        let query = Dictionary((components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let segments = path.split(separator: "/").map(String.init)
        guard segments.first == "v1" else {
            return .error(.notFound, "not-found", "no such endpoint \(path); the API lives under /v1 (try /v1/status)")
        }
        guard head.method == .GET else {
            api.auditRefusal(peer: peer, what: "\(head.method) \(path)", why: "method not allowed")
            return .error(.methodNotAllowed, "method-not-allowed", "\(head.method) is not allowed on \(path); this API version has read endpoints only")
        }
        if let reason = api.access.refuseRead(peer) {
            api.auditRefusal(peer: peer, what: "GET \(path)", why: reason)
            return .error(.forbidden, "forbidden", reason)
        }
        do {
            switch Array(segments.dropFirst()) {
            case ["status"]: return .json(try api.status())
            case ["clips"]: return .json(try api.clips(limit: query["limit"].flatMap(Int.init), offset: query["offset"].flatMap(Int.init) ?? 0))
            case let s where s.count == 2 && s[0] == "clips": return try api.clip(s[1])
            case ["dumps"]: return .json(try api.dumps())
            case let s where s.count == 2 && s[0] == "dumps": return try api.dump(s[1])
            case ["audit", "verify"]: return .json(try api.verifyAudit())
            default:
                return .error(.notFound, "not-found", "no such endpoint \(path)")
            }
        } catch {
            return .error(.internalServerError, "internal", "\(error)")
        }
    }
}
