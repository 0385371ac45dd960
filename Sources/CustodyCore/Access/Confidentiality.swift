import Foundation

/// Matters the rules say are "handled apart": footage touching them is not
/// shown to everyone who may use the station.
public enum Confidentiality: String, Sendable, Hashable, Codable, CaseIterable {
    case stateSecret, tradeSecret, privacy

    public var nameZh: String {
        switch self {
        case .stateSecret: "国家秘密"
        case .tradeSecret: "商业秘密"
        case .privacy: "个人隐私"
        }
    }

    public var nameEn: String {
        switch self {
        case .stateSecret: "state secret"
        case .tradeSecret: "trade secret"
        case .privacy: "personal privacy"
        }
    }
}

/// Roles a station user can hold. Kept separate from `RequesterKind`: a role
/// says what the user may do on the station, a kind says who asked.
public enum StationRole: String, Sendable, Hashable, Codable, CaseIterable {
    case viewer, clerk, approver, admin, auditor
}

/// Which roles are cleared to see footage carrying each flag. Configurable
/// because agencies clear different posts; the default clears only approvers
/// for state secrets, and approvers and clerks for trade secrets and privacy.
/// Admins and auditors run the machine and read the logs, not the footage.
public struct ConfidentialityClearance: Sendable, Hashable, Codable {
    public var cleared: [Confidentiality: Set<StationRole>]

    public init(cleared: [Confidentiality: Set<StationRole>]) {
        self.cleared = cleared
    }

    public static let standard = ConfidentialityClearance(cleared: [
        .stateSecret: [.approver],
        .tradeSecret: [.approver, .clerk],
        .privacy: [.approver, .clerk],
    ])

    /// A user may view a clip only if, for every flag on it, one of the
    /// user's roles is cleared for that flag. A flag with no cleared roles
    /// listed is cleared for nobody. A clip without flags is not restricted here.
    public func mayView(_ flags: Set<Confidentiality>, roles: Set<StationRole>) -> Bool {
        flags.allSatisfy { flag in
            !(cleared[flag] ?? []).isDisjoint(with: roles)
        }
    }
}
