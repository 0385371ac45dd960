import CustodyCatalog
import CustodyCore
import Foundation

/// `CatalogBench generate`: a year of a station of ~200 officers and ~250 cameras, scaled to the
/// number of clips asked for, written into a new catalog and a store of stand-in files.
struct CatalogGeneration {
    var catalogPath: String
    var storeRoot: String
    var clipCount = 1_000_000
    var seed: UInt64 = 2026
    var now = Date()
    var calendarPath: String?
    var officers = 200
    var devices = 250

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: catalogPath) else {
            throw BenchError("\(catalogPath) exists; generate into a new path")
        }
        let clock = ContinuousClock()
        let began = clock.now
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        var policy = MatchPolicy()
        policy.calendar = try calendarPath.map { try CalendarFile.parse(String(contentsOfFile: $0, encoding: .utf8), timeZone: zone) }
            ?? WorkingCalendar(timeZone: zone)
        let start = now.addingTimeInterval(-365 * 86_400)
        var rng = SplitMix64(state: seed)
        let roster = StationRoster(officers: officers, devices: devices, rng: &rng)
        do {
            // The ledger through the catalog's own API: migrations, revisions, audit rows.
            let catalog = try Catalog(path: catalogPath)
            let at = start.addingTimeInterval(-2 * 86_400)
            for officer in roster.officers { try catalog.saveOfficer(officer, actor: "clerk", action: "officer.add", at: at) }
            for device in roster.devices {
                try catalog.saveDevice(device, actor: "clerk", action: "device.add", policy: policy, at: at)
            }
        }
        var shifts = roster.shifts(from: start, to: now, zone: zone, rng: &rng)
        var next: Int64 = 1
        for i in shifts.indices {
            shifts[i].checkoutID = next
            next += 1
            if shifts[i].checkedIn != nil { shifts[i].checkinID = next; next += 1 }
        }
        let docked = shifts.indices.filter { shifts[$0].dockedAt != nil }.sorted { shifts[$0].dockedAt! < shifts[$1].dockedAt! }
        for (k, i) in docked.enumerated() { shifts[i].dumpID = Int64(k + 1) }
        // Clips per shift: around the mean, more on busy shifts.
        let weights = docked.map { _ in rng.uniform(0.4...1.6) }
        let total = weights.reduce(0, +)
        var counts = weights.map { Int(Double(clipCount) * $0 / total) }
        var short = clipCount - counts.reduce(0, +)
        var k = 0
        while short > 0 { counts[k % counts.count] += 1; short -= 1; k += 1 }

        var planner = ClipPlanner(policy: policy, zone: zone, now: now, rng: SplitMix64(state: seed &+ 1))
        var clips: [PlannedClip] = []
        clips.reserveCapacity(clipCount)
        for (n, i) in docked.enumerated() {
            clips += planner.clips(of: shifts[i], count: counts[n], dumpID: shifts[i].dumpID!, serialNumber: clips.count)
        }
        for i in clips.indices { clips[i].sha256 = StoreObjects.hash(clips[i].content) }
        clips.sort { ($0.ingestedAt, $0.sha256) < ($1.ingestedAt, $1.sha256) }
        let units = Dictionary(uniqueKeysWithValues: roster.officers.map { ($0.badge, $0.unit) })
        let cases = planner.annotate(&clips, units: units)
        var confidential: [(sha256: String, flag: String, at: Double)] = []
        for _ in 0..<min(300, clips.count / 1000) {
            let c = clips[Int.random(in: 0..<clips.count, using: &rng)]
            let roll = rng.uniform(0...1)
            confidential.append((c.sha256, roll < 0.7 ? "privacy" : roll < 0.9 ? "tradeSecret" : "stateSecret",
                                 min(c.ingestedAt + 86_400, now.timeIntervalSince1970 - 60)))
        }
        let planned = clock.now
        say(String(format: "planned %d shifts, %d dumps, %d clips, %d cases in %.1f s", shifts.count, docked.count, clips.count,
                     cases.count, (planned - began).seconds))

        let objects = clips.map { (sha256: $0.sha256, content: $0.content) }
        let root = storeRoot
        let storeTask = Task.detached { try StoreObjects.write(root: root, objects: objects) }
        let auditRows = try CatalogWriter(path: catalogPath).write(shifts: shifts, clips: clips, cases: cases, confidential: confidential,
                                                                   now: now.timeIntervalSince1970)
        let written = clock.now
        let files = try await storeTask.value
        let stored = clock.now
        say(String(format: "catalog written in %.1f s (%d audit rows); %d store files done %.1f s after start of writing",
                     (written - planned).seconds, auditRows, files, (stored - planned).seconds))
        let late = clips.filter(\.late).count
        let ledgerFlags = Set(ClipFlag.ledgerFlags.map(\.rawValue))
        let flagged = clips.filter { $0.flags.contains(where: ledgerFlags.contains) }.count
        let annotated = clips.filter { $0.annotatedAt != nil }.count
        let inCase = clips.filter { $0.caseNumber != nil }.count
        func share(_ n: Int) -> String { String(format: "%d (%.1f %%)", n, Double(n) / Double(max(1, clips.count)) * 100) }
        say("clips: late \(share(late)), with ledger findings \(share(flagged)), annotated \(share(annotated)), in a case \(share(inCase))")
        say(String(format: "generated in %.1f s", (clock.now - began).seconds))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
