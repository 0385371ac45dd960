import CustodyCore
import Foundation

extension APIHandlers {
    /// `text` as a key of `kind` in its one stored spelling (`TypedKey`: NFKC, serials in upper
    /// case), or a 400 refusal naming the character that made it unreadable. Every case number,
    /// badge and serial a request carries goes through here before it is stored or looked up.
    static func key(_ text: String, _ kind: TypedKey.Kind) throws -> String {
        switch TypedKey.normalize(text, kind) {
        case .success(let key): return key
        case .failure(let problem): throw APIRefusal(.badRequest, "bad-key", problem.message, zh: problem.messageZh)
        }
    }

    static func key(_ text: String?, _ kind: TypedKey.Kind) throws -> String? {
        try text.map { try key($0, kind) }
    }
}
