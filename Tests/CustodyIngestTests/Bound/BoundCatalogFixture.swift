import Crypto
import CustodyCatalog
import CustodyCore
import Foundation
@testable import CustodyIngest

/// A catalog and store in which every write path the daemon has was taken once, so every bound
/// table holds rows: the ledger, a dump with clips (one seen twice, one adopted after a "crash"),
/// a docking's clock offset and a clerk's correction, a case with an annotated clip, a long-term mark, a hold, a confidentiality flag, a disposal
/// proposed and approved by two people, a disc set with a copy event, an access request approved
/// and used, a deadline exception and an interruption note.
struct BoundCatalogFixture {
    let folder: String
    let catalogPath: String
    let catalog: Catalog
    let store: EvidenceStore
    let clips: [String]

    static func make() throws -> BoundCatalogFixture {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("custody-bound-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let catalogPath = folder + "/catalog.sqlite"
        let catalog = try Catalog(path: catalogPath)
        let store = try EvidenceStore(root: folder + "/store")
        let policy = MatchPolicy()
        let now = Date()
        let day: TimeInterval = 86_400

        try catalog.saveOfficer(Officer(badge: "010203", name: "张三", unit: "一中队", active: true), actor: "clerk", action: "officer.add")
        try catalog.saveDevice(Device(serial: "A7K2931", brand: "海康威视", model: "DSJ-K1", unit: "一中队", keeperBadge: "010203",
                                      status: .inService, placeholder: false), actor: "clerk", action: "device.add", policy: policy)
        let out = now.addingTimeInterval(-3 * day)
        try catalog.checkout(serial: "A7K2931", badge: "010203", at: out, offsite: false, note: "", actor: "clerk", policy: policy)
        let handover = try catalog.checkin(serial: "A7K2931", at: out.addingTimeInterval(10 * 3600), actor: "clerk", policy: policy)
        _ = try catalog.grantDeadlineException(handoverID: handover.id, reason: "异地执勤", requestedBy: Person(uid: 1003, name: "clerk"),
                                               by: Person(uid: 1004, name: "approver"), currentName: Self.names, policy: policy)
        try catalog.addInterruption(Interruption(id: 0, handoverID: handover.id, clipSHA256: nil, reason: .battery, note: "电量耗尽",
                                                 reviewedBy: "王队长"), actor: "clerk")

        let dump = try catalog.startDump(sourceKind: "mount", mountPoint: "/media/cam1", mountSource: "/dev/sdb1", fsType: "vfat",
                                         mountKey: "vfat:cam1", mountID: 1)
        // Recorded during the handover, one three years ago (past retention: disposable), one adopted.
        let recorded = [out.addingTimeInterval(3600), out.addingTimeInterval(7200), now.addingTimeInterval(-3 * 365 * day)]
        var clips: [String] = []
        for (n, at) in recorded.enumerated() {
            let bytes = Array("clip \(n) \(UUID().uuidString)".utf8)
            let sha = try put(bytes, into: store)
            var clip = Clip(sha256: sha, sizeBytes: UInt64(bytes.count), mediaKind: "video", format: "mp4", recordedAt: at,
                            durationSeconds: 60, timeSource: "container", deviceSerial: "A7K2931", officerBadge: "010203",
                            ingestedAt: now, dueAt: nil, late: false, flags: n == 1 ? ["important"] : [],
                            sourcePath: "DCIM/100MEDIA/\(n).MP4")
            clip.clockOffsetSeconds = 12
            try catalog.record(IngestedFile(dumpID: dump.id, sourcePath: RawPath("DCIM/100MEDIA/\(n).MP4"), sourceSize: UInt64(bytes.count),
                                            sourceMtime: at, clip: clip, grammar: "badge-serial-time"), policy: policy)
            clips.append(sha)
        }
        // The same bytes again from another path: a second provenance of a known clip.
        let again = try catalog.clip(matching: clips[0])!
        try catalog.record(IngestedFile(dumpID: dump.id, sourcePath: RawPath("DCIM/copy.MP4"), sourceSize: again.sizeBytes,
                                        sourceMtime: nil, clip: again, grammar: nil), policy: policy)
        // A file found in the store without a row (a crash), adopted, then completed by its resumed copy.
        let orphan = Array("orphan \(UUID().uuidString)".utf8)
        let orphanSHA = try put(orphan, into: store)
        try catalog.adopt(Clip(sha256: orphanSHA, sizeBytes: UInt64(orphan.count), mediaKind: "other", format: "unknown", recordedAt: nil,
                               durationSeconds: nil, timeSource: "none", deviceSerial: nil, officerBadge: nil, ingestedAt: now,
                               dueAt: nil, late: false, flags: [ClipFlag.adoptedFromStore.rawValue], sourcePath: ""))
        try catalog.record(IngestedFile(dumpID: dump.id, sourcePath: RawPath("DCIM/orphan.MP4"), sourceSize: UInt64(orphan.count),
                                        sourceMtime: nil,
                                        clip: Clip(sha256: orphanSHA, sizeBytes: UInt64(orphan.count), mediaKind: "video", format: "mp4",
                                                   recordedAt: out.addingTimeInterval(1800), durationSeconds: 5, timeSource: "container",
                                                   deviceSerial: "A7K2931", officerBadge: "010203", ingestedAt: now, dueAt: nil,
                                                   late: false, flags: [], sourcePath: "DCIM/orphan.MP4"),
                                        grammar: nil), policy: policy)
        clips.append(orphanSHA)

        // A docking's clock offset set by a clerk, and a clerk's correction of a recording time (attribution issue).
        _ = try catalog.setClockOffset(dumpID: dump.id, offsetSeconds: 30, reason: "机身时钟快 30 秒", actor: "clerk", policy: policy)
        _ = try catalog.correct(.clip(clips[1]), ClipCorrection(recordedAt: .set(out.addingTimeInterval(7000)), reason: "按接警记录更正"),
                                actor: "clerk", policy: policy)

        _ = try catalog.addCase(LegalCase(number: "A-2026-118", title: "某某寻衅滋事案", unit: "一中队", handlerBadge: "010203", openedAt: out),
                                actor: "clerk")
        _ = try catalog.annotate(Annotation(clipSHA256: clips[0], caseNumber: "A-2026-118", category: "治安案件", place: "人民路",
                                            party: "李某", description: "现场处置"), actor: "clerk", policy: policy)
        _ = try catalog.recordCaseEvent(number: "A-2026-118", kind: .closed, at: now, note: "结案", actor: "clerk", policy: policy)
        try catalog.markLongTerm(sha256: clips[1], reason: .evidence, note: "", actor: "clerk", policy: policy)
        try catalog.setHold(target: "clip:\(clips[0])", add: true, reason: "行政复议期间", actor: "approver")
        try catalog.setConfidentiality(target: "clip:\(clips[0])", flag: .privacy, add: true, actor: "approver")

        let proposal = try catalog.proposeDisposal(by: Person(uid: 1001, name: "admin1"), now: now)
        _ = try catalog.approveDisposal(id: proposal.id, by: Person(uid: 1002, name: "admin2"), currentName: Self.names, now: now)
        try store.removeDisposed(clips[2])

        let sets = try catalog.saveDiscSets([(media: "dvd", usedBytes: 100, fillRatio: 0.5, note: "",
                                              items: [(sha256: clips[1], discPath: "2026-11-27/张三_A7K2931_1.mp4")])],
                                            actor: "clerk", timeZone: .current)
        try catalog.recordDiscCopy(setID: sets[0], copy: "A", state: "burning", detail: "maker=李四", actor: "clerk")

        let request = AccessRequest(requester: Requester(name: "赵律师", unit: "某律师事务所", kind: .lawyer),
                                    documents: [AccessDocument(kind: .powerOfAttorney, reference: "委托书7号", verified: true)],
                                    clips: [RequestedClip(sha256: clips[1], caseNumber: "", caseState: .open)],
                                    purpose: "代理诉讼", action: .export, requestedBy: "clerk")
        let entry = try catalog.registerAccess(request, clerk: Person(uid: 1003, name: "clerk"))
        _ = try catalog.decideAccess(id: entry.id, approve: true, title: "agencyHead", note: "", by: Person(uid: 1004, name: "approver")) { _ in }
        try catalog.recordAccessUse(id: entry.id, what: "export", detail: "/media/usb/bag", actor: "clerk")

        return BoundCatalogFixture(folder: folder, catalogPath: catalogPath, catalog: catalog, store: store, clips: clips)
    }

    /// The accounts the fixture's people log in as (no Unix users needed: the names are given).
    static let names: @Sendable (UInt32) -> String? = { [1001: "admin1", 1002: "admin2", 1003: "clerk", 1004: "approver"][$0] }

    /// Puts bytes into the store as a verified copy would leave them.
    static func put(_ bytes: [UInt8], into store: EvidenceStore) throws -> String {
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let path = store.path(for: sha)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o444)
        return sha
    }
}
