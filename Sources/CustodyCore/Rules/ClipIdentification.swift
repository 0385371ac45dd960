import Foundation

/// Everything known about one file before it is cataloged, from its path, the medium's side
/// files and its container. Pure: the ingest pipeline gathers the inputs, this decides.
public struct ClipIdentification: Sendable, Equatable {
    public var recordedAt: Date?
    public var timeSource: TimeSource
    /// Which time was used and why, with the container's and the name's times kept.
    public var time: RecordingTime
    public var deviceSerial: String?
    public var officerBadge: String?
    public var flags: [ClipFlag]
    public var grammar: String?

    /// Recording time falls back container → file name → file mtime, and says which one it used
    /// and why (foundation issue, "Media probing"; attribution issue, item 2).
    public init(path: RawPath, parsed: ParsedClipName?, media: MediaInfo, mtime: Date?,
                mediumBadge: String?, mediumSerial: String?) {
        time = RecordingTime.decide(container: media.recordedStart, name: parsed?.recordedAt, fileTime: mtime,
                                    durationSeconds: media.durationSeconds)
        recordedAt = time.recordedAt
        timeSource = time.source
        var flags = time.flags
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
