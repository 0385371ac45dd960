import CustodyCatalog
import CustodyCore
import Foundation
import Hummingbird
import NIOCore

/// Runs one route's handler for a caller `RequireRole` has let through: reads the body whole (a
/// body over the limit is refused 413, never cut off and acted on), decodes the path parameters,
/// and turns a refusal into its answer, in Chinese when asked, with an audit row.
struct RouteAnswer {
    let route: AdminRoute
    let api: APIHandlers

    func respond(to request: Request, context: AdminContext) async throws -> Response {
        guard let caller = context.caller else { throw HTTPError(.forbidden) }
        let what = "\(request.method) \(request.uri.path)"
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: AdminResponder.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            let why = "request body over \(AdminResponder.maxBodyBytes >> 20) MiB; nothing was done (split a large CSV import into several files)"
            api.auditRefusal(peer: caller.peer, what: what, why: why)
            return APIResponse.error(.payloadTooLarge, "too-large", why).response
        }
        var parameters: [String: String] = [:]
        for name in route.parameterNames {
            if let raw = context.parameters.get(name) { parameters[name] = raw.removingPercentEncoding ?? raw }
        }
        let items = URLComponents(string: request.uri.string)?.queryItems ?? []
        let query = Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        // The caller's clearance, unless the route gives their role its answer whole.
        let whole = !route.unredactedFor.isDisjoint(with: caller.roles)
        let reader = api.catalog.reader(hiding: whole ? [] : api.hiddenConfidentiality(for: caller.roles))
        // Every request's limit and offset are checked here, whatever the route (issue 18).
        let page: Page
        do {
            page = try Page.parse(path: request.uri.path, query: query, limits: api.config.limits)
        } catch {
            return refused(error, peer: caller.peer, chinese: request.wantsChinese, what)
        }
        let apiRequest = APIRequest(peer: caller.peer, roles: caller.roles, reader: reader, method: route.method.rawValue, path: request.uri.path,
                                    parameters: parameters, query: query, body: body, chinese: request.wantsChinese,
                                    range: request.headers[.range], page: page)
        do {
            let answer = try await Page.$current.withValue(route.method == .get ? apiRequest.page : nil) {
                try await route.handler(api, apiRequest)
            }
            // An event listener cut off for falling behind that does not take its last line either is closed.
            answer.stream?.events.whenCutOff { [channel = context.channel] in
                channel.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
            }
            return answer.response
        } catch let error as LedgerError {
            return refused(APIRefusal(.conflict, error.code, error.description, zh: error.chinese), peer: apiRequest.peer, chinese: apiRequest.chinese, what)
        } catch let refusal as APIRefusal {
            return refused(refusal, peer: apiRequest.peer, chinese: apiRequest.chinese, what)
        } catch {
            api.logger.error("request failed", metadata: ["request": "\(what)", "error": "\(error)"])
            return APIResponse.error(.internalServerError, "internal", "\(error)").response
        }
    }

    private func refused(_ refusal: APIRefusal, peer: PeerIdentity, chinese: Bool, _ what: String) -> Response {
        api.auditRefusal(peer: peer, what: what, why: refusal.message)
        return APIResponse.error(refusal.status, refusal.code, chinese ? refusal.chinese ?? refusal.message : refusal.message).response
    }
}
