import Foundation
import Testing
import CustodyCore

@Suite("JPEG EXIF probing")
struct EXIFProbeTests {
    typealias F = MediaFixtures
    let berlin = TimeZone(identifier: "Europe/Berlin") ?? .current

    func probe(_ bytes: [UInt8], ext: String = "jpg") -> MediaInfo {
        MediaProbe.probe(BufferReader(bytes), fileExtension: ext, timeZone: berlin)
    }

    @Test("DateTimeOriginal in II or MM byte order is read as wall-clock time in the given zone",
          arguments: [false, true])
    func dateTimeOriginal(bigEndian: Bool) {
        let tiff = F.tiff(bigEndian: bigEndian, dateTime: "2030:01:01 00:00:00", original: "2026:11:27 11:00:00")
        let info = probe(F.jpeg(tiff: tiff))
        // Berlin is UTC+1 in November.
        #expect(info == MediaInfo(kind: .photo, format: "jpeg", recordedStart: F.instant("2026-11-27T10:00:00Z")))
    }

    @Test("Big-endian (MM) EXIF gives the same instant, in summer time too")
    func bigEndianSummer() {
        let tiff = F.tiff(bigEndian: true, original: "2026:07:01 14:30:15")
        #expect(probe(F.jpeg(tiff: tiff)).recordedStart == F.instant("2026-07-01T12:30:15Z"))
    }

    @Test("Without DateTimeOriginal the IFD0 DateTime is used")
    func fallbackToDateTime() {
        let tiff = F.tiff(bigEndian: false, dateTime: "2026:11:27 11:00:00")
        let info = probe(F.jpeg(tiff: tiff))
        #expect(info.recordedStart == F.instant("2026-11-27T10:00:00Z"))
        #expect(info.problems.isEmpty)
    }

    @Test("An explicit OffsetTimeOriginal beats the configured zone")
    func offsetTimeWins() {
        let tiff = F.tiff(bigEndian: false, original: "2026:11:27 12:00:00", originalOffset: "+02:00")
        #expect(probe(F.jpeg(tiff: tiff)).recordedStart == F.instant("2026-11-27T10:00:00Z"))
        let blankOffset = F.tiff(bigEndian: false, original: "2026:11:27 11:00:00", originalOffset: "   :  ")
        #expect(probe(F.jpeg(tiff: blankOffset)).recordedStart == F.instant("2026-11-27T10:00:00Z"))
    }

    @Test("Non-EXIF APP1 segments (XMP) before the EXIF block are skipped")
    func skipsXMP() {
        let xmp = F.segment(0xE1, F.ascii("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"))
        let tiff = F.tiff(bigEndian: false, original: "2026:11:27 11:00:00")
        #expect(probe(F.jpeg(tiff: tiff, extra: xmp + [0xFF, 0xFF])).recordedStart == F.instant("2026-11-27T10:00:00Z"))
    }

    @Test("Many large XMP segments ahead of EXIF do not exhaust the read budget")
    func largeSegmentsAreNotRead() {
        let xmp = F.segment(0xE1, F.ascii("http://ns.adobe.com/xap/1.0/\0") + [UInt8](repeating: 0x20, count: 60_000))
        let extra = (0..<100).flatMap { _ in xmp }  // 6 MB, more than the 4 MB budget
        let tiff = F.tiff(bigEndian: false, original: "2026:11:27 11:00:00")
        let info = probe(F.jpeg(tiff: tiff, extra: extra))
        #expect(info.recordedStart == F.instant("2026-11-27T10:00:00Z"))
        #expect(info.problems.isEmpty)
    }

    @Test("An IFD chain pointing back at itself is reported as exif-loop and ends")
    func ifdLoop() {
        // IFD0's next pointer and its Exif pointer both lead back to IFD0 at offset 8.
        let tiff = F.tiff(bigEndian: false, dateTime: "2026:11:27 11:00:00", original: "2020:01:01 00:00:00",
                          exifPointer: 8, ifd0Next: 8)
        let info = probe(F.jpeg(tiff: tiff))
        #expect(info.problems == ["exif-loop"])
        #expect(info.recordedStart == F.instant("2026-11-27T10:00:00Z"))
    }

    @Test("A long chain of distinct IFDs stops at the directory cap")
    func longChain() {
        // 40 empty directories, each 6 bytes (count 0, next pointer) linking to the following one.
        var chain: [UInt8] = []
        for i in 0..<40 {
            let next: UInt32 = i == 39 ? 0 : UInt32(8 + 6 * (i + 1))
            chain += F.le16(0) + F.le32(next)
        }
        let tiff = F.ascii("II") + F.le16(42) + F.le32(8) + chain
        #expect(probe(F.jpeg(tiff: tiff)).problems == ["exif-too-many-ifds"])
    }

    @Test("Out-of-range IFD offsets and absurd entry counts are flagged, not followed")
    func badOffsetsAndCounts() {
        let farPointer = F.tiff(bigEndian: true, dateTime: "2026:11:27 11:00:00", exifPointer: 0xFFFF_FF00)
        let far = probe(F.jpeg(tiff: farPointer))
        #expect(far.problems == ["exif-bad-offset"])
        #expect(far.recordedStart == F.instant("2026-11-27T10:00:00Z"))
        let hugeCount = F.tiff(bigEndian: false, dateTime: "2026:11:27 11:00:00", ifd0Count: 0xFFFF)
        #expect(probe(F.jpeg(tiff: hugeCount)).problems == ["exif-bad-count"])
        var badString = F.tiff(bigEndian: false, original: "2026:11:27 11:00:00")
        // Point the DateTimeOriginal value (Exif IFD entry 0, value field) far outside the block.
        let exifIFD = 8 + 2 + 12 + 4
        badString.replaceSubrange(exifIFD + 2 + 8 ..< exifIFD + 2 + 12, with: F.le32(0x7FFF_FFFF))
        #expect(probe(F.jpeg(tiff: badString)).problems == ["exif-bad-offset"])
    }

    @Test("A TIFF header that is neither II nor MM is bad-exif")
    func badTIFFHeader() {
        var tiff = F.tiff(bigEndian: false, original: "2026:11:27 11:00:00")
        tiff[0] = 0x58
        #expect(probe(F.jpeg(tiff: tiff)).problems == ["bad-exif"])
    }

    @Test("Blank dates mean no time; impossible dates are flagged", arguments: [
        ("0000:00:00 00:00:00", [String]()),
        ("    :  :     :  :  ", []),
        ("2026:02:30 10:00:00", ["bad-exif-date"]),
        ("2026:13:01 10:00:00", ["bad-exif-date"]),
        ("garbage", ["bad-exif-date"]),
        ("2999:01:01 00:00:00", ["implausible-time"]),
    ])
    func unusableDates(text: String, problems: [String]) {
        let info = probe(F.jpeg(tiff: F.tiff(bigEndian: false, original: text)))
        #expect(info.recordedStart == nil)
        #expect(info.problems == problems)
    }

    @Test("A JPEG with no EXIF is a photo with no time and no problems")
    func noExif() {
        #expect(probe(F.jpeg(tiff: nil)) == MediaInfo(kind: .photo, format: "jpeg"))
    }

    @Test("A segment running past end of file is truncated")
    func truncatedSegment() {
        let full = F.jpeg(tiff: F.tiff(bigEndian: false, original: "2026:11:27 11:00:00"))
        let info = probe(Array(full.prefix(40)))
        #expect(info.problems == ["truncated"])
        #expect(info.recordedStart == nil)
    }

    @Test("Bytes between segments that are not markers stop the walk")
    func strayBytes() {
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34, 0x56]
        #expect(probe(bytes).problems == ["bad-marker"])
    }

    @Test("Non-JPEG bytes named .jpg are flagged bad-header")
    func notAJPEG() {
        let info = probe(F.ascii("this is a text file, not a photo"))
        #expect(info == MediaInfo(kind: .photo, format: "jpeg", problems: ["bad-header"]))
    }
}
