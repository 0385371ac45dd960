import CustodyAPI
import CustodyCore
import Foundation
import Glibc

/// Who holds which role, from the config (`[api] <role>_users` / `<role>_groups`): root and the
/// daemon's own user hold every role; every role holder may also read (the viewer role), as may
/// members of the socket's group. Which role a route needs is declared with the route
/// (`AdminRoute`), never decided here.
public struct AccessPolicy: Sendable {
    public let api: CustodyConfig.API

    public init(api: CustodyConfig.API) { self.api = api }

    /// Every role `peer` holds.
    public func roles(_ peer: PeerIdentity) -> Set<StationRole> {
        if peer.uid == 0 || peer.uid == getuid() { return Set(StationRole.allCases) }
        var roles = Set(StationRole.allCases.filter { $0 != .viewer && isListed(peer, users: users($0), groups: groups($0)) })
        let socketGroup = api.socketGroup.map { [$0] } ?? []
        if !roles.isEmpty || isListed(peer, users: api.viewerUsers, groups: api.viewerGroups + socketGroup) {
            roles.insert(.viewer)
        }
        return roles
    }

    /// nil when `peer` holds `role`; otherwise the reason, for the refusal and its audit row.
    public func refuse(_ role: StationRole, _ peer: PeerIdentity) -> String? {
        guard !roles(peer).contains(role) else { return nil }
        switch role {
        case .viewer: return "\(peer.auditName) is not a viewer (config [api] viewer_users / viewer_groups)"
        case .clerk: return "\(peer.auditName) does not have the clerk role needed to change the ledger (config [api] clerk_users / clerk_groups)"
        default: return "\(peer.auditName) does not have the \(role.rawValue) role (config [api] \(role.rawValue)_users / \(role.rawValue)_groups)"
        }
    }

    /// Every user and group the config names for a role exists on this station. A name that
    /// does not (a typo, a group never created) would silently grant nothing, so custodyd refuses
    /// to start, naming the key and the name.
    public func checkAccounts() throws {
        for role in StationRole.allCases {
            for user in users(role) where UserAccounts.uid(name: user) == nil {
                throw ServerError(description: "[api] \(role.rawValue)_users names \"\(user)\", which is no account on this station (getent passwd); create the account or remove it from the config")
            }
            for group in groups(role) where !UserAccounts.groupExists(group) {
                throw ServerError(description: "[api] \(role.rawValue)_groups names \"\(group)\", which is no group on this station (getent group); create it (groupadd) or remove it from the config")
            }
        }
    }

    /// The refusal in Chinese, for the clerk (`Accept-Language: zh`).
    public static func refusalZh(_ role: StationRole, _ peer: PeerIdentity) -> String {
        "\(peer.auditName) 没有\(role.nameZh)权限，请管理员在配置 [api] \(role.rawValue)_users / \(role.rawValue)_groups 中授权"
    }

    func users(_ role: StationRole) -> [String] {
        switch role {
        case .viewer: api.viewerUsers
        case .clerk: api.clerkUsers
        case .approver: api.approverUsers
        case .admin: api.adminUsers
        case .auditor: api.auditorUsers
        }
    }

    func groups(_ role: StationRole) -> [String] {
        switch role {
        case .viewer: api.viewerGroups
        case .clerk: api.clerkGroups
        case .approver: api.approverGroups
        case .admin: api.adminGroups
        case .auditor: api.auditorGroups
        }
    }

    private func isListed(_ peer: PeerIdentity, users: [String], groups: [String]) -> Bool {
        if let name = peer.userName, users.contains(name) { return true }
        return !Set(groups).isDisjoint(with: peer.groupNames)
    }
}

extension StationRole {
    /// The role's name as the clerk reads it (`Vocabulary.roles`).
    public var nameZh: String { Vocabulary.name(Vocabulary.roles, rawValue) }
}
