/// Findings attached to a clip. Stored as their raw strings; scripts match on them.
public enum ClipFlag: String, Sendable, Codable, CaseIterable {
    /// No configured grammar matched the file's path; badge, serial and time are unknown from the name.
    case unparsedName = "unparsed-name"
    /// The camera marked the clip important (`IMP`, or a `101ANDRO` folder).
    case important
    /// The container could not be read completely (truncated or lying boxes).
    case mediaDamaged = "media-damaged"
    /// The file kept changing while it was copied; the stored bytes are a snapshot.
    case changedDuringCopy = "changed-during-copy"
    /// The file's name is not valid UTF-8 (e.g. a GBK short name); the raw bytes are kept.
    case nonUTF8Name = "non-utf8-name"
    /// The file was found in the store without a catalog row (after a crash) and adopted.
    case adoptedFromStore = "adopted-from-store"
    /// The recording time came from the file's modification time only.
    case timeFromFileTime = "time-from-file-time"
    /// Recorded after the upload deadline (RULES.md, "Ingest and the upload deadline").
    case late
}
