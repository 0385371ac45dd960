import Foundation

/// The state the audit chain implies for bound rows: for every row any event carried, the audit
/// row of its last image and a digest of that image's text.
///
/// Held compactly because a replay at a million clips holds two million rows (clips and their
/// provenance): a clip's key as 32 bytes and a provenance id as an integer, not as strings. The
/// digest is Swift's seeded SipHash of the image text, seeded anew in every process, so nobody can
/// make an edited row collide with its image; it is only ever compared within one run.
struct ReplayState {
    struct Entry {
        var seq: Int64
        var digest: Int
    }

    /// A SHA-256 in hex as four words.
    struct HashKey: Hashable {
        var a: UInt64, b: UInt64, c: UInt64, d: UInt64

        init?(hex bytes: some Collection<UInt8>) {
            guard bytes.count == 64 else { return nil }
            var words: [UInt64] = [0, 0, 0, 0]
            for (i, byte) in bytes.enumerated() {
                let nibble: UInt64
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt64(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt64(byte - UInt8(ascii: "a") + 10)
                default: return nil
                }
                words[i / 16] = words[i / 16] << 4 | nibble
            }
            (a, b, c, d) = (words[0], words[1], words[2], words[3])
        }
    }

    /// One table's rows, keyed as its `KeyKind` says (a key that does not parse as its kind, e.g. a
    /// hash someone shortened, is kept as text so it is still compared).
    struct Rows {
        var integers: [Int64: Entry] = [:]
        var hashes: [HashKey: Entry] = [:]
        var texts: [String: Entry] = [:]

        var count: Int { integers.count + hashes.count + texts.count }

        /// Sets the entry of a key and returns the one it replaces.
        @discardableResult
        mutating func set(_ key: ArraySlice<UInt8>, kind: BoundTable.KeyKind, _ entry: Entry?) -> Entry? {
            switch kind {
            case .integer:
                if let n = Self.integer(key) {
                    if let entry { return integers.updateValue(entry, forKey: n) }
                    return integers.removeValue(forKey: n)
                }
            case .sha256:
                if let h = HashKey(hex: key) {
                    if let entry { return hashes.updateValue(entry, forKey: h) }
                    return hashes.removeValue(forKey: h)
                }
            case .text: break
            }
            let text = String(decoding: key, as: UTF8.self)
            if let entry { return texts.updateValue(entry, forKey: text) }
            return texts.removeValue(forKey: text)
        }

        /// Takes a key's entry out (a verification crosses off each row it found in the table).
        mutating func take(_ key: ArraySlice<UInt8>, kind: BoundTable.KeyKind) -> Entry? {
            set(key, kind: kind, nil)
        }

        /// What is left after the table was scanned: rows the chain wrote that the table lacks.
        func remaining() -> [(key: String, entry: Entry)] {
            var out: [(String, Entry)] = integers.map { (String($0.key), $0.value) }
            out += hashes.map { (Self.hex($0.key), $0.value) }
            out += texts.map { ($0.key, $0.value) }
            return out.sorted { $0.1.seq < $1.1.seq }
        }

        static func integer(_ bytes: ArraySlice<UInt8>) -> Int64? {
            guard !bytes.isEmpty, bytes.count <= 19 else { return nil }
            var value: Int64 = 0
            var negative = false
            for (i, byte) in bytes.enumerated() {
                if i == 0 && byte == UInt8(ascii: "-") && bytes.count > 1 { negative = true; continue }
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            // Only the canonical form ("7", not "07"), so a key parses back to the text it came from.
            let canonical = String(negative ? -value : value)
            return canonical.utf8.elementsEqual(bytes) ? (negative ? -value : value) : nil
        }

        static func hex(_ key: HashKey) -> String {
            [key.a, key.b, key.c, key.d].map { word in
                let s = String(word, radix: 16)
                return String(repeating: "0", count: 16 - s.count) + s
            }.joined()
        }
    }

    var tables: [String: Rows] = [:]

    var rowCount: Int { tables.values.reduce(0) { $0 + $1.count } }

    static func digest(_ bytes: some ContiguousBytes) -> Int {
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }
}
