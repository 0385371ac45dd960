// ProcessRunner.swift — run an external tool, capture stdout/stderr.
//
// Test-support code for Linux. `run` uses Foundation `Process` + pipes: stdout
// is read on the calling thread while stderr is drained and stdin is fed on
// dedicated threads, so a child that writes a lot to both streams (or reads a
// lot of stdin before writing) cannot deadlock us.
//
// Never use `run` for a program that daemonizes (fusefat, mount.exfat-fuse):
// the daemon inherits the pipes (EOF never comes) and, worse, Foundation's
// exit-detection socket, so even `waitUntilExit()` hangs. Use `spawnDaemon`.
//
// Uses `Synchronization.Mutex` (stdlib; on Apple platforms macOS 15+).

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Error thrown by `runChecked` (and by helpers built on it).
public struct ProcessError: Error, CustomStringConvertible, Sendable {
    public let command: [String]
    public let status: Int32
    public let stdout: Data
    public let stderr: Data

    public init(command: [String], status: Int32, stdout: Data = Data(), stderr: Data = Data()) {
        self.command = command
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var description: String {
        let err = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let out = String(decoding: stdout.prefix(2000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var s = "command failed with exit status \(status): \(shellQuoted(command))"
        s += "\nstderr: " + (err.isEmpty ? "<empty>" : err)
        if !out.isEmpty { s += "\nstdout: " + out }
        return s
    }
}

/// Error for problems that are not a non-zero exit status (tool missing, timeouts, …).
public struct TestSupportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs `exe` with `args` and returns its exit status and captured output.
///
/// - `exe`: absolute path, or a bare name looked up in `PATH` plus the sbin
///   directories (`mkfs.vfat` lives in /usr/sbin).
/// - `stdin`: bytes fed to the child's stdin (then closed); `nil` = /dev/null.
/// - `env`: variables merged *over* the current environment (`nil` = inherit as is).
/// A child killed by a signal reports status `128 + signal`.
public func run(
    _ exe: String,
    _ args: [String],
    stdin: Data? = nil,
    env: [String: String]? = nil
) throws -> (status: Int32, stdout: Data, stderr: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try resolveExecutable(exe, env: env))
    process.arguments = args
    if let env { process.environment = mergedEnvironment(env) }

    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    let inPipe: Pipe? = stdin == nil ? nil : Pipe()
    process.standardInput = inPipe ?? FileHandle.nullDevice

    try process.run()

    // stderr drained on its own thread.
    let errReader = ThreadResult<Data>()
    let errHandle = errPipe.fileHandleForReading
    Thread.detachNewThread {
        errReader.finish(errHandle.readDataToEndOfFile())
    }
    // stdin fed on its own thread (a child may write before it reads).
    let inWriter = ThreadResult<Bool>()
    if let inPipe, let stdin {
        let inHandle = inPipe.fileHandleForWriting
        Thread.detachNewThread {
            // A child that exits without reading everything makes write() raise SIGPIPE,
            // which would kill the test runner. Block it on this thread only (the pending
            // thread-directed signal dies with the thread; write() returns EPIPE instead),
            // rather than ignoring SIGPIPE process-wide (children would inherit SIG_IGN).
            var pipeOnly = sigset_t()
            sigemptyset(&pipeOnly)
            sigaddset(&pipeOnly, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeOnly, nil)
            try? inHandle.write(contentsOf: stdin)
            try? inHandle.close()
            inWriter.finish(true)
        }
    } else {
        inWriter.finish(true)
    }

    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    let err = errReader.wait()
    _ = inWriter.wait()
    process.waitForExit()
    try? outPipe.fileHandleForReading.close()
    try? errPipe.fileHandleForReading.close()

    let status: Int32
    switch process.terminationReason {
    case .uncaughtSignal: status = 128 + process.terminationStatus
    default: status = process.terminationStatus
    }
    return (status, out, err)
}

/// Like `run`, but throws `ProcessError` (command, status, stderr) on a non-zero exit.
@discardableResult
public func runChecked(
    _ exe: String,
    _ args: [String],
    stdin: Data? = nil,
    env: [String: String]? = nil
) throws -> (status: Int32, stdout: Data, stderr: Data) {
    let r = try run(exe, args, stdin: stdin, env: env)
    guard r.status == 0 else {
        throw ProcessError(command: [exe] + args, status: r.status, stdout: r.stdout, stderr: r.stderr)
    }
    return r
}

/// `runChecked` and decode stdout as UTF-8.
public func runCheckedString(
    _ exe: String,
    _ args: [String],
    stdin: Data? = nil,
    env: [String: String]? = nil
) throws -> String {
    String(decoding: try runChecked(exe, args, stdin: stdin, env: env).stdout, as: UTF8.self)
}

/// Starts a program that daemonizes itself (fusefat, mount.exfat-fuse) and
/// waits for its foreground process to exit; throws `ProcessError` (with the
/// program's output as stderr) on a non-zero exit.
///
/// Deliberately NOT Foundation `Process`: on Linux, swift-corelibs-foundation
/// detects child exit through a socketpair end that the child inherits. A
/// daemonizing child hands that socket to the daemon (seen as fd 34 →
/// socket:[…] in /proc/PID/fd of fusefat), so `waitUntilExit()` never returns
/// and the exited parent stays a zombie. Here: posix_spawn with stdin
/// /dev/null, stdout+stderr to a temporary log file, every other fd closed
/// (closefrom 3), SIGPIPE reset to default, then waitpid.
public func spawnDaemon(_ exe: String, _ args: [String], env: [String: String]? = nil) throws {
    let path = try resolveExecutable(exe, env: env)

    var template = Array("/tmp/custody-daemon-XXXXXX.log".utf8CString)
    let logFD = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
    guard logFD >= 0 else { throw TestSupportError("mkstemps failed: errno \(errno)") }
    _ = fcntl(logFD, F_SETFD, FD_CLOEXEC)
    let logPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    defer {
        close(logFD)
        unlink(logPath)
    }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, logFD, 1)
    posix_spawn_file_actions_adddup2(&actions, logFD, 2)
    try addCloseFrom3(&actions)

    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGPIPE)
    posix_spawnattr_setsigdefault(&attr, &defaults)
    var noMask = sigset_t()
    sigemptyset(&noMask)
    posix_spawnattr_setsigmask(&attr, &noMask)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    let environment = env.map(mergedEnvironment) ?? ProcessInfo.processInfo.environment
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }

    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
    guard rc == 0 else { throw TestSupportError("posix_spawn \(path) failed: errno \(rc)") }

    var wstatus: Int32 = 0
    while waitpid(pid, &wstatus, 0) == -1 {
        guard errno == EINTR else { throw TestSupportError("waitpid(\(pid)) failed: errno \(errno)") }
    }
    let status = decodeWaitStatus(wstatus)
    if status != 0 {
        let text = (try? Data(contentsOf: URL(fileURLWithPath: logPath))) ?? Data()
        throw ProcessError(command: [exe] + args, status: status, stderr: text)
    }
}

/// glibc ≥ 2.34 has posix_spawn_file_actions_addclosefrom_np, but Swift's Glibc
/// module does not export it (it is behind _GNU_SOURCE), so look it up with dlsym.
/// Fallback: one addclose per fd currently listed in /proc/self/fd.
private func addCloseFrom3(_ actions: inout posix_spawn_file_actions_t) throws {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    if let sym = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
        let closeFrom = unsafeBitCast(sym, to: CloseFrom.self)
        let rc = closeFrom(&actions, 3)
        guard rc == 0 else { throw TestSupportError("posix_spawn_file_actions_addclosefrom_np failed: \(rc)") }
        return
    }
    let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
    for fd in fds.sorted() where fd > 2 {
        posix_spawn_file_actions_addclose(&actions, fd)
    }
}

/// Exit code for a normal exit, 128 + signal for a signal death (WIFEXITED / WTERMSIG by hand).
func decodeWaitStatus(_ s: Int32) -> Int32 {
    let sig = s & 0x7F
    return sig == 0 ? (s >> 8) & 0xFF : 128 + sig
}

/// Finds `name` in PATH (+ /usr/local/sbin:/usr/sbin:/sbin). Absolute or
/// relative paths containing "/" are returned unchanged.
public func resolveExecutable(_ name: String, env: [String: String]? = nil) throws -> String {
    if name.contains("/") { return name }
    if let found = findExecutable(name, env: env) { return found }
    throw TestSupportError("executable not found in PATH: \(name)")
}

/// Like `resolveExecutable` but returns nil when the tool is not installed.
public func findExecutable(_ name: String, env: [String: String]? = nil) -> String? {
    let path = env?["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    var dirs = path.split(separator: ":").map(String.init)
    for extra in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] where !dirs.contains(extra) {
        dirs.append(extra)
    }
    for dir in dirs where !dir.isEmpty {
        let candidate = dir + "/" + name
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

/// Shell-style quoting for error messages / logs.
public func shellQuoted(_ argv: [String]) -> String {
    argv.map { arg in
        if !arg.isEmpty, arg.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:=,+@%".contains($0) }) {
            return arg
        }
        return "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }.joined(separator: " ")
}

// MARK: - internals

private func mergedEnvironment(_ overrides: [String: String]) -> [String: String] {
    var merged = ProcessInfo.processInfo.environment
    for (k, v) in overrides { merged[k] = v }
    return merged
}

/// One-shot value handed from a helper thread to the waiting thread.
final class ThreadResult<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    func finish(_ v: Value) {
        value.withLock { $0 = v }
        done.signal()
    }

    func wait() -> Value {
        done.wait()
        return value.withLock { $0! }
    }
}

extension Process {
    /// Waits by polling `isRunning`, not `waitUntilExit()`: that spins the run loop with a
    /// wall-clock deadline measured on another clock, and hangs under libfaketime (the date
    /// suites run under it). The daemon has the same helper in CustodyCore.
    func waitForExit() {
        while isRunning { usleep(10_000) }
    }
}
