import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation

extension DiscWorkshop {
    /// What the index and the evidence sheet say of one clip on a disc: the camera's path for it,
    /// the officer and device from the ledger, the corrected recording times, the annotation's place
    /// and content, the case, and why it is kept long term.
    func evidence(for item: DiscSetRecord.Item) throws -> ClipEvidence {
        let discPath = "data/" + item.discPath
        guard let clip = try catalog.clip(matching: item.sha256) else {
            let now = Date()
            return ClipEvidence(officerName: "", cameraOperator: "", startTime: now, endTime: now, place: "", deviceBrandModel: "",
                                deviceSerial: "", recordingFormat: "", fileName: discPath, sha256: item.sha256, sizeBytes: item.sizeBytes)
        }
        let officer = try clip.officerBadge.flatMap { try catalog.officer(badge: $0) }
        let device = try clip.deviceSerial.flatMap { try catalog.device(serial: $0) }
        let annotation = try catalog.annotations(sha256: clip.sha256).last
        let legalCase = try clip.caseNumber.flatMap { try catalog.legalCase(number: $0) }
        let reasons = try catalog.retentionState(sha256: clip.sha256)?.longTermReasons ?? []
        let start = clip.correctedRecordedAt ?? clip.recordedAt ?? clip.ingestedAt
        let original = try catalog.provenance(sha256: clip.sha256).first?.sourcePath ?? clip.sourcePath
        return ClipEvidence(caseName: legalCase?.title, caseNumber: clip.caseNumber, officerName: officer?.name ?? "",
                            cameraOperator: officer?.name ?? clip.officerBadge ?? "", startTime: start,
                            endTime: start.addingTimeInterval(clip.durationSeconds ?? 0), place: annotation?.place ?? "",
                            deviceBrandModel: [device?.brand, device?.model].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " "),
                            deviceSerial: clip.deviceSerial ?? "", recordingFormat: Self.format(clip), fileName: discPath,
                            sha256: clip.sha256, sizeBytes: Int64(clip.sizeBytes), officerBadge: clip.officerBadge ?? "",
                            originalPath: original,
                            longTermReason: reasons.map { Vocabulary.name(Vocabulary.longTermReasons, $0) }.joined(separator: "；"),
                            content: annotation.map { [$0.category, $0.description].filter { !$0.isEmpty }.joined(separator: "：") } ?? "")
    }

    /// "视频 MP4", "照片 JPEG", "音频 WAV".
    static func format(_ clip: Clip) -> String {
        [Vocabulary.name(Vocabulary.mediaKinds, clip.mediaKind), clip.format.uppercased()].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The enforcement activities on a disc for its label: every case of its clips (name and
    /// number), then the days of clips in no case, in disc order.
    static func activities(_ clips: [ClipEvidence]) -> [DiscActivity] {
        var seen = Set<String>()
        var cases: [DiscActivity] = [], days: [DiscActivity] = []
        for clip in clips.sorted(by: { $0.fileName < $1.fileName }) {
            if let number = clip.caseNumber, !number.isEmpty {
                if seen.insert("case:" + number).inserted { cases.append(DiscActivity(caseNumber: number, name: clip.caseName ?? number)) }
            } else {
                let folder = clip.fileName.split(separator: "/").dropFirst().first.map(String.init) ?? ""
                if seen.insert("day:" + folder).inserted { days.append(DiscActivity(caseNumber: nil, name: "\(folder) 执法记录")) }
            }
        }
        return cases + days
    }

    /// What the checkpoint of a copy's burn is called: one per burn of each copy, so the label
    /// printed later finds the head the disc carries.
    static func stampReason(_ set: DiscSetRecord, copy: String) -> String {
        let burns = set.events.filter { $0.copy == copy && $0.state == "burning" }.count
        return "disc \(set.id) copy \(copy) burn \(burns)"
    }

    /// The stamp written when this copy's burn started; a copy burned before stamps were kept
    /// gets one now.
    func burnStamp(_ set: DiscSetRecord, copy: String) throws -> AuditStamp {
        let reason = Self.stampReason(set, copy: copy)
        return try catalog.stamp(writtenFor: reason) ?? catalog.stamp(reason: reason)
    }
}
