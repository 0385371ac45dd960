import CustodyCore
import Hummingbird

/// Refuses, and audits, a request whose caller does not hold `role`. Added to the router group of
/// every route that declares `role` (`RouteTable.install`), so no route is reached without it.
struct RequireRole: RouterMiddleware {
    typealias Context = AdminContext
    let role: StationRole
    let api: APIHandlers

    func handle(_ request: Request, context: AdminContext, next: (Request, AdminContext) async throws -> Response) async throws -> Response {
        if let caller = context.caller, caller.roles.contains(role) {
            return try await next(request, context)
        }
        let peer = context.caller?.peer ?? PeerIdentity(uid: .max, gid: .max, pid: 0)
        let reason = api.access.refuse(role, peer) ?? "the caller could not be identified"
        api.auditRefusal(peer: peer, what: "\(request.method) \(request.uri.path)", why: reason)
        let message = request.wantsChinese ? AccessPolicy.refusalZh(role, peer) : reason
        return APIResponse.error(.forbidden, "forbidden", message).response
    }
}
