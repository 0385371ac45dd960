import Foundation

/// Turns SVG pages into one PDF with `rsvg-convert` (librsvg2-bin, installed by the Makefile).
public enum PDFRenderer {
    /// Writes `pages` as one PDF at `pdf`. `madeAt` is the PDF's creation date (rsvg-convert reads
    /// `SOURCE_DATE_EPOCH`), so the same pages give the same bytes and a disc image holding the PDF
    /// stays byte-identical when it is built again.
    public static func write(pages: [String], to pdf: URL, madeAt: Date) throws {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("custody-pdf-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        var files: [String] = []
        for (index, page) in pages.enumerated() {
            let url = scratch.appendingPathComponent(String(format: "page-%05d.svg", index + 1))
            try Data(page.utf8).write(to: url)
            files.append(url.path)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = String(max(0, Int(madeAt.timeIntervalSince1970)))
        let out = try ProcessRunner.run("rsvg-convert", ["-f", "pdf", "-o", pdf.path] + files, timeout: 600, environment: environment)
        guard out.status == 0, !out.timedOut else {
            throw LabelError.conversionFailed("rsvg-convert exit \(out.status): \(ProcessRunner.tail(out.combined))")
        }
    }

    /// The PDF's bytes.
    public static func data(pages: [String], madeAt: Date) throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("custody-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: url) }
        try write(pages: pages, to: url, madeAt: madeAt)
        return try Data(contentsOf: url)
    }
}
