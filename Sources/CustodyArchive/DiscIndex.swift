import CustodyCore
import Foundation

/// The disc's index of every file, in Chinese (issue "Every disc explains itself"): `INDEX.csv`
/// for Excel, `INDEX.html` and `INDEX.pdf` to print. A court clerk holding only the disc learns
/// from it what each file is: where it came from on the camera, who wore the camera, which camera,
/// when it recorded, the case, and why it is kept.
public enum DiscIndex {
    public static let csvName = "INDEX.csv"
    public static let htmlName = "INDEX.html"
    public static let pdfName = "INDEX.pdf"
    /// One 音像证据说明书 per clip, in disc-path order.
    public static let sheetsName = "SHEETS.pdf"

    static let csvHeaders = ["序号", "光盘路径", "SHA-256", "原始文件名", "原始路径", "警号", "警员姓名", "设备编号", "设备品牌型号",
                             "录制开始", "录制结束", "大小（字节）", "案件编号", "案件名称", "长期保存原因"]

    /// UTF-8 with a byte-order mark and CRLF line ends, so Excel opens it in Chinese.
    public static func csv(_ content: DiscSetContent) -> Data {
        let zone = content.timeZone
        let lines = [csvHeaders] + content.indexed.enumerated().map { index, entry in
            let clip = entry.clip
            return [String(index + 1), entry.file.discPath, entry.file.sha256, clip.originalName, clip.originalPath, clip.officerBadge,
                    clip.officerName, clip.deviceSerial, clip.deviceBrandModel, PaperTime.second(clip.startTime, zone),
                    PaperTime.second(clip.endTime, zone), String(entry.file.sizeBytes), clip.caseNumber ?? "", clip.caseName ?? "",
                    clip.longTermReason]
        }
        return Data(CSVField.excel(lines))
    }

    /// The printable index: the disc's label fields, then one row per file.
    public static func document(_ content: DiscSetContent) -> PrintDocument {
        let zone = content.timeZone
        let total = content.files.reduce(Int64(0)) { $0 + $1.sizeBytes }
        let rows = content.indexed.enumerated().map { index, entry -> [String] in
            let clip = entry.clip
            let officer = [clip.officerBadge, clip.officerName].filter { !$0.isEmpty }.joined(separator: "\n")
            let device = [clip.deviceSerial, clip.deviceBrandModel].filter { !$0.isEmpty }.joined(separator: "\n")
            let legalCase = [clip.caseNumber, clip.caseName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
            return [String(index + 1), entry.file.discPath, clip.originalPath.isEmpty ? "—" : clip.originalPath, officer.isEmpty ? "—" : officer,
                    device.isEmpty ? "—" : device,
                    PaperTime.second(clip.startTime, zone) + "\n至 " + PaperTime.second(clip.endTime, zone),
                    DiscSizeText.format(entry.file.sizeBytes), legalCase.isEmpty ? "—" : legalCase,
                    clip.longTermReason.isEmpty ? "—" : clip.longTermReason, entry.file.sha256]
        }
        let table = PrintTable(columns: [
            .init("序号", .number), .init("光盘路径"), .init("原始文件（记录仪内路径）"), .init("警号 姓名"), .init("设备编号 品牌型号"),
            .init("录制起止"), .init("大小", .number), .init("案件"), .init("长期保存原因"), .init("SHA-256", .mono),
        ], rows: rows, emptyText: "本光盘无文件")
        let activities = content.label.activities.map(\.display).joined(separator: "；")
        return PrintDocument(
            title: "执法音像证据光盘文件索引",
            meta: ["光盘编号：\(content.setID)（\(content.copy)盘）　制作单位：\(content.label.unit)　制作人：\(content.label.maker)　制作时间：\(PaperTime.minute(content.label.madeAt, zone))",
                   "执法活动／案件：\(activities.isEmpty ? "—" : activities)",
                   "文件数量：\(content.files.count) 个，共 \(DiscSizeText.format(total))。每个文件的校验值见 manifest-sha256.txt，核对方法见 README.txt；每个文件的音像证据说明书见 \(sheetsName)。"],
            blocks: [.table(table)], orientation: .landscape, preparer: content.label.maker, preparedAt: content.label.madeAt,
            stamp: content.stamp, timeZone: zone)
    }
}

/// RFC 4180 fields for Excel: quoted when they hold a comma, quote or line break.
public enum CSVField {
    public static func quote(_ field: String) -> String {
        field.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    /// Lines of fields as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends, and no cell
    /// Excel would take for a formula (a case title or a place typed as `=…` stays text).
    public static func excel(_ lines: [[String]]) -> [UInt8] {
        let text = lines.map { $0.map { quote(LedgerText.guardFormula($0)) }.joined(separator: ",") }.joined(separator: "\r\n")
        return [0xEF, 0xBB, 0xBF] + Array(text.utf8) + [0x0D, 0x0A]
    }
}
