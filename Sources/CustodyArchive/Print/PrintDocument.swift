import CustodyCore
import Foundation

/// A page a clerk prints and signs (a disc index, a custody report, a compliance report, a ledger or
/// register page), described once and rendered twice: printable HTML for a browser, and A4 SVG pages
/// turned into a PDF (`PDFRenderer`). Both share one column layout (`PrintLayout`), so a column is
/// never squeezed until its text wraps one character per line, and both end every page the same way:
/// page number, who made the table (制表人) and when, and the audit checkpoint it was made at.
public struct PrintDocument: Sendable {
    public enum Orientation: Sendable { case portrait, landscape }

    public enum Block: Sendable {
        /// A section title.
        case heading(String)
        /// Label / value pairs in a two-column grid.
        case fields([PrintField])
        case table(PrintTable)
        case paragraph(String)
        /// Signature lines: "label（签名）：____ 日期：____", one per label.
        case signatures([String])
    }

    public var title: String
    /// Lines under the title (unit, period, subject).
    public var meta: [String]
    public var blocks: [Block]
    public var orientation: Orientation
    /// 制表人: the person the daemon knows made this page.
    public var preparer: String?
    public var preparedAt: Date
    /// The audit checkpoint the page was made at; nil only for pages made without one.
    public var stamp: AuditStamp?
    public var timeZone: TimeZone

    public init(title: String, meta: [String] = [], blocks: [Block], orientation: Orientation = .portrait, preparer: String?,
                preparedAt: Date, stamp: AuditStamp?, timeZone: TimeZone) {
        self.title = title; self.meta = meta; self.blocks = blocks; self.orientation = orientation; self.preparer = preparer
        self.preparedAt = preparedAt; self.stamp = stamp; self.timeZone = timeZone
    }

    /// Page size in millimetres.
    var pageSize: (width: Double, height: Double) { orientation == .portrait ? (210, 297) : (297, 210) }

    /// "制表人：张三　制表时间：2026-11-29 10:00" as printed at the foot of every page.
    var preparedLine: String {
        "制表人：\(preparer.map { $0.isEmpty ? "—" : $0 } ?? "—")　制表时间：\(PaperTime.minute(preparedAt, timeZone))"
    }
}

/// One label / value pair of a `fields` block.
public struct PrintField: Sendable {
    public var label: String
    public var value: String
    /// Hashes and paths: a fixed-width font, broken anywhere.
    public var mono: Bool
    public init(_ label: String, _ value: String, mono: Bool = false) {
        self.label = label; self.value = value; self.mono = mono
    }
}

/// A table with a header row, repeated on every page it runs over.
public struct PrintTable: Sendable {
    public enum Style: Sendable {
        /// Wraps at spaces or between Chinese characters.
        case text
        /// Never wraps, right-aligned.
        case number
        /// Hashes: fixed width, broken anywhere.
        case mono
    }

    public struct Column: Sendable {
        public var header: String
        public var style: Style
        public init(_ header: String, _ style: Style = .text) { self.header = header; self.style = style }
    }

    public var columns: [Column]
    /// Cells may hold line breaks ("\n").
    public var rows: [[String]]
    /// Printed in one row when there are none.
    public var emptyText: String

    public init(columns: [Column], rows: [[String]], emptyText: String = "无") {
        self.columns = columns; self.rows = rows; self.emptyText = emptyText
    }
}

/// Station times on paper: always the station's zone, always the same shape.
public enum PaperTime {
    public static func minute(_ date: Date?, _ zone: TimeZone) -> String { format(date, "yyyy-MM-dd HH:mm", zone) }
    public static func second(_ date: Date?, _ zone: TimeZone) -> String { format(date, "yyyy-MM-dd HH:mm:ss", zone) }
    public static func day(_ date: Date?, _ zone: TimeZone) -> String { format(date, "yyyy-MM-dd", zone) }

    static func format(_ date: Date?, _ pattern: String, _ zone: TimeZone) -> String {
        guard let date else { return "—" }
        return DiscFileNamer.format(date, pattern, zone)
    }
}
