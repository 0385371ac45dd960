import Foundation

/// Hand-built media bytes, so probe tests need no external tools and every field is known.
enum MediaFixtures {
    // MARK: Integers

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (24 - 8 * $0)) & 0xFF) } }
    static func be64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8((v >> (56 - 8 * $0)) & 0xFF) } }
    static func le16(_ v: UInt16) -> [UInt8] { be16(v).reversed() }
    static func le32(_ v: UInt32) -> [UInt8] { be32(v).reversed() }
    static func le64(_ v: UInt64) -> [UInt8] { be64(v).reversed() }
    static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    // MARK: Time

    /// A UTC instant from an ISO 8601 string; fixtures only use well-formed literals.
    static func instant(_ iso: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: iso) else { fatalError("bad fixture date \(iso)") }
        return date
    }

    /// Seconds since 1904-01-01 UTC, as stored in `mvhd`.
    static func quickTimeSeconds(_ iso: String) -> UInt64 {
        UInt64(instant(iso).timeIntervalSince1970) + 2_082_844_800
    }

    // MARK: ISO BMFF

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        be32(UInt32(8 + payload.count)) + ascii(type) + payload
    }

    /// A box using the 64-bit `largesize` form (size field 1).
    static func largeBox(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        be32(1) + ascii(type) + be64(UInt64(16 + payload.count)) + payload
    }

    /// A box header with an arbitrary (possibly lying) size field.
    static func rawBox(size: UInt32, _ type: String, _ payload: [UInt8] = []) -> [UInt8] {
        be32(size) + ascii(type) + payload
    }

    static func ftyp(_ brand: String = "isom") -> [UInt8] {
        box("ftyp", ascii(brand) + be32(0x200) + ascii(brand) + ascii("mp41"))
    }

    /// Full-size version 0 `mvhd` (100-byte payload) as muxers write it.
    static func mvhdV0(creation: UInt32, timescale: UInt32, duration: UInt32) -> [UInt8] {
        let times = be32(creation) + be32(creation) + be32(timescale) + be32(duration)
        return box("mvhd", [0, 0, 0, 0] + times + mvhdTail)
    }

    /// Full-size version 1 `mvhd` (112-byte payload) with 64-bit times and duration.
    static func mvhdV1(creation: UInt64, timescale: UInt32, duration: UInt64) -> [UInt8] {
        let times = be64(creation) + be64(creation) + be32(timescale) + be64(duration)
        return box("mvhd", [1, 0, 0, 0] + times + mvhdTail)
    }

    /// rate, volume, reserved, unity matrix, pre_defined, next_track_ID.
    static let mvhdTail: [UInt8] = {
        let matrix: [UInt32] = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x4000_0000]
        return be32(0x10000) + be16(0x100) + [UInt8](repeating: 0, count: 10)
            + matrix.flatMap(be32) + [UInt8](repeating: 0, count: 24) + be32(2)
    }()

    /// A stand-in track box, large enough that cutting a file inside it is realistic.
    static let trak: [UInt8] = box("trak", box("tkhd", [UInt8](repeating: 0, count: 84))
        + box("mdia", box("hdlr", [UInt8](repeating: 0x11, count: 200))))

    static let mdat: [UInt8] = box("mdat", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })

    /// ftyp + moov(mvhd, trak) + mdat, or with moov last when `moovLast` (camera-style).
    static func mp4(mvhd: [UInt8], brand: String? = "isom", moovLast: Bool = false) -> [UInt8] {
        let head = brand.map(ftyp) ?? box("wide", [])
        let moov = box("moov", mvhd + trak)
        return moovLast ? head + mdat + moov : head + moov + mdat
    }

    // MARK: JPEG / EXIF

    /// A TIFF block: IFD0 (DateTime, Exif pointer) then the Exif IFD (DateTimeOriginal,
    /// OffsetTimeOriginal). Overrides let tests plant loops and bad offsets.
    static func tiff(
        bigEndian: Bool, dateTime: String? = nil, original: String? = nil, originalOffset: String? = nil,
        exifPointer: UInt32? = nil, ifd0Next: UInt32 = 0, ifd0Count: UInt16? = nil
    ) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { bigEndian ? be16(v) : le16(v) }
        func u32(_ v: UInt32) -> [UInt8] { bigEndian ? be32(v) : le32(v) }
        var ifd0: [(UInt16, String?)] = [(0x8769, nil)]
        if let dateTime { ifd0.insert((0x0132, dateTime), at: 0) }
        var exif: [(UInt16, String?)] = []
        if let original { exif.append((0x9003, original)) }
        if let originalOffset { exif.append((0x9011, originalOffset)) }
        let ifd0Offset = 8
        let exifOffset = ifd0Offset + 2 + 12 * ifd0.count + 4
        var dataOffset = exifOffset + 2 + 12 * exif.count + 4
        var data: [UInt8] = []
        func directory(_ entries: [(UInt16, String?)], next: UInt32, count: UInt16?) -> [UInt8] {
            var out = u16(count ?? UInt16(entries.count))
            for (tag, text) in entries {
                if let text {
                    let bytes = ascii(text) + [0]
                    out += u16(tag) + u16(2) + u32(UInt32(bytes.count)) + u32(UInt32(dataOffset))
                    data += bytes
                    dataOffset += bytes.count
                } else {
                    out += u16(tag) + u16(4) + u32(1) + u32(exifPointer ?? UInt32(exifOffset))
                }
            }
            return out + u32(next)
        }
        let header = (bigEndian ? ascii("MM") : ascii("II")) + u16(42) + u32(UInt32(ifd0Offset))
        let first = directory(ifd0, next: ifd0Next, count: ifd0Count)
        let second = directory(exif, next: 0, count: nil)
        return header + first + second + data
    }

    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker] + be16(UInt16(payload.count + 2)) + payload
    }

    /// SOI, JFIF APP0, optional extra segments, optional EXIF APP1, a tiny scan, EOI.
    static func jpeg(tiff: [UInt8]?, extra: [UInt8] = []) -> [UInt8] {
        let jfif = segment(0xE0, ascii("JFIF") + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])
        let exif = tiff.map { segment(0xE1, ascii("Exif") + [0, 0] + $0) } ?? []
        let scan = segment(0xDA, [1, 1, 0, 0, 0x3F, 0]) + [0x12, 0x34, 0xFF, 0x00, 0x56]
        return [0xFF, 0xD8] + jfif + extra + exif + scan + [0xFF, 0xD9]
    }

    // MARK: WAV

    /// PCM WAV with `dataBytes` of silence; `declaredData`/`riffSize` override the headers.
    static func wav(
        sampleRate: UInt32 = 48_000, channels: UInt16 = 1, bits: UInt16 = 16, dataBytes: Int,
        declaredData: UInt32? = nil, riffSize: UInt32? = nil, storedByteRate: UInt32? = nil
    ) -> [UInt8] {
        let blockAlign = channels * bits / 8
        let byteRate = storedByteRate ?? sampleRate * UInt32(blockAlign)
        let fmt = le16(1) + le16(channels) + le32(sampleRate) + le32(byteRate) + le16(blockAlign) + le16(bits)
        let chunks = ascii("fmt ") + le32(16) + fmt
            + ascii("data") + le32(declaredData ?? UInt32(dataBytes)) + [UInt8](repeating: 0, count: dataBytes)
        return ascii("RIFF") + le32(riffSize ?? UInt32(4 + chunks.count)) + ascii("WAVE") + chunks
    }
}

/// Deterministic generator (SplitMix64) so fuzz failures reproduce exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
