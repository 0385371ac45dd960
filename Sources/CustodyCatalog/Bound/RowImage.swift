import CustodyCore
import Foundation
import GRDB

/// A bound row as the audit chain carries it, and as a verification reads it back from the table:
/// `{"table":"clip","key":"3f2a…","row":{"sha256":"3f2a…","size_bytes":"1048576",…}}`.
///
/// Both sides go through `appendRow`, so the image a writer put in the chain and the image the
/// table yields today are byte for byte the same text when, and only when, every column holds the
/// same value: a verification compares digests of that text and decodes it only to name the column
/// that differs. Values are JSON strings of their SQL text form (integers and reals in Swift's
/// shortest round-trip form, blobs in hex) or `null`; columns come in the table's order (`SELECT *`).
enum RowImage {
    /// The columns of a row as one JSON object.
    static func appendRow(_ row: Row, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for (column, value) in row {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendString(column, to: &out)
            out.append(UInt8(ascii: ":"))
            appendValue(value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func appendValue(_ value: DatabaseValue, to out: inout [UInt8]) {
        switch value.storage {
        case .null: out.append(contentsOf: "null".utf8)
        case .int64(let i): appendString(String(i), to: &out)
        case .double(let d): appendString(String(d), to: &out)
        case .string(let s): appendString(s, to: &out)
        case .blob(let data): appendString(Self.hex(data), to: &out)
        }
    }

    /// The key's text: its columns' values joined by "/", as written in the chain (escaped).
    static func appendKey(_ values: [DatabaseValue], to out: inout [UInt8]) {
        var text = ""
        for (i, value) in values.enumerated() {
            if i > 0 { text += "/" }
            switch value.storage {
            case .null: text += ""
            case .int64(let n): text += String(n)
            case .double(let d): text += String(d)
            case .string(let s): text += s
            case .blob(let data): text += Self.hex(data)
            }
        }
        appendString(text, to: &out)
    }

    /// A JSON string with the one escaping both sides use.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The element of an event's `rows` list for a row as it is now; nil when the row is not there.
    static func element(_ db: Database, _ bound: BoundRow) throws -> [UInt8]? {
        let sql = "SELECT * FROM \(bound.table.name) WHERE \(bound.table.whereKey)"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: StatementArguments(bound.key)) else { return nil }
        return element(bound.table, key: bound.key, row: row)
    }

    static func element(_ table: BoundTable, key: [DatabaseValue], row: Row) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(768)
        out.append(contentsOf: Array("{\"table\":".utf8))
        appendString(table.name, to: &out)
        out.append(contentsOf: Array(",\"key\":".utf8))
        appendKey(key, to: &out)
        out.append(contentsOf: Array(",\"row\":".utf8))
        appendRow(row, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// An audit detail: the event's own fields (sorted, as `JSONText` writes them), then the rows
    /// it changed under `rows`, last, so a replay finds them without decoding the rest.
    static func detail(_ fields: [String: String], rows elements: [[UInt8]]) -> String {
        detail(base: JSONText.encode(fields), rows: elements)
    }

    /// The same after a detail object already written (`{…}`).
    static func detail(base: String, rows elements: [[UInt8]]) -> String {
        guard !elements.isEmpty else { return base }
        var out = Array(base.utf8.dropLast())
        out.append(contentsOf: Array((out.count > 1 ? ",\"rows\":[" : "\"rows\":[").utf8))
        for (i, element) in elements.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: element)
        }
        out.append(contentsOf: Array("]}".utf8))
        return String(decoding: out, as: UTF8.self)
    }

    /// The columns of one image's row object, decoded, to name the field that differs.
    static func columns(_ rowObject: some Collection<UInt8>) -> [(String, String?)]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(rowObject)) as? [String: Any] else { return nil }
        var ordered: [(String, String?)] = []
        // JSONSerialization loses the order; the scanner gives it back from the text.
        for name in ImageScanner.keys(ofObject: Array(rowObject)) {
            ordered.append((name, object[name] as? String))
        }
        return ordered
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func hex(_ data: Data) -> String { Hex.string(data) }
}
