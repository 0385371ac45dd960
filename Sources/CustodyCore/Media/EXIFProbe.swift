import Foundation

/// JPEG probe: finds the EXIF block in APP1 and reads the capture time from its TIFF
/// directories. Offsets inside EXIF are attacker-controlled, so every one is range-checked and
/// directory chains are tracked to stop loops.
enum EXIFProbe {
    /// Real JPEGs have a handful of segments before the image data; more means garbage.
    static let maxMarkers = 1_000
    /// IFD0, IFD1, the Exif IFD and a few more at most; a longer chain is a loop or an attack.
    static let maxDirectories = 16
    /// Real IFDs have tens of entries; thousands would only waste work on a corrupt file.
    static let maxEntries = 1_000
    static let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// Tag numbers from the EXIF 2.32 specification.
    enum Tag {
        static let dateTime: UInt16 = 0x0132
        static let exifPointer: UInt16 = 0x8769
        static let dateTimeOriginal: UInt16 = 0x9003
        static let offsetTime: UInt16 = 0x9010
        static let offsetTimeOriginal: UInt16 = 0x9011
    }

    /// Raw date strings as found; interpreted later so the fallback order lives in one place.
    struct RawDates {
        var original: String?
        var originalOffset: String?
        var modified: String?
        var modifiedOffset: String?
    }

    static func probe(_ input: inout ProbeInput, timeZone: TimeZone) -> MediaInfo {
        var info = MediaInfo(kind: .photo, format: "jpeg")
        var problems = ProblemList()
        do {
            if let tiff = try findExifPayload(&input, &problems) {
                let raw = readDates(tiff, &problems)
                info.recordedStart = resolve(raw, timeZone: timeZone, &problems)
            }
        } catch {
            problems.add(ProbeInput.tag(for: error))
        }
        info.problems = problems.tags
        return info
    }

    /// Walks JPEG marker segments up to the image data and returns the TIFF bytes that follow
    /// the first "Exif\0\0" APP1 header, or nil if there is none.
    static func findExifPayload(_ input: inout ProbeInput, _ problems: inout ProblemList) throws -> [UInt8]? {
        guard try input.read(0, 2) == [0xFF, 0xD8] else {
            problems.add("bad-header")
            return nil
        }
        let end = input.size
        var offset: UInt64 = 2
        for _ in 0..<maxMarkers {
            let head = try input.read(offset, 4)
            guard head.count >= 2 else {
                problems.add("truncated")
                return nil
            }
            guard head[0] == 0xFF else {
                problems.add("bad-marker")
                return nil
            }
            let marker = head[1]
            switch marker {
            case 0xFF:
                offset += 1  // fill byte before a marker
                continue
            case 0xD9, 0xDA:
                return nil  // end of image or start of scan: metadata always comes before
            case 0x01, 0xD0...0xD7:
                offset += 2  // standalone markers carry no length
                continue
            default:
                break
            }
            guard let length = Endian.big16(head, 2) else {
                problems.add("truncated")
                return nil
            }
            guard length >= 2 else {
                problems.add("bad-marker")
                return nil
            }
            // head.count >= 2 means offset + 2 <= end, so this subtraction cannot underflow.
            guard UInt64(length) <= end - offset - 2 else {
                problems.add("truncated")
                return nil
            }
            // Peek at the identifier first so large XMP blocks do not eat the read budget.
            if marker == 0xE1, length >= 2 + 14, try input.read(offset + 4, exifHeader.count) == exifHeader {
                return try input.read(offset + 4 + UInt64(exifHeader.count), Int(length) - 2 - exifHeader.count)
            }
            offset += 2 + UInt64(length)
        }
        problems.add("too-many-markers")
        return nil
    }

    /// Bounds-checked view of a TIFF block in either byte order.
    struct TIFF {
        let bytes: [UInt8]
        let littleEndian: Bool

        func u16(_ at: Int) -> UInt16? {
            littleEndian ? Endian.little16(bytes, at) : Endian.big16(bytes, at)
        }

        func u32(_ at: Int) -> UInt32? {
            littleEndian ? Endian.little32(bytes, at) : Endian.big32(bytes, at)
        }

        /// An ASCII value stored inline (<= 4 bytes) or at an offset; nil if out of range.
        func ascii(count: UInt32, field: Int) -> String? {
            guard count > 0, count <= 64 else { return nil }
            let length = Int(count)
            guard let start = length <= 4 ? field : u32(field).flatMap({ Int(exactly: $0) }),
                  start >= 0, start <= bytes.count - length else { return nil }
            let text = bytes[start..<start + length].prefix { $0 != 0 }
            return String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
    }

    /// Which directory an IFD offset came from, which decides the tags we look for in it.
    enum Role {
        case primary, exif
    }

    /// Visits IFD0, its `next` chain and the Exif sub-IFD, never the same offset twice.
    static func readDates(_ bytes: [UInt8], _ problems: inout ProblemList) -> RawDates {
        var dates = RawDates()
        guard bytes.count >= 8, bytes[0] == bytes[1], bytes[0] == 0x49 || bytes[0] == 0x4D else {
            problems.add("bad-exif")
            return dates
        }
        let tiff = TIFF(bytes: bytes, littleEndian: bytes[0] == 0x49)  // "II" vs "MM"
        guard tiff.u16(2) == 42, let first = tiff.u32(4) else {
            problems.add("bad-exif")
            return dates
        }
        var pending: [(offset: UInt32, role: Role)] = [(first, .primary)]
        var visited = Set<UInt32>()
        var steps = 0
        while !pending.isEmpty {
            // Counting every pointer followed (not just new ones) bounds the loop on its own,
            // even against an IFD holding hundreds of Exif pointers.
            steps += 1
            guard steps <= maxDirectories * 4, visited.count < maxDirectories else {
                problems.add("exif-too-many-ifds")
                break
            }
            let (offset, role) = pending.removeFirst()
            if offset == 0 { continue }  // 0 terminates a chain
            guard visited.insert(offset).inserted else {
                problems.add("exif-loop")
                continue
            }
            guard let base = Int(exactly: offset), let count = tiff.u16(base) else {
                problems.add("exif-bad-offset")
                continue
            }
            let entriesEnd = base + 2 + Int(count) * 12
            guard count <= maxEntries, entriesEnd <= bytes.count else {
                problems.add("exif-bad-count")
                continue
            }
            for index in 0..<Int(count) {
                let entry = base + 2 + index * 12
                guard let tag = tiff.u16(entry), let valueCount = tiff.u32(entry + 4) else { continue }
                let field = entry + 8
                switch (role, tag) {
                case (.primary, Tag.exifPointer):
                    if let pointer = tiff.u32(field) { pending.append((pointer, .exif)) }
                case (.primary, Tag.dateTime) where dates.modified == nil:
                    dates.modified = string(tiff, valueCount, field, &problems)
                case (.exif, Tag.dateTimeOriginal) where dates.original == nil:
                    dates.original = string(tiff, valueCount, field, &problems)
                case (.exif, Tag.offsetTimeOriginal) where dates.originalOffset == nil:
                    dates.originalOffset = string(tiff, valueCount, field, &problems)
                case (.exif, Tag.offsetTime) where dates.modifiedOffset == nil:
                    dates.modifiedOffset = string(tiff, valueCount, field, &problems)
                default:
                    break
                }
            }
            if role == .primary, let next = tiff.u32(entriesEnd) { pending.append((next, .primary)) }
        }
        return dates
    }

    private static func string(_ tiff: TIFF, _ count: UInt32, _ field: Int, _ problems: inout ProblemList) -> String? {
        let value = tiff.ascii(count: count, field: field)
        if value == nil { problems.add("exif-bad-offset") }
        return value
    }

    /// DateTimeOriginal wins; DateTime (last modification, often equal) is the fallback.
    /// EXIF times are local wall clock: an explicit OffsetTime* tag from the camera beats the
    /// caller's `timeZone`, which is only the configured zone of the device.
    static func resolve(_ raw: RawDates, timeZone: TimeZone, _ problems: inout ProblemList) -> Date? {
        for (text, offset) in [(raw.original, raw.originalOffset), (raw.modified, raw.modifiedOffset)] {
            guard let text else { continue }
            let zone = offset.flatMap(parseOffset) ?? timeZone
            switch parseDate(text, timeZone: zone) {
            case .date(let date): return date
            case .blank: continue
            case .invalid: problems.add("bad-exif-date")
            case .implausible: problems.add("implausible-time")
            }
        }
        return nil
    }

    enum DateParse: Equatable {
        case date(Date), blank, invalid, implausible
    }

    /// Parses "YYYY:MM:DD HH:MM:SS" as wall-clock time in `timeZone`. Cameras with an unset
    /// clock write zeros or spaces, which is "no date", not corruption. Times that fall in a DST
    /// gap or repeat resolve as Foundation's `Calendar` decides; only an offset tag can do better.
    static func parseDate(_ text: String, timeZone: TimeZone) -> DateParse {
        let c = Array(text.utf8)
        if c.allSatisfy({ $0 == 0x30 || $0 == 0x20 || $0 == 0x3A }) { return .blank }  // 0, space, colon
        guard c.count >= 19,
              c[4] == 0x3A || c[4] == 0x2D, c[7] == 0x3A || c[7] == 0x2D,  // ":" or "-"
              c[10] == 0x20 || c[10] == 0x54, c[13] == 0x3A, c[16] == 0x3A  // " " or "T"
        else { return .invalid }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (0x30...0x39).contains(c[i]) else { return nil }
                value = value * 10 + Int(c[i] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return .invalid }
        guard (1900..<2200).contains(year) else { return .implausible }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        // Calendar rolls 31 April over to 1 May; a round trip on the date catches that.
        guard let date = calendar.date(from: parts),
              calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return .invalid }
        return .date(date)
    }

    /// Parses "+HH:MM" / "-HH:MM" (EXIF OffsetTime*); blank or malformed gives nil.
    static func parseOffset(_ text: String) -> TimeZone? {
        let c = Array(text.utf8)
        guard c.count == 6, c[0] == 0x2B || c[0] == 0x2D, c[3] == 0x3A,
              let hours = Int(String(decoding: c[1..<3], as: UTF8.self)),
              let minutes = Int(String(decoding: c[4..<6], as: UTF8.self)),
              (0...14).contains(hours), (0..<60).contains(minutes)
        else { return nil }
        let seconds = (hours * 3600 + minutes * 60) * (c[0] == 0x2D ? -1 : 1)
        return TimeZone(secondsFromGMT: seconds)
    }
}
