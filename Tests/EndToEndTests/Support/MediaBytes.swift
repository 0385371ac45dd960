// MediaBytes.swift — hand-built, deterministic media files (no encoder needed):
// a minimal ISO BMFF (.MP4), a baseline JPEG with an Exif APP1, a PCM WAV.

import Foundation

/// SplitMix64 — small, fast, fully deterministic (same seed → same bytes on every platform).
public struct DeterministicRNG: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` pseudo-random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0)
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { raw in
            var i = 0
            while i + 8 <= count {
                raw.storeBytes(of: next().littleEndian, toByteOffset: i, as: UInt64.self)
                i += 8
            }
            if i < count {
                var v = next()
                while i < count {
                    raw[i] = UInt8(truncatingIfNeeded: v)
                    v >>= 8
                    i += 1
                }
            }
        }
        return out
    }

    /// Uniform integer in `range` (deterministic; avoids the stdlib's unspecified algorithm).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }
}

public enum MediaBytes {
    /// Seconds between 1904-01-01T00:00:00Z (QuickTime/ISO BMFF epoch) and 1970-01-01T00:00:00Z.
    public static let secondsFrom1904To1970: UInt64 = 2_082_844_800

    // MARK: MP4

    /// Minimal valid ISO BMFF file: `ftyp` (major `isom`, minor 512, compatible
    /// isom/iso2/mp41), `moov` holding only an `mvhd` v0 (creation/modification
    /// time = `creation` as seconds since 1904 UTC, timescale 1000, duration =
    /// `durationSeconds`), and an `mdat` with `payloadBytes` pseudo-random bytes.
    /// `moovFirst: false` puts `moov` after `mdat`, as cameras that write the
    /// index on stop do. ffprobe reports format duration = `durationSeconds`
    /// (ms precision) and tag creation_time = `creation`.
    public static func mp4(
        creation: Date,
        durationSeconds: Double,
        payloadBytes: Int,
        seed: UInt64 = 0x4D50_3400,
        moovFirst: Bool = true
    ) -> [UInt8] {
        precondition(payloadBytes >= 0 && payloadBytes <= Int(UInt32.max) - 8, "mdat > 4 GiB needs largesize")
        let ftyp = box("ftyp", ascii("isom") + be32(512) + ascii("isom") + ascii("iso2") + ascii("mp41"))

        let t = UInt32(clamping: Int64(creation.timeIntervalSince1970.rounded(.down)) + Int64(secondsFrom1904To1970))
        let timescale: UInt32 = 1000
        let duration = UInt32(clamping: Int64((durationSeconds * Double(timescale)).rounded()))
        var mvhd: [UInt8] = [0, 0, 0, 0]           // version 0, flags 0
        mvhd += be32(t) + be32(t)                   // creation_time, modification_time
        mvhd += be32(timescale) + be32(duration)
        mvhd += be32(0x0001_0000)                   // rate 1.0
        mvhd += be16(0x0100)                        // volume 1.0
        mvhd += [UInt8](repeating: 0, count: 10)    // reserved
        for v: UInt32 in [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000] { mvhd += be32(v) } // unity matrix
        mvhd += [UInt8](repeating: 0, count: 24)    // pre_defined
        mvhd += be32(1)                             // next_track_ID
        let moov = box("moov", box("mvhd", mvhd))   // mvhd box = 108 bytes

        var rng = DeterministicRNG(seed: seed)
        var mdat = be32(UInt32(8 + payloadBytes)) + ascii("mdat")
        mdat += rng.bytes(payloadBytes)
        return moovFirst ? ftyp + moov + mdat : ftyp + mdat + moov
    }

    // MARK: JPEG

    /// Baseline JPEG (`width`×`height`, default 160×120, mid-grey, 8-bit greyscale, decodable by ffmpeg/libjpeg) with an
    /// APP1 Exif segment: TIFF little-endian ("II*\0"), IFD0 = Make, Model, DateTime,
    /// ExifIFD pointer (0x8769) → Exif IFD = ExifVersion "0230", DateTimeOriginal (0x9003) and,
    /// if given, OffsetTimeOriginal (0x9011, e.g. "+08:00"). `payloadBytes` pseudo-random bytes
    /// are carried in COM segments (≤ 65533 bytes each) so the file size is realistic.
    public static func jpeg(
        dateTimeOriginal: String,
        payloadBytes: Int,
        seed: UInt64 = 0x4A50_4700,
        make: String = "BODYCAM",
        model: String = "BC-A7",
        offsetTimeOriginal: String? = nil,
        width: Int = 160,
        height: Int = 120
    ) -> [UInt8] {
        precondition(width > 0 && height > 0 && width % 8 == 0 && height % 8 == 0 && width <= 65_535 && height <= 65_535,
                     "dimensions must be positive multiples of 8")
        precondition(dateTimeOriginal.utf8.count == 19, "Exif dates are \"YYYY:MM:DD HH:MM:SS\"")
        var out: [UInt8] = [0xFF, 0xD8] // SOI

        // APP1 Exif
        let tiff = exifTIFF(dateTimeOriginal: dateTimeOriginal, make: make, model: model,
                            offsetTimeOriginal: offsetTimeOriginal)
        out += segment(0xE1, ascii("Exif") + [0, 0] + tiff)

        // DQT: table 0, 8-bit, all ones.
        out += segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))

        // Payload in COM segments.
        var rng = DeterministicRNG(seed: seed)
        var remaining = payloadBytes
        while remaining > 0 {
            let n = min(remaining, 65_533)
            out += segment(0xFE, rng.bytes(n))
            remaining -= n
        }

        // SOF0: 8-bit, `height` lines, `width` columns, 1 component (id 1, 1×1 sampling, table 0).
        out += segment(0xC0, [8] + be16(UInt16(height)) + be16(UInt16(width)) + [1, 1, 0x11, 0])
        // DHT: DC table 0 and AC table 0, each a single 1-bit code "0" → symbol 0
        // (DC: category 0 = no difference; AC: 0x00 = EOB).
        let oneCode: [UInt8] = [1] + [UInt8](repeating: 0, count: 15) + [0x00]
        out += segment(0xC4, [0x00] + oneCode)
        out += segment(0xC4, [0x10] + oneCode)
        // SOS: 1 component, tables 0/0, Ss=0, Se=63, Ah/Al=0.
        out += segment(0xDA, [1, 1, 0x00, 0, 63, 0])
        // Entropy-coded data: per 8×8 block "0" (DC diff 0) + "0" (EOB) = 2 bits.
        let bits = (width / 8) * (height / 8) * 2
        var scan = [UInt8](repeating: 0, count: bits / 8)
        if bits % 8 != 0 { scan.append(UInt8(0xFF >> (bits % 8))) } // pad with 1-bits
        out += scan
        out += [0xFF, 0xD9] // EOI
        return out
    }

    /// The TIFF structure carried in the Exif APP1 segment (starts with "II*\0").
    static func exifTIFF(dateTimeOriginal: String, make: String, model: String, offsetTimeOriginal: String?) -> [UInt8] {
        // IFD0 starts at 8. Its ExifIFD pointer value depends on IFD0's own size, so lay it out twice.
        func ifd0(exifOffset: UInt32) -> [UInt8] {
            tiffIFD(at: 8, entries: [
                .ascii(0x010F, make),
                .ascii(0x0110, model),
                .ascii(0x0132, dateTimeOriginal),
                .long(0x8769, exifOffset),
            ])
        }
        let exifOffset = 8 + ifd0(exifOffset: 0).count
        var exifEntries: [TIFFEntry] = [
            .undefined(0x9000, ascii("0230")),
            .ascii(0x9003, dateTimeOriginal),
        ]
        if let offsetTimeOriginal { exifEntries.append(.ascii(0x9011, offsetTimeOriginal)) }
        return [0x49, 0x49, 0x2A, 0x00] + le32(8)
            + ifd0(exifOffset: UInt32(exifOffset))
            + tiffIFD(at: exifOffset, entries: exifEntries)
    }

    // MARK: WAV

    /// RIFF/WAVE, PCM 16-bit little-endian mono, `round(seconds × sampleRate)` samples of a
    /// deterministic integer triangle tone (~440 Hz) plus seeded noise. Size = 44 + 2 × samples.
    public static func wav(seconds: Double, sampleRate: Int = 8000, seed: UInt64 = 0x5741_5600) -> [UInt8] {
        precondition(seconds >= 0 && sampleRate > 0)
        let samples = Int((seconds * Double(sampleRate)).rounded())
        let dataSize = samples * 2
        var out = ascii("RIFF") + le32(UInt32(36 + dataSize)) + ascii("WAVE")
        out += ascii("fmt ") + le32(16)
        out += le16(1) + le16(1)                                   // PCM, mono
        out += le32(UInt32(sampleRate)) + le32(UInt32(sampleRate * 2)) // rate, byte rate
        out += le16(2) + le16(16)                                  // block align, bits
        out += ascii("data") + le32(UInt32(dataSize))
        out.reserveCapacity(out.count + dataSize)
        var rng = DeterministicRNG(seed: seed)
        let period = max(2, sampleRate / 440)
        for i in 0..<samples {
            let phase = i % period
            let tri = (phase < period / 2 ? phase : period - phase) * 16_000 / max(1, period / 2) - 8_000
            let noise = Int(rng.next() % 512) - 256
            let s = UInt16(bitPattern: Int16(clamping: tri + noise))
            out.append(UInt8(s & 0xFF))
            out.append(UInt8(s >> 8))
        }
        return out
    }

    // MARK: byte helpers

    static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }

    static func box(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        be32(UInt32(8 + payload.count)) + ascii(type) + payload
    }

    /// JPEG marker segment: FF marker, 16-bit big-endian length (incl. itself), payload.
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        precondition(payload.count <= 65_533)
        return [0xFF, marker] + be16(UInt16(payload.count + 2)) + payload
    }

    enum TIFFEntry {
        case ascii(UInt16, String)
        case long(UInt16, UInt32)
        case undefined(UInt16, [UInt8])
    }

    /// Little-endian TIFF IFD located at `offset` (from the TIFF header), followed by its
    /// out-of-line values (word aligned). Next-IFD offset = 0. Entries must be sorted by tag.
    static func tiffIFD(at offset: Int, entries: [TIFFEntry]) -> [UInt8] {
        let headerSize = 2 + 12 * entries.count + 4
        var ifd = le16(UInt16(entries.count))
        var data: [UInt8] = []
        func put(tag: UInt16, type: UInt16, count: Int, value: [UInt8]) {
            ifd += le16(tag) + le16(type) + le32(UInt32(count))
            if value.count <= 4 {
                ifd += value + [UInt8](repeating: 0, count: 4 - value.count)
            } else {
                ifd += le32(UInt32(offset + headerSize + data.count))
                data += value
                if data.count % 2 == 1 { data.append(0) }
            }
        }
        for e in entries {
            switch e {
            case let .ascii(tag, s):
                let v = ascii(s) + [0]
                put(tag: tag, type: 2, count: v.count, value: v)
            case let .long(tag, n):
                put(tag: tag, type: 4, count: 1, value: le32(n))
            case let .undefined(tag, bytes):
                put(tag: tag, type: 7, count: bytes.count, value: bytes)
            }
        }
        ifd += le32(0)
        return ifd + data
    }
}
