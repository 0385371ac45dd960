/// Finds the row images in an audit detail without decoding it: a replay reads millions of
/// details, and a JSON decoder per row would take most of its time. The scanner accepts exactly
/// the text `RowImage` writes; anything else in a `rows` list is reported as unreadable.
struct ImageScanner {
    /// One image: its table, its key as written (escaped), and the byte range of its row object.
    struct Image {
        var table: String
        var key: ArraySlice<UInt8>
        var row: ArraySlice<UInt8>
    }

    enum Outcome {
        /// The detail has no `rows` list: the event changed no bound row.
        case none
        case images([Image])
        /// A `rows` list that is not what `RowImage` writes.
        case unreadable
    }

    static let marker = Array("\"rows\":[".utf8)

    /// The images of a detail. The marker cannot occur inside a JSON string (its quotes would be
    /// escaped), so its last occurrence is the top-level key `RowImage.detail` writes last.
    static func images(in bytes: [UInt8]) -> Outcome {
        guard let start = lastIndex(of: marker, in: bytes) else { return .none }
        var scanner = Cursor(bytes: bytes, at: start + marker.count)
        var images: [Image] = []
        if scanner.take("]") { return .images([]) }
        while true {
            guard scanner.take("{\"table\":"), let table = scanner.string(),
                  scanner.take(",\"key\":"), let key = scanner.string(),
                  scanner.take(",\"row\":"), let row = scanner.object(), scanner.take("}")
            else { return .unreadable }
            images.append(Image(table: String(decoding: bytes[table.dropFirst().dropLast()], as: UTF8.self),
                                key: bytes[key.dropFirst().dropLast()], row: bytes[row]))
            if scanner.take(",") { continue }
            return scanner.take("]}") && scanner.atEnd ? .images(images) : .unreadable
        }
    }

    /// The keys of one flat object written by `RowImage.appendRow`, in order.
    static func keys(ofObject bytes: [UInt8]) -> [String] {
        var scanner = Cursor(bytes: bytes, at: 0)
        var keys: [String] = []
        guard scanner.take("{") else { return [] }
        while let key = scanner.string() {
            keys.append(String(decoding: bytes[key.dropFirst().dropLast()], as: UTF8.self))
            guard scanner.take(":") else { break }
            if scanner.take("null") {} else if scanner.string() == nil { break }
            guard scanner.take(",") else { break }
        }
        return keys
    }

    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.count - needle.count
        while i >= 0 {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    /// A position in the bytes that moves over exactly the tokens asked for.
    struct Cursor {
        let bytes: [UInt8]
        var at: Int

        var atEnd: Bool { at == bytes.count }

        mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard at + count <= bytes.count else { return false }
            let matches = literal.withUTF8Buffer { token in
                var i = 0
                while i < count && bytes[at + i] == token[i] { i += 1 }
                return i == count
            }
            if matches { at += count }
            return matches
        }

        /// A JSON string, quotes included.
        mutating func string() -> Range<Int>? {
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
            var i = at + 1
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\\"): i += 2
                case UInt8(ascii: "\""):
                    defer { at = i + 1 }
                    return at..<(i + 1)
                default: i += 1
                }
            }
            return nil
        }

        /// A flat JSON object of strings and nulls, braces included.
        mutating func object() -> Range<Int>? {
            let start = at
            guard take("{") else { return nil }
            if take("}") { return start..<at }
            while true {
                guard string() != nil, take(":") else { return nil }
                if !take("null") { guard string() != nil else { return nil } }
                if take("}") { return start..<at }
                guard take(",") else { return nil }
            }
        }
    }
}
