import CustodyCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The outermost responder of the admin API: asks the kernel who is calling (once per request),
/// refuses the methods the API does not use, hands the request to the route table's router, and
/// answers (and audits) what no route matches. Everything it refuses is an audit row naming the uid.
struct AdminResponder: HTTPResponder {
    typealias Context = AdminContext
    /// The largest request body taken (a CSV import must fit whole); larger ones are answered 413.
    static let maxBodyBytes = 32 << 20

    let api: APIHandlers
    let router: RouterResponder<AdminContext>

    init(api: APIHandlers) {
        self.api = api
        let router = Router(context: AdminContext.self)
        RouteTable.install(on: router, api: api)
        self.router = router.buildResponder()
    }

    /// Whether the route table has a `method` route for `path` (DELETE is only for cancelling a job).
    static func declares(_ method: String, _ path: String) -> Bool {
        let segments = path.split(separator: "/")
        return RouteTable.routes.contains { route in
            let pattern = route.path.split(separator: "/")
            return route.method.rawValue == method && pattern.count == segments.count
                && zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }
    }

    func respond(to request: Request, context: AdminContext) async throws -> Response {
        var context = context
        let peer = try await PeerIdentity.of(context.channel)
        context.caller = Caller(peer: peer, roles: api.access.roles(peer))
        let path = request.uri.path
        let what = "\(request.method) \(path)"
        let underAPI = path == "/v1" || path.hasPrefix("/v1/")
        if underAPI && request.method != .get && request.method != .post && !Self.declares(request.method.rawValue, path) {
            api.auditRefusal(peer: peer, what: what, why: "method not allowed")
            return APIResponse.error(.methodNotAllowed, "method-not-allowed",
                                     "\(request.method) is not allowed on \(path); the API reads with GET and changes with POST").response(for: request)
        }
        let response = try await router.respond(to: request, context: context)
        guard context.coreContext.endpointPath.value == "NotFound" else { return response.closing(if: request) }
        guard underAPI else {
            return APIResponse.error(.notFound, "not-found", "no such endpoint \(path); the API lives under /v1 (try /v1/status)").response(for: request)
        }
        let why = "no such endpoint \(what)"
        api.auditRefusal(peer: peer, what: what, why: why)
        return APIResponse.error(.notFound, "not-found", why + "; the routes are listed in README.md (roles table)").response(for: request)
    }
}

extension Request {
    /// The caller asked for Chinese (`Accept-Language: zh…`), as custodyctl does under a zh LANG.
    var wantsChinese: Bool { headers[.acceptLanguage]?.lowercased().hasPrefix("zh") ?? false }

    /// The client sent `Connection: close`: the answer is the last thing on the connection.
    var closesConnection: Bool { headers[.connection]?.lowercased() == "close" }
}

extension Response {
    /// Says `Connection: close` when the request did (Hummingbird closes the connection then).
    func closing(if request: Request) -> Response {
        var response = self
        response.headers[.connection] = request.closesConnection ? "close" : "keep-alive"
        return response
    }
}

extension APIResponse {
    /// The Hummingbird response: the body in one buffer, or the stream's lines as they come.
    var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        for (name, value) in self.headers.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let status = HTTPResponse.Status(code: Int(self.status.code))
        guard let stream else { return Response(status: status, headers: headers, body: .init(byteBuffer: body)) }
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: stream))
    }

    func response(for request: Request) -> Response { response.closing(if: request) }
}
