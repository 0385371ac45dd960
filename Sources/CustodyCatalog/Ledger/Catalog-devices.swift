import CustodyCore
import Foundation
import GRDB

extension Catalog {
    /// Records a new revision of a device's record, audited; clips of the device are matched again.
    @discardableResult
    public func saveDevice(_ device: Device, actor: String, action: String, policy: MatchPolicy, at: Date = Date()) throws -> Device {
        try pool.write { db in
            let saved = try Self.saveDevice(device, actor: actor, action: action, at: at, db: db)
            try Self.rematch(serial: device.serial, actor: actor, policy: policy, now: at, db: db)
            return saved
        }
    }

    static func saveDevice(_ device: Device, actor: String, action: String, at: Date, db: Database) throws -> Device {
        // A keeper is a person in the ledger (attribution issue, item 8): a typo is refused, not kept.
        if let keeper = device.keeperBadge, try officer(badge: keeper, db: db) == nil {
            throw LedgerError("unknown-keeper", "keeper \(keeper) of device \(device.serial) is not in the ledger; add the officer first (custodyctl officers add)",
                              zh: "设备 \(device.serial) 的保管人警号 \(keeper) 不在台账中，请先登记该警员")
        }
        try db.execute(sql: """
            INSERT INTO device_revision (serial, brand, model, unit, keeper_badge, status, placeholder, recorded_by, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [device.serial, device.brand, device.model, device.unit, device.keeperBadge,
                             device.status.rawValue, device.placeholder, actor, at.timeIntervalSince1970])
        var saved = device
        saved.revision = db.lastInsertedRowID
        saved.recordedBy = actor
        saved.recordedAt = at
        try AuditLog.append(db, actor: actor, action: action, object: "device:\(device.serial)",
                            detail: ["brand": device.brand, "model": device.model, "unit": device.unit,
                                     "keeper": device.keeperBadge ?? "", "status": device.status.rawValue,
                                     "placeholder": String(device.placeholder), "revision": String(saved.revision)],
                            rows: [BoundRow(.deviceRevision, saved.revision)])
        return saved
    }

    /// The device for a serial a camera claims; creates a placeholder (audited) when the ledger
    /// has none, so the clerk sees an unregistered camera in `devices list`.
    static func deviceOrPlaceholder(serial: String, db: Database) throws -> Device {
        if let device = try device(serial: serial, db: db) { return device }
        let placeholder = Device(serial: serial, brand: "", model: "", unit: "", keeperBadge: nil, status: .inService,
                                 placeholder: true)
        return try saveDevice(placeholder, actor: "custodyd", action: "device.placeholder", at: Date(), db: db)
    }

    public func devices() throws -> [Device] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM current_device ORDER BY serial").map(Self.device(from:)) }
    }

    public func device(serial: String) throws -> Device? {
        try pool.read { db in try Self.device(serial: serial, db: db) }
    }

    static func device(serial: String, db: Database) throws -> Device? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM current_device WHERE serial = ?"), arguments: [serial]).map(device(from:))
    }

    static func device(from row: Row) -> Device {
        Device(serial: row["serial"], brand: row["brand"], model: row["model"], unit: row["unit"],
               keeperBadge: row["keeper_badge"], status: Device.Status(rawValue: row["status"]) ?? .inService,
               placeholder: row["placeholder"], revision: row["revision"], recordedBy: row["recorded_by"],
               recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
    }
}
