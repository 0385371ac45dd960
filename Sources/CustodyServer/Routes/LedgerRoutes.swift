import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation
import NIOHTTP1

/// The ledger endpoints (ledger issue): officers, devices, handovers, interruption notes.
/// Changes need the clerk role (checked by the router); every refusal is audited there.
extension APIHandlers {
    func post(_ route: [String], _ request: APIRequest) throws -> APIResponse {
        let actor = request.peer.auditName
        let policy = rules.policy
        do {
            switch route {
            case ["officers"]:
                let body = try request.decode(OfficerRequest.self)
                try Self.validateKey(body.badge, what: "badge")
                let existing = try catalog.officer(badge: body.badge)
                let saved = try catalog.saveOfficer(Officer(badge: body.badge, name: body.name, unit: body.unit, active: true),
                                                    actor: actor, action: existing == nil ? "officer.add" : "officer.update")
                return .json(LedgerItems.item(saved), status: existing == nil ? .created : .ok)
            case let r where r.count == 3 && r[0] == "officers" && r[2] == "deactivate":
                guard var officer = try catalog.officer(badge: r[1]) else { throw LedgerError.unknownOfficer(r[1]) }
                if let open = try catalog.handovers().first(where: { $0.badge == officer.badge && $0.checkedInAt == nil }) {
                    throw LedgerError("officer-has-device", "officer \(officer.badge) still has device \(open.serial); check it in first",
                                      zh: "警员 \(officer.badge) 仍持有设备 \(open.serial)，请先归还")
                }
                officer.active = false
                return .json(LedgerItems.item(try catalog.saveOfficer(officer, actor: actor, action: "officer.deactivate")))
            case ["devices"]:
                let body = try request.decode(DeviceRequest.self)
                try Self.validateKey(body.serial, what: "serial")
                let existing = try catalog.device(serial: body.serial)
                let device = Device(serial: body.serial, brand: body.brand ?? existing?.brand ?? "", model: body.model ?? existing?.model ?? "",
                                    unit: body.unit ?? existing?.unit ?? "", keeperBadge: body.keeperBadge ?? existing?.keeperBadge,
                                    status: existing?.placeholder == false ? existing!.status : .inService)
                let action = existing == nil ? "device.add" : existing!.placeholder ? "device.register" : "device.update"
                let saved = try catalog.saveDevice(device, actor: actor, action: action, policy: policy)
                return .json(LedgerItems.item(saved), status: existing == nil ? .created : .ok)
            case let r where r.count == 3 && r[0] == "devices" && r[2] == "retire":
                guard var device = try catalog.device(serial: r[1]) else { throw LedgerError.unknownDevice(r[1]) }
                if try catalog.handovers(serial: r[1]).contains(where: { $0.checkedInAt == nil }) {
                    throw LedgerError("device-checked-out", "device \(r[1]) is checked out; check it in before retiring it", zh: "设备 \(r[1]) 仍在领用中，请先归还再报废")
                }
                device.status = .retired
                device.placeholder = false
                return .json(LedgerItems.item(try catalog.saveDevice(device, actor: actor, action: "device.retire", policy: policy)))
            case let r where r.count == 3 && r[0] == "devices" && r[2] == "checkout":
                let body = try request.decode(CheckoutRequest.self)
                let at = try time(body.at)
                let handover = try catalog.checkout(serial: r[1], badge: body.badge, at: at, offsite: body.offsite,
                                                    note: body.note, actor: actor, policy: policy)
                return .json(LedgerItems.item(handover), status: .created)
            case let r where r.count == 3 && r[0] == "devices" && r[2] == "checkin":
                let body = try request.decode(CheckinRequest.self)
                return .json(LedgerItems.item(try catalog.checkin(serial: r[1], at: try time(body.at), actor: actor, policy: policy)))
            case ["interruptions"]:
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
                    return clip.sha256
                }
                let saved = try catalog.addInterruption(Interruption(id: 0, handoverID: body.handoverID, clipSHA256: clip, reason: reason,
                                                                     note: body.note, reviewedBy: body.reviewedBy), actor: actor)
                return .json(LedgerItems.item(saved), status: .created)
            case let r where r.count == 2 && r[0] == "import":
                return try importCSV(table: r[1], request)
            default:
                return try postAttribution(route, request) ?? postWork(route, request)
            }
        } catch let error as LedgerError {
            throw APIRefusal(.conflict, error.code, error.description, zh: error.chinese)
        }
    }

    func getLedger(_ route: [String], _ request: APIRequest) throws -> APIResponse {
        switch route {
        case ["officers"]: return .json(try catalog.officers().map(LedgerItems.item))
        case let r where r.count == 2 && r[0] == "officers":
            guard let officer = try catalog.officer(badge: r[1]) else { throw APIRefusal.notFound("officer \(r[1]) is not in the ledger", zh: "台账中没有警号 \(r[1])") }
            return .json(OfficerDetail(officer: LedgerItems.item(officer), history: try catalog.officerHistory(badge: r[1]).map(LedgerItems.item),
                                       handovers: try catalog.handovers().filter { $0.badge == r[1] }.map(LedgerItems.item)))
        case ["devices"]: return .json(try catalog.devices().map(LedgerItems.item))
        case let r where r.count == 2 && r[0] == "devices":
            guard let device = try catalog.device(serial: r[1]) else { throw APIRefusal.notFound("device \(r[1]) is not in the ledger", zh: "台账中没有设备 \(r[1])") }
            let dockings = try catalog.dockings(serial: r[1]).map {
                var docking = DeviceDetail.Docking(dumpID: $0.id, dockedAt: $0.startedAt, clockOffsetSeconds: $0.clockOffsetSeconds)
                docking.clockBasis = $0.clockBasis?.rawValue
                return docking
            }
            return .json(DeviceDetail(device: LedgerItems.item(device), history: try catalog.deviceHistory(serial: r[1]).map(LedgerItems.item),
                                      handovers: try catalog.handovers(serial: r[1]).map(LedgerItems.item), dockings: dockings))
        case ["handovers"]: return .json(try catalog.handovers(serial: request.query["device"]).map(LedgerItems.item))
        case ["interruptions"]: return .json(try catalog.interruptions().map(LedgerItems.item))
        case let r where r.count == 2 && r[0] == "export": return try exportCSV(table: r[1], request)
        case ["ledger"]: return try ledgerReport(request)
        default: return try getWork(route, request)
        }
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
