import Foundation

/// Deterministic JSON text for values stored in TEXT columns (audit details, flag lists):
/// sorted keys, so the same value always hashes the same way.
public enum JSONText {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeStrings(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// An audit row's detail (`{"key": "value"}`); empty when it is not such an object.
    public static func decodeDictionary(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }

    static func decodeMap(_ text: String) -> [String: String] { decodeDictionary(text) }
}
