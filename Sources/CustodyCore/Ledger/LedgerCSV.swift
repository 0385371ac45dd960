import Foundation

/// Import/export codec for the agency device ledger (台账) that clerks keep in
/// Excel. Import is all-or-nothing at the caller: `parse` collects every
/// problem in the file so a clerk can fix them in one pass, and the caller
/// refuses the import when `errors` is non-empty.
public enum LedgerCSV {
    /// Decodes bytes exported by Excel: UTF-8 with or without BOM, or
    /// GB18030/GBK (valid UTF-8 is taken as UTF-8, anything else goes through
    /// iconv as GB18030). Parses RFC 4180 CSV (quoted fields, doubled quotes,
    /// CRLF/LF/CR, separators inside quotes; blank rows ignored); a header line
    /// with no comma but with tabs or semicolons selects that separator.
    /// Header names may be Chinese or English, any case or spacing; unknown
    /// columns are ignored. Times are wall-clock in `timeZone` unless the cell
    /// names its own zone.
    public static func parse(_ bytes: [UInt8], table: LedgerTable, timeZone: TimeZone) -> LedgerImport {
        let decoded: LedgerDecodedText
        switch LedgerTextDecoder.decode(bytes) {
        case .success(let d): decoded = d
        case .failure(let error): return LedgerImport(errors: [error], encoding: "unknown")
        }
        var result = LedgerImport(encoding: decoded.encoding)
        let separator = LedgerCSVTokenizer.separator(for: decoded.text)
        let tokens = LedgerCSVTokenizer.tokenize(decoded.text, separator: separator)
        // Blank rows (including Excel's ",,,," rows of formatted-but-empty
        // cells) carry nothing and are skipped wherever they appear.
        let records = tokens.records.filter { record in
            record.fields.contains { !LedgerText.trim($0).isEmpty }
        }
        guard !records.isEmpty else {
            result.errors.append(tokens.error ?? CSVLineError(line: 1, column: "",
                reason: "the file is empty; the first line must be the header row with the column names",
                zh: "文件为空；第一行须为列名（表头）"))
            return result
        }
        let (headerAt, columns, headerErrors) = findHeader(records, table: table)
        result.errors += headerErrors
        let headerOK = headerErrors.isEmpty
        let calendar = LedgerTime.calendar(timeZone)
        var firstSeen: [String: Int] = [:]

        for record in records.dropFirst(headerAt + 1) {
            let extra = record.fields.dropFirst(columns.width)
            if extra.contains(where: { !LedgerText.trim($0).isEmpty }) {
                // Columns are probably shifted (an unquoted comma in a cell),
                // so cell-level checks on this row would only add noise.
                result.errors.append(CSVLineError(line: record.line, column: "",
                    reason: "has \(record.fields.count) fields, header has \(columns.width); a cell probably contains an unquoted comma",
                    zh: "本行有 \(record.fields.count) 列，表头只有 \(columns.width) 列；可能有单元格含未加引号的逗号"))
                continue
            }
            var reader = LedgerRowReader(line: record.line, fields: record.fields, columns: columns, calendar: calendar)
            switch table {
            case .officers:
                let row = officer(&reader, &firstSeen)
                if headerOK, reader.errors.isEmpty, let row { result.officers.append(row) }
            case .devices:
                let row = device(&reader, &firstSeen)
                if headerOK, reader.errors.isEmpty, let row { result.devices.append(row) }
            case .handovers:
                let row = handover(&reader)
                if headerOK, reader.errors.isEmpty, let row { result.handovers.append(row) }
            }
            result.errors += reader.errors
        }
        if let error = tokens.error { result.errors.append(error) }
        return result
    }

    /// The header is normally the first row, but ledgers often carry a title
    /// row above it ("某某分局执法记录仪台账"); if the first row lacks required
    /// columns and one of the next few rows has them all, that row is the
    /// header and the rows above it are ignored.
    private static func findHeader(_ records: [LedgerCSVRecord], table: LedgerTable)
        -> (Int, LedgerHeaderMap, [CSVLineError]) {
        let first = LedgerColumns.resolve(records[0].fields, line: records[0].line, table: table)
        if first.1.isEmpty { return (0, first.0, first.1) }
        for i in 1..<min(records.count, 5) {
            let candidate = LedgerColumns.resolve(records[i].fields, line: records[i].line, table: table)
            if candidate.1.isEmpty { return (i, candidate.0, candidate.1) }
        }
        return (0, first.0, first.1)
    }

    /// Duplicate keys are compared case-insensitively: "a123" and "A123" on
    /// the same sheet are the same officer or camera typed twice. A key is
    /// remembered even when other cells of its row are bad, so the duplicate
    /// is reported in the same pass instead of after the next upload.
    private static func checkDuplicate(_ key: String, _ field: String, _ reader: inout LedgerRowReader,
                                       _ firstSeen: inout [String: Int]) {
        let folded = key.uppercased()
        if let first = firstSeen[folded] {
            reader.fail(field, "\"\(key)\" already appears on line \(first); each \(field) may be listed only once",
                        zh: "“\(key)”已在第 \(first) 行出现，每项只能列一次")
        } else {
            firstSeen[folded] = reader.line
        }
    }

    private static func officer(_ r: inout LedgerRowReader, _ seen: inout [String: Int]) -> OfficerRow? {
        let badge = r.badge("badge", required: true)
        if let key = badge ?? nil { checkDuplicate(key, "badge", &r, &seen) }
        let name = r.text("name", required: true)
        let unit = r.text("unit", required: true)
        let active = r.word("active", fallback: true,
                            accepted: "在职, 在岗, 启用, 离职, 停用, 调离, active, inactive, yes, no, 是, 否, 1, 0",
                            LedgerVocabulary.active)
        guard let badge = badge ?? nil, let name, let unit, let active else { return nil }
        return OfficerRow(badge: badge, name: name, unit: unit, active: active)
    }

    private static func device(_ r: inout LedgerRowReader, _ seen: inout [String: Int]) -> DeviceRow? {
        let serial = r.serial("serial")
        if let serial { checkDuplicate(serial, "serial", &r, &seen) }
        let brand = r.text("brand", required: true)
        let model = r.text("model", required: true)
        let unit = r.text("unit", required: true)
        let keeper = r.badge("keeper", required: false)
        let status = r.word("status", fallback: DeviceStatus.inService,
                            accepted: "在用, 正常, 维修, 送修, 报废, 停用, in-service, repair, retired",
                            LedgerVocabulary.status)
        guard let serial, let brand, let model, let unit, let keeper, let status else { return nil }
        return DeviceRow(serial: serial, brand: brand, model: model, unit: unit, keeperBadge: keeper, status: status)
    }

    private static func handover(_ r: inout LedgerRowReader) -> HandoverRow? {
        let serial = r.serial("serial")
        let badge = r.badge("badge", required: true)
        let out = r.time("checkedOutAt", required: true)
        let back = r.time("checkedInAt", required: false)
        let offsite = r.word("offsite", fallback: false, accepted: "是, 否, yes, no, 1, 0", LedgerVocabulary.yesNo)
        let note = r.text("note", required: false, verbatim: true)
        if let outAt = out ?? nil, let backAt = back ?? nil, backAt < outAt {
            r.fail("checkedInAt", "returned \(LedgerTime.format(backAt, calendar: r.calendar)) is before checked out \(LedgerTime.format(outAt, calendar: r.calendar)); check both times",
                   zh: "归还时间 \(LedgerTime.format(backAt, calendar: r.calendar)) 早于领用时间 \(LedgerTime.format(outAt, calendar: r.calendar))，请核对")
            return nil
        }
        guard let serial, let badge = badge ?? nil, let outAt = out ?? nil, let back, let offsite, let note else { return nil }
        return HandoverRow(serial: serial, badge: badge, checkedOutAt: outAt, checkedInAt: back, offsite: offsite, note: note)
    }
}
