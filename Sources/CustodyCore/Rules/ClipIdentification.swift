import Foundation

/// Everything known about one file before it is cataloged, from its path, the medium's side
/// files and its container. Pure: the ingest pipeline gathers the inputs, this decides.
public struct ClipIdentification: Sendable, Equatable {
    public var recordedAt: Date?
    public var timeSource: TimeSource
    public var deviceSerial: String?
    public var officerBadge: String?
    public var flags: [ClipFlag]
    public var grammar: String?

    /// Recording time falls back container → file name → file mtime, and says which one it used
    /// (foundation issue, "Media probing").
    public init(path: RawPath, parsed: ParsedClipName?, media: MediaInfo, mtime: Date?,
                mediumBadge: String?, mediumSerial: String?) {
        var flags: [ClipFlag] = []
        if let start = media.recordedStart {
            recordedAt = start
            timeSource = .container
        } else if let fromName = parsed?.recordedAt {
            recordedAt = fromName
            timeSource = .fileName
        } else if let mtime {
            recordedAt = mtime
            timeSource = .fileTime
            flags.append(.timeFromFileTime)
        } else {
            recordedAt = nil
            timeSource = .none
        }
        deviceSerial = parsed?.serial ?? mediumSerial
        officerBadge = parsed?.badge ?? mediumBadge
        grammar = parsed?.grammar
        if parsed == nil { flags.append(.unparsedName) }
        if parsed?.important == true { flags.append(.important) }
        if !media.problems.isEmpty { flags.append(.mediaDamaged) }
        if !path.isValidUTF8 { flags.append(.nonUTF8Name) }
        self.flags = flags
    }
}
