import Foundation
import Testing
import CustodyCore

@Suite("WAV probing")
struct WAVProbeTests {
    typealias F = MediaFixtures

    func probe(_ bytes: [UInt8], ext: String = "wav") -> MediaInfo {
        MediaProbe.probe(BufferReader(bytes), fileExtension: ext, timeZone: .current)
    }

    @Test("16-bit 48 kHz mono with 2 s of samples lasts 2.0 s")
    func twoSeconds() {
        let info = probe(F.wav(dataBytes: 2 * 48_000 * 2))
        #expect(info == MediaInfo(kind: .audio, format: "wav", durationSeconds: 2.0))
    }

    @Test("Stereo 44.1 kHz 24-bit duration follows the byte rate")
    func stereo() {
        let info = probe(F.wav(sampleRate: 44_100, channels: 2, bits: 24, dataBytes: 44_100 * 6 / 2))
        #expect(info.durationSeconds == 0.5)
        #expect(info.problems.isEmpty)
    }

    @Test("A data chunk declaring more than is present uses the bytes present and says truncated")
    func truncated() {
        let full = F.wav(dataBytes: 2 * 48_000 * 2)
        let info = probe(Array(full.prefix(44 + 96_000)))
        #expect(info.durationSeconds == 1.0)
        #expect(info.problems == ["truncated"])
    }

    @Test("A streaming writer's 0xFFFFFFFF data size falls back to the remaining bytes")
    func streamingSize() {
        let info = probe(F.wav(dataBytes: 48_000, declaredData: 0xFFFF_FFFF, riffSize: 0xFFFF_FFFF))
        #expect(info.durationSeconds == 0.5)
        #expect(info.problems == ["truncated"])
    }

    @Test("Zero sizes left by a crashed recorder are recovered and flagged")
    func unfinalized() {
        let info = probe(F.wav(dataBytes: 96_000, declaredData: 0, riffSize: 0))
        #expect(info.durationSeconds == 1.0)
        #expect(info.problems == ["unfinalized-header"])
    }

    @Test("A zero byte rate is recomputed from sample rate and block alignment")
    func zeroByteRate() {
        let info = probe(F.wav(dataBytes: 48_000, storedByteRate: 0))
        #expect(info.durationSeconds == 0.5)
        #expect(info.problems.isEmpty)
    }

    @Test("RF64 takes the 64-bit data size from ds64")
    func rf64() {
        let ds64 = F.ascii("ds64") + F.le32(28) + F.le64(0) + F.le64(96_000) + F.le64(48_000) + F.le32(0)
        let fmt = F.ascii("fmt ") + F.le32(16) + F.le16(1) + F.le16(1) + F.le32(48_000) + F.le32(96_000)
            + F.le16(2) + F.le16(16)
        let data = F.ascii("data") + F.le32(0xFFFF_FFFF) + [UInt8](repeating: 0, count: 96_000)
        let bytes = F.ascii("RF64") + F.le32(0xFFFF_FFFF) + F.ascii("WAVE") + ds64 + fmt + data
        let info = probe(bytes)
        #expect(info.durationSeconds == 1.0)
        #expect(info.problems.isEmpty)
    }

    @Test("fmt after data is still found; a missing fmt is flagged")
    func chunkOrder() {
        let fmt = F.ascii("fmt ") + F.le32(16) + F.le16(1) + F.le16(1) + F.le32(8_000) + F.le32(8_000)
            + F.le16(1) + F.le16(8)
        let data = F.ascii("data") + F.le32(4_001) + [UInt8](repeating: 0x80, count: 4_001) + [0]
        let late = F.ascii("RIFF") + F.le32(0) + F.ascii("WAVE") + data + fmt
        #expect(probe(late).durationSeconds == 4_001.0 / 8_000.0)
        let noFmt = F.ascii("RIFF") + F.le32(0) + F.ascii("WAVE") + data
        let info = probe(noFmt)
        #expect(info.durationSeconds == nil)
        #expect(info.problems == ["no-fmt"])
    }

    @Test("A short fmt chunk or one with no rate at all is bad-fmt")
    func badFmt() {
        let shortFmt = F.ascii("RIFF") + F.le32(0) + F.ascii("WAVE") + F.ascii("fmt ") + F.le32(4) + [1, 0, 1, 0]
            + F.ascii("data") + F.le32(2) + [0, 0]
        #expect(probe(shortFmt).problems == ["bad-fmt", "no-fmt"])
        #expect(probe(F.wav(sampleRate: 0, dataBytes: 10, storedByteRate: 0)).problems == ["bad-fmt", "no-fmt"])
    }

    @Test("A RIFF file that is not WAVE but named .wav is bad-header")
    func notWave() {
        let bytes = F.ascii("RIFF") + F.le32(4) + F.ascii("XXXX")
        #expect(probe(bytes) == MediaInfo(kind: .audio, format: "wav", problems: ["bad-header"]))
    }
}
