import Foundation

/// Broad class of an evidence file, used to pick viewers and retention rules.
public enum MediaKind: String, Sendable, Codable {
    case video, audio, photo, other
}

/// Where a clip's recorded start time came from. `MediaProbe` itself only ever reads the
/// container; the other cases let callers record that they fell back to weaker evidence.
public enum TimeSource: String, Sendable, Codable {
    case container
    case fileName = "file-name"
    case fileTime = "file-time"
    case none
}

/// What a probe could learn about a file without decoding it.
public struct MediaInfo: Sendable, Equatable, Codable {
    public var kind: MediaKind
    /// "mp4", "mov", "jpeg", "wav", "avi", "dav", "aac", "mp3", "heic" or "unknown".
    public var format: String
    /// Start of recording, taken from the container only (never from file names or mtimes).
    public var recordedStart: Date?
    public var durationSeconds: Double?
    /// Short machine tags such as "truncated", "bad-box-size", "no-mvhd", "exif-loop",
    /// "bad-header". Empty means nothing suspicious was seen, not that the file was verified.
    public var problems: [String]

    public init(
        kind: MediaKind,
        format: String,
        recordedStart: Date? = nil,
        durationSeconds: Double? = nil,
        problems: [String] = []
    ) {
        self.kind = kind
        self.format = format
        self.recordedStart = recordedStart
        self.durationSeconds = durationSeconds
        self.problems = problems
    }
}

/// Format detection and metadata extraction for evidence files.
///
/// Evidence arrives from cameras that crash, run out of battery, or are tampered with, so the
/// probe treats every byte as hostile: it never throws, never traps, and does bounded work
/// (a few MB of reads at most) whatever the file claims about itself.
public enum MediaProbe {
    /// Upper bound on bytes read per probe; headers never legitimately need more.
    static let readBudget = 4 << 20

    /// Detect the format from magic bytes first, extension second; never throws, never crashes,
    /// bounded work.
    public static func probe(_ reader: some ByteReader, fileExtension: String, timeZone: TimeZone) -> MediaInfo {
        let guess = ProbeFormat(fileExtension: fileExtension)
        guard reader.size > 0 else {
            return MediaInfo(kind: guess?.kind ?? .other, format: guess?.name ?? "unknown", problems: ["empty"])
        }
        var input = ProbeInput(reader: reader, budget: readBudget)
        let head: [UInt8]
        do {
            head = try input.read(0, 64)
        } catch {
            return MediaInfo(kind: guess?.kind ?? .other, format: guess?.name ?? "unknown",
                             problems: [ProbeInput.tag(for: error)])
        }
        if let sniffed = ProbeFormat(magic: head) {
            return run(sniffed, &input, timeZone: timeZone)
        }
        guard let guess else { return MediaInfo(kind: .other, format: "unknown") }
        // The extension is only a hint: say loudly that the bytes did not agree with it.
        var info = run(guess, &input, timeZone: timeZone)
        if !info.problems.contains("bad-header") { info.problems.insert("bad-header", at: 0) }
        return info
    }

    private static func run(_ format: ProbeFormat, _ input: inout ProbeInput, timeZone: TimeZone) -> MediaInfo {
        switch format {
        case .isoBMFF(let name, let kind): return MP4Probe.probe(&input, fallbackFormat: name, fallbackKind: kind)
        case .jpeg: return EXIFProbe.probe(&input, timeZone: timeZone)
        case .wav: return WAVProbe.probe(&input)
        case .avi: return MediaInfo(kind: .video, format: "avi")
        case .dav: return MediaInfo(kind: .video, format: "dav")
        case .aac: return MediaInfo(kind: .audio, format: "aac")
        case .mp3: return MediaInfo(kind: .audio, format: "mp3")
        }
    }
}

/// The formats the probe knows, with the magic-byte and extension rules that identify them.
enum ProbeFormat: Equatable {
    /// `name` is the format to report when no `ftyp` box says otherwise.
    case isoBMFF(name: String, kind: MediaKind)
    case jpeg, wav, avi, dav, aac, mp3

    /// Top-level box types that QuickTime files may start with when they have no `ftyp`.
    static let quickTimeLeadBoxes: Set<String> = ["moov", "mdat", "wide", "free", "skip", "pnot"]
    /// Other boxes that legitimately open an ISO BMFF file (segments, fragments, HEIF).
    static let isoLeadBoxes: Set<String> = ["ftyp", "styp", "uuid", "moof", "sidx", "pdin", "meta"]

    init?(magic b: [UInt8]) {
        if b.count >= 8, let size = Endian.big32(b, 0), size == 0 || size == 1 || size >= 8 {
            let type = Endian.fourCC(b, 4)
            if Self.quickTimeLeadBoxes.contains(type) { self = .isoBMFF(name: "mov", kind: .video); return }
            if Self.isoLeadBoxes.contains(type) { self = .isoBMFF(name: "mp4", kind: .video); return }
        }
        if b.count >= 3, b[0] == 0xFF, b[1] == 0xD8, b[2] == 0xFF { self = .jpeg; return }
        if b.count >= 12 {
            let riff = Endian.fourCC(b, 0), form = Endian.fourCC(b, 8)
            if (riff == "RIFF" || riff == "RF64") && form == "WAVE" { self = .wav; return }
            if riff == "RIFF" && form == "AVI " { self = .avi; return }
        }
        if b.count >= 4, Endian.fourCC(b, 0) == "DHAV" { self = .dav; return }
        if b.count >= 3, b[0] == 0x49, b[1] == 0x44, b[2] == 0x33 { self = .mp3; return }  // "ID3"
        if b.count >= 2, b[0] == 0xFF {
            // ADTS: 12-bit sync 0xFFF and layer bits 00. MPEG audio: 11-bit sync, layer != 00.
            if b[1] & 0xF6 == 0xF0 { self = .aac; return }
            if b[1] & 0xE0 == 0xE0, b[1] & 0x06 != 0 { self = .mp3; return }
        }
        return nil
    }

    init?(fileExtension: String) {
        var ext = fileExtension.lowercased()
        if ext.hasPrefix(".") { ext.removeFirst() }
        switch ext {
        case "mp4", "m4v": self = .isoBMFF(name: "mp4", kind: .video)
        case "m4a": self = .isoBMFF(name: "mp4", kind: .audio)
        case "mov", "qt": self = .isoBMFF(name: "mov", kind: .video)
        case "jpg", "jpeg", "jpe": self = .jpeg
        case "wav": self = .wav
        case "avi": self = .avi
        case "dav": self = .dav
        case "aac": self = .aac
        case "mp3": self = .mp3
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .isoBMFF(let name, _): return name
        case .jpeg: return "jpeg"
        case .wav: return "wav"
        case .avi: return "avi"
        case .dav: return "dav"
        case .aac: return "aac"
        case .mp3: return "mp3"
        }
    }

    var kind: MediaKind {
        switch self {
        case .isoBMFF(_, let kind): return kind
        case .jpeg: return .photo
        case .wav, .aac, .mp3: return .audio
        case .avi, .dav: return .video
        }
    }
}

/// Why a probe stopped reading early.
enum ProbeStop: Error {
    case budgetExhausted
}

/// A reader plus a byte budget, so no lying size field can make a probe read gigabytes.
struct ProbeInput {
    let reader: any ByteReader
    private(set) var budget: Int

    init(reader: any ByteReader, budget: Int) {
        self.reader = reader
        self.budget = budget
    }

    var size: UInt64 { reader.size }

    /// Reads up to `count` bytes; never returns more than asked even if the reader misbehaves.
    mutating func read(_ offset: UInt64, _ count: Int) throws -> [UInt8] {
        guard count > 0, offset < size else { return [] }
        guard count <= budget else { throw ProbeStop.budgetExhausted }
        budget -= count
        let bytes = try reader.read(offset: offset, count: count)
        return bytes.count > count ? Array(bytes.prefix(count)) : bytes
    }

    /// Maps an error thrown while probing to a problem tag.
    static func tag(for error: any Error) -> String {
        error is ProbeStop ? "read-budget" : "io-error"
    }
}

/// Ordered, de-duplicated problem tags.
struct ProblemList {
    private(set) var tags: [String] = []

    mutating func add(_ tag: String) {
        if !tags.contains(tag) { tags.append(tag) }
    }

    func contains(_ tag: String) -> Bool { tags.contains(tag) }
}

/// Integer reads from byte arrays that return nil instead of trapping when the data is short.
enum Endian {
    static func big16(_ b: [UInt8], _ at: Int) -> UInt16? {
        guard at >= 0, at <= b.count - 2 else { return nil }
        return UInt16(b[at]) << 8 | UInt16(b[at + 1])
    }

    static func big32(_ b: [UInt8], _ at: Int) -> UInt32? {
        guard at >= 0, at <= b.count - 4 else { return nil }
        return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(b[at + $1]) }
    }

    static func big64(_ b: [UInt8], _ at: Int) -> UInt64? {
        guard at >= 0, at <= b.count - 8 else { return nil }
        return (0..<8).reduce(UInt64(0)) { $0 << 8 | UInt64(b[at + $1]) }
    }

    static func little16(_ b: [UInt8], _ at: Int) -> UInt16? {
        guard at >= 0, at <= b.count - 2 else { return nil }
        return UInt16(b[at]) | UInt16(b[at + 1]) << 8
    }

    static func little32(_ b: [UInt8], _ at: Int) -> UInt32? {
        guard at >= 0, at <= b.count - 4 else { return nil }
        return (0..<4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32(b[at + $1]) }
    }

    static func little64(_ b: [UInt8], _ at: Int) -> UInt64? {
        guard at >= 0, at <= b.count - 8 else { return nil }
        return (0..<8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(b[at + $1]) }
    }

    /// Four bytes as a type code; non-ASCII bytes become "?" so garbage never matches a name.
    static func fourCC(_ b: [UInt8], _ at: Int) -> String {
        guard at >= 0, at <= b.count - 4 else { return "" }
        return String(b[at..<at + 4].map { (0x20...0x7E).contains($0) ? Character(UnicodeScalar($0)) : "?" })
    }
}
