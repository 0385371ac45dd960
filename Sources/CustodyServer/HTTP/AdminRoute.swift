import CustodyCore
import Foundation

/// One route of the admin API, declared once: method, path, the role a caller must hold, and the
/// handler. The role is not optional, so a route without one does not compile; `RouteTable`
/// installs each route behind `RequireRole(role)`, and the matrix test walks the same table.
public struct AdminRoute: Sendable {
    public enum Method: String, Sendable, CaseIterable { case get = "GET", post = "POST", delete = "DELETE" }

    public let method: Method
    /// Hummingbird's path syntax: `/v1/clips/:clip`. Parameter names say what they name
    /// (`clip`, `case`, `set`, …), so a test can fill them in.
    public let path: String
    public let role: StationRole
    /// Roles that read this route's answer whole, with nothing withheld for confidentiality
    /// (the auditor reads the audit log and the access register in full); everyone else gets
    /// what their clearance allows.
    public let unredactedFor: Set<StationRole>
    let handler: @Sendable (APIHandlers, APIRequest) async throws -> APIResponse

    /// A route whose handler waits for other work (a background job) without blocking.
    init(_ method: Method, _ path: String, _ role: StationRole, unredactedFor: Set<StationRole> = [],
         waiting handler: @escaping @Sendable (APIHandlers, APIRequest) async throws -> APIResponse) {
        self.method = method; self.path = path; self.role = role; self.unredactedFor = unredactedFor; self.handler = handler
    }

    /// A route whose handler runs to its end: on a thread of its own, never on the cooperative
    /// pool (availability issue, item 4). A handler may read the catalog, copy an export, run
    /// xorriso or render a PDF; on the pool, two of them at once held every thread of a 2-core
    /// station and every other request waited. The request's page goes with it.
    init(_ method: Method, _ path: String, _ role: StationRole, unredactedFor: Set<StationRole> = [],
         _ handler: @escaping @Sendable (APIHandlers, APIRequest) throws -> APIResponse) {
        self.init(method, path, role, unredactedFor: unredactedFor, waiting: { api, request in
            let page = Page.current
            return try await OwnThread.run("custody-request") { try Page.$current.withValue(page) { try handler(api, request) } }
        })
    }

    /// The parameter names in `path`, in order.
    public var parameterNames: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }
}
