import CustodyAPI
import CustodyCore

/// Domain values as the API shows them.
enum LedgerItems {
    static func item(_ o: Officer) -> OfficerItem {
        OfficerItem(badge: o.badge, name: o.name, unit: o.unit, active: o.active, revision: o.revision,
                    recordedBy: o.recordedBy, recordedAt: o.recordedAt)
    }
    static func item(_ d: Device) -> DeviceItem {
        DeviceItem(serial: d.serial, brand: d.brand, model: d.model, unit: d.unit, keeperBadge: d.keeperBadge,
                   status: d.status.rawValue, placeholder: d.placeholder, revision: d.revision,
                   recordedBy: d.recordedBy, recordedAt: d.recordedAt)
    }
    static func item(_ h: Handover) -> HandoverItem {
        HandoverItem(id: h.number, serial: h.serial, badge: h.badge, checkedOutAt: h.checkedOutAt, checkedInAt: h.checkedInAt,
                     offsite: h.offsite, note: h.note, recordedBy: h.recordedBy)
    }
    static func item(_ i: Interruption) -> InterruptionItem {
        InterruptionItem(id: i.id, handoverID: i.handoverID, clipSHA256: i.clipSHA256, reason: i.reason.rawValue,
                         note: i.note, reviewedBy: i.reviewedBy, recordedBy: i.recordedBy, recordedAt: i.recordedAt)
    }
}
