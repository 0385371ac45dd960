import CustodyAPI
import CustodyCore

extension APIHandlers {
    /// `GET /v1/vocabulary` (viewer role): `Vocabulary`'s tables, and the access documents'
    /// names from `AccessDocumentKind`, in both languages. One source for paper, custodyctl and
    /// the web console.
    static func vocabulary() -> VocabularyItem {
        var zh = Vocabulary.tables
        var en = zh.mapValues { _ in [String: String]() }
        for (table, words) in zh {
            for code in words.keys { en[table, default: [:]][code] = Vocabulary.english(table, code) }
        }
        let documents = AccessDocumentKind.allCases.map { (Self.kebab($0.rawValue), $0) }
        zh["accessDocuments"] = Dictionary(uniqueKeysWithValues: documents.map { ($0.0, $0.1.nameZh) })
        en["accessDocuments"] = Dictionary(uniqueKeysWithValues: documents.map { ($0.0, $0.1.nameEn) })
        return VocabularyItem(zh: zh, en: en)
    }
}
