import Foundation

/// A person on the station: the Unix account that acted (its uid, as the kernel reports it) and
/// the account's name when it was recorded. Every person the catalog names (requester, clerk,
/// approver, proposer, disposer, reviewer, disc maker) is one of these, whatever spelling the CLI
/// was given, so "not the same person" rules compare accounts, never strings (`Person.distinct`).
public struct Person: Sendable, Hashable, Codable {
    public var uid: UInt32
    /// The account name at the time (`getpwuid`), kept because a uid can be re-used later.
    public var name: String

    public init(uid: UInt32, name: String) {
        self.uid = uid; self.name = name
    }

    /// `uid:1000(alice)`: how the audit log and every `*_by` column write a person (`uid:1000`
    /// for a uid without an account).
    public var auditName: String { name.isEmpty ? "uid:\(uid)" : "uid:\(uid)(\(name))" }

    /// Reads back `auditName`; nil for anything else (a free-text name from before identities).
    public init?(auditName text: String) {
        guard text.hasPrefix("uid:") else { return nil }
        let rest = text.dropFirst(4)
        guard let open = rest.firstIndex(of: "(") else {
            guard let uid = UInt32(rest) else { return nil }
            self.init(uid: uid, name: "")
            return
        }
        guard text.hasSuffix(")"), let uid = UInt32(rest[..<open]) else { return nil }
        self.init(uid: uid, name: String(rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]))
    }
}

/// Why a "not the same person" rule refused (two-person disposal, approving an access request
/// or a deadline exception): each names the person and the rule, in English and Chinese.
public enum SamePersonProblem: Error, Sendable, Hashable, Codable {
    /// The actor is the person recorded in `role` (same account, or an account of the same name).
    case samePerson(actor: Person, recorded: Person, role: PersonRole)
    /// The recorded account's name changed since (renamed, or deleted and its uid given to
    /// someone else): nobody can tell whether the actor is that person, so the rule refuses.
    case accountChanged(recorded: Person, currentName: String?, role: PersonRole)

    public var code: String {
        switch self {
        case .samePerson: "same-person"
        case .accountChanged: "account-changed"
        }
    }

    public var message: String {
        switch self {
        case let .samePerson(actor, recorded, role):
            "\(actor.auditName) is \(recorded.auditName), the \(role.nameEn); \(role.ruleEn)"
        case let .accountChanged(recorded, current, role):
            "the \(role.nameEn) was recorded as \(recorded.auditName), but uid \(recorded.uid) is now "
                + (current.map { "named \($0)" } ?? "no account")
                + "; whether that is the same person cannot be told, so this is refused (\(role.ruleEn)). Register it again under the current account"
        }
    }

    public var messageZh: String {
        switch self {
        case let .samePerson(actor, recorded, role):
            "\(actor.auditName) 即\(role.nameZh) \(recorded.auditName)：\(role.ruleZh)"
        case let .accountChanged(recorded, current, role):
            "\(role.nameZh)登记为 \(recorded.auditName)，但 uid \(recorded.uid) 现在"
                + (current.map { "名为 \($0)" } ?? "已无账户")
                + "，无法判断是否同一人，已拒绝（\(role.ruleZh)）。请以当前账户重新登记"
        }
    }
}

/// The part a recorded person played, for the rules that keep two people apart.
public enum PersonRole: String, Sendable, Hashable, Codable {
    case requester, clerk, proposer, exceptionRequester

    var nameEn: String {
        switch self {
        case .requester: "requester"
        case .clerk: "clerk who registered the request"
        case .proposer: "proposer of the disposal"
        case .exceptionRequester: "person who asked for the exception"
        }
    }

    var nameZh: String {
        switch self {
        case .requester: "申请人"
        case .clerk: "登记人"
        case .proposer: "销毁建议人"
        case .exceptionRequester: "延期申请人"
        }
    }

    var ruleEn: String {
        switch self {
        case .requester: "no one approves their own request"
        case .clerk: "the clerk who registered a request cannot also approve it"
        case .proposer: "a disposal is approved by a different person (two-person rule)"
        case .exceptionRequester: "no one approves an exception they asked for"
        }
    }

    var ruleZh: String {
        switch self {
        case .requester: "不得审批本人的申请"
        case .clerk: "登记人不得同时审批"
        case .proposer: "销毁须由另一人审批（双人原则）"
        case .exceptionRequester: "不得审批本人申请的延期"
        }
    }
}

extension Person {
    /// The one "not the same person" check: nil when `actor` is certainly not `recorded`.
    /// `currentName` is the name the system gives `recorded.uid` now (nil: no such account).
    public static func distinct(_ actor: Person, from recorded: Person, as role: PersonRole,
                                currentName: String?) -> SamePersonProblem? {
        guard currentName == recorded.name else {
            return .accountChanged(recorded: recorded, currentName: currentName, role: role)
        }
        if actor.uid == recorded.uid || actor.name == recorded.name {
            return .samePerson(actor: actor, recorded: recorded, role: role)
        }
        return nil
    }
}
