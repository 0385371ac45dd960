import GRDB

/// For tools that write a catalog in bulk instead of through the catalog's API (the CatalogBench
/// generator writes a million clips in one transaction): the detail of an audit event carrying
/// rows already written, made exactly as the catalog's own writers make it, so the generated
/// chain replays into the generated tables.
public enum BulkChain {
    /// `fields` is the event's detail object (`{"dump":"3",…}`); each row is named by its table
    /// and primary key values and read as it is now.
    public static func detail(_ db: Database, fields: String, rows: [(table: String, key: [DatabaseValue])]) throws -> String {
        let images = try rows.map { row -> [UInt8] in
            guard let table = BoundTable.byName[row.table], let image = try RowImage.element(db, BoundRow(table: table, key: row.key))
            else { throw BoundError.missingRow(action: "bulk", table: row.table) }
            return image
        }
        return RowImage.detail(base: fields, rows: images)
    }
}
