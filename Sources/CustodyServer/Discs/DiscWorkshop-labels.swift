import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation

extension DiscWorkshop {
    /// Renders a copy's disc face and sleeve (SVG and PDF, Chinese), and an evidence description
    /// sheet for each clip filed under a case; returns the files written.
    func renderLabels(_ set: DiscSetRecord, copy: String) throws -> [String] {
        let (content, manifest) = try labelContent(set, copy: copy)
        try FileManager.default.createDirectory(at: labelsFolder, withIntermediateDirectories: true)
        var written: [String] = []
        func emit(_ svg: String, _ name: String) throws {
            let svgURL = labelsFolder.appendingPathComponent(name + ".svg")
            let pdfURL = labelsFolder.appendingPathComponent(name + ".pdf")
            try Data(svg.utf8).write(to: svgURL, options: .atomic)
            try LabelRenderer.convertToPDF(svg: svgURL, pdf: pdfURL)
            written += [svgURL.path, pdfURL.path]
        }
        try emit(LabelRenderer.discFace(content: content, manifestSHA256: manifest), "\(set.id)-\(copy)-face")
        try emit(LabelRenderer.sleeve(content: content, manifestSHA256: manifest), "\(set.id)-\(copy)-sleeve")
        for (index, item) in set.items.enumerated() {
            guard let clip = try catalog.clip(matching: item.sha256), let number = clip.caseNumber else { continue }
            let officer = try clip.officerBadge.flatMap { try catalog.officer(badge: $0) }
            let device = try clip.deviceSerial.flatMap { try catalog.device(serial: $0) }
            let place = try catalog.annotations(sha256: clip.sha256).last?.place ?? ""
            let start = clip.correctedRecordedAt ?? clip.recordedAt ?? clip.ingestedAt
            let evidence = ClipEvidence(caseName: try catalog.legalCase(number: number)?.title, caseNumber: number,
                                        officerName: officer?.name ?? clip.officerBadge ?? "", cameraOperator: officer?.name ?? "",
                                        startTime: start, endTime: start.addingTimeInterval(clip.durationSeconds ?? 0), place: place,
                                        deviceBrandModel: [device?.brand, device?.model].compactMap { $0 }.joined(separator: " "),
                                        deviceSerial: clip.deviceSerial ?? "", recordingFormat: clip.format,
                                        fileName: "data/" + item.discPath, sha256: clip.sha256, sizeBytes: Int64(clip.sizeBytes))
            try emit(LabelRenderer.evidenceSheet(clip: evidence, content: content), "\(set.id)-\(copy)-sheet-\(index + 1)")
        }
        return written
    }

    /// What a copy's labels show: the disc's content as burned (maker and time of its burn) and
    /// the SHA-256 of its manifest. Refused for a copy never burned.
    func labelContent(_ set: DiscSetRecord, copy: String) throws -> (DiscSetContent, String) {
        guard let burning = set.events.last(where: { $0.copy == copy && $0.state == "burning" }) else {
            throw APIRefusal(.conflict, "not-burned", "copy \(copy) of \(set.id) was never burned; burn it first",
                             zh: "\(set.id) 的 \(copy) 盘尚未刻录，请先刻录")
        }
        let maker = burning.detail.hasPrefix("maker=") ? String(burning.detail.dropFirst(6)) : config.discs.maker
        let content = try self.content(set, copy: copy, maker: maker, madeAt: burning.recordedAt)
        return (content, DiscImageBuilder.manifestSHA256(of: content))
    }
}
