import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// Catalogs a clip again from another catalog's audit chain (a restore: the clip was stored
    /// after the backup, and the replaced catalog's chain survived): its row and its provenance as
    /// the last images that chain holds of them, the dumps they name as that catalog's table has
    /// them, then a `catalog.recatalog` event carrying the rows, so this chain binds them too.
    /// - Returns: false when the other chain holds no image of the clip (the caller adopts it).
    public func recatalog(_ sha256: String, from old: Catalog, reason: String) throws -> Bool {
        let (clip, provenance, seq, dumps) = try old.pool.read { db -> ([UInt8]?, [Int64: [UInt8]], Int64, [Row]) in
            var clip: [UInt8]?
            var provenance: [Int64: [UInt8]] = [:]
            var last: Int64 = 0
            let rows = try Row.fetchAll(db, sql: "SELECT seq, detail FROM audit WHERE object = ? ORDER BY seq", arguments: ["clip:\(sha256)"])
            for row in rows {
                guard case .images(let images) = ImageScanner.images(in: Array((row["detail"] as String).utf8)) else { continue }
                for image in images {
                    if image.table == BoundTable.clip.name && image.key.elementsEqual(sha256.utf8) {
                        clip = Array(image.row)
                        last = row["seq"]
                    } else if image.table == BoundTable.provenance.name, let id = ReplayState.Rows.integer(image.key) {
                        provenance[id] = Array(image.row)
                    }
                }
            }
            let dumpIDs = provenance.values.compactMap { RowImage.columns($0)?.first { $0.0 == "dump_id" }?.1.flatMap(Int64.init) }
            let dumps = dumpIDs.isEmpty ? [] : try Row.fetchAll(db, sql: "SELECT * FROM dump WHERE id IN (\(dumpIDs.map(String.init).joined(separator: ",")))")
            return (clip, provenance, last, dumps)
        }
        guard let clip else { return false }
        try pool.write { db in
            for dump in dumps where try Bool.fetchOne(db, sql: "SELECT 1 FROM dump WHERE id = ?", arguments: [dump["id"] as Int64]) != true {
                try Self.insert(table: "dump", columns: dump.map { ($0.0, $0.1) }, db: db)
            }
            try Self.insert(table: BoundTable.clip.name, image: clip, db: db)
            var rows: [BoundRow] = [.clip(sha256)]
            for (id, image) in provenance.sorted(by: { $0.key < $1.key })
            where try Bool.fetchOne(db, sql: "SELECT 1 FROM provenance WHERE id = ?", arguments: [id]) != true {
                try Self.insert(table: BoundTable.provenance.name, image: image, db: db)
                rows.append(BoundRow(.provenance, id))
            }
            try AuditLog.append(db, actor: "custodyd", action: "catalog.recatalog", object: "clip:\(sha256)",
                                detail: ["from": "row \(seq) of the replaced catalog's chain", "reason": reason], rows: rows)
        }
        return true
    }

    /// Inserts a row from its image: values are text as the chain writes them, so BLOB columns
    /// get their hex decoded, and the columns' affinity turns numbers back into numbers.
    static func insert(table: String, image: [UInt8], db: Database) throws {
        guard let columns = RowImage.columns(image) else { throw BoundError.missingRow(action: "catalog.recatalog", table: table) }
        let blobs = Set(try db.columns(in: table).filter { $0.type.uppercased() == "BLOB" }.map(\.name))
        try insert(table: table, columns: columns.map { name, text -> (String, DatabaseValue) in
            guard let text else { return (name, .null) }
            if blobs.contains(name), let bytes = Hex.bytes(text) { return (name, Data(bytes).databaseValue) }
            return (name, text.databaseValue)
        }, db: db)
    }

    static func insert(table: String, columns: [(String, DatabaseValue)], db: Database) throws {
        let names = columns.map(\.0).joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO \(table) (\(names)) VALUES (\(marks))", arguments: StatementArguments(columns.map(\.1)))
    }
}
