import Foundation

/// The small text files placed at the disc root (a BagIt 1.0 bag whose
/// payload is data/). All files are UTF-8 with LF line ends.
public enum BagItFiles {
    public static let manifestName = "manifest-sha256.txt"

    /// `<sha256>  data/<path>` lines, sorted by path; `sha256sum -c` reads it directly.
    public static func manifest(_ content: DiscSetContent) -> String {
        content.files.sorted { $0.discPath < $1.discPath }
            .map { "\($0.sha256)  \($0.discPath)\n" }.joined()
    }

    public static func bagit() -> String {
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    }

    public static func bagInfo(_ content: DiscSetContent) -> String {
        let total = content.files.reduce(Int64(0)) { $0 + $1.sizeBytes }
        var lines = [
            "Source-Organization: \(oneLine(content.label.unit))",
            "Contact-Name: \(oneLine(content.label.maker))",
            "Bagging-Date: \(date(content.label.madeAt, "yyyy-MM-dd", content.timeZone))",
            "External-Identifier: \(content.externalIdentifier)",
            "Payload-Oxum: \(total).\(content.files.count)",
            "Bag-Size: \(DiscSizeText.format(total))",
            "Bag-Group-Identifier: \(content.setID)",
            "Custody-Set-ID: \(content.setID)",
            "Custody-Copy: \(content.copy)",
            "Custody-Unit: \(oneLine(content.label.unit))",
            "Custody-Maker: \(oneLine(content.label.maker))",
            "Custody-Made-At: \(date(content.label.madeAt, "yyyy-MM-dd'T'HH:mm:ssXXXXX", content.timeZone))",
        ]
        for activity in content.label.activities {
            lines.append("Custody-Activity: \(oneLine(activity.display))")
        }
        lines.append("Custody-Audit-Head: \(oneLine(content.auditHead))")
        if let head = content.stamp.signedHead { lines.append("Custody-Tree-Head: \(oneLine(head))") }
        if let notice = content.stamp.integrityAlarm { lines.append("Custody-Integrity-Alarm: \(oneLine(notice))") }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func auditHead(_ content: DiscSetContent) -> String {
        """
        Custody audit chain head at the time this disc was made
        审计链头（本光盘制作时的审计检查点）

        Set / 光盘组: \(content.setID)  Copy / 副本: \(content.copy)
        Made at / 制作时间: \(date(content.label.madeAt, "yyyy-MM-dd HH:mm:ss", content.timeZone))
        Audit head / 审计链头: \(oneLine(content.auditHead))

        Rows / 审计日志条数: \(content.stamp.treeSize)
        Head hash / 链头: \(content.stamp.headHash)
        Merkle root (RFC 6962) / Merkle 根: \(content.stamp.root)
        The same line is printed on the disc label and its sleeve (also as a QR code).
        同一行也印在光盘标签和封套上（并有二维码）。

        """ + (content.stamp.signedHead.map { """
        Signed tree head (RFC 6962 size and root, Ed25519 station key \(content.stamp.keyID ?? "")) / 签名审计树头:
        \(oneLine($0))
        Check a later catalog against it / 核对方法: custodyctl audit verify --against AUDIT-HEAD.txt

        """ } ?? "") + (content.stamp.integrityAlarm.map { "INTEGRITY ALARM when this disc was made / 制作时存在完整性告警:\n\(oneLine($0))\n" } ?? "")
    }

    public static func readme(_ content: DiscSetContent) -> String {
        let total = content.files.reduce(Int64(0)) { $0 + $1.sizeBytes }
        let activities = content.label.activities.map { "  - \($0.display)" }.joined(separator: "\n")
        return """
        执法音像证据光盘 — 说明
        ========================
        光盘编号：\(content.setID)（\(content.copy)盘）
        制作单位：\(content.label.unit)
        制作人：\(content.label.maker)
        制作时间：\(date(content.label.madeAt, "yyyy年MM月dd日 HH:mm", content.timeZone))
        执法活动／案件：
        \(activities)
        文件数量：\(content.files.count) 个，共 \(DiscSizeText.format(total))

        本光盘内容
          data/                  音像证据文件
          manifest-sha256.txt    每个文件的 SHA-256 校验值（64位十六进制）
          bag-info.txt           光盘信息（BagIt 格式）
          bagit.txt              BagIt 版本声明
          AUDIT-HEAD.txt         制作时的审计链头（与标签上的二维码一致）
          INDEX.csv / INDEX.html / INDEX.pdf
                                 文件索引：每个文件的光盘路径、校验值、记录仪内原始文件名和路径、
                                 警号和姓名、设备编号和品牌型号、录制起止时间、大小、案件、长期保存原因
          SHEETS.pdf             每个文件一页的音像证据说明书（含签名栏）
          tagmanifest-sha256.txt 以上说明文件的 SHA-256 校验值

        如何核对文件是否完整、未被改动（无需专用软件）
          Linux / macOS：在光盘根目录打开终端，执行
              sha256sum -c manifest-sha256.txt
            （macOS 用 shasum -a 256 -c manifest-sha256.txt）
            每个文件都应显示“OK”（成功）。
          Windows：在光盘根目录打开 PowerShell，对某个文件执行
              Get-FileHash -Algorithm SHA256 "data\\文件夹\\文件名"
            或在命令提示符中执行
              certutil -hashfile "data\\文件夹\\文件名" SHA256
            将显示的值与 manifest-sha256.txt 中同名文件的值逐位比对（不区分大小写）。
          校验值完全一致，说明文件与入库时相同；任何不一致都应立即报告。

        Evidence disc — README (English)
        ================================
        Disc set \(content.setID), copy \(content.copy). Made by \(content.label.maker), \(content.label.unit),
        on \(date(content.label.madeAt, "yyyy-MM-dd HH:mm", content.timeZone)). \(content.files.count) files, \(DiscSizeText.format(total)).

        The clips are in data/. manifest-sha256.txt lists the SHA-256 of every clip. INDEX.csv/.html/.pdf
        says what each file is (camera path, officer, device, recording times, case); SHEETS.pdf holds an
        evidence description sheet per clip; tagmanifest-sha256.txt lists the SHA-256 of these papers.
        To check the disc without special software:
          Linux:   cd to the disc root and run   sha256sum -c manifest-sha256.txt
                   (macOS: shasum -a 256 -c manifest-sha256.txt). Every line must say OK.
          Windows: PowerShell   Get-FileHash -Algorithm SHA256 "data\\folder\\file"
                   or cmd       certutil -hashfile "data\\folder\\file" SHA256
                   and compare the printed hash with the manifest line (case does not matter).
        Any difference means the file is not the one that was archived: report it at once.

        """ + (content.stamp.integrityAlarm.map { """
        !! 制作本光盘时，审计系统存在未解除的完整性告警 / An integrity alarm stood when this disc was made:
        \(oneLine($0))

        """ } ?? "")
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    static func date(_ date: Date, _ pattern: String, _ zone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) -> String {
        DiscFileNamer.format(date, pattern, zone)
    }
}

/// Decimal sizes for humans ("1.23 GB").
enum DiscSizeText {
    static func format(_ bytes: Int64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.2f %@", value, units[unit])
    }
}
