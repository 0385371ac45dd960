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

    /// An audit row's detail (`{"key": "value"}`): its text fields; empty when it is not an object.
    /// Other values are left out: the rows an event carries for the replay (`"rows": [...]`,
    /// provable-catalog issue) are read by `ChainReplay`, not by the pages that describe the event.
    public static func decodeDictionary(_ text: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }
}
