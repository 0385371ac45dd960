import Foundation
import Testing
import CustodyCore

/// End-to-end checks against files written by a real muxer, so the hand-built fixtures cannot
/// drift from what encoders actually produce.
@Suite("Real files from ffmpeg",
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg"),
                "ffmpeg not found at /usr/bin/ffmpeg; skipping real-file probe tests"))
struct FFmpegProbeTests {
    /// Runs ffmpeg quietly into a fresh temp directory and returns the output path.
    func makeFile(_ name: String, _ arguments: [String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("custody-ffmpeg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let out = dir.appendingPathComponent(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-nostdin", "-hide_banner", "-loglevel", "error"] + arguments + ["-y", out.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "ffmpeg failed for \(name)")
        return out
    }

    func probe(_ url: URL) throws -> MediaInfo {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)
        let reader = FileDescriptorReader(fd: handle.fileDescriptor, size: size.uint64Value)
        return MediaProbe.probe(reader, fileExtension: url.pathExtension, timeZone: .current)
    }

    @Test("A 1-second ffmpeg MP4 reports its creation_time metadata and ~1 s")
    func realMP4() throws {
        let url = try makeFile("out.mp4", ["-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=10",
                                           "-metadata", "creation_time=2026-11-27T10:00:00Z"])
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let info = try probe(url)
        #expect(info.kind == .video)
        #expect(info.format == "mp4")
        #expect(info.recordedStart == MediaFixtures.instant("2026-11-27T10:00:00Z"))
        let duration = try #require(info.durationSeconds)
        #expect(abs(duration - 1.0) < 0.15)
        #expect(info.problems.isEmpty)
    }

    @Test("An ffmpeg MOV is reported as mov, and cutting it in half says truncated")
    func realMOV() throws {
        let url = try makeFile("out.mov", ["-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=10",
                                           "-metadata", "creation_time=2026-11-27T10:00:00Z"])
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let info = try probe(url)
        #expect(info.format == "mov")
        #expect(info.recordedStart == MediaFixtures.instant("2026-11-27T10:00:00Z"))
        let bytes = try [UInt8](Data(contentsOf: url))
        let cut = MediaProbe.probe(BufferReader(Array(bytes.prefix(bytes.count / 2))), fileExtension: "mov",
                                   timeZone: .current)
        #expect(cut.problems.contains("truncated"))
    }

    @Test("An ffmpeg 16-bit 48 kHz mono WAV of 2 s reports 2.0 s")
    func realWAV() throws {
        let url = try makeFile("out.wav", ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
                                           "-ac", "1", "-c:a", "pcm_s16le"])
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let info = try probe(url)
        #expect(info == MediaInfo(kind: .audio, format: "wav", durationSeconds: 2.0))
    }
}
