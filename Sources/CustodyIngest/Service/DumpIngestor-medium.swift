import CustodyCatalog
import CustodyCore
import Foundation
import Glibc

/// What a medium says about itself, gathered before its files are cataloged: the badge and
/// serial its identity files name (else the serial its file names agree on), and the camera's
/// clock offset at docking.
struct MediumFacts: Sendable {
    var badge: String?
    var serial: String?
    /// Fields the medium's identity files disagree on (badge, serial): taken from neither.
    var conflicts: Set<String> = []
    /// The daemon's estimate at this docking.
    var clock = ClockEstimate(offsetSeconds: nil, basis: .none)
    /// The offset the clips are matched with: the estimate, or what a clerk set on the dump.
    var offsetSeconds: Double?
}

extension DumpIngestor {
    func noteClip(_ clip: Clip, newest: inout Date?, serial: inout String?) {
        if let end = clip.recordedAt?.addingTimeInterval(clip.durationSeconds ?? 0), clip.timeSource != "file-time" {
            newest = max(newest ?? end, end)
        }
        serial = serial ?? clip.deviceSerial
    }

    /// The medium's identity and the camera's clock offset at docking (ledger issue, "Clock offset
    /// per docking"; attribution issue, item 1): from the camera's clock file when its device
    /// profile names one, else from the newest times its file names claim that agree with each
    /// other. File times are not used: FAT drivers disagree about them (fusefat shows them a
    /// month late).
    func mediumFacts(_ scan: ScanResult, recordings: [ScannedFile], dump: Dump, resumed: Bool) throws -> MediumFacts {
        let dockedAt = Date(), dumpID = dump.id
        let parsed = recordings.compactMap { context.grammars.parse(relativePath: $0.path.display, timeZone: context.timeZone) }
        let (identity, conflicts) = SideFiles.merge(identityFiles(scan).map { ($0.path.display, SideFiles.identity(fromFile: readSmall($0) ?? [])) })
        var facts = MediumFacts(badge: identity.badge, serial: identity.serial ?? Self.consensus(parsed.compactMap(\.serial)),
                                conflicts: Set(conflicts.map(\.field)))
        for conflict in conflicts where !resumed {
            try catalog.recordIssue(dumpID: dumpID, path: nil, kind: "identity-conflict", message: conflict.message)
        }
        let clockFile = try readClockFile(scan, serial: facts.serial, dumpID: dumpID, report: !resumed)
        facts.clock = ClockEstimator.estimate(claimed: parsed.compactMap(\.recordedAt), clockFile: clockFile, dockedAt: dockedAt,
                                              policy: context.rules.policy)
        let clerk = dump.clockBasis == .clerk || dump.clockBasis == .cleared
        facts.offsetSeconds = clerk ? dump.clockOffsetSeconds : facts.clock.offsetSeconds
        if !facts.clock.outliers.isEmpty {
            logger.warning("files claiming times implausibly far after the docking are left out of the camera's clock offset",
                           metadata: ["dump": "\(dumpID)", "files": "\(facts.clock.outliers.count)",
                                      "newest": "\(facts.clock.outliers.last.map { "\($0)" } ?? "")"])
        }
        return facts
    }

    /// The serial most of the medium's file names claim (one camera's storage).
    static func consensus(_ serials: [String]) -> String? {
        var counts: [String: Int] = [:]
        for serial in serials { counts[serial, default: 0] += 1 }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    /// The time in the camera's clock file, when the device's profile names one. A profile that
    /// names one the camera lacks, or one that cannot be read, is a dump issue (audited): the
    /// offset then comes from the file names.
    func readClockFile(_ scan: ScanResult, serial: String?, dumpID: Int64, report: Bool) throws -> Date? {
        guard let serial, let device = try catalog.device(serial: serial), !device.placeholder,
              let profile = context.config.deviceProfiles.first(where: { $0.brand == device.brand }),
              let name = profile.clockFile else { return nil }
        let bytes = rootFile(named: [name], in: scan).flatMap(readSmall)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = context.timeZone
        formatter.dateFormat = profile.clockFormat
        let line = bytes.map { String(decoding: $0, as: UTF8.self) }?
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        if let line, let time = formatter.date(from: line) { return time }
        if report {
            let (kind, message) = bytes == nil
                ? ("clock-file-missing", "device \(serial)'s profile (\(device.brand)) names the clock file \(name), but the camera has none; its clock offset is estimated from its file names")
                : ("clock-file-unreadable", "the clock file \(name) does not hold a time like \(profile.clockFormat); the clock offset is estimated from the file names")
            try catalog.recordIssue(dumpID: dumpID, path: RawPath(name), kind: kind, message: message)
        }
        return nil
    }

    /// The identity files at the medium's root (attribution issue, item 4).
    func identityFiles(_ scan: ScanResult) -> [ScannedFile] {
        scan.files.filter { !$0.path.bytes.contains(0x2F) && SideFiles.isIdentityFileName($0.path.display) }
    }

    /// The first file at the medium's root with one of these names (FAT may upper-case them).
    func rootFile(named names: [String], in scan: ScanResult) -> ScannedFile? {
        let wanted = Set(names.map { $0.uppercased() })
        return scan.files.first { !$0.path.bytes.contains(0x2F) && wanted.contains($0.path.display.uppercased()) }
    }

    /// The bytes of a small file of the medium (at most 64 KiB), opened as recordings are.
    func readSmall(_ file: ScannedFile) -> [UInt8]? {
        guard file.size < 64 * 1024, let fd = try? DumpScanner().openFile(root: medium.root, path: file.path) else { return nil }
        defer { close(fd) }
        return try? FileDescriptorReader(fd: fd, size: file.size).read(offset: 0, count: Int(file.size))
    }
}
