import Foundation

/// Spot checks (双随机, RULES.md "Oversight": e.g. 20 % of subjects once a quarter). The sample is
/// drawn from the sorted population with a seeded generator, so anyone holding the seed and the
/// population can draw the same sample again and see it was not picked by hand.
public enum ReviewSampler {
    /// `ceil(ratio × population)` distinct members, in draw order.
    public static func sample(_ population: [String], ratio: Double, seed: UInt64) -> [String] {
        let sorted = population.sorted()
        let count = min(sorted.count, Int((Double(sorted.count) * min(max(ratio, 0), 1)).rounded(.up)))
        var generator = SplitMix64(seed: seed)
        var pool = sorted
        var picked: [String] = []
        for i in 0..<count {
            let j = i + Int(generator.next() % UInt64(pool.count - i))
            pool.swapAt(i, j)
            picked.append(pool[i])
        }
        return picked
    }

    /// A review period: `2026Q4`, `2026-11` or `2026`, as [start, end) in the station's zone.
    public static func period(_ text: String, timeZone: TimeZone) -> (from: Date, to: Date)? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let upper = text.uppercased()
        var startMonth = 1, months = 12
        var yearText = upper
        if let q = upper.firstIndex(of: "Q") {
            guard let quarter = Int(upper[upper.index(after: q)...]), (1...4).contains(quarter) else { return nil }
            yearText = String(upper[..<q])
            startMonth = (quarter - 1) * 3 + 1
            months = 3
        } else if upper.count == 7, upper.dropFirst(4).first == "-" {
            guard let month = Int(upper.suffix(2)), (1...12).contains(month) else { return nil }
            yearText = String(upper.prefix(4))
            startMonth = month
            months = 1
        }
        guard yearText.count == 4, let year = Int(yearText),
              let from = calendar.date(from: DateComponents(year: year, month: startMonth, day: 1)),
              let to = calendar.date(byAdding: .month, value: months, to: from) else { return nil }
        return (from, to)
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same on every platform, which
/// `SystemRandomNumberGenerator` is not; the sample must be reproducible from its seed.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
