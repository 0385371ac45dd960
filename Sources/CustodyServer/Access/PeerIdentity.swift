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
