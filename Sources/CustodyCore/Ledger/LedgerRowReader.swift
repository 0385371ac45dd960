import Foundation

/// Reads and validates the cells of one record. Every check appends to
/// `errors` instead of stopping, so a clerk sees all problems of a row at once;
/// a value is returned only when its cell is valid.
struct LedgerRowReader {
    let line: Int
    let fields: [String]
    let columns: LedgerHeaderMap
    let calendar: Calendar
    private(set) var errors: [CSVLineError] = []

    init(line: Int, fields: [String], columns: LedgerHeaderMap, calendar: Calendar) {
        self.line = line
        self.fields = fields
        self.columns = columns
        self.calendar = calendar
    }

    /// The header text of `field` as the clerk wrote it.
    func column(_ field: String) -> String { columns.written[field] ?? field }

    /// The cell for `field`, or nil when the file has no such column. Short
    /// rows read as empty: some Excel versions drop trailing empty cells.
    func raw(_ field: String) -> String? {
        guard let index = columns.index[field] else { return nil }
        return index < fields.count ? fields[index] : ""
    }

    mutating func fail(_ field: String, _ reason: String, zh: String) {
        errors.append(CSVLineError(line: line, column: column(field), reason: reason, zh: zh))
    }

    /// Free text (names, units, notes): trimmed unless `verbatim`, with the
    /// export formula guard removed. Empty required text is an error.
    mutating func text(_ field: String, required: Bool, verbatim: Bool = false) -> String? {
        guard let cell = raw(field) else { return required ? nil : "" }
        let value = LedgerText.unguardFormula(verbatim ? cell : LedgerText.trim(cell))
        if required && LedgerText.trim(value).isEmpty {
            fail(field, "\"\(column(field))\" is empty; fill it in", zh: "“\(column(field))”为空，请填写")
            return nil
        }
        return value
    }

    /// A cell that must be filled in and is an identifier: trimmed,
    /// full-width characters folded, Excel's `="…"` wrapper removed.
    private mutating func identifier(_ field: String, required: Bool) -> String?? {
        guard let cell = raw(field) else { return required ? nil : .some(nil) }
        let value = LedgerText.trim(LedgerText.halfWidth(LedgerText.unwrapExcelText(LedgerText.trim(cell))))
        if value.isEmpty {
            if required { fail(field, "\"\(column(field))\" is empty; fill it in", zh: "“\(column(field))”为空，请填写"); return nil }
            return .some(nil)
        }
        return .some(value)
    }

    /// Badge numbers: 1–32 ASCII letters or digits (the daemon uses them in
    /// file names and keys, so nothing else is allowed).
    mutating func badge(_ field: String, required: Bool) -> String?? {
        guard let found = identifier(field, required: required) else { return nil }
        guard let value = found else { return .some(nil) }
        let ok = (1...32).contains(value.unicodeScalars.count)
            && value.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        guard ok else {
            fail(field, "badge \"\(value)\" must be 1–32 letters or digits (no spaces, dashes or Chinese characters)",
                 zh: "警号“\(value)”须为 1–32 位英文字母或数字（不能有空格、横线或汉字）")
            return nil
        }
        return .some(value)
    }

    /// Device serials: 1–32 ASCII letters, digits or "-" (as printed on the label).
    mutating func serial(_ field: String) -> String? {
        guard let found = identifier(field, required: true), let value = found else { return nil }
        let ok = (1...32).contains(value.unicodeScalars.count)
            && value.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        guard ok else {
            fail(field, "serial \"\(value)\" must be 1–32 letters, digits or \"-\" as printed on the camera label",
                 zh: "产品序号“\(value)”须为 1–32 位英文字母、数字或“-”，与记录仪标签一致")
            return nil
        }
        return value
    }

    /// A time cell; `nil` inside the result means an optional cell left empty.
    mutating func time(_ field: String, required: Bool) -> Date?? {
        guard let cell = raw(field) else { return required ? nil : .some(nil) }
        let value = LedgerText.trim(cell)
        if value.isEmpty {
            if required { fail(field, "\"\(column(field))\" is empty; fill in the time", zh: "“\(column(field))”为空，请填写时间"); return nil }
            return .some(nil)
        }
        switch LedgerTime.parse(value, calendar: calendar) {
        case .success(let date): return .some(date)
        case .failure(let problem): fail(field, problem.reason, zh: problem.zh); return nil
        }
    }

    /// A vocabulary cell (status, yes/no); absent column or empty cell yields
    /// `fallback`, an unknown word is an error listing the accepted words.
    mutating func word<T>(_ field: String, fallback: T, accepted: String, _ parse: (String) -> T?) -> T? {
        guard let cell = raw(field) else { return fallback }
        if let value = parse(cell) { return value }
        fail(field, "\"\(LedgerText.trim(cell))\" is not a value I know; use one of: \(accepted)",
             zh: "“\(LedgerText.trim(cell))”无法识别，请填写以下之一：\(accepted)")
        return nil
    }
}
