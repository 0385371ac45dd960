import CustodyCore
import Foundation
import Glibc

/// Who is on the other end of the socket, from the kernel (`SO_PEERCRED`), never from the request.
public struct PeerIdentity: Sendable, Equatable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    public var userName: String?
    public var groupNames: [String]

    public init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid; self.gid = gid; self.pid = pid
        userName = Self.userName(uid: uid)
        groupNames = userName.map { Self.groups(user: $0, gid: gid) } ?? []
    }

    /// How the audit log names the caller: `uid:1000(alice)`.
    public var auditName: String { "uid:\(uid)" + (userName.map { "(\($0))" } ?? "") }

    static func userName(uid: UInt32) -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &pwd, &buffer, buffer.count, &result) == 0, result != nil, let name = pwd.pw_name else { return nil }
        return String(cString: name)
    }

    static func groups(user: String, gid: UInt32) -> [String] {
        var count: Int32 = 64
        var ids = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(user, gid, &ids, &count) < 0 {
            ids = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(user, gid, &ids, &count)
        }
        return ids.prefix(Int(max(count, 0))).compactMap { id in
            var grp = group()
            var result: UnsafeMutablePointer<group>?
            var buffer = [CChar](repeating: 0, count: 4096)
            guard getgrgid_r(id, &grp, &buffer, buffer.count, &result) == 0, result != nil, let name = grp.gr_name else { return nil }
            return String(cString: name)
        }
    }
}

/// The roles the foundation needs: read access for root, configured viewer users and groups,
/// and members of the socket's group. Later issues add clerk, approver, admin and auditor.
public struct AccessPolicy: Sendable {
    public let api: CustodyConfig.API

    public init(api: CustodyConfig.API) { self.api = api }

    /// nil when allowed; otherwise the reason, for the refusal and the audit row.
    public func refuseRead(_ peer: PeerIdentity) -> String? {
        if peer.uid == 0 || peer.uid == getuid() { return nil }
        if let name = peer.userName, api.viewerUsers.contains(name) { return nil }
        let allowedGroups = Set(api.viewerGroups + (api.socketGroup.map { [$0] } ?? []))
        if !allowedGroups.isDisjoint(with: peer.groupNames) { return nil }
        // Every other role may read too.
        if refuseClerk(peer) == nil || refuseApprover(peer) == nil || refuseAdmin(peer) == nil || isAuditor(peer) { return nil }
        return "\(peer.auditName) is not a viewer (config [api] viewer_users / viewer_groups)"
    }

    /// nil when the caller may change the ledger (the clerk role); otherwise the reason.
    public func refuseClerk(_ peer: PeerIdentity) -> String? {
        if peer.uid == 0 || peer.uid == getuid() { return nil }
        if let name = peer.userName, api.clerkUsers.contains(name) { return nil }
        if !Set(api.clerkGroups).isDisjoint(with: peer.groupNames) { return nil }
        return "\(peer.auditName) does not have the clerk role needed to change the ledger (config [api] clerk_users / clerk_groups)"
    }

    /// nil when the caller may approve (deadline exceptions); otherwise the reason.
    public func refuseApprover(_ peer: PeerIdentity) -> String? {
        if peer.uid == 0 || peer.uid == getuid() { return nil }
        if let name = peer.userName, api.approverUsers.contains(name) { return nil }
        if !Set(api.approverGroups).isDisjoint(with: peer.groupNames) { return nil }
        return "\(peer.auditName) does not have the approver role (config [api] approver_users / approver_groups)"
    }

    /// nil when the caller has the admin role (disposal, disc burning); otherwise the reason.
    public func refuseAdmin(_ peer: PeerIdentity) -> String? {
        if peer.uid == 0 || peer.uid == getuid() { return nil }
        if let name = peer.userName, api.adminUsers.contains(name) { return nil }
        if !Set(api.adminGroups).isDisjoint(with: peer.groupNames) { return nil }
        return "\(peer.auditName) does not have the admin role (config [api] admin_users / admin_groups)"
    }

    /// The roles a request can need, least to most trusted.
    public enum Role: String, Sendable { case viewer, clerk, approver, admin }

    /// nil when `peer` holds `role`; otherwise the reason (for the refusal and its audit row).
    public func refuse(_ role: Role, _ peer: PeerIdentity) -> String? {
        switch role {
        case .viewer: return refuseRead(peer)
        case .clerk: return refuseClerk(peer)
        case .approver: return refuseApprover(peer)
        case .admin: return refuseAdmin(peer)
        }
    }

    /// Which role a request needs: reads need the viewer role; ledger, cases, annotations,
    /// long-term marks and reviews the clerk role; deadline exceptions and legal holds the
    /// approver role; disposal and disc burning the admin role.
    public static func role(method: String, route: [String]) -> Role {
        guard method != "GET" else { return .viewer }
        if route.count == 3 && route[0] == "access" && (route[2] == "approve" || route[2] == "deny") { return .approver }
        switch route.first {
        case "deadlines", "holds": return .approver
        case "disposal", "discs", "backup": return .admin
        case "audit" where route.last == "acknowledge": return .admin
        default: return .clerk
        }
    }

    /// Every role `peer` holds (root and the daemon's own user hold all).
    public func roles(_ peer: PeerIdentity) -> Set<StationRole> {
        var roles: Set<StationRole> = []
        if refuseRead(peer) == nil { roles.insert(.viewer) }
        if refuseClerk(peer) == nil { roles.insert(.clerk) }
        if refuseApprover(peer) == nil { roles.insert(.approver) }
        if refuseAdmin(peer) == nil { roles.insert(.admin) }
        if isAuditor(peer) { roles.insert(.auditor) }
        if peer.uid == 0 || peer.uid == getuid() { roles.formUnion(StationRole.allCases) }
        return roles
    }

    /// The auditor role: reads everything (the audit log, the access register), changes nothing.
    public func isAuditor(_ peer: PeerIdentity) -> Bool {
        if let name = peer.userName, api.auditorUsers.contains(name) { return true }
        return !Set(api.auditorGroups).isDisjoint(with: peer.groupNames)
    }
}
