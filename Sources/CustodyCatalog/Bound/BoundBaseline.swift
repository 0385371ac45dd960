import Foundation
import GRDB

/// How a catalog written before rows were bound to the chain comes to verify: the migration that
/// starts binding writes, into the chain, `audit.baseline` events carrying every existing row of
/// the bound tables as it stood then (200 rows an event). From there on the replay has an image of
/// every row. The baseline proves nothing about what happened to a row before it (the old audit
/// rows never carried state); it says, in the chain, "this is what the catalog held when binding
/// began", and every change after it must be an event.
///
/// A later migration that adds a column to a bound table calls `write` for that table again, so
/// the new column has a value in the chain for every old row.
enum BoundBaseline {
    static let rowsPerEvent = 200

    static func write(_ db: Database, tables: [BoundTable] = BoundTable.all, reason: String) throws {
        // A bound table a later migration creates (`access_allowance`, v17) does not exist yet
        // when v14 binds the rows there were: it has no rows to baseline, and every row it will
        // ever hold is written by an event carrying it.
        for table in tables where try db.tableExists(table.name) {
            let keyIndexes = try BoundComparison.keyIndexes(table, db: db)
            var batch: [[UInt8]] = []
            var first = ""
            func flush() throws {
                guard !batch.isEmpty else { return }
                try AuditLog.appendImages(db, actor: "custodyd", action: "audit.baseline", object: "table:\(table.name)",
                                          detail: ["table": table.name, "count": String(batch.count), "from": first, "reason": reason],
                                          images: batch)
                batch.removeAll(keepingCapacity: true)
            }
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table.name) ORDER BY \(table.orderBy)")
            while let row = try cursor.next() {
                let key = keyIndexes.map { row[$0] as DatabaseValue }
                if batch.isEmpty {
                    var text: [UInt8] = []
                    RowImage.appendKey(key, to: &text)
                    first = String(decoding: text.dropFirst().dropLast(), as: UTF8.self)
                }
                batch.append(RowImage.element(table, key: key, row: row))
                if batch.count == rowsPerEvent { try flush() }
            }
            try flush()
        }
    }
}
