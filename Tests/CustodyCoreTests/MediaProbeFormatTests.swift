import Foundation
import Testing
import CustodyCore

@Suite("Format detection and hostile input")
struct MediaProbeFormatTests {
    typealias F = MediaFixtures

    func probe(_ bytes: [UInt8], ext: String) -> MediaInfo {
        MediaProbe.probe(BufferReader(bytes), fileExtension: ext, timeZone: .current)
    }

    @Test("Magic bytes identify detect-only formats whatever the extension says", arguments: [
        (F.ascii("RIFF") + F.le32(100) + F.ascii("AVI LIST"), MediaKind.video, "avi"),
        (F.ascii("DHAV") + [0xFD, 0, 0, 0], .video, "dav"),
        ([0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC], .audio, "aac"),
        (F.ascii("ID3") + [4, 0, 0, 0, 0, 0, 0], .audio, "mp3"),
        ([0xFF, 0xFB, 0x90, 0x64, 0x00], .audio, "mp3"),
    ])
    func detectOnly(bytes: [UInt8], kind: MediaKind, format: String) {
        #expect(probe(bytes, ext: "bin") == MediaInfo(kind: kind, format: format))
    }

    @Test("Magic bytes win over a misleading extension")
    func magicBeatsExtension() {
        let wav = probe(F.wav(dataBytes: 96_000), ext: "jpg")
        #expect(wav == MediaInfo(kind: .audio, format: "wav", durationSeconds: 1))
    }

    @Test("Extension-only formats with the wrong bytes are flagged bad-header", arguments: [
        ("avi", MediaKind.video), ("DAV", .video), (".aac", .audio), ("mp3", .audio),
    ])
    func extensionOnly(ext: String, kind: MediaKind) {
        let info = probe([0x00, 0x01, 0x02, 0x03, 0x04], ext: ext)
        #expect(info.kind == kind)
        #expect(info.problems == ["bad-header"])
    }

    @Test("Garbage with an unknown extension is other/unknown with no time")
    func garbage() {
        let bytes = F.ascii("%PDF-1.7 not a video at all")
        #expect(probe(bytes, ext: "pdf") == MediaInfo(kind: .other, format: "unknown"))
        #expect(probe([0x00], ext: "") == MediaInfo(kind: .other, format: "unknown"))
    }

    @Test("An empty file is flagged empty and keeps the extension's guess")
    func empty() {
        #expect(probe([], ext: "bin") == MediaInfo(kind: .other, format: "unknown", problems: ["empty"]))
        #expect(probe([], ext: "mp4") == MediaInfo(kind: .video, format: "mp4", problems: ["empty"]))
    }

    @Test("Reader failures become io-error instead of escaping")
    func failingReader() {
        struct Broken: ByteReader {
            let size: UInt64 = 1_000
            func read(offset: UInt64, count: Int) throws -> [UInt8] {
                if offset == 0 { return MediaFixtures.ftyp() + [0, 0, 0x10, 0, 0x6D, 0x64, 0x61, 0x74] }
                throw ByteReaderError.readFailed(errno: 5)
            }
        }
        let info = MediaProbe.probe(Broken(), fileExtension: "mp4", timeZone: .current)
        #expect(info.format == "mp4")
        #expect(info.problems == ["io-error"])
    }

    @Test("A reader that returns more than asked or claims a huge size stays bounded")
    func lyingReader() {
        struct Liar: ByteReader {
            let size: UInt64 = .max
            func read(offset: UInt64, count: Int) throws -> [UInt8] {
                // Every box says it is 8 bytes long, forever.
                Array(repeating: [0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65], count: 1_000).flatMap { $0 }
            }
        }
        let info = MediaProbe.probe(Liar(), fileExtension: "mp4", timeZone: .current)
        #expect(info.problems == ["too-many-boxes", "no-moov"])
    }

    @Test("Probe results round-trip through Codable with the documented raw values")
    func codable() throws {
        let info = MediaInfo(kind: .video, format: "mp4", recordedStart: Date(timeIntervalSince1970: 1_800_000_000),
                             durationSeconds: 1.5, problems: ["truncated"])
        let data = try JSONEncoder().encode(info)
        #expect(try JSONDecoder().decode(MediaInfo.self, from: data) == info)
        #expect(TimeSource.fileName.rawValue == "file-name")
        #expect(TimeSource.fileTime.rawValue == "file-time")
    }
}
