import CustodyCore
import Foundation

/// What xorriso reports about the medium in a drive.
public struct MediaStatus: Sendable, Equatable {
    /// e.g. "DVD-R sequential recording", "BD-R sequential recording", "stdio file, overwriteable".
    public var profile: String
    /// e.g. "is blank", "is written , is appendable", "is not present".
    public var status: String
    public var writableBytes: Int64?

    public var isPresent: Bool { !(status.contains("not present") || profile.isEmpty || profile == "is not present") }
    public var isBlank: Bool { status.contains("is blank") }
    /// xorriso's pseudo-drive: a regular file behind `stdio:`.
    public var isPseudoDrive: Bool { profile.hasPrefix("stdio file") }
}

/// Burns with xorriso's cdrecord emulation to a real drive ("/dev/sr0") or to
/// xorriso's pseudo-drive "stdio:/path/file" (a regular file that libburn
/// drives like a medium: it has a blank/written status, a TOC and sessions).
/// The pseudo-drive is how tests exercise the whole burn path without
/// hardware, as close to the kernel as this machine allows.
public struct OpticalBurner: DiscBurner {
    public let device: String
    /// Media type that must be in the drive; nil accepts any writable type.
    public let media: DiscMedia?
    public let timeout: TimeInterval

    public init(device: String, media: DiscMedia? = nil, timeout: TimeInterval = 3 * 3600) {
        self.device = device
        self.media = media
        self.timeout = timeout
    }

    /// `xorriso -outdev DEV -toc`, parsed.
    public func mediaStatus() throws -> MediaStatus {
        let out = try ProcessRunner.run("xorriso", ["-no_rc", "-outdev", device, "-toc"], timeout: 120)
        let text = out.combined
        if out.timedOut { throw BurnError.driveUnavailable(device: device, detail: "xorriso -toc timed out") }
        func field(_ key: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(key) }
                .map { $0.dropFirst(key.count).trimmingCharacters(in: .whitespaces) }
        }
        let profile = field("Media current:") ?? ""
        let status = field("Media status :") ?? ""
        if out.status != 0, profile.isEmpty {
            if text.contains("no media") || text.contains("not present") {
                return MediaStatus(profile: "", status: "is not present", writableBytes: nil)
            }
            throw BurnError.driveUnavailable(device: device, detail: XorrisoText.problems(text))
        }
        var writable: Int64?
        if let blocks = field("Media blocks :"), let range = blocks.range(of: #"(\d+) writable"#, options: .regularExpression) {
            writable = Int64(blocks[range].split(separator: " ")[0]).map { $0 * 2048 }
        }
        return MediaStatus(profile: profile, status: status, writableBytes: writable)
    }

    /// Throws a clear Chinese + English error unless a blank medium of the right type is loaded.
    public func checkMedia(imageBytes: Int64) throws -> MediaStatus {
        let status = try mediaStatus()
        guard status.isPresent else { throw BurnError.noMedia(device: device) }
        if let media, !status.isPseudoDrive, !Self.profile(status.profile, fits: media) {
            throw BurnError.wrongMedia(device: device, found: status.profile, wanted: "\(media.displayNameZH) (\(media.rawValue))")
        }
        guard status.isBlank else { throw BurnError.mediaNotBlank(device: device, status: status.status) }
        if let free = status.writableBytes, free > 0, free < imageBytes {
            throw BurnError.mediaTooSmall(device: device, imageBytes: imageBytes, freeBytes: free)
        }
        return status
    }

    public func burn(image: URL, setID: String, copy: String) throws -> BurnResult {
        let size = (try FileManager.default.attributesOfItem(atPath: image.path)[.size] as? NSNumber)?.int64Value ?? 0
        _ = try checkMedia(imageBytes: size)
        let out = try ProcessRunner.run("xorriso", ["-no_rc", "-as", "cdrecord", "-v", "dev=" + device, image.path],
                                        timeout: timeout)
        if out.timedOut { throw BurnError.writeFailed(device: device, detail: "timed out after \(Int(timeout)) s") }
        guard out.status == 0 else {
            throw BurnError.writeFailed(device: device, detail: XorrisoText.problems(out.combined))
        }
        return BurnResult(setID: setID, copy: copy, readbackSource: device, bytesWritten: size,
                          log: ProcessRunner.tail(out.combined, lines: 4))
    }

    /// Whether a libburn profile name is the requested media type (write-once or rewritable).
    static func profile(_ profile: String, fits media: DiscMedia) -> Bool {
        let p = profile.uppercased()
        if p.contains("ROM") { return false }
        switch media {
        case .cd: return p.hasPrefix("CD-R")
        case .dvd: return p.hasPrefix("DVD") && !p.contains("/DL")
        case .dvdDL: return p.hasPrefix("DVD") && p.contains("/DL")
        case .bd25, .bd50, .bd100: return p.hasPrefix("BD-R")
        }
    }
}
