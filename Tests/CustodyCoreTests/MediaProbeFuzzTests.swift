import Foundation
import Testing
import CustodyCore

@Suite("Probe robustness")
struct MediaProbeFuzzTests {
    typealias F = MediaFixtures

    /// Valid files of every parsed format, which the mutations below damage.
    static let seeds: [[UInt8]] = [
        F.mp4(mvhd: F.mvhdV0(creation: 3_000_000_000, timescale: 1000, duration: 5000)),
        F.mp4(mvhd: F.mvhdV1(creation: 3_900_000_000, timescale: 90_000, duration: 900_000), moovLast: true),
        F.mp4(mvhd: F.mvhdV0(creation: 0, timescale: 600, duration: 600), brand: nil),
        F.jpeg(tiff: F.tiff(bigEndian: false, dateTime: "2026:11:27 11:00:00", original: "2026:11:27 11:00:00",
                            originalOffset: "+01:00")),
        F.jpeg(tiff: F.tiff(bigEndian: true, original: "2026:11:27 11:00:00")),
        F.wav(dataBytes: 2_000),
        F.ascii("RIFF") + F.le32(100) + F.ascii("AVI LIST"),
    ]
    static let extensions = ["mp4", "mov", "jpg", "wav", "avi", "dav", "aac", "mp3", "bin", ""]

    /// Box sizes and offsets that commonly break parsers: zero, one, tiny, sign bits, all ones.
    static let nastyWords: [UInt32] = [0, 1, 4, 7, 8, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF8, 0xFFFF_FFFF]

    static func mutate(_ seed: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = seed
        for _ in 0..<Int.random(in: 1...8, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1:
                let word = F.be32(nastyWords.randomElement(using: &rng) ?? 0)
                let end = min(bytes.count, at + 4)
                bytes.replaceSubrange(at..<end, with: word.prefix(end - at))
            case 2:
                bytes = Array(bytes.prefix(at))  // truncate
            case 3:
                bytes.insert(contentsOf: [UInt8](repeating: 0xFF, count: Int.random(in: 1...16, using: &rng)), at: at)
            case 4:
                let end = min(bytes.count, at + Int.random(in: 1...64, using: &rng))
                bytes.removeSubrange(at..<end)
            default:
                bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            }
        }
        return bytes
    }

    /// 2,000 by default; set CUSTODY_FUZZ_ITERATIONS for a longer soak (same seed, same cases first).
    static let iterations = ProcessInfo.processInfo.environment["CUSTODY_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 2_000

    @Test("2,000 random and mutated inputs all return without trapping")
    func fuzz() {
        var rng = SeededGenerator(seed: 0xC0FFEE)
        var seen = Set<String>()
        for iteration in 0..<Self.iterations {
            let bytes: [UInt8]
            if iteration % 5 == 0 {
                bytes = (0..<Int.random(in: 0...512, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = Self.mutate(Self.seeds[iteration % Self.seeds.count], &rng)
            }
            let ext = Self.extensions[iteration % Self.extensions.count]
            let info = MediaProbe.probe(BufferReader(bytes), fileExtension: ext, timeZone: .current)
            seen.formUnion(info.problems)
            if let duration = info.durationSeconds { #expect(duration.isFinite && duration >= 0) }
            #expect(Set(info.problems).count == info.problems.count)
        }
        // The corpus should actually reach the defensive paths, not just bounce off magic checks.
        #expect(seen.isSuperset(of: ["truncated", "bad-box-size", "bad-header"]))
    }
}
