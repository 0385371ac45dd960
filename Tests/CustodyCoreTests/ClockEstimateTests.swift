import CustodyCore
import Foundation
import Testing

/// Attribution issue, item 1: a camera's clock offset from evidence that agrees, never from one
/// outlier. Fixed instants: nothing here depends on the day the test runs.
@Suite("Camera clock offset at docking")
struct ClockEstimateTests {
    static let docked = Date(timeIntervalSince1970: 1_795_790_400)  // 2026-11-27 22:40 Beijing time
    static func at(_ hours: Double) -> Date { docked.addingTimeInterval(hours * 3600) }
    /// Dates are seconds since 2001 in a Double: compare offsets to the millisecond.
    static func near(_ offset: Double?, _ expected: Double) -> Bool { offset.map { abs($0 - expected) < 0.001 } ?? false }

    @Test("one file 2.2 days in the future is an outlier; the offset comes from the other files")
    func oneGlitch() {
        let claimed = [Self.at(-30), Self.at(-26), Self.at(-5), Self.at(-2), Self.at(2.2 * 24)]
        let estimate = ClockEstimator.estimate(claimed: claimed, clockFile: nil, dockedAt: Self.docked, policy: MatchPolicy())
        #expect(estimate.outliers == [Self.at(2.2 * 24)])
        #expect(Self.near(estimate.offsetSeconds, -2 * 3600))
        #expect(estimate.basis == .newestAgreeing)
    }

    @Test("a camera 10 minutes fast is believed from a single file")
    func slightlyFast() {
        let estimate = ClockEstimator.estimate(claimed: [Self.at(-1), Self.at(10.0 / 60)], clockFile: nil,
                                               dockedAt: Self.docked, policy: MatchPolicy())
        #expect(Self.near(estimate.offsetSeconds, 600) && estimate.outliers.isEmpty)
    }

    @Test("a camera two days fast is believed when its files agree with each other")
    func reallyFast() {
        let claimed = [Self.at(48 - 9), Self.at(48 - 6), Self.at(48 - 1)]
        let estimate = ClockEstimator.estimate(claimed: claimed, clockFile: nil, dockedAt: Self.docked, policy: MatchPolicy())
        #expect(Self.near(estimate.offsetSeconds, 47 * 3600) && estimate.outliers.isEmpty)
    }

    @Test("the camera's clock file decides; anything it claims after the docking is an outlier")
    func clockFile() {
        let clock = Self.at(0.5)
        let claimed = [Self.at(-3), Self.at(0.4), Self.at(5), Self.at(5.5)]
        let estimate = ClockEstimator.estimate(claimed: claimed, clockFile: clock, dockedAt: Self.docked, policy: MatchPolicy())
        #expect(Self.near(estimate.offsetSeconds, 1800) && estimate.basis == .clockFile)
        #expect(estimate.outliers == [Self.at(5), Self.at(5.5)], "two glitching files that agree are still after the camera's own clock")
    }

    @Test("no claimed time: no offset; only outliers: no offset, every one listed")
    func nothingToGoOn() {
        #expect(ClockEstimator.estimate(claimed: [], clockFile: nil, dockedAt: Self.docked, policy: MatchPolicy()).basis == .none)
        let lone = ClockEstimator.estimate(claimed: [Self.at(72)], clockFile: nil, dockedAt: Self.docked, policy: MatchPolicy())
        #expect(lone.offsetSeconds == nil && lone.outliers == [Self.at(72)])
    }
}
