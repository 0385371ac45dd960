import Foundation
import GRDB

/// A bound row whose table and chain disagree, named down to the column where one is to blame:
/// `clip 3f2a9c01: retention_class is "routine", the chain says "long-term" (row 161)`.
public struct BoundMismatch: Sendable, Equatable, Codable {
    public var table: String
    public var key: String
    /// The first column that differs; nil when the whole row is missing on one side.
    public var column: String?
    public var tableValue: String?
    public var chainValue: String?
    /// The audit row whose image the table disagrees with.
    public var seq: Int64?
    public var message: String

    public init(table: String, key: String, column: String? = nil, tableValue: String? = nil, chainValue: String? = nil,
                seq: Int64? = nil, message: String) {
        self.table = table; self.key = key; self.column = column; self.tableValue = tableValue
        self.chainValue = chainValue; self.seq = seq; self.message = message
    }
}

/// Compares every bound table with the state the chain implies: each row of the table must be
/// the last image the chain holds of it, and every row the chain wrote must be in the table.
enum BoundComparison {
    /// Scans the tables inside the caller's read transaction; the replay's state is used up.
    static func run(_ db: Database, replay: inout ChainReplay) throws -> Int {
        var checked = 0
        for table in BoundTable.all {
            var rows = replay.state.tables.removeValue(forKey: table.name) ?? ReplayState.Rows()
            let keyIndexes = try keyIndexes(table, db: db)
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.orderBy)")
            var image: [UInt8] = []
            var key: [UInt8] = []
            while let row = try cursor.next() {
                checked += 1
                key.removeAll(keepingCapacity: true)
                RowImage.appendKey(keyIndexes.map { row[$0] as DatabaseValue }, to: &key)
                let keyText = key[1..<(key.count - 1)]
                guard let entry = rows.take(keyText, kind: table.keyKind) else {
                    replay.note(BoundMismatch(table: table.name, key: display(keyText, table),
                                              message: "\(table.noun) \(display(keyText, table)): not in the audit chain (no event wrote this row)"))
                    continue
                }
                image.removeAll(keepingCapacity: true)
                RowImage.appendRow(row, to: &image)
                guard ReplayState.digest(image) != entry.digest else { continue }
                replay.note(try difference(table: table, key: keyText, tableRow: image, seq: entry.seq, db: db))
            }
            for (key, entry) in rows.remaining() {
                let shown = display(Array(key.utf8)[...], table)
                replay.note(BoundMismatch(table: table.name, key: shown, seq: entry.seq,
                                          message: "\(table.noun) \(shown): missing from the catalog; the chain wrote it (row \(entry.seq))"))
            }
        }
        return checked
    }

    /// The first column where the table's row and the chain's image of it differ.
    static func difference(table: BoundTable, key: ArraySlice<UInt8>, tableRow: [UInt8], seq: Int64, db: Database) throws -> BoundMismatch {
        let shown = display(key, table)
        let chainRow = try chainImage(table: table, key: key, seq: seq, db: db)
        let ours = RowImage.columns(tableRow) ?? []
        let theirs = chainRow.flatMap { RowImage.columns($0) } ?? []
        let chainValues = Dictionary(theirs, uniquingKeysWith: { a, _ in a })
        for (column, value) in ours {
            guard let chainValue = chainValues[column] else {
                return BoundMismatch(table: table.name, key: shown, column: column, tableValue: value, seq: seq,
                                     message: "\(table.noun) \(shown): \(column) is \(quoted(value)), the chain has no \(column) for it (row \(seq))")
            }
            if chainValue != value {
                return BoundMismatch(table: table.name, key: shown, column: column, tableValue: value, chainValue: chainValue, seq: seq,
                                     message: "\(table.noun) \(shown): \(column) is \(quoted(value)), the chain says \(quoted(chainValue)) (row \(seq))")
            }
        }
        let extra = theirs.first { column, _ in !ours.contains { $0.0 == column } }
        return BoundMismatch(table: table.name, key: shown, column: extra?.0, chainValue: extra?.1 ?? nil, seq: seq,
                             message: "\(table.noun) \(shown): differs from the chain (row \(seq))"
                                 + (extra.map { ": the chain has \($0.0) and the table does not" } ?? ""))
    }

    /// The row object of one row's image in one audit row.
    static func chainImage(table: BoundTable, key: ArraySlice<UInt8>, seq: Int64, db: Database) throws -> [UInt8]? {
        guard let detail = try String.fetchOne(db, sql: "SELECT detail FROM audit WHERE seq = ?", arguments: [seq]) else { return nil }
        let bytes = Array(detail.utf8)
        guard case .images(let images) = ImageScanner.images(in: bytes) else { return nil }
        return images.last { $0.table == table.name && $0.key.elementsEqual(key) }.map { Array($0.row) }
    }

    static func keyIndexes(_ table: BoundTable, db: Database) throws -> [Int] {
        let columns = try db.columns(in: table.name).map { $0.name }
        return table.keyColumns.map { key in columns.firstIndex(of: key) ?? 0 }
    }

    /// A key as people read it: a hash by its first 8 digits, as `clips show` takes it.
    static func display(_ key: ArraySlice<UInt8>, _ table: BoundTable) -> String {
        let text = String(decoding: key, as: UTF8.self)
        return table.keyKind == .sha256 && text.count == 64 ? String(text.prefix(8)) : text
    }

    static func quoted(_ value: String?) -> String {
        value.map { "\"\($0)\"" } ?? "null"
    }
}
