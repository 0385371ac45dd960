import CustodyCore
import Foundation
import Testing
@testable import CustodyServer

/// The admin API's route table (authorization issue, "Routes declared once, with their role").
@Suite("Route table")
struct RouteTableTests {
    static var readme: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }

    @Test("every route is declared once: no two routes share a method and path")
    func unique() {
        let keys = RouteTable.routes.map { "\($0.method.rawValue) \($0.path)" }
        #expect(Set(keys).count == keys.count, "\(Dictionary(grouping: keys, by: { $0 }).filter { $1.count > 1 }.keys)")
    }

    @Test("the README's roles table is the route table")
    func readmeTable() throws {
        let readme = Self.readme
        let begin = try #require(readme.range(of: "<!-- roles:begin -->"))
        let end = try #require(readme.range(of: "<!-- roles:end -->", range: begin.upperBound..<readme.endIndex))
        let table = readme[begin.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(table == RouteTable.markdown(), "README.md's roles table differs from the route table; replace it with:\n\(RouteTable.markdown())")
    }

    @Test("every change needs more than the viewer role; besides GETs a viewer reaches only the cancel of a job, which the handler grants to its starter or an admin")
    func changesNeedARole() {
        for route in RouteTable.routes where route.method == .post {
            #expect(route.role != .viewer, "\(route.path) changes something but is open to every viewer")
        }
        let deletes = RouteTable.routes.filter { $0.method == .delete }.map(\.path)
        #expect(deletes == ["/v1/jobs/:job"], "\(deletes)")
    }
}
