import CustodyCore
import Foundation

/// Who is on the other end of the socket, from the kernel (`SO_PEERCRED`), never from the request.
public struct PeerIdentity: Sendable, Equatable {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32
    public var userName: String?
    public var groupNames: [String]

    public init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid; self.gid = gid; self.pid = pid
        userName = UserAccounts.name(uid: uid)
        groupNames = userName.map { UserAccounts.groups(user: $0, gid: gid) } ?? []
    }

    /// The caller as the catalog records people: the uid and its name now.
    public var person: Person { Person(uid: uid, name: userName ?? "") }

    /// How the audit log names the caller: `uid:1000(alice)` (`uid:1000` without an account).
    public var auditName: String { person.auditName }
}
