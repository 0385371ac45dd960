import CustodyCore
import Foundation

extension APIHandlers {
    /// The account a clerk named for another person (`--user NAME|UID`, or a recorded
    /// `uid:N(name)`), resolved by the daemon, never taken as typed: an unknown name, a uid with
    /// no account, or a recorded account renamed since is refused, naming what was given and why.
    func person(_ text: String, as what: String, zh whatZh: String) throws -> Person {
        let given = text.trimmingCharacters(in: .whitespaces)
        if let person = UserAccounts.person(given) { return person }
        let why: String, whyZh: String
        if let recorded = Person(auditName: given) {
            let now = UserAccounts.name(uid: recorded.uid)
            why = "uid \(recorded.uid) is \(now.map { "now named \($0)" } ?? "no longer an account"), not \(recorded.name)"
            whyZh = "uid \(recorded.uid) \(now.map { "现名为 \($0)" } ?? "已无账户")，不是 \(recorded.name)"
        } else if let uid = UInt32(given) {
            why = "no account has uid \(uid) on this station"
            whyZh = "本站没有 uid 为 \(uid) 的账户"
        } else {
            why = "no account is named \"\(given)\" on this station"
            whyZh = "本站没有名为“\(given)”的账户"
        }
        throw APIRefusal(.badRequest, "unknown-user", "\(what) \"\(given)\": \(why); give a user name or uid of an account here (getent passwd); nothing was done",
                         zh: "\(whatZh)“\(given)”：\(whyZh)；请填写本站账户的用户名或 uid，未做任何更改")
    }

    /// A uid's account name now, for the rules that keep two people apart.
    var currentName: @Sendable (UInt32) -> String? { { UserAccounts.name(uid: $0) } }
}
