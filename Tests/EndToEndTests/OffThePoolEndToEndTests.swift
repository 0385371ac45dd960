import CustodyAPI
import Foundation
import Synchronization
import Testing

/// Availability issue (#18), item 4: a request's handler runs on a thread of its own, never on
/// the cooperative pool (`AdminRoute`). Four access exports of 64 MiB each at once held both
/// threads of a 2-core station's pool, and `status` waited until one of them ended (measured
/// with handlers on the pool: 11.95 s, answered as the first export ended; off it: 0.4 s).
@Suite("Handlers off the cooperative pool", .serialized)
struct OffThePoolEndToEndTests {
    /// When each export process ended.
    final class Ends: Sendable {
        private let times = Mutex<[Date]>([])
        func note() { times.withLock { $0.append(Date()) } }
        var first: Date? { times.withLock { $0.min() } }
    }

    @Test("while four large exports run at once, status answers before the first of them ends")
    func statusAnswersDuringExports() throws {
        let harness = try DaemonHarness(extraConfig: "[api]\napprover_users = [\"nobody\"]")
        try harness.start()
        defer { harness.stop() }
        AccessEndToEndTests.openUp(harness)
        try JobsEndToEndTests.station(harness, clips: 8)
        let clips = try harness.clips().map(\.sha256)
        var requests: [Int64] = []
        for n in 0..<4 {
            let entry = try harness.ctlJSON(["access", "request", "--name", "王五\(n)", "--unit", "某区法院", "--kind", "authority", "--body", "court",
                                             "--doc", "letter-of-introduction:法函1\(n)号:verified", "--doc", "id-document:法官证00\(n):verified",
                                             "--purpose", "审理需要", "--action", "export"] + clips.flatMap { ["--clip", $0] }, as: AccessEntryItem.self)
            let approved = try AccessEndToEndTests.asNobody(harness, ["access", "approve", "\(entry.id)", "--title", "agency-head"])
            #expect(approved.status == 0, "\(String(decoding: approved.stderr, as: UTF8.self))")
            requests.append(entry.id)
        }
        let ended = Ends()
        var exports: [Process] = []
        for id in requests {
            let folder = try harness.drive.subdirectory("export-\(id)")
            let export = Process()
            export.executableURL = URL(fileURLWithPath: DaemonHarness.custodyctl)
            export.arguments = ["--socket", harness.socketPath, "access", "export", "\(id)", "--to", folder.path]
            export.standardOutput = FileHandle.nullDevice
            export.terminationHandler = { _ in ended.note() }
            try export.run()
            exports.append(export)
        }
        Thread.sleep(forTimeInterval: 0.3)
        let status = try harness.status()
        let answered = Date()
        for export in exports {
            export.waitUntilExit()
            #expect(export.terminationStatus == 0, "an export failed")
        }
        let first = try #require(ended.first)
        #expect(status.clips.total == clips.count)
        #expect(answered < first, "status answered \(answered.timeIntervalSince(first)) s after the first export ended")
    }
}
