import Foundation
import Testing
import CustodyCore

@Suite("MP4 and MOV probing")
struct MP4ProbeTests {
    typealias F = MediaFixtures
    let utc = TimeZone(identifier: "UTC") ?? .current

    func probe(_ bytes: [UInt8], ext: String = "mp4") -> MediaInfo {
        MediaProbe.probe(BufferReader(bytes), fileExtension: ext, timeZone: utc)
    }

    @Test("A version 0 movie header gives the creation instant and duration")
    func versionZero() {
        let created = UInt32(F.quickTimeSeconds("2026-11-27T10:00:00Z"))
        let info = probe(F.mp4(mvhd: F.mvhdV0(creation: created, timescale: 1000, duration: 12_500)))
        #expect(info == MediaInfo(kind: .video, format: "mp4",
                                  recordedStart: F.instant("2026-11-27T10:00:00Z"), durationSeconds: 12.5))
    }

    @Test("A version 1 movie header inside a largesize moov gives 64-bit times")
    func versionOne() {
        let created = F.quickTimeSeconds("2031-03-04T05:06:07Z")
        let mvhd = F.mvhdV1(creation: created, timescale: 90_000, duration: 90_000 * 3_600 * 5)
        let bytes = F.ftyp() + F.largeBox("moov", mvhd + F.trak) + F.mdat
        let info = probe(bytes)
        #expect(info.recordedStart == F.instant("2031-03-04T05:06:07Z"))
        #expect(info.durationSeconds == 18_000)
        #expect(info.problems.isEmpty)
    }

    @Test("moov written after mdat, as cameras do, is still found")
    func moovAtEnd() {
        let created = UInt32(F.quickTimeSeconds("2025-01-02T03:04:05Z"))
        let info = probe(F.mp4(mvhd: F.mvhdV0(creation: created, timescale: 600, duration: 1_800), moovLast: true))
        #expect(info.recordedStart == F.instant("2025-01-02T03:04:05Z"))
        #expect(info.durationSeconds == 3)
        #expect(info.problems.isEmpty)
    }

    @Test("QuickTime brand or a ftyp-less wide/mdat/moov layout is reported as mov")
    func movDetection() {
        let mvhd = F.mvhdV0(creation: 0, timescale: 600, duration: 600)
        #expect(probe(F.mp4(mvhd: mvhd, brand: "qt  "), ext: "mp4").format == "mov")
        let legacy = probe(F.mp4(mvhd: mvhd, brand: nil, moovLast: true), ext: "bin")
        #expect(legacy.format == "mov")
        #expect(legacy.kind == .video)
        #expect(legacy.durationSeconds == 1)
    }

    @Test("Creation time 0 means no recorded start, without a problem")
    func zeroCreationTime() {
        let info = probe(F.mp4(mvhd: F.mvhdV0(creation: 0, timescale: 1000, duration: 1000)))
        #expect(info.recordedStart == nil)
        #expect(info.durationSeconds == 1)
        #expect(info.problems.isEmpty)
    }

    @Test("Audio-only and HEIF brands map to audio and photo")
    func brandKinds() {
        let mvhd = F.mvhdV0(creation: 0, timescale: 1000, duration: 1000)
        #expect(probe(F.mp4(mvhd: mvhd, brand: "M4A "), ext: "m4a").kind == .audio)
        let heic = probe(F.ftyp("heic") + F.box("meta", [0, 0, 0, 0]), ext: "heic")
        #expect(heic == MediaInfo(kind: .photo, format: "heic"))
    }

    @Test("A file cut inside moov after mvhd keeps the header and says truncated")
    func truncatedAfterMovieHeader() {
        let created = UInt32(F.quickTimeSeconds("2026-06-01T12:00:00Z"))
        let full = F.mp4(mvhd: F.mvhdV0(creation: created, timescale: 1000, duration: 4000))
        let cut = Array(full.prefix(F.ftyp().count + 8 + 108 + 40))
        let info = probe(cut)
        #expect(info.recordedStart == F.instant("2026-06-01T12:00:00Z"))
        #expect(info.durationSeconds == 4)
        #expect(info.problems == ["truncated"])
    }

    @Test("A file cut inside mvhd loses the times and says truncated")
    func truncatedInsideMovieHeader() {
        let full = F.mp4(mvhd: F.mvhdV0(creation: 1, timescale: 1000, duration: 4000))
        let info = probe(Array(full.prefix(F.ftyp().count + 8 + 8 + 10)))
        #expect(info.recordedStart == nil)
        #expect(info.durationSeconds == nil)
        #expect(info.problems == ["truncated"])
    }

    @Test("A 0xFFFFFFFF box size past end of file is truncation, and moov is missing")
    func hugeThirtyTwoBitSize() {
        let info = probe(F.ftyp() + F.rawBox(size: 0xFFFF_FFFF, "mdat", [1, 2, 3, 4]))
        #expect(info.kind == .video)
        #expect(info.problems == ["truncated", "no-moov"])
    }

    @Test("A largesize of 2^63 is rejected as a bad box size")
    func absurdLargeSize() {
        let bytes = F.ftyp() + F.be32(1) + F.ascii("mdat") + F.be64(1 << 63) + [0, 0]
        #expect(probe(bytes).problems == ["bad-box-size", "no-moov"])
        let maxed = F.ftyp() + F.be32(1) + F.ascii("mdat") + F.be64(.max)
        #expect(probe(maxed).problems == ["bad-box-size", "no-moov"])
    }

    @Test("Box sizes below the header size stop the walk with bad-box-size")
    func tooSmallBoxes() {
        #expect(probe(F.ftyp() + F.rawBox(size: 4, "free") + F.mdat).problems == ["bad-box-size", "no-moov"])
        let largeTooSmall = F.ftyp() + F.be32(1) + F.ascii("free") + F.be64(12) + F.mdat
        #expect(probe(largeTooSmall).problems == ["bad-box-size", "no-moov"])
        let nested = F.ftyp() + F.box("moov", F.rawBox(size: 3, "udta", [0, 0, 0, 0]) + F.mvhdV0(creation: 1, timescale: 1, duration: 1))
        #expect(probe(nested).problems == ["bad-box-size", "no-mvhd"])
    }

    @Test("A zero-sized box inside moov ends at moov's end instead of looping")
    func zeroSizedNestedBox() {
        let moov = F.box("moov", F.rawBox(size: 0, "udta", [9, 9, 9, 9]) + F.mvhdV0(creation: 1, timescale: 1, duration: 1))
        let info = probe(F.ftyp() + moov + F.mdat)
        #expect(info.problems == ["no-mvhd"])
        #expect(info.recordedStart == nil)
    }

    @Test("Zero-sized boxes at top level run to end of file")
    func zeroSizedTopLevel() {
        let created = UInt32(F.quickTimeSeconds("2024-02-29T23:59:59Z"))
        let lastMoov = F.ftyp() + F.mdat + F.rawBox(size: 0, "moov", F.mvhdV0(creation: created, timescale: 1, duration: 7))
        let info = probe(lastMoov)
        #expect(info.recordedStart == F.instant("2024-02-29T23:59:59Z"))
        #expect(info.durationSeconds == 7)
        #expect(info.problems.isEmpty)
        #expect(probe(F.ftyp() + F.rawBox(size: 0, "mdat", [1, 2, 3])).problems == ["no-moov"])
    }

    @Test("A child box overrunning its parent is a lie, not truncation")
    func childOverrunsParent() {
        let moov = F.box("moov", F.rawBox(size: 500, "trak", [0, 0, 0, 0]))
        #expect(probe(F.ftyp() + moov + F.mdat).problems == ["bad-box-size", "no-mvhd"])
    }

    @Test("Unknown mvhd versions, zero timescales and far-future times are flagged")
    func lyingMovieHeaders() {
        var v2 = F.mvhdV0(creation: 1, timescale: 1, duration: 1)
        v2[8] = 2
        #expect(probe(F.mp4(mvhd: v2)).problems == ["bad-mvhd"])
        let zeroScale = probe(F.mp4(mvhd: F.mvhdV0(creation: 0, timescale: 0, duration: 5)))
        #expect(zeroScale.problems == ["bad-timescale"])
        #expect(zeroScale.durationSeconds == nil)
        let future = probe(F.mp4(mvhd: F.mvhdV1(creation: .max, timescale: 1, duration: .max)))
        #expect(future.problems == ["implausible-time"])
        #expect(future.recordedStart == nil)
        #expect(future.durationSeconds == nil)
        let tiny = probe(F.ftyp() + F.box("moov", F.box("mvhd", [0, 0, 0, 0, 1])))
        #expect(tiny.problems == ["bad-mvhd"])
    }

    @Test("Many tiny boxes hit the visit cap instead of running unbounded")
    func boxCap() {
        let frees = (0..<12_000).flatMap { _ in F.box("free", []) }
        #expect(probe(F.ftyp() + frees).problems == ["too-many-boxes", "no-moov"])
    }

    @Test("Garbage named .mp4 keeps the extension's kind but flags bad-header")
    func extensionFallback() {
        let info = probe([0x00, 0x00, 0x00, 0x02, 0x41, 0x42, 0x43, 0x44, 0x45], ext: ".MP4")
        #expect(info.kind == .video)
        #expect(info.format == "mp4")
        #expect(info.problems.first == "bad-header")
    }
}
