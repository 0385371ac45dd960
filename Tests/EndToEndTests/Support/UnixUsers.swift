import Foundation
import Glibc

/// Real Unix users for role tests (`useradd`), with names unique to this run (a random suffix),
/// removed with `userdel -r` when the test is done, whatever happened. No uid is assumed: each
/// user gets whatever `useradd` gives, read back with `id`.
final class UnixUsers {
    struct User: Sendable {
        var name: String
        let uid: UInt32
        let gid: UInt32
    }

    let suffix = String(UInt32.random(in: 0x1000_0000...0xffff_ffff), radix: 36)
    private var created: [String] = []

    /// A new account named `<base><suffix>`; `uid` asks for that uid (else useradd picks).
    func add(_ base: String, uid: UInt32? = nil) throws -> User {
        let name = base + suffix
        try runChecked("useradd", ["-m", "-s", "/bin/sh", "-U"] + (uid.map { ["-u", String($0)] } ?? []) + [name])
        created.append(name)
        let id = try Self.id(name)
        return User(name: name, uid: id.uid, gid: id.gid)
    }

    /// `usermod -l`: the same uid under a new name (as when an account is renamed).
    func rename(_ user: inout User, to base: String) throws {
        let name = base + suffix
        try runChecked("usermod", ["-l", name, user.name])
        created.removeAll { $0 == user.name }
        created.append(name)
        user.name = name
    }

    /// Runs custodyctl against `harness` as `user` (its uid, primary group and supplementary groups).
    func ctl(_ harness: DaemonHarness, as user: User, _ args: [String], env: [String: String]? = nil) throws -> (status: Int32, stdout: Data, stderr: Data) {
        try run("setpriv", ["--reuid=\(user.uid)", "--regid=\(user.gid)", "--init-groups", DaemonHarness.custodyctl,
                            "--socket", harness.socketPath] + args, env: env)
    }

    /// A uid no account has (for "a uid without a passwd entry").
    static func unusedUID() -> UInt32 {
        var uid: UInt32 = 3_900_000 + UInt32.random(in: 0..<90_000)
        while getpwuid(uid) != nil { uid += 1 }
        return uid
    }

    static func id(_ name: String) throws -> (uid: UInt32, gid: UInt32) {
        let uid = try runChecked("id", ["-u", name]), gid = try runChecked("id", ["-g", name])
        guard let u = UInt32(String(decoding: uid.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              let g = UInt32(String(decoding: gid.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestSupportError("cannot read the ids of \(name)")
        }
        return (u, g)
    }

    deinit {
        for name in created { _ = try? run("userdel", ["-r", "-f", name]) }
    }
}
