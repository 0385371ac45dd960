import CustodyCore
import Foundation
import Testing

@Suite("Station times as clerks type them")
struct StationTimeTests {
    let china = TimeZone(identifier: "Asia/Shanghai")!

    @Test("a day is its midnight in the station's zone, written with dashes or slashes")
    func days() {
        let midnight = StationTime.parse("2026-11-01 00:00", timeZone: china)
        #expect(StationTime.day("2026-11-01", timeZone: china) == midnight)
        #expect(StationTime.day("2026/11/1", timeZone: china) == midnight)
        #expect(midnight?.timeIntervalSince1970 == 1_793_462_400)  // 2026-10-31T16:00:00Z
    }

    @Test("a time of day, a day that does not exist, or words are not a day")
    func notDays() {
        for text in ["2026-11-01 08:30", "2026-02-30", "2026-13-01", "26-11-01", "2026-11", "yesterday", "2026-+1-01", ""] {
            #expect(StationTime.day(text, timeZone: china) == nil, "\(text)")
        }
    }
}
