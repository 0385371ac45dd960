import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation

/// `GET /v1/clips` with the clerk's filters (performance issue, "clips list filters"): officer,
/// device, recording time, case, late, flag; paged by limit/offset or after a clip. A filter that
/// is unknown, malformed or names nothing the catalog knows is refused, naming the parameter, so
/// a typo never reads as "no clips".
extension APIHandlers {
    static let clipListParameters = ["officer", "device", "from", "to", "case", "late", "flag", "limit", "offset", "after", "disposed"]

    /// Clips in ingest order; confidential clips the caller is not cleared for are left out
    /// (access issue, "Confidentiality flags") by the reader, in the same SQL query.
    /// One page of the clips (the request's `Page`, cut in SQL), linking to the next while a
    /// page comes back full: by `after` the last clip when the caller reads by key, else by offset.
    func clips(_ request: APIRequest) throws -> APIResponse {
        var filter = try clipFilter(request.query)
        filter.limit = request.page.limit
        filter.offset = request.page.offset
        let rows = try request.reader.clips(filter).map(Self.item)
        guard rows.count == request.page.limit, let last = rows.last else { return .paged(rows, next: nil) }
        let next = request.query["after"] != nil ? ["after": last.sha256] : ["offset": String(request.page.offset + rows.count)]
        return .paged(rows, next: next)
    }

    /// The confidentiality flags a caller holding `roles` is not cleared for.
    func hiddenConfidentiality(for roles: Set<StationRole>) -> Set<Confidentiality> {
        Set(Confidentiality.allCases.filter { !clearance.mayView([$0], roles: roles) })
    }

    func clipFilter(_ query: [String: String]) throws -> ClipFilter {
        if let unknown = query.keys.sorted().first(where: { !Self.clipListParameters.contains($0) }) {
            throw APIRefusal(.badRequest, "unknown-parameter",
                             "unknown parameter \"\(unknown)\" for /v1/clips; the filters are \(Self.clipListParameters.joined(separator: ", "))",
                             zh: "不支持的参数“\(unknown)”；可用的筛选条件：officer（警号）、device（设备）、from/to（录制时间）、case（案件）、late（超期）、flag（标记）、limit、offset、after、disposed（含已销毁）")
        }
        var filter = ClipFilter()
        if let badge = try Self.key(query["officer"], .badge) {
            try Self.checkKey(badge, parameter: "officer", what: "a badge number", zhWhat: "警号")
            guard try catalog.knowsOfficer(badge) else {
                throw APIRefusal(.badRequest, "unknown-officer", "officer \"\(badge)\" is in neither the ledger nor any clip; `custodyctl officers list` shows the badges",
                                 zh: "警号“\(badge)”不在台账中，也没有对应的录像；`custodyctl officers list` 可查看警号")
            }
            filter.officerBadge = badge
        }
        if let serial = try Self.key(query["device"], .serial) {
            try Self.checkKey(serial, parameter: "device", what: "a device serial", zhWhat: "设备编号")
            guard try catalog.knowsDevice(serial) else {
                throw APIRefusal(.badRequest, "unknown-device", "device \"\(serial)\" is in neither the ledger nor any clip; `custodyctl devices list` shows the serials",
                                 zh: "设备“\(serial)”不在台账中，也没有对应的录像；`custodyctl devices list` 可查看设备")
            }
            filter.deviceSerial = serial
        }
        filter.recordedFrom = try query["from"].map { try recordingBound($0, parameter: "from") }
        filter.recordedBefore = try query["to"].map { try recordingBound($0, parameter: "to") }
        if let from = filter.recordedFrom, let before = filter.recordedBefore, before <= from {
            throw APIRefusal(.badRequest, "bad-to", "to (\(query["to"]!)) is not after from (\(query["from"]!)); nothing was recorded in between",
                             zh: "结束时间 to（\(query["to"]!)）不晚于开始时间 from（\(query["from"]!)）")
        }
        if let number = try Self.key(query["case"], .caseNumber) {
            try Self.validateCaseNumber(number)
            guard try catalog.legalCase(number: number) != nil else {
                throw APIRefusal(.badRequest, "unknown-case", "case \"\(number)\" is not registered; `custodyctl cases list` shows the cases",
                                 zh: "案件“\(number)”未登记；`custodyctl cases list` 可查看案件")
            }
            filter.caseNumber = number
        }
        if let late = query["late"] {
            filter.lateOnly = try Self.yesNo(late, parameter: "late")
        }
        if let flag = query["flag"] {
            guard ClipFlag(rawValue: flag) != nil else {
                let names = ClipFlag.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIRefusal(.badRequest, "bad-flag", "flag \"\(flag)\" is not a clip flag; the flags are \(names)",
                                 zh: "标记“\(flag)”不存在；可用的标记：\(names)")
            }
            filter.flag = flag
        }
        // Disposed clips keep their rows but are left out unless asked for (issue 19).
        filter.withDisposed = try query["disposed"].map { try Self.yesNo($0, parameter: "disposed") } ?? false
        if let after = query["after"] {
            guard let clip = try catalog.clip(matching: after) else {
                throw APIRefusal(.badRequest, "bad-after", "after=\(after) matches no single clip; give the SHA-256 of the last clip of the previous page",
                                 zh: "after=\(after) 没有唯一匹配的录像；请给出上一页最后一条录像的 SHA-256")
            }
            filter.afterSHA256 = clip.sha256
        }
        return filter
    }

    /// A true/false query parameter (`late`, `disposed`).
    static func yesNo(_ text: String, parameter: String) throws -> Bool {
        guard let value = ["true": true, "1": true, "yes": true, "false": false, "0": false, "no": false][text.lowercased()] else {
            throw APIRefusal(.badRequest, "bad-\(parameter)", "\(parameter) must be true or false, not \"\(text)\"",
                             zh: "\(parameter) 只能是 true 或 false，不能是“\(text)”")
        }
        return value
    }

    /// A `from`/`to` bound: a day (from its start; `to` a day means through its end) or a station
    /// time (`2026-11-27 08:30`) or ISO 8601, as `report period` and `audit show` take them.
    func recordingBound(_ text: String, parameter: String) throws -> Date {
        let zone = config.station.resolvedTimeZone
        if let day = StationTime.day(text, timeZone: zone) {
            guard parameter == "to" else { return day }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            return calendar.date(byAdding: .day, value: 1, to: day)!
        }
        guard let time = StationTime.parse(text, timeZone: zone) else {
            throw APIRefusal(.badRequest, "bad-\(parameter)",
                             "\(parameter) \"\(text)\" is not a date or time; write it like 2026-11-01 or 2026-11-01 08:30 (station time) or in ISO 8601",
                             zh: "\(parameter)“\(text)”不是有效的日期或时间，请写成 2026-11-01 或 2026-11-01 08:30（本站时间）")
        }
        return time
    }

    static func checkKey(_ key: String, parameter: String, what: String, zhWhat: String) throws {
        guard (1...32).contains(key.count), key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw APIRefusal(.badRequest, "bad-\(parameter)", "\(parameter) \"\(key)\" is not \(what) (1–32 ASCII letters or digits)",
                             zh: "\(zhWhat)“\(key)”格式不正确：须为 1–32 位英文字母或数字")
        }
    }
}
