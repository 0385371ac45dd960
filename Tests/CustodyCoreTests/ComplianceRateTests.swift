import CustodyCore
import Foundation
import Testing

/// What a compliance report counts (issue 19, item 5): the annotation rate counts only clips whose
/// annotation was due, and units follow the agency's order.
@Suite("Compliance rate and unit order")
struct ComplianceRateTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func clip(unit: String, dueIn hours: Double, annotatedAfter: Double?) -> ReportClip {
        let due = now.addingTimeInterval(hours * 3600)
        return ReportClip(officerBadge: "010203", officerName: "张三", unit: unit, deviceSerial: "A7K2931", durationSeconds: 60,
                          lateSeconds: 0, annotationDueAt: due, annotatedAt: annotatedAfter.map { due.addingTimeInterval($0 * 3600) },
                          flags: [])
    }

    @Test("a clip still inside its annotation window counts for neither side of the rate, annotated early or not")
    func onlyClipsDueCount() {
        let clips = [
            Self.clip(unit: "一中队", dueIn: -10, annotatedAfter: -2),   // due, annotated in time
            Self.clip(unit: "一中队", dueIn: -10, annotatedAfter: 5),    // due, annotated late
            Self.clip(unit: "一中队", dueIn: -10, annotatedAfter: nil),  // due, never annotated
            Self.clip(unit: "一中队", dueIn: 20, annotatedAfter: -30),   // not due yet, annotated early
            Self.clip(unit: "一中队", dueIn: 20, annotatedAfter: nil),   // not due yet
        ]
        let report = ComplianceReport(from: Self.now.addingTimeInterval(-86_400 * 5), to: Self.now, clips: clips, now: Self.now)
        #expect(report.total.clips == 5)
        #expect(report.total.annotationDue == 3 && report.total.annotatedOnTime == 1 && report.total.annotationOverdue == 2)
        #expect(abs(report.total.annotationPercent - 100.0 / 3) < 0.001)
        let fresh = ComplianceReport(from: Self.now, to: Self.now, clips: [Self.clip(unit: "一中队", dueIn: 20, annotatedAfter: -30)], now: Self.now)
        #expect(fresh.total.annotationDue == 0, "nothing due yet: the rate is not judged (printed —)")
    }

    @Test("units are listed in the agency's order, units it does not name after them by name")
    func unitsInAgencyOrder() {
        let clips = ["特警大队", "一中队", "三中队", "二中队", "交警大队"].map { Self.clip(unit: $0, dueIn: -1, annotatedAfter: -1) }
        let report = ComplianceReport(from: Self.now, to: Self.now, groups: clips.map { ReportGroup($0, now: Self.now) }, now: Self.now,
                                      unitOrder: ["一中队", "二中队", "三中队"])
        #expect(report.units.map(\.key) == ["一中队", "二中队", "三中队", "交警大队", "特警大队"].prefix(3) + ["交警大队", "特警大队"].sorted())
    }
}
