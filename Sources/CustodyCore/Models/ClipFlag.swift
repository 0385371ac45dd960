/// Findings attached to a clip. Stored as their raw strings; scripts match on them.
public enum ClipFlag: String, Sendable, Codable, CaseIterable {
    /// Flags the ledger decides; recomputed whenever the ledger changes.
    public static let ledgerFlags: Set<ClipFlag> = [.unregisteredDevice, .noHandover, .officerMismatch, .clockDrift, .timeImplausible,
                                                    .deviceUnknown, .corrected]

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
    /// The camera's serial is not in the device ledger (a placeholder device was created).
    case unregisteredDevice = "unregistered-device"
    /// No handover of the device covers the recording time.
    case noHandover = "no-handover"
    /// The file name names a different badge than the officer who had the device.
    case officerMismatch = "officer-mismatch"
    /// The device's clock was off by more than the allowed drift when it was docked.
    case clockDrift = "clock-drift"
    /// The recording time is before the plausible floor (a clock reset) or after the station's time.
    case timeImplausible = "time-implausible"
    /// Recorded after the upload deadline (RULES.md, "Ingest and the upload deadline").
    case late
    /// The container's time is the file name's shifted by a whole zone offset (local time written
    /// as UTC); the file name's time is used, both are kept (attribution issue, item 2).
    case timeZoneShift = "time-zone-shift"
    /// The container's and the file name's times disagree beyond the tolerance; both are kept.
    case timeSourcesDisagree = "time-sources-disagree"
    /// The medium's identity files disagree on a field the name does not give (item 4).
    case identityConflict = "identity-conflict"
    /// No serial anywhere (name, identity files, the medium's other names): the officer and the
    /// deadline rule come from the handover that docked the clip (item 4).
    case deviceUnknown = "device-unknown"
    /// A clerk corrected the clip's device, officer or recording time (`clips correct`); the
    /// camera's claims stay beside the corrections (item 5).
    case corrected
}
