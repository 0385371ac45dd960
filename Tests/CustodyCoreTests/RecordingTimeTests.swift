import CustodyCore
import Foundation
import Testing

/// Attribution issue, items 2 and 3: time sources that disagree are a finding, and an implausible
/// time has no verdict. Fixed instants.
@Suite("Recording time sources")
struct RecordingTimeTests {
    static let name = Date(timeIntervalSince1970: 1_795_790_400)  // 2026-11-27 22:40 Beijing time

    @Test("a container time 8 h after the name's is local time written as UTC: the name's is used, both kept, flagged")
    func localAsUTC() {
        let time = RecordingTime.decide(container: Self.name.addingTimeInterval(8 * 3600), name: Self.name, fileTime: nil, durationSeconds: 95)
        #expect(time.recordedAt == Self.name && time.source == .fileName && time.reason == .zoneShift)
        #expect(time.flags == [.timeZoneShift] && time.containerTime == Self.name.addingTimeInterval(8 * 3600) && time.nameTime == Self.name)
        let westward = RecordingTime.decide(container: Self.name.addingTimeInterval(-5 * 3600 - 1800 + 40), name: Self.name, fileTime: nil, durationSeconds: 0)
        #expect(westward.reason == .zoneShift, "any whole zone offset, half hours too")
    }

    @Test("sources within 2 minutes plus the clip's length agree; the container's is used")
    func agree() {
        let end = RecordingTime.decide(container: Self.name.addingTimeInterval(300), name: Self.name, fileTime: nil, durationSeconds: 240)
        #expect(end.reason == .sourcesAgree && end.recordedAt == Self.name.addingTimeInterval(300) && end.flags.isEmpty)
    }

    @Test("any other disagreement is flagged, the container's time kept", arguments: [600.0, 1800.0, -900.0, 259_200.0])
    func disagree(seconds: Double) {
        let time = RecordingTime.decide(container: Self.name.addingTimeInterval(seconds), name: Self.name, fileTime: nil, durationSeconds: 30)
        #expect(time.reason == .sourcesDisagree && time.flags == [.timeSourcesDisagree] && time.source == .container, "\(seconds)")
    }

    @Test("one source alone is used as it is; the file time only when there is nothing else, flagged")
    func alone() {
        #expect(RecordingTime.decide(container: Self.name, name: nil, fileTime: nil, durationSeconds: nil).reason == .container)
        #expect(RecordingTime.decide(container: nil, name: Self.name, fileTime: nil, durationSeconds: nil).reason == .fileName)
        let fileTime = RecordingTime.decide(container: nil, name: nil, fileTime: Self.name, durationSeconds: nil)
        #expect(fileTime.reason == .fileTime && fileTime.flags == [.timeFromFileTime])
        #expect(RecordingTime.decide(container: nil, name: nil, fileTime: nil, durationSeconds: nil).recordedAt == nil)
    }

    @Test("a clip with an implausible time is out of the late percentage: unjudged, not late")
    func unjudgedOutOfLatePercent() {
        let at = Self.name
        func group(_ flags: [String], late: Int) -> ReportGroup {
            ReportGroup(officerBadge: "010203", officerName: "张三", unit: "一中队", deviceSerial: "A7K2931", flags: flags, clips: 2,
                        recordedSeconds: 60, late: late, worstLateSeconds: late > 0 ? 3600 : 0, annotatedOnTime: 0, annotationOverdue: 0)
        }
        let report = ComplianceReport(from: at, to: at.addingTimeInterval(86_400),
                                      groups: [group([], late: 1), group(["time-implausible"], late: 0)], now: at)
        #expect(report.total.clips == 4 && report.total.unjudged == 2 && report.total.late == 1)
        #expect(report.total.latePercent == 50, "1 late of the 2 clips with a verdict, not of all 4")
    }
}
