import Foundation

extension PrintDocument {
    /// The document as A4 pages (SVG, millimetre units): the title on the first page, the title
    /// again in small at the top of the others, a table's header row repeated on every page it runs
    /// over, and on every page the foot: who made it and when, "第 n 页 共 N 页", and the audit
    /// checkpoint.
    public func svgPages() -> [String] {
        var pager = Pager(document: self)
        for block in blocks { pager.add(block) }
        return pager.finish()
    }
}

/// Lays blocks out top to bottom, starting a new page when the next piece does not fit.
struct Pager {
    let document: PrintDocument
    let width: Double
    let height: Double
    let margin = 14.0
    let footHeight = 15.0
    let bodySize = 3.2
    var finished: [SVGText] = []
    var page = SVGText()
    var y = 0.0

    init(document: PrintDocument) {
        self.document = document
        (width, height) = document.pageSize
        y = margin + 6
        page.text(document.title, x: width / 2, y: y, size: 6, maxWidth: width - 2 * margin, anchor: "middle", bold: true)
        y += 5
        for line in document.meta {
            for piece in PrintLayout.wrap(line, maxWidth: right - left, size: bodySize) {
                y += bodySize * PrintLayout.lineFactor
                page.text(piece, x: left, y: y, size: bodySize)
            }
        }
        y += 4
    }

    var left: Double { margin }
    var right: Double { width - margin }
    var bottom: Double { height - margin - footHeight }

    mutating func newPage() {
        finished.append(page)
        page = SVGText()
        y = margin + 3
        page.text(document.title, x: left, y: y, size: 2.6, maxWidth: right - left)
        page.line(left, y + 1.2, right, y + 1.2, width: 0.15)
        y += 5
    }

    /// Starts a new page unless `needed` mm still fit on this one.
    mutating func reserve(_ needed: Double) {
        if y + needed > bottom && y > margin + 12 { newPage() }
    }

    mutating func add(_ block: PrintDocument.Block) {
        switch block {
        case .heading(let text):
            reserve(22)
            y += 3.5
            page.text(text, x: left, y: y + 4, size: 4.2, maxWidth: right - left, bold: true)
            y += 7
        case .paragraph(let text):
            for line in PrintLayout.wrap(text, maxWidth: right - left, size: bodySize) {
                reserve(bodySize * PrintLayout.lineFactor)
                y += bodySize * PrintLayout.lineFactor
                page.text(line, x: left, y: y, size: bodySize)
            }
            y += 2
        case .fields(let fields):
            let labelWidth = min((right - left) * 0.35,
                                 (fields.map { PrintLayout.width($0.label, size: bodySize) }.max() ?? 0) + 2 * PrintLayout.padding + 1)
            let rows = fields.map { [$0.label, $0.value] }
            let styles = fields.map { $0.mono ? PrintTable.Style.mono : .text }
            grid(widths: [labelWidth, right - left - labelWidth], header: nil, rows: rows, size: bodySize,
                 style: { row, column in column == 1 ? styles[row] : .text }, boldFirstColumn: true)
            y += 3
        case .table(let table):
            let (widths, size) = PrintLayout.columnWidths(table, available: right - left, size: 3.0)
            let rows = table.rows.isEmpty ? [[table.emptyText] + Array(repeating: "", count: max(0, table.columns.count - 1))] : table.rows
            grid(widths: widths, header: table.columns.map(\.header), rows: rows, size: size,
                 style: { _, column in table.columns[column].style }, boldFirstColumn: false)
            y += 3
        case .signatures(let labels):
            y += 4
            for label in labels {
                reserve(12)
                y += 10
                let caption = "\(label)（签名）："
                let captionWidth = PrintLayout.width(caption, size: 3.6)
                page.text(caption, x: left, y: y, size: 3.6)
                let dateX = left + captionWidth + 58
                page.line(left + captionWidth + 1, y + 1, dateX - 4, y + 1, width: 0.25)
                page.text("日期：", x: dateX, y: y, size: 3.6)
                page.line(dateX + 11, y + 1, min(right, dateX + 60), y + 1, width: 0.25)
            }
            y += 4
        }
    }

    /// A bordered grid; with a header, it is repeated at the top of every page the grid runs over.
    mutating func grid(widths: [Double], header: [String]?, rows: [[String]], size: Double,
                       style: (Int, Int) -> PrintTable.Style, boldFirstColumn: Bool) {
        let lineHeight = size * PrintLayout.lineFactor
        func lines(_ cells: [String], row: Int) -> [[String]] {
            cells.enumerated().map { column, cell in
                guard column < widths.count else { return [] }
                let kind = row < 0 ? .text : style(row, column)
                if kind == .number { return [cell] }
                return PrintLayout.wrap(cell, maxWidth: widths[column] - 2 * PrintLayout.padding, size: size, mono: kind == .mono)
            }
        }
        let headerLines = header.map { lines($0, row: -1) }
        let headerHeight = headerLines.map { Double($0.map(\.count).max() ?? 1) * lineHeight + 2 } ?? 0
        for (index, row) in rows.enumerated() {
            let cells = lines(row, row: index)
            let height = Double(cells.map(\.count).max() ?? 1) * lineHeight + 2
            let pagesBefore = finished.count
            if index == 0 {
                reserve(headerHeight + height)
            } else if y + height > bottom {
                newPage()
            }
            if let headerLines, index == 0 || finished.count != pagesBefore {
                Self.draw(&page, left: left, y: y, height: headerHeight, cells: headerLines, widths: widths, size: size,
                          fill: "#e8e8e8", style: { _ in .text }, bold: { _ in true })
                y += headerHeight
            }
            Self.draw(&page, left: left, y: y, height: height, cells: cells, widths: widths, size: size, fill: nil,
                      style: { style(index, $0) }, bold: { boldFirstColumn && $0 == 0 })
            y += height
        }
    }

    static func draw(_ page: inout SVGText, left: Double, y: Double, height: Double, cells: [[String]], widths: [Double], size: Double,
                     fill: String?, style: (Int) -> PrintTable.Style, bold: (Int) -> Bool) {
        var x = left
        for (column, width) in widths.enumerated() {
            page.raw("<rect x=\"\(page.f(x))\" y=\"\(page.f(y))\" width=\"\(page.f(width))\" height=\"\(page.f(height))\""
                     + " fill=\"\(fill ?? "none")\" stroke=\"black\" stroke-width=\"0.2\"/>")
            let kind = style(column)
            for (n, line) in (column < cells.count ? cells[column] : []).enumerated() {
                let baseline = y + 1 + size * 0.95 + Double(n) * size * PrintLayout.lineFactor
                if kind == .number {
                    page.text(line, x: x + width - PrintLayout.padding, y: baseline, size: size, anchor: "end")
                } else {
                    page.text(line, x: x + PrintLayout.padding, y: baseline, size: kind == .mono ? size * 0.95 : size,
                              bold: bold(column), mono: kind == .mono)
                }
            }
            x += width
        }
    }

    /// The pages with their feet: who made the page and when, the page number, the checkpoint.
    mutating func finish() -> [String] {
        finished.append(page)
        let count = finished.count
        return finished.enumerated().map { index, body in
            var page = body
            let top = height - margin - footHeight + 3
            page.line(left, top, right, top, width: 0.2)
            page.text(document.preparedLine, x: left, y: top + 4, size: 2.8)
            page.text("第 \(index + 1) 页 共 \(count) 页", x: right, y: top + 4, size: 2.8, anchor: "end")
            if let stamp = document.stamp {
                page.text("审计检查点：审计日志第 \(stamp.treeSize) 条　审计链头：\(stamp.headHash)", x: left, y: top + 8, size: 2.2,
                          maxWidth: right - left)
                page.text("Merkle 根：\(stamp.root)" + (stamp.keyID.map { "　站点签名密钥：\($0)" } ?? ""), x: left, y: top + 11.2, size: 2.2,
                          maxWidth: right - left)
                if let signed = stamp.signedHead {
                    page.text(signed, x: left, y: top + 13.6, size: 1.3, maxWidth: right - left, mono: true)
                }
                if let alarm = stamp.integrityAlarm {
                    page.text("完整性告警：\(alarm)", x: (left + right) / 2, y: top + 4, size: 2.4, maxWidth: (right - left) / 3, anchor: "middle", bold: true)
                }
            }
            return page.document(width: width, height: height)
        }
    }
}
