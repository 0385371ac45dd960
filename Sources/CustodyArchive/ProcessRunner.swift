import CustodyCore
import Foundation

/// Output of a finished external command.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool
    /// stdout and stderr together (xorriso splits its messages between both).
    public var combined: String { stdout + (stdout.isEmpty || stderr.isEmpty ? "" : "\n") + stderr }
}

public enum ProcessRunnerError: Error, CustomStringConvertible {
    case launchFailed(tool: String, reason: String)

    public var description: String {
        switch self {
        case let .launchFailed(tool, reason): return "cannot start \(tool): \(reason)"
        }
    }
}

/// Runs a tool with a full argument array (never through a shell). stdout
/// and stderr go to temporary files, which avoids pipe deadlocks; the tool is
/// terminated (SIGTERM, then SIGKILL) after `timeout` seconds.
public enum ProcessRunner {
    public static func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 600,
                           environment: [String: String]? = nil) throws -> ProcessOutput {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("custody-proc-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = fm.createFile(atPath: outURL.path, contents: nil)
        _ = fm.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: resolve(tool))
        process.arguments = arguments
        var env = environment ?? ProcessInfo.processInfo.environment
        // Stable, UTF-8 aware messages and file name handling.
        env["LC_ALL"] = "C.UTF-8"
        env["LANG"] = "C.UTF-8"
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do {
            try process.run()
        } catch {
            throw ProcessRunnerError.launchFailed(tool: tool, reason: "\(error)")
        }
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            process.terminate()
            if done.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                done.wait()
            }
        }
        process.waitForExit()
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessOutput(status: process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    /// Finds `tool` on PATH (or the usual system folders) unless it is a path already.
    static func resolve(_ tool: String) -> String {
        if tool.contains("/") { return tool }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/local/bin"]
        for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + tool) {
            return folder + "/" + tool
        }
        return "/usr/bin/" + tool
    }

    /// The last `count` non-empty lines of a tool's output, for error messages.
    static func tail(_ text: String, lines count: Int = 6) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.suffix(count).joined(separator: " | ")
    }
}

/// Streaming SHA-256 of a file.
public enum FileHasher {
    public static func sha256(of url: URL) throws -> (hex: String, size: Int64) {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256Hasher()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            size += Int64(chunk.count)
        }
        return (hasher.finalizeHex(), size)
    }
}
