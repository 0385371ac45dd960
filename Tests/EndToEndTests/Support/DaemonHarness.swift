import CustodyAPI
import Foundation
import Glibc

/// The real daemon for end-to-end tests: its own temp folder, config, catalog, store and socket,
/// started as a child process of the test (so `kill -9` is a real crash), queried through the
/// real `custodyctl` binary over the real socket.
final class DaemonHarness {
    let dir: TempDir
    /// A drive of its own for backups and exports: never the daemon's state folder (`dir`, which
    /// holds the catalog), where the daemon refuses to write them.
    let drive: TempDir
    let configPath: String
    let socketPath: String
    let mediaRoot: URL
    let dropRoot: URL
    let storeRoot: String
    let catalogPath: String
    private(set) var process: Process?
    private var logHandle: FileHandle?
    let logPath: String

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
    static var binDir: URL { packageRoot.appendingPathComponent(".build/debug") }
    static var custodyd: String { binDir.appendingPathComponent("custodyd").path }
    static var custodyctl: String { binDir.appendingPathComponent("custodyctl").path }

    /// - Parameter store: a different store root (e.g. a small tmpfs for disk-full tests).
    /// - Parameter catalog: the catalog somewhere else (e.g. a small tmpfs for catalog-disk-full tests).
    init(extraConfig: String = "", store: String? = nil, catalog: String? = nil, reserveMB: Int = 1) throws {
        dir = try TempDir()
        drive = try TempDir(prefix: "custody-drive-")
        mediaRoot = try dir.subdirectory("media")
        dropRoot = try dir.subdirectory("drop")
        configPath = dir.appending("custodyd.toml").path
        socketPath = dir.appending("custodyd.sock").path
        storeRoot = store ?? dir.appending("store").path
        catalogPath = catalog ?? dir.appending("catalog.sqlite").path
        logPath = dir.appending("custodyd.log").path
        // The store of most tests is a temp folder on the host's own disk, which may be nearly full
        // (a CI machine, a developer's laptop): that must not raise a storage alert the test did
        // not ask for. A test of the capacity watch sets `[capacity]` itself. (It goes before
        // `[ingest]`: tests continue that section with keys of their own.)
        let capacity = extraConfig.contains("[capacity]") ? "" : """
            [capacity]
            warning_free_percent = 0
            critical_free_percent = 0
            warning_days = 0
            critical_days = 0
            """
        let config = """
            [paths]
            store = "\(storeRoot)"
            catalog = "\(catalog ?? "catalog.sqlite")"
            socket = "custodyd.sock"
            spool = "spool"
            [watch]
            mount_roots = ["\(mediaRoot.path)"]
            drop_dirs = ["\(dropRoot.path)"]
            filesystem_types = ["fuse.fusefat", "fuse.vfat", "ext4", "tmpfs", "overlay"]
            settle_seconds = 1
            [policy]
            upload_deadline_hours = 24
            retention_months = 12
            [station]
            unit = "测试市公安局测试分局"
            time_zone = "Asia/Shanghai"
            \(capacity)
            [ingest]
            reserve_mb = \(reserveMB)
            \(extraConfig)
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitForExit() }
        dir.cleanup()
        drive.cleanup()
    }

    /// Starts custodyd and waits until its socket answers.
    func start(environment: [String: String] = [:], waitForSocket: Bool = true) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.custodyd)
        p.arguments = ["--config", configPath, "--log-level", "debug"]
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        handle.seekToEndOfFile()
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        try p.run()
        process = p
        logHandle = handle
        guard waitForSocket else { return }
        guard waitUntil(timeout: 30, { (try? self.status()) != nil }) else {
            throw TestSupportError("custodyd did not answer on \(socketPath) within 30 s; log:\n\(log())")
        }
    }

    /// kill -9: a crash at whatever instant the daemon is at.
    /// - Parameter afterKill: runs between the SIGKILL and the wait (a test that froze the camera's
    ///   FUSE daemon resumes it there: the dying daemon's pending reads must be answered first).
    func crash(afterKill: () -> Void = {}) {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        afterKill()
        process.waitForExit()
        self.process = nil
    }

    /// Collects a daemon that killed itself (an injected crash point).
    func reap() {
        process?.waitForExit()
        process = nil
    }

    /// SIGTERM and wait: graceful shutdown.
    @discardableResult
    func stop() -> Int32 {
        guard let process else { return 0 }
        kill(process.processIdentifier, SIGTERM)
        process.waitForExit()
        self.process = nil
        return process.terminationStatus
    }

    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Runs custodyctl against this daemon; returns exit status, stdout, stderr.
    func ctl(_ args: [String], env: [String: String]? = nil) throws -> (status: Int32, stdout: Data, stderr: Data) {
        try run(Self.custodyctl, ["--socket", socketPath] + args, env: env)
    }

    func ctlJSON<T: Decodable>(_ args: [String], as type: T.Type) throws -> T {
        let result = try ctl(args + ["--json"])
        guard result.status == 0 else {
            throw TestSupportError("custodyctl \(args) failed (\(result.status)): \(String(decoding: result.stderr, as: UTF8.self))")
        }
        return try APICoding.decoder().decode(T.self, from: result.stdout)
    }

    func status() throws -> StatusResponse { try ctlJSON(["status"], as: StatusResponse.self) }
    func clips() throws -> [ClipItem] { try ctlJSON(["clips", "list"], as: [ClipItem].self) }
    func dumps() throws -> [DumpItem] { try ctlJSON(["dumps", "list"], as: [DumpItem].self) }

    /// Waits until no dump is active and at least `clips` clips are cataloged.
    func waitForIngest(clips expected: Int, timeout: TimeInterval = 120) throws {
        let done = waitUntil(timeout: timeout) {
            guard let status = try? self.status() else { return false }
            return status.ingest.active == 0 && status.clips.total >= expected
        }
        if !done {
            let status = try? self.status()
            throw TestSupportError("ingest did not finish: \(String(describing: status)); log:\n\(log().suffix(4000))")
        }
    }

    /// Files left in the store's temp folder.
    var tempFiles: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: storeRoot + "/tmp")) ?? []
    }
}
