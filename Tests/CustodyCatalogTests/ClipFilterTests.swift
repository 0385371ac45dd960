import CustodyCore
import Foundation
import GRDB
import Testing
@testable import CustodyCatalog

/// A small station month through the real catalog: two officers, two cameras, seven clips whose
/// matching, lateness, flags, case and confidentiality the clerk's filters must reflect.
struct FilterStation {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    let catalog: Catalog
    let policy: MatchPolicy
    /// Clip hashes by name, c1…c7.
    let hashes: [String: String]

    static func at(_ text: String) -> Date { StationTime.parse(text, timeZone: zone)! }

    /// c1 A/DEV1 on time · c3 B/DEV2 · c4 B/DEV2 outside any handover · c2 A/DEV1 uploaded late ·
    /// c5 DEV1 camera 1 h fast: 11-01 00:30 on its clock, 10-31 23:30 really · c6 B/DEV1 ·
    /// c7 DEV1 named for A while B had it. c1 and c3 are filed under case A-2026-001.
    init() throws {
        let (catalog, _) = try AuditChainTests.freshCatalog()
        var policy = MatchPolicy()
        policy.calendar = WorkingCalendar(timeZone: Self.zone)
        for (badge, name) in [("010001", "张三"), ("010002", "李四")] {
            try catalog.saveOfficer(Officer(badge: badge, name: name, unit: "一中队", active: true), actor: "test", action: "officer.add")
        }
        for (serial, keeper) in [("DEV1", "010001"), ("DEV2", "010002")] {
            try catalog.saveDevice(Device(serial: serial, brand: "b", model: "m", unit: "一中队", keeperBadge: keeper, status: .inService),
                                   actor: "test", action: "device.add", policy: policy)
        }
        for (serial, badge, day) in [("DEV1", "010001", "2026-10-05"), ("DEV2", "010002", "2026-10-05"), ("DEV1", "010002", "2026-11-02")] {
            try catalog.checkout(serial: serial, badge: badge, at: Self.at("\(day) 08:00"), offsite: false, note: "", actor: "test", policy: policy)
            try catalog.checkin(serial: serial, at: Self.at("\(day) 18:00"), actor: "test", policy: policy)
        }
        let dump = try catalog.startDump(sourceKind: "drop", mountPoint: "/d", mountSource: "s", fsType: "ext4", mountKey: "k", mountID: nil)
        let plan: [(String, String, String, String, String, Double?)] = [
            ("c1", "DEV1", "010001", "2026-10-05 09:00", "2026-10-05 19:00", nil),
            ("c3", "DEV2", "010002", "2026-10-05 11:00", "2026-10-05 19:30", nil),
            ("c4", "DEV2", "010002", "2026-10-06 09:00", "2026-10-06 19:00", nil),
            ("c2", "DEV1", "010001", "2026-10-05 10:00", "2026-10-07 12:00", nil),
            ("c5", "DEV1", "010001", "2026-11-01 00:30", "2026-11-01 09:00", 3600),
            ("c6", "DEV1", "010002", "2026-11-02 09:00", "2026-11-02 19:00", nil),
            ("c7", "DEV1", "010001", "2026-11-02 10:00", "2026-11-02 19:10", nil),
        ]
        var hashes: [String: String] = [:]
        for (n, (name, serial, claimed, recorded, ingested, offset)) in plan.enumerated() {
            let hash = String(format: "%064x", 0xC11 + n)
            hashes[name] = hash
            var clip = Clip(sha256: hash, sizeBytes: 100, mediaKind: "video", format: "mp4", recordedAt: Self.at(recorded),
                            durationSeconds: 60, timeSource: "container", deviceSerial: serial, officerBadge: claimed,
                            ingestedAt: Self.at(ingested), dueAt: nil, late: false, flags: [], sourcePath: "\(name).mp4")
            clip.claimedBadge = claimed
            clip.clockOffsetSeconds = offset
            try catalog.record(IngestedFile(dumpID: dump.id, sourcePath: RawPath("\(name).mp4"), sourceSize: 100, sourceMtime: nil,
                                            clip: clip, grammar: nil), policy: policy, at: Self.at(ingested))
        }
        _ = try catalog.addCase(LegalCase(number: "A-2026-001", title: "寻衅滋事", unit: "一中队", handlerBadge: "010001",
                                      openedAt: Self.at("2026-10-05 12:00")), actor: "test")
        for name in ["c1", "c3"] {
            _ = try catalog.annotate(Annotation(clipSHA256: hashes[name]!, caseNumber: "A-2026-001", category: "治安案件", place: "人民路",
                                            party: "", description: ""), actor: "test", policy: policy)
        }
        self.catalog = catalog; self.policy = policy; self.hashes = hashes
    }

    /// The names of the clips `filter` lists, in the order listed.
    func names(_ filter: ClipFilter) throws -> [String] {
        let byHash = Dictionary(uniqueKeysWithValues: hashes.map { ($1, $0) })
        return try catalog.clips(filter).map { byHash[$0.sha256] ?? "?" }
    }
}

@Suite("Filtering the clip list")
struct ClipFilterTests {
    @Test("no filter lists every clip in ingest order")
    func everything() throws {
        let s = try FilterStation()
        #expect(try s.names(ClipFilter()) == ["c1", "c3", "c4", "c2", "c5", "c6", "c7"])
    }

    @Test("an officer filter lists the clips matched to that officer by the handover, not by the name")
    func officer() throws {
        let s = try FilterStation()
        #expect(try s.names(ClipFilter(officerBadge: "010001")) == ["c1", "c2", "c5"])
        #expect(try s.names(ClipFilter(officerBadge: "010002")) == ["c3", "c4", "c6", "c7"])
        #expect(try s.catalog.knowsOfficer("010001") && !s.catalog.knowsOfficer("999999"))
    }

    @Test("a device filter lists that camera's clips")
    func device() throws {
        let s = try FilterStation()
        #expect(try s.names(ClipFilter(deviceSerial: "DEV2")) == ["c3", "c4"])
        #expect(try s.names(ClipFilter(officerBadge: "010002", deviceSerial: "DEV1")) == ["c6", "c7"])
        #expect(try s.catalog.knowsDevice("DEV1") && !s.catalog.knowsDevice("NOPE1"))
    }

    @Test("the time range is on the corrected recording time: a fast camera's 00:30 on 1 November is October's")
    func recordedRange() throws {
        let s = try FilterStation()
        let october = ClipFilter(recordedFrom: FilterStation.at("2026-10-01 00:00"), recordedBefore: FilterStation.at("2026-11-01 00:00"))
        #expect(try s.names(october) == ["c1", "c3", "c4", "c2", "c5"])
        #expect(try s.names(ClipFilter(recordedFrom: FilterStation.at("2026-11-01 00:00"))) == ["c6", "c7"])
        // From is inclusive, before is exclusive.
        #expect(try s.names(ClipFilter(recordedFrom: FilterStation.at("2026-10-05 09:00"), recordedBefore: FilterStation.at("2026-10-05 10:00"))) == ["c1"])
        #expect(try s.names(ClipFilter(recordedFrom: FilterStation.at("2026-10-05 09:01"), recordedBefore: FilterStation.at("2026-10-05 10:00"))).isEmpty)
    }

    @Test("a case filter lists the clips filed under the case")
    func caseNumber() throws {
        let s = try FilterStation()
        #expect(try s.names(ClipFilter(caseNumber: "A-2026-001")) == ["c1", "c3"])
    }

    @Test("late only lists the clips uploaded after their deadline, and follows an approved exception")
    func lateOnly() throws {
        let s = try FilterStation()
        #expect(try s.names(ClipFilter(lateOnly: true)) == ["c2"])
        #expect(try s.names(ClipFilter(officerBadge: "010002", lateOnly: true)).isEmpty)
        #expect(try s.catalog.lateClipCount() == 1)
        // Three working days for that shift: c2 (uploaded 50 h after its recording) is no longer late.
        let handover = try #require(try s.catalog.handovers(serial: "DEV1").first { $0.checkedOutAt == FilterStation.at("2026-10-05 08:00") })
        _ = try s.catalog.grantDeadlineException(handoverID: handover.id, reason: "异地执勤", requestedBy: nil, by: Person(uid: 0, name: "root"), currentName: { _ in "root" }, policy: s.policy)
        #expect(try s.names(ClipFilter(lateOnly: true)).isEmpty)
        #expect(try s.catalog.lateClipCount() == 0)
        #expect(try s.catalog.clipCount() == 7)
    }

    @Test("a flag filter lists the clips carrying it, and follows the ledger when a new handover clears it")
    func flag() throws {
        let s = try FilterStation()
        #expect(try s.names(ClipFilter(flag: "no-handover")) == ["c4", "c5"])
        #expect(try s.names(ClipFilter(flag: "clock-drift")) == ["c5"])
        #expect(try s.names(ClipFilter(flag: "officer-mismatch")) == ["c7"])
        #expect(try s.names(ClipFilter(deviceSerial: "DEV1", flag: "no-handover")) == ["c5"])
        // DEV2 was with 010002 on 6 October after all: c4 is matched and loses its finding.
        try s.catalog.checkout(serial: "DEV2", badge: "010002", at: FilterStation.at("2026-10-06 08:00"), offsite: false, note: "",
                               actor: "test", policy: s.policy)
        try s.catalog.checkin(serial: "DEV2", at: FilterStation.at("2026-10-06 18:00"), actor: "test", policy: s.policy)
        #expect(try s.names(ClipFilter(flag: "no-handover")) == ["c5"])
    }

    @Test("limit and offset page the list; paging after a clip gives the same clips and sees new ones at the end")
    func paging() throws {
        let s = try FilterStation()
        #expect(try s.names(ClipFilter(limit: 2, offset: 1)) == ["c3", "c4"])
        #expect(try s.names(ClipFilter(afterSHA256: s.hashes["c4"], limit: 2)) == ["c2", "c5"])
        var pages: [String] = []
        var after: String?
        while true {
            let page = try s.catalog.clips(ClipFilter(afterSHA256: after, limit: 3))
            guard let last = page.last else { break }
            pages += page.map(\.sha256)
            after = last.sha256
        }
        #expect(pages == (try s.catalog.clips(ClipFilter()).map(\.sha256)))
        #expect(try s.names(ClipFilter(officerBadge: "010002", afterSHA256: s.hashes["c4"])) == ["c6", "c7"])
        #expect(try s.names(ClipFilter(flag: "no-handover", afterSHA256: s.hashes["c4"])) == ["c5"])
    }

    @Test("clips flagged confidential, themselves or through their case, are left out for callers not cleared")
    func confidentiality() throws {
        let s = try FilterStation()
        try s.catalog.setConfidentiality(target: "clip:\(s.hashes["c2"]!)", flag: .privacy, add: true, actor: "test")
        try s.catalog.setConfidentiality(target: "case:A-2026-001", flag: .stateSecret, add: true, actor: "test")
        #expect(try s.names(ClipFilter(hidden: [.privacy])) == ["c1", "c3", "c4", "c5", "c6", "c7"])
        #expect(try s.names(ClipFilter(hidden: [.stateSecret])) == ["c4", "c2", "c5", "c6", "c7"])
        #expect(try s.names(ClipFilter(hidden: [.tradeSecret])).count == 7)
        #expect(try s.catalog.confidentiality(sha256: s.hashes["c1"]!) == [.stateSecret])
        #expect(try s.catalog.confidentiality(sha256: s.hashes["c2"]!) == [.privacy])
        try s.catalog.setConfidentiality(target: "clip:\(s.hashes["c2"]!)", flag: .privacy, add: false, actor: "test")
        #expect(try s.names(ClipFilter(hidden: [.privacy])).count == 7)
        #expect(try s.catalog.confidentiality(sha256: s.hashes["c2"]!).isEmpty)
    }
}
