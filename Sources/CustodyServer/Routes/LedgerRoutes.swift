import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation
import NIOHTTP1

/// The ledger endpoints (ledger issue): officers, devices, handovers, interruption notes. The
/// route table (`RouteTable`) declares who may call each; a LedgerError becomes a 409 there.
extension APIHandlers {
    func saveOfficer(_ request: APIRequest) throws -> APIResponse {
        var body = try request.decode(OfficerRequest.self)
        body.badge = try Self.key(body.badge, .badge)
        try Self.validateKey(body.badge, what: "badge")
        let existing = try catalog.officer(badge: body.badge)
        let saved = try catalog.saveOfficer(Officer(badge: body.badge, name: body.name, unit: body.unit, active: true),
                                            actor: request.peer.auditName, action: existing == nil ? "officer.add" : "officer.update")
        return .json(LedgerItems.item(saved), status: existing == nil ? .created : .ok)
    }

    func deactivateOfficer(_ request: APIRequest) throws -> APIResponse {
        let badge = try Self.key(request.parameter("badge"), .badge)
        guard var officer = try catalog.officer(badge: badge) else { throw LedgerError.unknownOfficer(badge) }
        if let open = try catalog.handovers().first(where: { $0.badge == officer.badge && $0.checkedInAt == nil }) {
            throw LedgerError("officer-has-device", "officer \(officer.badge) still has device \(open.serial); check it in first",
                              zh: "警员 \(officer.badge) 仍持有设备 \(open.serial)，请先归还")
        }
        officer.active = false
        return .json(LedgerItems.item(try catalog.saveOfficer(officer, actor: request.peer.auditName, action: "officer.deactivate")))
    }

    func saveDevice(_ request: APIRequest) throws -> APIResponse {
        var body = try request.decode(DeviceRequest.self)
        body.serial = try Self.key(body.serial, .serial)
        body.keeperBadge = try Self.key(body.keeperBadge, .badge)
        try Self.validateKey(body.serial, what: "serial")
        let existing = try catalog.device(serial: body.serial)
        let device = Device(serial: body.serial, brand: body.brand ?? existing?.brand ?? "", model: body.model ?? existing?.model ?? "",
                            unit: body.unit ?? existing?.unit ?? "", keeperBadge: body.keeperBadge ?? existing?.keeperBadge,
                            status: existing?.placeholder == false ? existing!.status : .inService)
        let action = existing == nil ? "device.add" : existing!.placeholder ? "device.register" : "device.update"
        let saved = try catalog.saveDevice(device, actor: request.peer.auditName, action: action, policy: rules.policy)
        return .json(LedgerItems.item(saved), status: existing == nil ? .created : .ok)
    }

    func retireDevice(_ request: APIRequest) throws -> APIResponse {
        let serial = try Self.key(request.parameter("serial"), .serial)
        guard var device = try catalog.device(serial: serial) else { throw LedgerError.unknownDevice(serial) }
        if try catalog.handovers(serial: serial).contains(where: { $0.checkedInAt == nil }) {
            throw LedgerError("device-checked-out", "device \(serial) is checked out; check it in before retiring it", zh: "设备 \(serial) 仍在领用中，请先归还再报废")
        }
        device.status = .retired
        device.placeholder = false
        return .json(LedgerItems.item(try catalog.saveDevice(device, actor: request.peer.auditName, action: "device.retire", policy: rules.policy)))
    }

    func checkout(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(CheckoutRequest.self)
        let handover = try catalog.checkout(serial: try Self.key(request.parameter("serial"), .serial), badge: try Self.key(body.badge, .badge),
                                            at: try time(body.at), offsite: body.offsite,
                                            note: body.note, actor: request.peer.auditName, policy: rules.policy)
        return .json(LedgerItems.item(handover), status: .created)
    }

    func checkin(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(CheckinRequest.self)
        return .json(LedgerItems.item(try catalog.checkin(serial: try Self.key(request.parameter("serial"), .serial), at: try time(body.at),
                                                          actor: request.peer.auditName, policy: rules.policy)))
    }

    func addInterruption(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(InterruptionRequest.self)
        guard let reason = Interruption.Reason(rawValue: body.reason) else {
            throw LedgerError("bad-reason", "reason must be one of \(Interruption.Reason.allCases.map(\.rawValue).joined(separator: ", "))",
                              zh: "中止原因须为以下之一：\(Interruption.Reason.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if reason == .other && body.note.trimmingCharacters(in: .whitespaces).isEmpty {
            throw LedgerError("note-required", "reason \"other\" needs a note saying what happened", zh: "原因为“其他”时须填写说明")
        }
        let clip = try body.clip.map { prefix -> String in
            guard let clip = try catalog.clip(matching: prefix) else { throw LedgerError("unknown-clip", "no single clip matches \(prefix)", zh: "没有唯一匹配 \(prefix) 的录像") }
            try refuseIfDisposed(clip)
            return clip.sha256
        }
        let saved = try catalog.addInterruption(Interruption(id: 0, handoverID: body.handoverID, clipSHA256: clip, reason: reason,
                                                             note: body.note, reviewedBy: body.reviewedBy), actor: request.peer.auditName)
        return .json(LedgerItems.item(saved), status: .created)
    }

    func officerDetail(_ request: APIRequest) throws -> APIResponse {
        let badge = try Self.key(request.parameter("badge"), .badge)
        guard let officer = try catalog.officer(badge: badge) else { throw APIRefusal.notFound("officer \(badge) is not in the ledger", zh: "台账中没有警号 \(badge)") }
        return .json(OfficerDetail(officer: LedgerItems.item(officer), history: try catalog.officerHistory(badge: badge).map(LedgerItems.item),
                                   handovers: try catalog.handovers().filter { $0.badge == badge }.map(LedgerItems.item)))
    }

    func deviceDetail(_ request: APIRequest) throws -> APIResponse {
        let serial = try Self.key(request.parameter("serial"), .serial)
        guard let device = try catalog.device(serial: serial) else { throw APIRefusal.notFound("device \(serial) is not in the ledger", zh: "台账中没有设备 \(serial)") }
        let dockings = try catalog.dockings(serial: serial).map {
            var docking = DeviceDetail.Docking(dumpID: $0.id, dockedAt: $0.startedAt, clockOffsetSeconds: $0.clockOffsetSeconds)
            docking.clockBasis = $0.clockBasis?.rawValue
            return docking
        }
        return .json(DeviceDetail(device: LedgerItems.item(device), history: try catalog.deviceHistory(serial: serial).map(LedgerItems.item),
                                  handovers: try catalog.handovers(serial: serial).map(LedgerItems.item), dockings: dockings))
    }

    /// A time from a request: station wall clock or ISO 8601; nil means now.
    func time(_ text: String?) throws -> Date {
        guard let text else { return Date() }
        guard let date = StationTime.parse(text, timeZone: config.station.resolvedTimeZone) else {
            throw APIRefusal(.badRequest, "bad-time", "\"\(text)\" is not a time; write it like 2026-11-27 08:30 (station time) or in ISO 8601",
                             zh: "“\(text)”不是有效时间，请写成 2026-11-27 08:30（本站时间）")
        }
        return date
    }

    static func validateKey(_ key: String, what: String) throws {
        guard (1...32).contains(key.count), key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw APIRefusal(.badRequest, "bad-\(what)", "\(what) \"\(key)\" must be 1–32 ASCII letters or digits",
                             zh: "“\(key)”格式不正确：须为 1–32 位英文字母或数字")
        }
    }
}
