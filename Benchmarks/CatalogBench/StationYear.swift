import CustodyCore
import Foundation

/// Deterministic SplitMix64, so every run generates the same station year.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// One shift of one camera as the ledger records it: checked out in the morning, back in the
/// evening, docked (dumped) a few minutes later, or days later when the officer forgot.
struct PlannedShift {
    var serial: String
    /// Who had the camera (the handover).
    var badge: String
    /// The badge the camera's own settings write into file names (its keeper's, unless re-set).
    var claimedBadge: String
    var out: Date
    var checkedIn: Date?
    var offsite: Bool
    /// When the camera was docked; nil when it never was (yet).
    var dockedAt: Date?
    /// Camera clock minus station clock at docking.
    var clockOffset: Double
    /// The ids the ledger gives the check-out row and the check-in row that supersedes it.
    var checkoutID: Int64 = 0
    var checkinID: Int64?
    var dumpID: Int64?
    var clips = 0
}

/// The people and cameras of a station of about 200 officers: names, units, keepers.
struct StationRoster {
    static let units = ["一中队", "二中队", "三中队", "四中队", "五中队", "六中队", "巡特警大队", "交警大队"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏宇浩凯斌健俊帆鑫晨")
    static let brands = [("海康威视", "DSJ-K1"), ("华德安", "HDA-X5"), ("执法先锋", "DSJ-V9"), ("警翼", "DSJ-PA3")]

    var officers: [Officer] = []
    var devices: [Device] = []

    init(officers officerCount: Int, devices deviceCount: Int, rng: inout SplitMix64) {
        for i in 0..<officerCount {
            let name = String(rng.pick(Self.surnames)) + String(rng.pick(Self.given)) + (rng.chance(0.6) ? String(rng.pick(Self.given)) : "")
            officers.append(Officer(badge: String(format: "%06d", 10_001 + i), name: name, unit: Self.units[i % Self.units.count], active: true))
        }
        for i in 0..<deviceCount {
            let (brand, model) = Self.brands[i % Self.brands.count]
            // The first cameras are each kept by one officer; the rest are the station's pool.
            let keeper = i < officerCount ? officers[i].badge : nil
            devices.append(Device(serial: String(format: "A7K%04d", 2_000 + i), brand: brand, model: model,
                                  unit: Self.units[i % Self.units.count], keeperBadge: keeper, status: .inService))
        }
    }

    /// A year of shifts, oldest first: each kept camera goes out on most days, mostly with its
    /// keeper; pool cameras less often; a few off-site duties run over two days.
    func shifts(from start: Date, to end: Date, zone: TimeZone, rng: inout SplitMix64) -> [PlannedShift] {
        let offset = Double(zone.secondsFromGMT(for: start))
        let firstDay = ((start.timeIntervalSince1970 + offset) / 86_400).rounded(.up) * 86_400 - offset
        var busyUntil: [String: Date] = [:]
        var shifts: [PlannedShift] = []
        var day = Date(timeIntervalSince1970: firstDay)
        while day < end {
            for device in devices {
                let pool = device.keeperBadge == nil
                guard rng.chance(pool ? 0.3 : 0.78), busyUntil[device.serial].map({ $0 < day }) ?? true else { continue }
                let keeper = device.keeperBadge ?? rng.pick(officers).badge
                let badge = rng.chance(0.9) ? keeper : rng.pick(officers).badge
                // A lent camera usually still writes its keeper's badge into its names.
                let claimed = badge != keeper && rng.chance(0.35) ? keeper : badge
                let out = day.addingTimeInterval(8 * 3600 + rng.uniform(-1800...1800))
                let offsite = rng.chance(0.02)
                var back = day.addingTimeInterval((offsite ? 42 : 18) * 3600 + rng.uniform(-1800...3600))
                var checkedIn: Date? = back
                if back > end { checkedIn = nil; back = end }
                busyUntil[device.serial] = back
                // Docked after the shift: mostly within the hour, sometimes days late, rarely never.
                var docked: Date? = back.addingTimeInterval(rng.uniform(120...2400))
                if rng.chance(0.05) { docked = back.addingTimeInterval(rng.uniform(30 * 3600...110 * 3600)) }
                if rng.chance(0.004) { docked = nil }
                if checkedIn == nil || (docked.map { $0 > end } ?? false) { docked = nil }
                let drift = rng.chance(0.02) ? rng.uniform(150...900) : rng.uniform(-20...20)
                shifts.append(PlannedShift(serial: device.serial, badge: badge, claimedBadge: claimed, out: out,
                                           checkedIn: checkedIn, offsite: offsite, dockedAt: docked, clockOffset: drift))
            }
            day = day.addingTimeInterval(86_400)
        }
        return shifts
    }
}
