import Foundation

/// Facts about one clip for the disc index and the A4 音像证据说明书.
public struct ClipEvidence: Sendable, Equatable, Codable {
    public var caseName: String?
    public var caseNumber: String?
    public var officerName: String
    public var cameraOperator: String
    public var startTime: Date
    public var endTime: Date
    public var place: String
    public var deviceBrandModel: String
    public var deviceSerial: String
    public var recordingFormat: String
    /// The clip's path on the disc (`data/…`).
    public var fileName: String
    public var sha256: String
    public var sizeBytes: Int64
    public var officerBadge: String
    /// Where the camera held it, relative to the camera's root (`DCIM/100MEDIA/…MP4`).
    public var originalPath: String
    /// Why it is kept long term, in Chinese (`当事人阻碍执法；作为证据`).
    public var longTermReason: String
    /// The annotation's main content (主要内容).
    public var content: String

    public init(caseName: String? = nil, caseNumber: String? = nil, officerName: String, cameraOperator: String,
                startTime: Date, endTime: Date, place: String, deviceBrandModel: String, deviceSerial: String,
                recordingFormat: String, fileName: String, sha256: String, sizeBytes: Int64, officerBadge: String = "",
                originalPath: String = "", longTermReason: String = "", content: String = "") {
        self.caseName = caseName
        self.caseNumber = caseNumber
        self.officerName = officerName
        self.cameraOperator = cameraOperator
        self.startTime = startTime
        self.endTime = endTime
        self.place = place
        self.deviceBrandModel = deviceBrandModel
        self.deviceSerial = deviceSerial
        self.recordingFormat = recordingFormat
        self.fileName = fileName
        self.sha256 = sha256.lowercased()
        self.sizeBytes = sizeBytes
        self.officerBadge = officerBadge
        self.originalPath = originalPath
        self.longTermReason = longTermReason
        self.content = content
    }

    /// The camera's own name for the file (last part of `originalPath`).
    public var originalName: String { originalPath.split(separator: "/").last.map(String.init) ?? "" }

    /// "张三（警号 010203）", or whichever of the two is known.
    public var officer: String {
        switch (officerName.isEmpty, officerBadge.isEmpty) {
        case (false, false): return "\(officerName)（警号 \(officerBadge)）"
        case (true, false): return "警号 \(officerBadge)"
        default: return officerName
        }
    }
}

extension LabelRenderer {
    /// A4 portrait (210 × 297 mm) evidence description sheet for one clip, with the facts the rules
    /// ask for (RULES.md, "Long-term keeping on disc": officer, camera operator, start and end,
    /// place, device brand and model, format; who took it, when and where, `002 第十五条`) and the
    /// signatures of the leader in charge and the officer (`004 第十六条`).
    public static func evidenceSheet(clip: ClipEvidence, content: DiscSetContent, page: Int = 1, of pages: Int = 1) -> String {
        var svg = SVGText()
        let zone = content.timeZone
        let time = { (date: Date) in DiscFileNamer.format(date, "yyyy年MM月dd日 HH:mm:ss", zone) }
        let seconds = max(0, Int(clip.endTime.timeIntervalSince(clip.startTime)))
        svg.text("音像证据说明书", x: 105, y: 24, size: 9, anchor: "middle", bold: true)
        svg.text("Audio-visual evidence description", x: 105, y: 30.5, size: 3.5, anchor: "middle")
        let dash = { (text: String) in text.isEmpty ? "—" : text }
        let rows: [(String, String)] = [
            ("案件名称", clip.caseName ?? "—"), ("案件编号", clip.caseNumber ?? "—"),
            ("执法人员（取证人）", dash(clip.officer)), ("摄录人", dash(clip.cameraOperator)),
            ("开始时间（取证时间）", time(clip.startTime)), ("结束时间", time(clip.endTime)),
            ("摄录时长", String(format: "%d分%02d秒", seconds / 60, seconds % 60)),
            ("摄录地点（取证地点）", clip.place.isEmpty ? "未标注" : clip.place), ("主要内容", dash(clip.content)),
            ("设备品牌型号", dash(clip.deviceBrandModel)), ("设备编号", dash(clip.deviceSerial)),
            ("录制格式", dash(clip.recordingFormat)), ("原始文件（记录仪内）", dash(clip.originalPath)),
            ("光盘内文件", clip.fileName),
            ("文件大小", "\(clip.sizeBytes) 字节（\(DiscSizeText.format(clip.sizeBytes))）"),
            ("SHA-256 校验值", clip.sha256), ("长期保存原因", dash(clip.longTermReason)),
            ("存储光盘", "\(content.setID)（\(content.copy)盘），制作单位：\(content.label.unit)"),
            ("光盘制作", "制作人：\(content.label.maker)　制作时间：\(madeAt(content))"),
        ]
        let left = 18.0, split = 62.0, right = 192.0, rowHeight = 9.2, top = 37.0
        var y = top
        svg.line(left, y, right, y, width: 0.4)
        for (key, value) in rows {
            svg.text(key, x: left + 2, y: y + 6, size: 3.4, maxWidth: split - left - 4, bold: true)
            let mono = key.hasPrefix("SHA")
            let size = mono ? 3.2 : 3.6
            let lines = PrintLayout.wrap(value, maxWidth: right - split - 5, size: size, mono: mono)
            if lines.count == 1 {
                svg.text(value, x: split + 2.5, y: y + 6, size: size, mono: mono)
            } else {
                let second = lines.dropFirst().joined()
                svg.text(lines[0], x: split + 2.5, y: y + 4.1, size: size * 0.9, mono: mono)
                svg.text(second, x: split + 2.5, y: y + 8.0, size: size * 0.9, maxWidth: right - split - 5, mono: mono)
            }
            y += rowHeight
            svg.line(left, y, right, y, width: 0.3)
        }
        svg.line(left, top, left, y, width: 0.4)
        svg.line(split, top, split, y, width: 0.3)
        svg.line(right, top, right, y, width: 0.4)
        y += 7
        svg.text("说明：以上音像资料由执法记录仪现场摄录，原始文件未经剪辑、修改；其 SHA-256 校验值与光盘内", x: left, y: y, size: 3.4)
        svg.text("manifest-sha256.txt 所列一致，可按光盘内 README.txt 所述方法核对。", x: left, y: y + 5.2, size: 3.4)
        y += 19
        for who in ["分管领导（签名）：", "执法人员（签名）："] {
            svg.text(who, x: left, y: y, size: 4.2)
            svg.line(left + 40, y + 1, left + 100, y + 1)
            svg.text("日期：", x: left + 108, y: y, size: 4.2)
            svg.line(left + 121, y + 1, right, y + 1)
            y += 14
        }
        for (index, line) in content.stamp.chineseLines.enumerated() {
            svg.text((index == 0 ? "审计检查点：" : "") + line, x: left, y: 279 + Double(index) * 3.4, size: 2.4, mono: index > 0)
        }
        svg.text("第 \(page) 页 共 \(pages) 页", x: right, y: 279, size: 2.8, anchor: "end")
        return svg.document(width: 210, height: 297)
    }

    /// One sheet per clip on the disc, in disc-path order.
    public static func evidenceSheets(content: DiscSetContent) -> [String] {
        let clips = content.indexed
        return clips.enumerated().map { index, entry in
            evidenceSheet(clip: entry.clip, content: content, page: index + 1, of: clips.count)
        }
    }
}
