import Foundation

/// Facts about one clip for the A4 音像证据说明书.
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
    public var fileName: String
    public var sha256: String
    public var sizeBytes: Int64

    public init(caseName: String? = nil, caseNumber: String? = nil, officerName: String, cameraOperator: String,
                startTime: Date, endTime: Date, place: String, deviceBrandModel: String, deviceSerial: String,
                recordingFormat: String, fileName: String, sha256: String, sizeBytes: Int64) {
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
        self.sha256 = sha256
        self.sizeBytes = sizeBytes
    }
}

extension LabelRenderer {
    /// A4 portrait (210 × 297 mm) evidence description sheet for one clip.
    public static func evidenceSheet(clip: ClipEvidence, content: DiscSetContent) -> String {
        var svg = SVGText()
        let time = { (date: Date) in BagItFiles.date(date, "yyyy年MM月dd日 HH:mm:ss") }
        let seconds = Int(clip.endTime.timeIntervalSince(clip.startTime))
        svg.text("音像证据说明书", x: 105, y: 28, size: 9, anchor: "middle", bold: true)
        svg.text("Audio-visual evidence description", x: 105, y: 35, size: 3.5, anchor: "middle")
        let rows: [(String, String)] = [
            ("案件名称", clip.caseName ?? "—"), ("案件编号", clip.caseNumber ?? "—"),
            ("执法人员", clip.officerName), ("摄录人", clip.cameraOperator),
            ("开始时间", time(clip.startTime)), ("结束时间", time(clip.endTime)),
            ("摄录时长", String(format: "%d分%02d秒", seconds / 60, seconds % 60)),
            ("摄录地点", clip.place), ("设备品牌型号", clip.deviceBrandModel), ("设备编号", clip.deviceSerial),
            ("录制格式", clip.recordingFormat), ("文件名", clip.fileName),
            ("文件大小", "\(clip.sizeBytes) 字节（\(DiscSizeText.format(clip.sizeBytes))）"),
            ("SHA-256 校验值", clip.sha256),
            ("存储光盘", "\(content.setID)（\(content.copy)盘），制作单位：\(content.label.unit)"),
            ("光盘制作", "制作人：\(content.label.maker)　制作时间：\(madeAt(content))"),
        ]
        let left = 20.0, split = 58.0, right = 190.0, rowHeight = 11.0
        var y = 45.0
        svg.line(left, y, right, y, width: 0.4)
        for (key, value) in rows {
            svg.text(key, x: left + 3, y: y + 7.2, size: 4, maxWidth: split - left - 5, bold: true)
            let mono = key.hasPrefix("SHA")
            svg.text(value, x: split + 3, y: y + 7.2, size: mono ? 3.4 : 4, maxWidth: right - split - 6, mono: mono)
            y += rowHeight
            svg.line(left, y, right, y, width: 0.3)
        }
        svg.line(left, 45, left, y, width: 0.4)
        svg.line(split, 45, split, y, width: 0.3)
        svg.line(right, 45, right, y, width: 0.4)
        y += 10
        svg.text("说明：以上音像资料由执法记录仪现场摄录，原始文件未经剪辑、修改；其 SHA-256 校验值与光盘内", x: left, y: y, size: 3.6)
        svg.text("manifest-sha256.txt 所列一致，可按光盘内 README.txt 所述方法核对。", x: left, y: y + 6, size: 3.6)
        y += 26
        svg.text("办案部门负责人（签名）：", x: left, y: y, size: 4.2)
        svg.line(left + 48, y + 1, left + 100, y + 1)
        svg.text("日期：", x: left + 108, y: y, size: 4.2)
        svg.line(left + 121, y + 1, right, y + 1)
        y += 18
        svg.text("执法人员（签名）：", x: left, y: y, size: 4.2)
        svg.line(left + 48, y + 1, left + 100, y + 1)
        svg.text("日期：", x: left + 108, y: y, size: 4.2)
        svg.line(left + 121, y + 1, right, y + 1)
        svg.text("审计链头：\(content.auditHead)", x: left, y: 282, size: 2.8, maxWidth: right - left)
        return svg.document(width: 210, height: 297)
    }
}
