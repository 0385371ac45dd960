import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The station's accounts, as the system's user database (NSS: /etc/passwd, /etc/group) has them
/// now. People are recorded as `Person` (uid + the name at the time); this is where "now" comes from.
public enum UserAccounts {
    /// The account name of `uid`, or nil when no account has that uid.
    public static func name(uid: UInt32) -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &pwd, &buffer, buffer.count, &result) == 0, result != nil, let name = pwd.pw_name else { return nil }
        return String(cString: name)
    }

    /// The uid of the account called `name`, or nil when there is none.
    public static func uid(name: String) -> UInt32? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(name, &pwd, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return pwd.pw_uid
    }

    /// The account `text` names: a user name, a uid, or a recorded `uid:N(name)`; nil when no
    /// account matches (a recorded person whose account was renamed or deleted does not).
    public static func person(_ text: String) -> Person? {
        if let recorded = Person(auditName: text) {
            return name(uid: recorded.uid) == recorded.name ? recorded : nil
        }
        if let uid = UInt32(text) {
            return name(uid: uid).map { Person(uid: uid, name: $0) }
        }
        return uid(name: text).map { Person(uid: $0, name: text) }
    }

    /// Whether a group called `name` exists.
    public static func groupExists(_ name: String) -> Bool {
        var grp = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 8192)
        return getgrnam_r(name, &grp, &buffer, buffer.count, &result) == 0 && result != nil
    }

    /// The names of the groups `user` belongs to (its primary group `gid` included).
    public static func groups(user: String, gid: UInt32) -> [String] {
        var count: Int32 = 64
        var ids = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(user, gid, &ids, &count) < 0 {
            ids = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(user, gid, &ids, &count)
        }
        return ids.prefix(Int(max(count, 0))).compactMap { id in
            var grp = group()
            var result: UnsafeMutablePointer<group>?
            var buffer = [CChar](repeating: 0, count: 8192)
            guard getgrgid_r(id, &grp, &buffer, buffer.count, &result) == 0, result != nil, let name = grp.gr_name else { return nil }
            return String(cString: name)
        }
    }
}
