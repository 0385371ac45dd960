// SHA256Sum.swift — the system `sha256sum` as an independent oracle for tests.

import Foundation

/// Lower-case hex SHA-256 of `file`, computed by /usr/bin/sha256sum.
public func sha256sum(of file: URL) throws -> String {
    let out = try runCheckedString("/usr/bin/sha256sum", ["-b", "--", file.path])
    return try parseSHA256SumOutput(out, command: file.path)
}

/// SHA-256 of in-memory bytes, computed by `/usr/bin/sha256sum -` (bytes on stdin).
public func sha256sum(of bytes: [UInt8]) throws -> String {
    try sha256sum(of: Data(bytes))
}

/// SHA-256 of in-memory data, computed by `/usr/bin/sha256sum -` (data on stdin).
public func sha256sum(of data: Data) throws -> String {
    let out = try runCheckedString("/usr/bin/sha256sum", ["-b", "-"], stdin: data)
    return try parseSHA256SumOutput(out, command: "<stdin>")
}

private func parseSHA256SumOutput(_ out: String, command: String) throws -> String {
    // "<64 hex> *path\n" (a leading '\' appears when the name needs escaping)
    var line = out.split(separator: "\n").first.map(String.init) ?? ""
    if line.hasPrefix("\\") { line.removeFirst() }
    let hex = line.prefix(while: { $0.isHexDigit }).lowercased()
    guard hex.count == 64 else { throw TestSupportError("unexpected sha256sum output for \(command): \(out)") }
    return hex
}
