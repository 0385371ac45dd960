import CustodyAPI
import CustodyServer
import Foundation
import Testing

/// Availability issue (#18), item 5: the audit log records, it does not amplify. A user's
/// refusals repeated in a flood are a few rows with the count of the rest (`RefusalLog`); a
/// report asked for again with nothing changed reuses the checkpoint (`Catalog.stamp(reusing:)`);
/// every route checks `limit` and `offset` before its handler (`Page`), and every list answers a
/// page at most, which custodyctl reads whole.
@Suite("The audit log records, it does not amplify", .serialized)
struct AuditAmplificationEndToEndTests {
    typealias Matrix = RoleMatrixEndToEndTests

    /// Sends `n` requests, one connection each, as fast as the socket takes them; prints how many
    /// were answered with each status.
    static let flood = """
        import socket, sys, collections
        path, method, target, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
        seen = collections.Counter()
        for _ in range(n):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            s.sendall(f"{method} {target} HTTP/1.1\\r\\nHost: x\\r\\nContent-Type: application/json\\r\\nContent-Length: 2\\r\\nConnection: close\\r\\n\\r\\n{{}}".encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            s.close()
            seen[data.split(b" ")[1].decode() if data else "none"] += 1
        print(dict(seen), flush=True)
        """

    static func refusedRows(_ harness: DaemonHarness) throws -> [AuditItem] {
        try harness.ctlJSON(["audit", "show", "--action", "api.refused", "--limit", "10000"], as: [AuditItem].self)
    }

    /// The refusals an `api.refused` row stands for: itself, or the count it carries.
    static func refusals(in rows: [AuditItem]) -> Int {
        rows.reduce(0) { sum, row in
            let detail = (try? JSONSerialization.jsonObject(with: Data(row.detail.utf8))) as? [String: String] ?? [:]
            return sum + (detail["repeated"] == "true" ? Int(detail["count"] ?? "") ?? 0 : 1)
        }
    }

    @Test("a viewer repeating a refused request 2,000 times costs a handful of rows, and their counts add up to every refusal")
    func refusalFlood() throws {
        let users = UnixUsers()
        let viewer = try users.add("c18v")
        let harness = try DaemonHarness(extraConfig: "[api]\nviewer_users = [\"\(viewer.name)\"]")
        try harness.start()
        AccessEndToEndTests.openUp(harness)
        let before = try Self.refusedRows(harness).count
        let flood = try run("setpriv", ["--reuid=\(viewer.uid)", "--regid=\(viewer.gid)", "--init-groups", "/usr/bin/python3", "-c", Self.flood,
                                        harness.socketPath, "POST", "/v1/officers", "2000"])
        let printed = String(decoding: flood.stdout, as: UTF8.self)
        #expect(printed.contains("'403': 2000"), "every request refused by role: \(printed) \(String(decoding: flood.stderr, as: UTF8.self))")
        // Stopping writes the counts still open; the rows are read after a restart.
        #expect(harness.stop() == 0)
        try harness.start()
        let rows = try Self.refusedRows(harness)
        let added = rows.count - before
        #expect(added >= 2 && added <= 10, "2,000 refusals became \(added) rows")
        let flooded = rows.filter { $0.actor.contains(viewer.name) && $0.object == "POST /v1/officers" }
        #expect(Self.refusals(in: flooded) == 2000, "every refusal is counted: \(flooded.map(\.detail))")
        #expect(flooded.contains { $0.detail.contains("\"repeated\":\"true\"") })
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
        harness.stop()
    }

    @Test("a report asked for 30 times with nothing changed writes one checkpoint; a change since makes the next report write its own")
    func reportsReuseTheCheckpoint() throws {
        let harness = try DaemonHarness()
        try harness.start()
        defer { harness.stop() }
        _ = try LedgerEndToEndTests.ok(harness, ["officers", "add", "010203", "--name", "张三", "--unit", "一中队"])
        let checkpoints = {
            try APICoding.decoder().decode([CheckpointItem].self, from: run("curl", ["-s", "--unix-socket", harness.socketPath,
                                                                                "http://custody/v1/audit/checkpoints"]).stdout)
        }
        let start = try checkpoints().count
        var heads: Set<String> = []
        for _ in 0..<30 {
            let report = try harness.ctlJSON(["report", "daily", "--date", "2026-11-29"], as: ComplianceReportItem.self)
            heads.insert(report.auditHead)
        }
        #expect(try checkpoints().count == start + 1, "one checkpoint for 30 unchanged reports")
        #expect(heads.count == 1, "every report names the same state")
        _ = try LedgerEndToEndTests.ok(harness, ["officers", "add", "010204", "--name", "李四", "--unit", "一中队"])
        let after = try harness.ctlJSON(["report", "daily", "--date", "2026-11-29"], as: ComplianceReportItem.self)
        #expect(try checkpoints().count == start + 2 && !heads.contains(after.auditHead), "a change since: a new checkpoint")
        #expect(try harness.ctl(["audit", "verify"]).status == 0)
    }

    @Test("generated from the route table: a negative, zero, absurd or non-numeric limit or offset is refused on every route before its handler runs")
    func everyRouteChecksItsPage() throws {
        let harness = try DaemonHarness()
        try harness.start()
        defer { harness.stop() }
        let root = Matrix.Caller(name: "root", user: nil, roles: [])
        var checked = 0
        for route in RouteTable.routes {
            var path = route.path
            for name in route.parameterNames { path = path.replacingOccurrences(of: ":" + name, with: "x") }
            for (query, code) in [("limit=-1", "bad-limit"), ("limit=0", "bad-limit"), ("limit=10001", "bad-limit"), ("limit=abc", "bad-limit"),
                                  ("offset=-5", "bad-offset"), ("offset=1e9", "bad-offset")] {
                let answer = try Matrix.call(harness, UnixUsers(), root, route.method.rawValue, path + "?" + query)
                #expect(answer.status == 400 && answer.error == code, "\(route.method.rawValue) \(path)?\(query) → \(answer.status) \(answer.body.prefix(160))")
                checked += 1
            }
        }
        #expect(checked == RouteTable.routes.count * 6)
    }

    @Test("a list answers a page at most, says how many there are and links the next page; custodyctl prints the whole list")
    func listsArePaged() throws {
        let harness = try DaemonHarness(extraConfig: "[limits]\npage_default = 2\npage_maximum = 3")
        try harness.start()
        defer { harness.stop() }
        for (badge, name) in [("010203", "张三"), ("010204", "李四"), ("010205", "王五"), ("010206", "赵六"), ("010207", "钱七")] {
            _ = try LedgerEndToEndTests.ok(harness, ["officers", "add", badge, "--name", name, "--unit", "一中队"])
        }
        try MatchingEndToEndTests.dock(harness, folder: "a", files: RetentionEndToEndTests.files(count: 5, start: Date().addingTimeInterval(-86_400)))
        let page = try run("curl", ["-s", "-i", "--unix-socket", harness.socketPath, "http://custody/v1/officers"])
        let text = String(decoding: page.stdout, as: UTF8.self)
        #expect(text.contains("X-Total-Count: 5") || text.contains("x-total-count: 5"), "\(text.prefix(400))")
        #expect(text.lowercased().contains("link: </v1/officers?limit=2&offset=2>; rel=\"next\""), "\(text.prefix(400))")
        #expect(try harness.ctlJSON(["officers", "list"], as: [OfficerItem].self).count == 5)
        let clipsPage = try run("curl", ["-s", "-i", "--unix-socket", harness.socketPath, "http://custody/v1/clips"])
        let clipsText = String(decoding: clipsPage.stdout, as: UTF8.self)
        #expect(clipsText.lowercased().contains("link: </v1/clips?limit=2&offset=2>; rel=\"next\""), "\(clipsText.prefix(400))")
        let clips = try harness.clips()
        #expect(clips.count == 5 && Set(clips.map(\.sha256)).count == 5, "every clip once, across pages")
        let limited = try harness.ctlJSON(["clips", "list", "--limit", "3"], as: [ClipItem].self)
        #expect(limited.count == 3, "an explicit limit is one page")
        let tooMany = try harness.ctl(["clips", "list", "--limit", "4"], env: ["LANG": "zh_CN.UTF-8"])
        #expect(tooMany.status == 1 && String(decoding: tooMany.stderr, as: UTF8.self).contains("limit 须为 1 到 3 之间的整数"),
                "\(String(decoding: tooMany.stderr, as: UTF8.self))")
        let audit = try harness.ctl(["audit", "show", "--limit", "5000"])
        #expect(audit.status == 1 && String(decoding: audit.stderr, as: UTF8.self).contains("limit must be a whole number from 1 to 3"))
    }
}
