import CustodyAPI
import CustodyCore
import CustodyServer
import Foundation
import Testing

/// Authorization issue, item 6: the matrix generated from the route table. Every route is called
/// as every role (real Unix users, `useradd`, against a real daemon) and is allowed or refused
/// exactly as its declaration says; no answer to a caller not cleared for personal privacy holds
/// a confidential clip's annotation or its case's title. A route added to the table is in the
/// matrix by construction; a route without a role does not compile (`AdminRoute.role`).
@Suite("Every route as every role", .serialized)
struct RoleMatrixEndToEndTests {
    typealias L = LedgerEndToEndTests

    /// Annotation strings of the confidential clips, and the title of their confidential case.
    static let secrets = ["机密地点Q7X", "机密当事人Q7X", "机密描述Q7X", "机密案件Q7X"]

    struct Caller {
        var name: String
        var user: UnixUsers.User?
        var roles: Set<StationRole>
    }

    struct Answer {
        var status: Int
        var body: String
        var error: String? {
            (try? APICoding.decoder().decode(ErrorResponse.self, from: Data(body.utf8)))?.error
        }
    }

    /// One call of `route` as `caller`, through curl on the real socket (streams cut after 1 s).
    static func call(_ harness: DaemonHarness, _ users: UnixUsers, _ caller: Caller, _ method: String, _ path: String) throws -> Answer {
        var args = ["-s", "-w", "\n%{http_code}", "--max-time", path == "/v1/events" ? "1" : "60", "--unix-socket", harness.socketPath,
                    "-X", method]
        if method == "POST" { args += ["-H", "Content-Type: application/json", "--data", "{}"] }
        args.append("http://custody" + path)
        let result = try caller.user.map {
            try run("setpriv", ["--reuid=\($0.uid)", "--regid=\($0.gid)", "--init-groups", "curl"] + args)
        } ?? run("curl", args)
        let text = String(decoding: result.stdout, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return Answer(status: Int(lines.last ?? "") ?? 0, body: lines.dropLast().joined(separator: "\n"))
    }

    @Test("generated from the route table: every route as no role, viewer, clerk, approver, admin, auditor and root is allowed or refused exactly as declared, and an uncleared caller's answers never hold a confidential clip's annotation")
    func matrix() throws {
        let users = UnixUsers()
        var callers = [Caller(name: "root", user: nil, roles: Set(StationRole.allCases))]
        var config = "[api]\n"
        for role in StationRole.allCases {
            let user = try users.add("c16\(role.rawValue.prefix(2))")
            config += "\(role.rawValue)_users = [\"\(user.name)\"]\n"
            callers.append(Caller(name: role.rawValue, user: user, roles: role == .viewer ? [.viewer] : [.viewer, role]))
        }
        callers.append(Caller(name: "no role", user: try users.add("c16no"), roles: []))
        let harness = try DaemonHarness(extraConfig: config)
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        let values = try Self.fixture(harness)
        let cleared = ConfidentialityClearance.standard
        var calls = 0
        for route in RouteTable.routes {
            var path = route.path
            for name in route.parameterNames {
                let value = try #require(values[name], "the matrix has no value for :\(name) of \(route.path); add one to the fixture")
                path = path.replacingOccurrences(of: ":" + name, with: value)
            }
            for caller in callers {
                let answer = try Self.call(harness, users, caller, route.method.rawValue, path)
                calls += 1
                let refusedByRole = answer.status == 403 && answer.error == "forbidden"
                let where_ = "\(route.method.rawValue) \(path) as \(caller.name) → \(answer.status) \(answer.body.prefix(200))"
                #expect(answer.status != 0, "no answer: \(where_)")
                #expect(refusedByRole == !caller.roles.contains(route.role), "declared \(route.role.rawValue): \(where_)")
                let readsWhole = !route.unredactedFor.isDisjoint(with: caller.roles)
                if !cleared.mayView([.privacy], roles: caller.roles) && !readsWhole {
                    for secret in Self.secrets {
                        #expect(!answer.body.contains(secret), "\(secret) leaked: \(where_)")
                    }
                }
            }
        }
        #expect(calls == RouteTable.routes.count * callers.count)
        // The cleared still see it, and their looks are audited.
        #expect(try harness.ctl(["clips", "show", values["clip"]!]).status == 0)
        #expect(try harness.ctlJSON(["audit", "show", "--action", "clip.view-confidential"], as: [AuditItem].self).isEmpty == false)
        harness.stop()
    }

    /// A station with something behind every parameter: two clips under privacy (one flagged
    /// itself, one through its confidential case), both annotated with `secrets`, queued for and
    /// planned onto a disc, named in an access request and a spot-check finding.
    static func fixture(_ harness: DaemonHarness) throws -> [String: String] {
        try L.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        try L.ok(harness, ["devices", "add", "A7K2931", "--brand", "海康威视", "--model", "DSJ-K1", "--keeper", "010203"])
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 4, start: Date().addingTimeInterval(-3 * 3600)))
        let clips = try harness.clips()
        let (flagged, inCase) = (clips[0].sha256, clips[1].sha256)
        try L.ok(harness, ["cases", "add", "A-2026-1", "--title", "普通案件"])
        try L.ok(harness, ["cases", "add", "S-2026-1", "--title", secrets[3]])
        for (clip, number) in [(flagged, "A-2026-1"), (inCase, "S-2026-1")] {
            try L.ok(harness, ["clips", "annotate", clip, "--case", number, "--category", "治安案件", "--place", secrets[0], "--party", secrets[1],
                               "--description", secrets[2]])
            try L.ok(harness, ["retain", clip, "--reason", "evidence"])
        }
        try L.ok(harness, ["clips", "confidential", flagged, "--flag", "privacy"])
        try L.ok(harness, ["cases", "confidential", "S-2026-1", "--flag", "privacy"])
        let plan = try harness.ctlJSON(["discs", "plan", "--force"], as: DiscPlanResponse.self)
        let set = try #require(plan.sets.first).id
        let entry = try harness.ctlJSON(["access", "request", "--name", "王五", "--unit", "本局", "--kind", "agency-staff", "--clip", flagged,
                                         "--purpose", "核查", "--action", "view"], as: AccessEntryItem.self)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let month = calendar.dateComponents([.year, .month], from: try #require(clips[0].correctedRecordedAt ?? clips[0].recordedAt))
        let sample = try harness.ctlJSON(["review", "sample", "--ratio", "1", "--period", String(format: "%04d-%02d", month.year!, month.month!)],
                                         as: ReviewItem.self)
        let ordinal = try #require(sample.items.first { $0.subjectKey == flagged }).ordinal
        try L.ok(harness, ["review", "record", "\(sample.id)", "\(ordinal)", "--outcome", "problem", "--note", secrets[2]])
        return ["clip": flagged, "dump": "1", "badge": "010203", "serial": "A7K2931", "table": "officers", "case": "S-2026-1",
                "proposal": "1", "set": set, "job": "999", "request": "\(entry.id)", "sample": "\(sample.id)"]
    }
}
