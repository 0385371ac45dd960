import CustodyCore
import Foundation
import Glibc
import Synchronization

/// Who may hold how many connections to the admin API (availability issue, item 1). Every
/// connection is admitted or refused here as it is accepted, before any byte of it is read:
/// at most `total` at once, at most `perUser` of one Unix user, and everyone but root and the
/// daemon's own user leaves `privileged` of them free, so an administrator can always get in.
/// `total` is also kept below the descriptor limit by a reserve (`DescriptorBudget`), so the
/// mount watcher, the store and the catalog never run out of descriptors because of callers.
public final class ConnectionGate: Sendable {
    public let total: Int
    public let perUser: Int
    public let privileged: Int
    private let privilegedUIDs: Set<UInt32>
    private let open = Mutex<(total: Int, byUser: [UInt32: Int])>((0, [:]))

    public init(total: Int, perUser: Int, privileged: Int, privilegedUIDs: Set<UInt32> = [0, getuid()]) {
        self.total = max(1, total); self.perUser = max(1, min(perUser, total)); self.privileged = max(0, min(privileged, total - 1))
        self.privilegedUIDs = privilegedUIDs
    }

    /// Takes a connection of `uid`, or says why not (in English and Chinese).
    func admit(_ uid: UInt32) -> (reason: String, zh: String)? {
        let isPrivileged = privilegedUIDs.contains(uid)
        return open.withLock { state -> (String, String)? in
            let mine = state.byUser[uid, default: 0]
            if !isPrivileged && mine >= perUser {
                return ("this user already holds \(perUser) connections to custodyd (the most one user may hold, [limits] max_connections_per_user); close some and try again",
                        "该用户已占用 \(perUser) 个连接（每个用户的上限），请关闭部分连接后重试")
            }
            let ceiling = isPrivileged ? total : total - privileged
            if state.total >= ceiling {
                return ("custodyd holds \(state.total) connections, its limit for this user ([limits] max_connections); try again shortly",
                        "custodyd 当前连接数已达上限，请稍后重试")
            }
            state.total += 1
            state.byUser[uid] = mine + 1
            return nil
        }
    }

    /// Gives back a connection `admit` took.
    func release(_ uid: UInt32) {
        open.withLock { state in
            state.total -= 1
            let left = state.byUser[uid, default: 1] - 1
            state.byUser[uid] = left > 0 ? left : nil
        }
    }

    /// Connections open now, all users together.
    public var openConnections: Int { open.withLock { $0.total } }
}

/// How many descriptors the daemon may give to connections: its limit (`RLIMIT_NOFILE`, raised
/// to the hard limit at start; the unit sets `LimitNOFILE`) minus a reserve that connections may
/// never take (`[limits] descriptor_reserve`).
public struct DescriptorBudget: Sendable, Equatable {
    public var limit: Int
    public var reserve: Int
    public var connections: Int

    /// Raises the soft descriptor limit as far as the hard one allows (at most 65,536), then
    /// splits it: at most `maxConnections`, and never more than the limit minus the reserve.
    public static func claim(maxConnections: Int, reserve: Int) -> DescriptorBudget {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let wanted = min(limit.rlim_max, 65_536)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        let soft = Int(min(limit.rlim_cur, 1 << 30))
        return DescriptorBudget(limit: soft, reserve: reserve, connections: max(8, min(maxConnections, soft - reserve)))
    }
}
