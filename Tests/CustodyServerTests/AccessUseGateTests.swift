import CustodyCore
import Foundation
import Testing
@testable import CustodyServer

/// Issue 19 item 7: every path that does something under a registered request goes through the
/// one gate (`APIHandlers.admitUse`, deciding by `AccessPolicyRules.checkUse`). The end-to-end
/// suite (`AccessRegisterEndToEndTests`) drives each path into the gate; this suite makes a new
/// path fail until it is added there.
@Suite("Access use gate: the paths")
struct AccessUseGateTests {
    /// Each route that uses a request, and the function its handler runs through the gate.
    static let gated: [String: String] = [
        "POST /v1/access/:request/export": "func export(",
        "POST /v1/access/:request/viewed": "func recordViewing(",
        "GET /v1/clips/:clip/content": "func lookUnderRequest(",
    ]

    static func source(_ file: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Sources/CustodyServer/" + file), encoding: .utf8)
    }

    @Test("every route acting on a request after its decision is a gated path")
    func everyUseIsGated() {
        let uses = RouteTable.routes.filter { $0.method == .post && $0.path.hasPrefix("/v1/access/:request/") }
            .map { "POST \($0.path)" }.filter { !$0.hasSuffix("/approve") && !$0.hasSuffix("/deny") }
        #expect(Set(uses) == Set(Self.gated.keys.filter { $0.hasPrefix("POST /v1/access/") }))
        #expect(RouteTable.routes.contains { $0.method == .get && $0.path == "/v1/clips/:clip/content" })
    }

    @Test("each gated function calls the gate, and the content route calls the playing-against-a-request check")
    func functionsCallTheGate() throws {
        let text = try Self.source("Routes/AccessRoutes.swift") + Self.source("Routes/AccessUseGate.swift")
        for (route, function) in Self.gated {
            let start = try #require(text.range(of: function), "\(route): \(function) not found")
            let body = text[start.upperBound...].prefix(2000)
            #expect(body.contains("try admitUse("), "\(route): \(function) does not call admitUse")
        }
        #expect(try Self.source("Console/ClipContentRoute.swift").contains("try lookUnderRequest(clip.sha256, request)"))
    }
}
