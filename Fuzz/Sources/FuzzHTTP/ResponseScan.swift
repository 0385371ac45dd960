import Foundation

/// Reads the status of each HTTP/1.1 response on a connection's bytes: status line, headers, a
/// body of `Content-Length` bytes skipped. A body with no length (the event stream) ends the scan.
enum ResponseScan {
    struct Status { var code: Int; var message: String }

    static func statuses(in bytes: [UInt8]) -> [Status] {
        var statuses: [Status] = []
        var at = 0
        while let headEnd = find([13, 10, 13, 10], in: bytes, from: at) {
            let head = String(decoding: bytes[at..<headEnd], as: UTF8.self)
            let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
            let parts = lines.first?.split(separator: " ", maxSplits: 2) ?? []
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else { break }
            let length = lines.dropFirst().compactMap { line -> Int? in
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2, pair[0].lowercased() == "content-length" else { return nil }
                return Int(pair[1].trimmingCharacters(in: .whitespaces))
            }.first
            let bodyStart = headEnd + 4
            let bodyEnd = min(bytes.count, bodyStart + (length ?? 0))
            statuses.append(Status(code: code, message: String(decoding: bytes[bodyStart..<bodyEnd], as: UTF8.self)))
            guard length != nil else { break }
            at = bodyEnd
        }
        return statuses
    }

    /// Whether the bytes so far hold the head of the event stream's answer.
    static func startsEventStream(_ bytes: [UInt8]) -> Bool {
        String(decoding: bytes.suffix(4096), as: UTF8.self).lowercased().contains("application/x-ndjson")
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for i in start...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }
}
