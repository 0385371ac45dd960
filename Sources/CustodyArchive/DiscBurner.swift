import Foundation

/// Outcome of writing one copy of a disc set.
public struct BurnResult: Sendable, Equatable {
    public var setID: String
    public var copy: String
    /// What to pass to `DiscVerifier.verify(source:)` to read the copy back.
    public var readbackSource: String
    public var bytesWritten: Int64
    public var log: String
}

/// Writes a finished ISO image to some medium.
public protocol DiscBurner: Sendable {
    func burn(image: URL, setID: String, copy: String) throws -> BurnResult
}

public enum BurnError: Error, Equatable, CustomStringConvertible {
    case noMedia(device: String)
    case wrongMedia(device: String, found: String, wanted: String)
    case mediaNotBlank(device: String, status: String)
    case mediaTooSmall(device: String, imageBytes: Int64, freeBytes: Int64)
    case driveUnavailable(device: String, detail: String)
    case writeFailed(device: String, detail: String)
    case spoolFailed(detail: String)

    /// Chinese for the clerk, English for the log.
    public var description: String {
        switch self {
        case let .noMedia(device):
            return "光驱 \(device) 中没有光盘，请放入空白光盘。 / No disc in drive \(device): insert a blank disc."
        case let .wrongMedia(device, found, wanted):
            return "光驱 \(device) 中的光盘类型为 \(found)，需要 \(wanted)。 / Wrong media in \(device): found \(found), need \(wanted)."
        case let .mediaNotBlank(device, status):
            return "光驱 \(device) 中的光盘不是空白盘（\(status)），请换一张空白光盘。 / Disc in \(device) is not blank (\(status)): insert a blank disc."
        case let .mediaTooSmall(device, imageBytes, freeBytes):
            return "光盘空间不足：镜像 \(imageBytes) 字节，光盘可写 \(freeBytes) 字节。 / Disc in \(device) too small: image \(imageBytes) bytes, \(freeBytes) bytes free."
        case let .driveUnavailable(device, detail):
            return "无法打开光驱 \(device)。 / Cannot open drive \(device): \(detail)"
        case let .writeFailed(device, detail):
            return "刻录失败，请更换光盘后重试。 / Writing to \(device) failed: \(detail)"
        case let .spoolFailed(detail):
            return "写入暂存目录失败。 / Spooling the image failed: \(detail)"
        }
    }
}

/// Copies the image into a spool folder as `<setid>-<copy>.iso` (written to a
/// hidden temporary name, fsynced, renamed atomically, folder fsynced). An
/// operator or another machine burns it later; the readback target is the file.
public struct SpoolBurner: DiscBurner {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    public func burn(image: URL, setID: String, copy: String) throws -> BurnResult {
        let fm = FileManager.default
        let name = "\(setID)-\(copy).iso"
        let final = folder.appendingPathComponent(name)
        let temporary = folder.appendingPathComponent(".\(name).\(UUID().uuidString).partial")
        do {
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            let written = try Self.copySynced(from: image, to: temporary)
            guard rename(temporary.path, final.path) == 0 else {
                throw BurnError.spoolFailed(detail: "rename to \(final.path): \(String(cString: strerror(errno)))")
            }
            Self.syncFolder(folder)
            return BurnResult(setID: setID, copy: copy, readbackSource: final.path, bytesWritten: written,
                              log: "spooled \(written) bytes to \(final.path)")
        } catch let error as BurnError {
            try? fm.removeItem(at: temporary)
            throw error
        } catch {
            try? fm.removeItem(at: temporary)
            throw BurnError.spoolFailed(detail: "\(error)")
        }
    }

    static func copySynced(from source: URL, to target: URL) throws -> Int64 {
        let input = try FileHandle(forReadingFrom: source)
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: target.path, contents: nil, attributes: [.posixPermissions: 0o444]) else {
            throw BurnError.spoolFailed(detail: "cannot create \(target.path)")
        }
        let output = try FileHandle(forWritingTo: target)
        defer { try? output.close() }
        var total: Int64 = 0
        while let chunk = try input.read(upToCount: 4 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
            total += Int64(chunk.count)
        }
        try output.synchronize()
        return total
    }

    static func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
