import Foundation
import Testing
import CustodyCore

@Suite("Byte readers")
struct ByteReaderTests {
    @Test("BufferReader clips reads at the end and ignores out-of-range requests")
    func bufferReader() throws {
        let reader = BufferReader([1, 2, 3, 4, 5])
        #expect(reader.size == 5)
        #expect(try reader.read(offset: 1, count: 2) == [2, 3])
        #expect(try reader.read(offset: 3, count: 100) == [4, 5])
        #expect(try reader.read(offset: 5, count: 1) == [])
        #expect(try reader.read(offset: .max, count: 1) == [])
        #expect(try reader.read(offset: 0, count: 0) == [])
        #expect(try reader.read(offset: 0, count: -3) == [])
    }

    @Test("FileDescriptorReader reads windows of a real file with pread")
    func fileDescriptorReader() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("custody-reader-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
        try Data(bytes).write(to: url)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let reader = FileDescriptorReader(fd: handle.fileDescriptor, size: 10_000)
        #expect(try reader.read(offset: 0, count: 4) == [0, 1, 2, 3])
        #expect(try reader.read(offset: 9_998, count: 10) == [14, 15])  // 9998 % 256 == 14
        #expect(try reader.read(offset: 10_000, count: 10) == [])
        #expect(try reader.read(offset: 256, count: 5_000) == Array(bytes[256..<5_256]))
        // A size larger than the file just yields what is there.
        let generous = FileDescriptorReader(fd: handle.fileDescriptor, size: .max)
        #expect(try generous.read(offset: 9_990, count: 100).count == 10)
        #expect(try generous.read(offset: .max - 1, count: 100) == [])
    }

    @Test("FileDescriptorReader surfaces errno for a bad descriptor")
    func badDescriptor() {
        let reader = FileDescriptorReader(fd: -1, size: 100)
        #expect(throws: ByteReaderError.self) { try reader.read(offset: 0, count: 10) }
    }

    @Test("Probing through a file descriptor matches probing the same bytes in memory")
    func probeThroughFile() throws {
        let bytes = MediaFixtures.mp4(mvhd: MediaFixtures.mvhdV0(creation: 3_000_000_000, timescale: 10, duration: 25),
                                      moovLast: true)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("custody-probe-\(UUID().uuidString).mp4")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let fromFile = MediaProbe.probe(FileDescriptorReader(fd: handle.fileDescriptor, size: UInt64(bytes.count)),
                                        fileExtension: "mp4", timeZone: .current)
        #expect(fromFile == MediaProbe.probe(BufferReader(bytes), fileExtension: "mp4", timeZone: .current))
        #expect(fromFile.durationSeconds == 2.5)
    }
}
