import Foundation

/// One file-name grammar, as written in the config file (a TOML array of tables with
/// the keys `name`, `pattern` and `important_folders`).
///
/// Body cameras from different vendors name their clips differently, so the store does
/// not hard-code any layout: each grammar describes where the badge, serial number and
/// recording time sit in the path, using only the separators between them. Nothing here
/// assumes a badge is 6 digits or a serial 7 characters.
///
/// Pattern language
/// ----------------
/// A pattern describes the *end* of a clip's path on the camera's storage, relative to
/// the storage root, with `/` separating path components. It matches a whole number of
/// trailing components, so `DCIM/{folder}/...` also matches below extra leading folders.
///
///     {badge}           officer badge: one or more ASCII letters/digits
///     {serial}          camera serial: one or more ASCII letters/digits
///     {unit}            unit number: one or more digits
///     {seq}             clip sequence number: one or more digits
///     {ext}             file extension: one or more ASCII letters/digits
///     {folder}          one whole path component (anything except "/")
///     {date}            8 digits, yyyyMMdd (checked for shape only, e.g. a date folder)
///     {yyyyMMddHHmmss}  14 digits: the recording time
///     {yyyyMMdd}        8 digits: the recording date, combined with {HHmmss}
///     {HHmmss}          6 digits: the recording time of day, combined with {yyyyMMdd}
///     {*}               any characters (possibly none) within one component
///     [IMP]             optional "important" marker: IMP or _IMP, glued to what precedes it
///
/// Everything else is literal. Letter/digit tokens are matched as short as possible, so a
/// separator such as `_` or `-` (or an `[IMP]` marker) after them is enough to split them.
/// Matching is case-insensitive for ASCII letters, because FAT drivers may upper-case
/// names; non-ASCII characters in a path never match a letter/digit token.
///
/// The recording time is the camera's wall-clock time and is interpreted in the time zone
/// passed to `FileNameGrammarSet.parse`. An impossible time (month 13, 30 February,
/// hour 25) leaves `recordedAt` nil but the name still matches, so the clip is kept and
/// flagged rather than silently ignored.
///
/// A clip is important if its name carries the `[IMP]` marker, or if the pattern has a
/// `{folder}` whose matched name is listed in `important_folders` (case-insensitive).
///
/// Grammars are tried in order; the first that matches wins. An unknown `{token}`, an
/// empty pattern or an empty path component is a configuration error, reported at load
/// time rather than by silently never matching.
public struct FileNameGrammar: Sendable, Codable, Equatable {
    /// Identifies the grammar in logs and in `ParsedClipName.grammar`; must be unique.
    public var name: String
    /// The pattern, in the language described on this type.
    public var pattern: String
    /// Folder names (matched by `{folder}`) whose clips are important, e.g. `["101ANDRO"]`.
    public var importantFolders: [String]

    public init(name: String, pattern: String, importantFolders: [String] = []) {
        self.name = name
        self.pattern = pattern
        self.importantFolders = importantFolders
    }

    /// The built-in grammars, in the order they are tried.
    public static let defaults: [FileNameGrammar] = [
        // e.g. 010203_A7K2931_20261127083015_0001.MP4 and ..._0002IMP.MP4 / ..._0003_IMP.mp4
        FileNameGrammar(
            name: "badge-serial-time",
            pattern: "{badge}_{serial}_{yyyyMMddHHmmss}_{seq}[IMP].{ext}"
        ),
        // Android-based cameras: 100ANDRO holds normal clips, 101ANDRO important ones.
        FileNameGrammar(
            name: "android-folders",
            pattern: "DCIM/{folder}/{serial}/{badge}/{date}/{yyyyMMddHHmmss}_{seq}[IMP].{ext}",
            importantFolders: ["101ANDRO"]
        ),
    ]

    enum CodingKeys: String, CodingKey {
        case name
        case pattern
        case importantFolders = "important_folders"
    }

    /// `important_folders` may be left out of the config; it then means "none".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        pattern = try container.decode(String.self, forKey: .pattern)
        importantFolders = try container.decodeIfPresent([String].self, forKey: .importantFolders) ?? []
    }
}

/// What a grammar extracted from a clip's path. Fields the grammar has no token for are nil.
/// Values are kept exactly as spelled in the path (not case-normalised).
public struct ParsedClipName: Sendable, Equatable, Codable {
    /// Name of the grammar that matched.
    public var grammar: String
    public var badge: String?
    public var serial: String?
    public var unit: String?
    /// Wall-clock time from the name, interpreted in the given zone; nil if the grammar has
    /// no complete time or the digits are not a real calendar time.
    public var recordedAt: Date?
    public var sequence: String?
    /// Marked `[IMP]` in the name, or stored in one of the grammar's important folders.
    public var important: Bool

    public init(
        grammar: String, badge: String? = nil, serial: String? = nil, unit: String? = nil,
        recordedAt: Date? = nil, sequence: String? = nil, important: Bool = false
    ) {
        self.grammar = grammar
        self.badge = badge
        self.serial = serial
        self.unit = unit
        self.recordedAt = recordedAt
        self.sequence = sequence
        self.important = important
    }
}

/// A grammar in the config that cannot be used. Raised when the grammar set is built, so a
/// typo in the config stops the daemon at start-up instead of making clips go unrecognised.
public struct GrammarError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Name of the offending grammar.
    public var grammar: String
    /// The offending token or text, e.g. `{badg}`; empty when the whole pattern is at fault.
    public var token: String
    /// Why it is rejected.
    public var reason: String

    public init(grammar: String, token: String, reason: String) {
        self.grammar = grammar
        self.token = token
        self.reason = reason
    }

    public var description: String {
        token.isEmpty
            ? "file-name grammar \"\(grammar)\": \(reason)"
            : "file-name grammar \"\(grammar)\": \(reason): \"\(token)\""
    }
}
