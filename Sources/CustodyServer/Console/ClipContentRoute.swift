import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation
import NIOCore

/// One `Range: bytes=…` of a request: the first and last byte wanted (inclusive), resolved
/// against the object's size. Only single ranges: a player asks for one span at a time.
struct ByteRange: Equatable {
    var first: UInt64
    var last: UInt64
    var count: Int { Int(last - first + 1) }

    /// Parses `bytes=A-B`, `bytes=A-` and `bytes=-N` against `size`, taking at most `limit` bytes;
    /// nil when the header is malformed or asks for nothing inside the object.
    static func parse(_ header: String, size: UInt64, limit: Int) -> ByteRange? {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("bytes="), size > 0 else { return nil }
        let spec = text.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let start = spec[..<dash], end = spec[spec.index(after: dash)...]
        var first: UInt64, last: UInt64
        if start.isEmpty {
            guard let suffix = UInt64(end), suffix > 0 else { return nil }
            first = size - min(suffix, size); last = size - 1
        } else {
            guard let a = UInt64(start), a < size else { return nil }
            first = a
            if end.isEmpty { last = size - 1 } else {
                guard let b = UInt64(end), b >= a else { return nil }
                last = min(b, size - 1)
            }
        }
        last = min(last, first + UInt64(limit) - 1)
        return ByteRange(first: first, last: last)
    }
}

extension APIHandlers {
    /// The most a single range answer carries; a player asks again for the rest.
    static let maxRangeBytes = 8 << 20

    /// `GET /v1/clips/{sha}/content` with `Range: bytes=…` (viewer role): the original's bytes,
    /// 206 Partial Content, read-only from the store. The same clearance check as `clips show`
    /// (a confidential clip is refused to roles not cleared for it), and each person's playback
    /// of a clip is an audited look (`clip.play`, once per `PlaybackLooks.window`). The web
    /// console plays and seeks clips this way: cockpit-ws drops a browser's own Range header.
    func clipContent(_ id: String, _ request: APIRequest) throws -> APIResponse {
        guard let clip = try viewableClip(id, request, auditingConfidentialLook: false) else {
            throw APIRefusal.notFound("no single clip matches \(id); give the full SHA-256 or a unique prefix of at least 8 hex digits",
                                      zh: "没有唯一匹配 \(id) 的录像")
        }
        guard let size = store.size(of: clip.sha256) else {
            throw APIRefusal(.gone, "missing", "clip \(clip.sha256) is cataloged but its stored file is missing; run `custodyctl fsck`",
                             zh: "录像 \(clip.sha256) 已登记，但存储区中的文件缺失；请运行 custodyctl fsck")
        }
        guard let header = request.range else {
            throw APIRefusal(.badRequest, "range-required", "ask for the clip's bytes by Range (bytes=START-END, at most \(Self.maxRangeBytes >> 20) MiB per request)",
                             zh: "请按字节范围（Range: bytes=起-止，每次至多 \(Self.maxRangeBytes >> 20) MiB）读取录像内容")
        }
        guard let range = ByteRange.parse(header, size: size, limit: Self.maxRangeBytes) else {
            var refusal = APIResponse.error(.rangeNotSatisfiable, "bad-range", "range \"\(header)\" is not a single byte range inside the clip's \(size) bytes")
            refusal.headers["Content-Range"] = "bytes */\(size)"
            return refusal
        }
        // Played against a request (`?access=ID`): the register's gate, and the look registered.
        try lookUnderRequest(clip.sha256, request)
        if playbackLooks.needsAudit(uid: request.peer.uid, sha256: clip.sha256) {
            var detail = ["range": "\(range.first)-\(range.last)", "size": String(size)]
            let flags = try catalog.confidentiality(sha256: clip.sha256)
            if !flags.isEmpty { detail["flags"] = flags.map(\.rawValue).sorted().joined(separator: ",") }
            try catalog.audit(actor: request.peer.auditName, action: "clip.play", object: "clip:\(clip.sha256)", detail: detail)
        }
        let bytes: [UInt8]
        do {
            bytes = try store.read(clip.sha256, offset: range.first, count: range.count)
        } catch {
            monitor.raiseAlarm("clip \(clip.sha256) could not be read for playback: \(error)")
            throw APIRefusal(.internalServerError, "unreadable", "clip \(clip.sha256) could not be read: \(error); an alarm was raised",
                             zh: "录像 \(clip.sha256) 读取失败：\(error)；已发出告警")
        }
        var response = APIResponse(status: .partialContent, contentType: "application/octet-stream", body: ByteBuffer(bytes: bytes))
        response.headers["Content-Range"] = "bytes \(range.first)-\(range.first + UInt64(bytes.count) - 1)/\(size)"
        response.headers["Accept-Ranges"] = "bytes"
        return response
    }
}
