import Foundation
import Glibc
import ServiceLifecycle

/// sd_notify without libsystemd: one datagram to `$NOTIFY_SOCKET` (a leading `@` names an
/// abstract socket). A no-op when not started by systemd.
struct SystemdNotifier: Sendable {
    let socketPath: String?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func notify(_ message: String) {
        guard let socketPath else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count)
        let payload = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                sendto(fd, payload, payload.count, Int32(MSG_NOSIGNAL), sa, length)
            }
        }
    }
}

/// Sends `WATCHDOG=1` at half the interval systemd asked for (`WATCHDOG_USEC`), so a hung
/// daemon is restarted. Runs only when the watchdog is enabled. The pings go out from a thread of
/// their own, not a task of the cooperative pool: blocking work that occupies the pool's few
/// threads (2 on a station) must never make systemd kill the daemon mid-ingest (issue 18, item 4:
/// gaps of 36 and 42 s against `WatchdogSec=30` under concurrent fsck requests).
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let interval: Duration?

    init(notifier: SystemdNotifier, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.notifier = notifier
        if let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 {
            interval = .microseconds(Int64(usec / 2))
        } else {
            interval = nil
        }
    }

    func run() async throws {
        guard let interval else {
            try? await gracefulShutdown()
            return
        }
        let stop = DispatchSemaphore(value: 0)
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let thread = Thread { [notifier] in
            repeat {
                notifier.notify("WATCHDOG=1")
            } while stop.wait(timeout: .now() + seconds) == .timedOut
        }
        thread.name = "custody-watchdog"
        thread.start()
        try? await gracefulShutdown()
        stop.signal()
    }
}
