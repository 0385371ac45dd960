import Foundation

/// Recordable optical media supported for long-term evidence archiving.
///
/// Raw values are the names used in configuration files.
public enum DiscMedia: String, Sendable, CaseIterable, Codable {
    case cd
    case dvd
    case dvdDL = "dvd-dl"
    case bd25
    case bd50
    case bd100

    /// Realistic usable user-data capacity of blank recordable media, in bytes.
    public var capacityBytes: Int64 {
        switch self {
        case .cd: return 737_280_000            // 360,000 sectors x 2048 (80 min CD-R)
        case .dvd: return 4_707_319_808         // DVD-R single layer
        case .dvdDL: return 8_543_666_176       // DVD-R DL
        case .bd25: return 25_025_314_816       // BD-R SL, default formatting
        case .bd50: return 50_050_629_632       // BD-R DL
        case .bd100: return 100_103_356_416     // BD-R XL TL
        }
    }

    /// Chinese display name for labels and messages read by clerks.
    public var displayNameZH: String {
        switch self {
        case .cd: return "CD光盘"
        case .dvd: return "DVD光盘"
        case .dvdDL: return "DVD双层光盘"
        case .bd25: return "BD-25蓝光光盘"
        case .bd50: return "BD-50蓝光光盘"
        case .bd100: return "BD-100蓝光光盘"
        }
    }

    /// Short English display name.
    public var displayNameEN: String {
        switch self {
        case .cd: return "CD-R 700 MB"
        case .dvd: return "DVD±R 4.7 GB"
        case .dvdDL: return "DVD±R DL 8.5 GB"
        case .bd25: return "BD-R 25 GB"
        case .bd50: return "BD-R DL 50 GB"
        case .bd100: return "BD-R XL 100 GB"
        }
    }

    /// Next bigger media, used to suggest an alternative when a clip does not fit.
    public var larger: [DiscMedia] {
        DiscMedia.allCases.filter { $0.capacityBytes > capacityBytes }
    }
}

/// Space accounting shared by the planner and the scheduler.
public enum DiscSpace {
    /// ISO 9660 logical block size.
    public static let sectorBytes: Int64 = 2048

    /// Per-file overhead: two sectors, a generous allowance for the file's
    /// ISO 9660 directory record, its Joliet twin, Rock Ridge entries (long
    /// name, POSIX attributes, continuation areas) and the AAIP record that
    /// holds the per-file MD5 written by `xorriso -md5 on`.
    public static let perFileOverheadBytes: Int64 = 2 * sectorBytes

    /// Fixed part of the default reserve: room for manifest-sha256.txt,
    /// bag-info.txt, bagit.txt, README.txt, AUDIT-HEAD.txt, the volume
    /// descriptors, path tables, directory trees, the MD5 checksum array and
    /// xorriso's 300 KiB tail padding.
    public static let fixedReserveBytes: Int64 = 16 * 1024 * 1024

    /// Default reserve: 16 MiB plus 0.5 % of the media capacity (safety margin
    /// for drive run-out areas and media that are slightly smaller than nominal).
    public static func defaultReserveBytes(for media: DiscMedia) -> Int64 {
        fixedReserveBytes + media.capacityBytes / 200
    }

    /// Bytes one file occupies on the disc: its size rounded up to whole
    /// sectors plus `perFileOverheadBytes`.
    @inlinable
    public static func footprint(ofFileSize size: Int64) -> Int64 {
        let sectors = (max(size, 0) + sectorBytes - 1) / sectorBytes
        return sectors * sectorBytes + perFileOverheadBytes
    }

    /// Usable payload bytes on `media` after the reserve.
    public static func usableBytes(media: DiscMedia, reserveBytes: Int64?) -> Int64 {
        media.capacityBytes - (reserveBytes ?? defaultReserveBytes(for: media))
    }

    /// Human readable size, e.g. "4.38 GiB".
    public static func format(bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.2f %@", value, units[unit])
    }
}
