import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation

extension DiscWorkshop {
    /// Renders a copy's disc face and sleeve (SVG and PDF, Chinese, the audit head as text and QR
    /// code), an evidence description sheet for every clip on it, all sheets in one PDF, and the
    /// index; returns the files written. The head, the time made and the maker are the ones the
    /// copy's burn wrote onto the disc.
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
        try emit(try LabelRenderer.discFace(content: content, manifestSHA256: manifest), "\(set.id)-\(copy)-face")
        try emit(try LabelRenderer.sleeve(content: content, manifestSHA256: manifest), "\(set.id)-\(copy)-sleeve")
        let sheets = LabelRenderer.evidenceSheets(content: content)
        for (index, sheet) in sheets.enumerated() {
            try emit(sheet, "\(set.id)-\(copy)-sheet-\(index + 1)")
        }
        let all = labelsFolder.appendingPathComponent("\(set.id)-\(copy)-sheets.pdf")
        try PDFRenderer.write(pages: sheets, to: all, madeAt: content.label.madeAt)
        let index = labelsFolder.appendingPathComponent("\(set.id)-\(copy)-index.pdf")
        try PDFRenderer.write(pages: DiscIndex.document(content).svgPages(), to: index, madeAt: content.label.madeAt)
        return written + [all.path, index.path]
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
