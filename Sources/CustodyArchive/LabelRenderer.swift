import Foundation

/// Renders disc labels and evidence sheets as SVG (millimetre units) and
/// converts them to PDF with rsvg-convert.
public enum LabelRenderer {
    static func madeAt(_ content: DiscSetContent) -> String {
        BagItFiles.date(content.label.madeAt, "yyyy年MM月dd日 HH:mm", content.timeZone)
    }

    /// 120 mm disc face with a 15 mm hole; text in the printable ring above and below the hub. The
    /// audit head is printed left of the hub in 2.2 mm type and, whole, as a QR code right of it.
    public static func discFace(content: DiscSetContent, manifestSHA256: String) throws -> String {
        var svg = SVGText()
        let c = 60.0
        svg.raw("<circle cx=\"60\" cy=\"60\" r=\"59.8\" fill=\"none\" stroke=\"black\" stroke-width=\"0.3\"/>")
        svg.raw("<circle cx=\"60\" cy=\"60\" r=\"18\" fill=\"none\" stroke=\"#999\" stroke-width=\"0.2\" stroke-dasharray=\"1,1\"/>")
        svg.raw("<circle cx=\"60\" cy=\"60\" r=\"7.5\" fill=\"white\" stroke=\"black\" stroke-width=\"0.3\"/>")
        func width(at y: Double) -> Double {   // usable chord inside a 56 mm radius
            let dy = abs(y - c) + 2
            return dy >= 56 ? 0 : 2 * (56 * 56 - dy * dy).squareRoot() - 4
        }
        let top: [(String, Double, Bool, Bool)] = [
            ("执法音像证据光盘", 5.0, true, false),
            ("\(content.setID)  \(content.copy)盘", 4.2, true, false),
            ("制作单位：\(content.label.unit)", 3.0, false, false),
            ("制作人：\(content.label.maker)    制作时间：\(madeAt(content))", 3.0, false, false),
        ]
        var y = 15.0
        for (text, size, bold, mono) in top {
            svg.text(text, x: c, y: y, size: size, maxWidth: width(at: y), anchor: "middle", bold: bold, mono: mono)
            y += size + 2.6
        }
        svg.text("审计链头", x: 10, y: 49.5, size: 2.6, bold: true)
        svg.text("审计日志第 \(content.stamp.treeSize) 条", x: 10, y: 53.2, size: 2.2)
        let head = Array(content.stamp.headHash)
        for row in 0..<4 {
            let piece = String(head[min(head.count, row * 16)..<min(head.count, row * 16 + 16)])
            svg.text(piece, x: 10, y: 57 + Double(row) * 3, size: 2.2, mono: true)
        }
        svg.raw(try QRCode(encoding: content.auditHead).svg(x: 80, y: 48.5, size: 23))
        var bottom = content.label.activities.prefix(3).map { "执法活动／案件：\($0.display)" }
        if content.label.activities.count > 3 { bottom.append("等 \(content.label.activities.count) 项，详见封套和 INDEX.pdf") }
        y = 84
        for text in bottom {
            svg.text(text, x: c, y: y, size: 3.0, maxWidth: width(at: y), anchor: "middle")
            y += 4.6
        }
        svg.text("清单SHA-256 (manifest-sha256.txt):", x: c, y: y, size: 2.4, maxWidth: width(at: y), anchor: "middle")
        svg.text(String(manifestSHA256.prefix(32)), x: c, y: y + 3.2, size: 2.4, maxWidth: width(at: y + 3.2), anchor: "middle", mono: true)
        svg.text(String(manifestSHA256.dropFirst(32)), x: c, y: y + 6.2, size: 2.4, maxWidth: width(at: y + 6.2), anchor: "middle", mono: true)
        return svg.document(width: 120, height: 120)
    }

    /// 120 × 120 mm case insert: the label fields, every case on the disc (up to five, then a
    /// count), the manifest hash, and the audit head in 2.4 mm type and as a QR code.
    public static func sleeve(content: DiscSetContent, manifestSHA256: String) throws -> String {
        var svg = SVGText()
        svg.raw("<rect x=\"0.5\" y=\"0.5\" width=\"119\" height=\"119\" fill=\"none\" stroke=\"black\" stroke-width=\"0.4\"/>")
        svg.text("执法音像证据光盘", x: 60, y: 13, size: 6, maxWidth: 100, anchor: "middle", bold: true)
        svg.text("Evidence disc · \(content.setID) · copy \(content.copy)", x: 60, y: 19, size: 3, maxWidth: 100, anchor: "middle")
        svg.raw("<rect x=\"88\" y=\"24\" width=\"24\" height=\"12\" fill=\"none\" stroke=\"black\" stroke-width=\"0.5\"/>")
        svg.text("\(content.copy)盘", x: 100, y: 32.5, size: 6.5, anchor: "middle", bold: true)
        let total = content.files.reduce(Int64(0)) { $0 + $1.sizeBytes }
        var rows: [(String, String)] = [
            ("光盘编号", content.setID), ("制作单位", content.label.unit), ("制作人", content.label.maker),
            ("制作时间", madeAt(content)), ("文件数量", "\(content.files.count) 个，\(DiscSizeText.format(total))"),
        ]
        for activity in content.label.activities.prefix(5) {
            rows.append((activity.caseNumber == nil ? "执法活动" : "案件", activity.display))
        }
        if content.label.activities.count > 5 { rows.append(("", "等 \(content.label.activities.count) 项，详见 INDEX.pdf")) }
        var y = 29.0
        for (key, value) in rows {
            if !key.isEmpty { svg.text(key + "：", x: 8, y: y, size: 3.2, bold: true) }
            svg.text(value, x: 26, y: y, size: 3.2, maxWidth: 58)
            y += 5.6
        }
        svg.raw(try QRCode(encoding: content.auditHead).svg(x: 88, y: 40, size: 24))
        svg.text("审计链头二维码", x: 100, y: 67, size: 2.2, anchor: "middle")
        y = max(y, 72) + 1
        svg.line(8, y - 3, 112, y - 3, width: 0.2)
        svg.text("清单 manifest-sha256.txt 的 SHA-256：", x: 8, y: y + 1, size: 2.6)
        svg.text(manifestSHA256, x: 8, y: y + 4.6, size: 2.6, maxWidth: 104, mono: true)
        let lines = content.stamp.chineseLines
        svg.text("审计链头（" + lines[0] + "）：", x: 8, y: y + 9.6, size: 2.6)
        svg.text(lines[1], x: 8, y: y + 13.2, size: 2.4, maxWidth: 104, mono: true)
        svg.text(lines[2], x: 8, y: y + 16.6, size: 2.4, maxWidth: 104, mono: true)
        svg.text("核对方法见光盘内 README.txt（sha256sum -c manifest-sha256.txt）", x: 8, y: y + 21, size: 2.6, maxWidth: 104)
        return svg.document(width: 120, height: 120)
    }

    /// Converts an SVG file to PDF with `rsvg-convert -f pdf`.
    public static func convertToPDF(svg: URL, pdf: URL) throws {
        let out = try ProcessRunner.run("rsvg-convert", ["-f", "pdf", "-o", pdf.path, svg.path], timeout: 120)
        guard out.status == 0, !out.timedOut else {
            throw LabelError.conversionFailed("rsvg-convert exit \(out.status): \(ProcessRunner.tail(out.combined))")
        }
    }
}

public enum LabelError: Error, CustomStringConvertible {
    case conversionFailed(String)
    public var description: String {
        switch self {
        case let .conversionFailed(detail): return "label conversion failed: \(detail)"
        }
    }
}
