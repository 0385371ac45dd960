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

/// One request as handlers see it.
public struct APIRequest: Sendable {
    public var peer: PeerIdentity
    public var path: String
    public var query: [String: String]
    public var body: ByteBuffer

    /// Decodes the JSON body, or refuses with a message naming what is wrong.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try APICoding.decoder().decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw APIRefusal(.badRequest, "bad-request", "the request body is not a valid \(T.self): \(error)")
        }
    }
}

/// A request refused for a reason the caller can act on; audited by the router.
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

extension Router {
    /// The event stream for `GET /v1/events`, or nil when the request is something else
    /// (or refused: the normal path then answers and audits the refusal).
    public func eventStream(for head: HTTPRequestHead, peer: PeerIdentity) -> AsyncStream<ByteBuffer>? {
        guard isEventStream(head, peer: peer) else { return nil }
        return api.eventLines()
    }

    /// Whether `head` opens the event stream for `peer`, decided without subscribing to it.
    public func isEventStream(_ head: HTTPRequestHead, peer: PeerIdentity) -> Bool {
        head.method == .GET && head.uri.split(separator: "?").first == "/v1/events" && api.access.refuseRead(peer) == nil
    }

    /// The answer to a request read off a connection: 413 (audited) when its body was over the
    /// limit, otherwise the route's answer.
    public func answer(_ request: RequestAssembler.Assembled, peer: PeerIdentity) async -> APIResponse {
        switch request {
        case .tooLarge(let head): return refuseTooLarge(head, peer: peer)
        case .complete(let head, let body): return await respond(to: head, body: body, peer: peer)
        }
    }
}

extension APIResponse {
    /// The head written before the body: its type and length, and `Connection` as the request
    /// asked (a client that sent `Connection: close` gets the answer, then the end of the stream).
    public func head(for request: HTTPRequestHead) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(name: "Connection", value: request.isKeepAlive ? "keep-alive" : "close")
        return HTTPResponseHead(version: request.version, status: status, headers: headers)
    }
}

/// Maps requests to handlers after checking the caller's role. Every refusal is audited.
public struct Router: Sendable {
    /// The largest request body taken (a CSV import must fit whole); larger ones are answered 413.
    public static let maxBodyBytes = 32 << 20

    /// The answer to a request whose body is over the limit; audited like every refusal.
    func refuseTooLarge(_ head: HTTPRequestHead, peer: PeerIdentity) -> APIResponse {
        let why = "request body over \(Self.maxBodyBytes >> 20) MiB; nothing was done (split a large CSV import into several files)"
        api.auditRefusal(peer: peer, what: "\(head.method) \(head.uri)", why: why)
        return .error(.payloadTooLarge, "too-large", why)
    }
    let api: APIHandlers

    public init(api: APIHandlers) { self.api = api }

    public func respond(to head: HTTPRequestHead, body: ByteBuffer, peer: PeerIdentity) async -> APIResponse {
        let components = URLComponents(string: head.uri)
        let path = components?.path ?? head.uri
        let query = Dictionary((components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let segments = path.split(separator: "/").map(String.init)
        if segments == ["metrics"] && head.method == .GET {
            if let reason = api.access.refuseRead(peer) {
                api.auditRefusal(peer: peer, what: "GET \(path)", why: reason)
                return .error(.forbidden, "forbidden", reason)
            }
            do {
                var response = APIResponse(status: .ok, body: ByteBuffer(string: try api.metricsText()))
                response.contentType = "text/plain; version=0.0.4; charset=utf-8"
                return response
            } catch {
                return .error(.internalServerError, "internal", "\(error)")
            }
        }
        guard segments.first == "v1" else {
            return .error(.notFound, "not-found", "no such endpoint \(path); the API lives under /v1 (try /v1/status)")
        }
        let route = Array(segments.dropFirst())
        let mutating = head.method != .GET
        if mutating && head.method != .POST {
            api.auditRefusal(peer: peer, what: "\(head.method) \(path)", why: "method not allowed")
            return .error(.methodNotAllowed, "method-not-allowed", "\(head.method) is not allowed on \(path); the API reads with GET and changes with POST")
        }
        let role = AccessPolicy.role(method: mutating ? "POST" : "GET", route: route)
        if let reason = api.access.refuse(role, peer) {
            api.auditRefusal(peer: peer, what: "\(head.method) \(path)", why: reason)
            let chinese = head.headers["Accept-Language"].first?.lowercased().hasPrefix("zh") ?? false
            let roleName = ["viewer": "查看", "clerk": "台账操作（内勤）", "approver": "审批", "admin": "管理员"][role.rawValue] ?? role.rawValue
            let zh = "\(peer.auditName) 没有\(roleName)权限，请管理员在配置 [api] \(role.rawValue)_users / \(role.rawValue)_groups 中授权"
            return .error(.forbidden, "forbidden", chinese ? zh : reason)
        }
        let request = APIRequest(peer: peer, path: path, query: query, body: body)
        do {
            if mutating {
                return try api.post(route, request)
            }
            switch route {
            case ["status"]: return .json(try api.status())
            case ["clips"]: return .json(try api.clips(query: query, peer: peer))
            case let s where s.count == 2 && s[0] == "clips": return try api.clip(s[1], peer: peer)
            case ["dumps"]: return .json(try api.dumps())
            case let s where s.count == 2 && s[0] == "dumps": return try api.dump(s[1])
            case ["audit", "verify"]: return .json(try api.verifyAudit())
            case ["audit", "key"], ["audit", "consistency"]: return try api.getIntegrity(route, request)
            case ["fsck"]: return .json(try api.fsck())
            default:
                return try api.getLedger(route, request)
            }
        } catch let error as APIRefusal {
            api.auditRefusal(peer: peer, what: "\(head.method) \(path)", why: error.message)
            let chinese = head.headers["Accept-Language"].first?.lowercased().hasPrefix("zh") ?? false
            return .error(error.status, error.code, chinese ? error.chinese ?? error.message : error.message)
        } catch {
            return .error(.internalServerError, "internal", "\(error)")
        }
    }
}
