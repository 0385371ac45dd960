import Foundation

/// What the requester wants to do with the footage. The rules treat taking
/// media out of the station far more strictly than looking at it.
public enum AccessAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Look at the footage on the station (查看). Free of charge.
    case view
    /// Make a working copy that stays inside the agency (复制).
    case copy
    /// Take a copy out of the station on media (调取/导出).
    case export

    public var nameZh: String {
        switch self {
        case .view: "查看"
        case .copy: "复制"
        case .export: "调取导出"
        }
    }

    public var nameEn: String {
        switch self {
        case .view: "view"
        case .copy: "copy"
        case .export: "export"
        }
    }

    /// Whether footage leaves the station's custody.
    public var takesMediaOut: Bool { self == .export }
}

/// The state of the case a clip belongs to, as the case system reports it.
/// Parties and lawyers only see footage of concluded cases.
public enum CaseState: String, Sendable, Hashable, Codable, CaseIterable {
    case open, closed, archived

    public var nameZh: String {
        switch self {
        case .open: "办理中"
        case .closed: "已结案"
        case .archived: "已归档"
        }
    }

    /// Closed or archived: the case is concluded.
    public var isConcluded: Bool { self != .open }
}
