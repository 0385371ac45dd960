import Foundation

/// ISO BMFF (MP4 / QuickTime MOV) probe: walks box headers only, to find `ftyp` and
/// `moov/mvhd`, skipping media data by its declared size so multi-GB clips cost a few reads.
enum MP4Probe {
    /// Cap on boxes visited, so a file made of millions of tiny boxes still costs little.
    static let maxBoxes = 10_000
    /// Seconds between the QuickTime epoch (1904-01-01 UTC) and the Unix epoch.
    static let epochOffset1904: UInt64 = 2_082_844_800
    /// 2200-01-01 in QuickTime seconds; later creation times are lying headers, not recordings.
    static let latestPlausibleTime: UInt64 = epochOffset1904 + 7_258_118_400
    /// Major brands of HEIF still images, which share the box structure but are photos.
    static let stillImageBrands: Set<String> = ["heic", "heix", "heim", "heis", "mif1", "msf1", "avif"]
    static let audioBrands: Set<String> = ["M4A ", "M4B ", "M4P "]

    /// A box whose header has been validated against its enclosing range.
    struct Box {
        var type: String
        var payloadStart: UInt64
        var end: UInt64
        /// True when the box claimed to run past the end of the file and was cut to fit.
        var clipped: Bool
    }

    /// Fields of interest from the movie header.
    struct MovieHeader {
        var creationTime: UInt64
        var timescale: UInt32
        var duration: UInt64
        /// All-ones duration means "unknown" in both header versions.
        var durationUnknown: Bool
    }

    enum HeaderSearch {
        case found(MovieHeader)
        case broken
        case absent
    }

    /// Mutable state shared by the walk, so the box cap spans every nesting level.
    struct Walk {
        var input: ProbeInput
        var problems = ProblemList()
        var boxesVisited = 0
    }

    static func probe(_ input: inout ProbeInput, fallbackFormat: String, fallbackKind: MediaKind) -> MediaInfo {
        var walk = Walk(input: input)
        var info = MediaInfo(kind: fallbackKind, format: fallbackFormat)
        var search = HeaderSearch.absent
        var sawMoov = false
        do {
            var offset: UInt64 = 0
            let end = walk.input.size
            while offset < end {
                guard let box = try nextBox(at: offset, end: end, cutAllowed: true, &walk) else { break }
                switch box.type {
                case "ftyp" where offset == 0:
                    let brand = Endian.fourCC(try walk.input.read(box.payloadStart, Int(min(4, box.end - box.payloadStart))), 0)
                    if brand == "qt  " {
                        info.format = "mov"
                    } else if stillImageBrands.contains(brand) {
                        // HEIF photos have no movie header; stop before flagging "no-moov".
                        input = walk.input
                        return MediaInfo(kind: .photo, format: "heic")
                    } else if !brand.isEmpty {
                        info.format = "mp4"
                        if audioBrands.contains(brand) { info.kind = .audio }
                    }
                case "moov":
                    sawMoov = true
                    search = try findMovieHeader(in: box, &walk)
                    // Keep walking the top-level headers: a media box cut short after `moov`
                    // (a camera that lost power mid-write) must still be reported as truncated.
                default:
                    break
                }
                offset = box.end
            }
        } catch {
            walk.problems.add(ProbeInput.tag(for: error))
        }
        input = walk.input
        switch search {
        case .found(let header):
            apply(header, to: &info, problems: &walk.problems)
        case .broken:
            break
        case .absent:
            if !walk.problems.contains("read-budget") && !walk.problems.contains("io-error") {
                walk.problems.add(sawMoov ? "no-mvhd" : "no-moov")
            }
        }
        info.problems = walk.problems.tags
        return info
    }

    /// Reads and validates the box header at `offset` inside `[offset, end)`.
    ///
    /// Returns nil (after recording a problem) when the walk cannot safely continue. A box that
    /// overruns `end` is clipped and flagged "truncated" only where a cut-off file explains it
    /// (top level, or inside an already clipped box); elsewhere it is a lie: "bad-box-size".
    static func nextBox(at offset: UInt64, end: UInt64, cutAllowed: Bool, _ walk: inout Walk) throws -> Box? {
        walk.boxesVisited += 1
        guard walk.boxesVisited <= maxBoxes else {
            walk.problems.add("too-many-boxes")
            return nil
        }
        let available = end - offset  // callers guarantee offset < end
        guard available >= 8 else {
            walk.problems.add(cutAllowed ? "truncated" : "bad-box-size")
            return nil
        }
        let header = try walk.input.read(offset, Int(min(16, available)))
        guard header.count >= 8, let size32 = Endian.big32(header, 0) else {
            walk.problems.add("truncated")
            return nil
        }
        var headerSize: UInt64 = 8
        var size: UInt64
        switch size32 {
        case 0:
            size = available  // "extends to the end of the enclosing box/file"
        case 1:
            guard let large = Endian.big64(header, 8) else {
                walk.problems.add(cutAllowed ? "truncated" : "bad-box-size")
                return nil
            }
            size = large
            headerSize = 16
        default:
            size = UInt64(size32)
        }
        // No real file exceeds off_t; such a size can only be corruption or an attack.
        guard size >= headerSize, size <= UInt64(Int64.max) else {
            walk.problems.add("bad-box-size")
            return nil
        }
        var clipped = false
        if size > available {
            guard cutAllowed else {
                walk.problems.add("bad-box-size")
                return nil
            }
            walk.problems.add("truncated")
            size = available
            clipped = true
        }
        return Box(type: Endian.fourCC(header, 4), payloadStart: offset + headerSize,
                   end: offset + size, clipped: clipped)
    }

    /// Walks the children of `moov` looking for `mvhd`. Size-0 children extend only to the end
    /// of `moov`, so they end the walk instead of looping.
    static func findMovieHeader(in moov: Box, _ walk: inout Walk) throws -> HeaderSearch {
        var offset = moov.payloadStart
        while offset < moov.end {
            guard let box = try nextBox(at: offset, end: moov.end, cutAllowed: moov.clipped, &walk) else {
                return .absent
            }
            if box.type == "mvhd" { return try readMovieHeader(box, &walk) }
            offset = box.end
        }
        return .absent
    }

    /// Parses `mvhd`: version 0 has 32-bit times and duration, version 1 has 64-bit ones.
    static func readMovieHeader(_ box: Box, _ walk: inout Walk) throws -> HeaderSearch {
        let payloadLength = box.end - box.payloadStart
        let bytes = try walk.input.read(box.payloadStart, Int(min(32, payloadLength)))
        let shortTag = box.clipped ? "truncated" : "bad-mvhd"
        guard let version = bytes.first else {
            walk.problems.add(shortTag)
            return .broken
        }
        switch version {
        case 0:
            guard let created = Endian.big32(bytes, 4), let scale = Endian.big32(bytes, 12),
                  let duration = Endian.big32(bytes, 16) else {
                walk.problems.add(shortTag)
                return .broken
            }
            return .found(MovieHeader(creationTime: UInt64(created), timescale: scale,
                                      duration: UInt64(duration), durationUnknown: duration == .max))
        case 1:
            guard let created = Endian.big64(bytes, 4), let scale = Endian.big32(bytes, 20),
                  let duration = Endian.big64(bytes, 24) else {
                walk.problems.add(shortTag)
                return .broken
            }
            return .found(MovieHeader(creationTime: created, timescale: scale,
                                      duration: duration, durationUnknown: duration == .max))
        default:
            walk.problems.add("bad-mvhd")
            return .broken
        }
    }

    /// Converts header fields to wall-clock values, rejecting ones no camera could have written.
    static func apply(_ header: MovieHeader, to info: inout MediaInfo, problems: inout ProblemList) {
        if header.creationTime == 0 {
            info.recordedStart = nil  // 0 is how muxers say "not set"
        } else if header.creationTime > latestPlausibleTime {
            problems.add("implausible-time")
        } else {
            // Both operands fit in Int64 because creationTime <= latestPlausibleTime.
            let unix = Int64(header.creationTime) - Int64(epochOffset1904)
            info.recordedStart = Date(timeIntervalSince1970: TimeInterval(unix))
        }
        if header.timescale == 0 {
            problems.add("bad-timescale")
        } else if !header.durationUnknown && header.duration > 0 {
            // Fragmented files write 0 here; that means "see the fragments", not "empty".
            info.durationSeconds = Double(header.duration) / Double(header.timescale)
        }
    }
}
