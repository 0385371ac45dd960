import Foundation

/// Why a bag could not be written. Each case has a sentence for the clerk in
/// English and Chinese; `errno` values are kept for the log.
public enum BagExportError: Error, Sendable, Hashable {
    public enum PathProblem: String, Sendable, Hashable {
        case absoluteOrEmpty, badComponent, controlCharacter, unportableCharacter, percentSign, tooLong
    }

    case bagExists(String)
    case targetFolderMissing(String)
    case emptyPayload
    case invalidPath(String, reason: PathProblem)
    case duplicatePath(String)
    case invalidTagFileName(String)
    case invalidInfoField(String)
    case symlinkRefused(String)
    case notARegularFile(String)
    /// The store file's bytes do not hash to its address: it must not leave.
    case sourceHashMismatch(path: String, expected: String, actual: String)
    case io(operation: String, path: String, errno: Int32)
    /// Re-reading the written bag found differences (one line per problem).
    case verificationFailed([String])

    public var message: String {
        switch self {
        case .bagExists(let p): "A bag already exists at \(p); it will not be overwritten."
        case .targetFolderMissing(let p): "The target folder \(p) does not exist (is the drive mounted?)."
        case .emptyPayload: "Nothing to export: no clip was given."
        case let .invalidPath(p, reason): "The name \"\(p)\" cannot be used in the bag (\(reason.rawValue))."
        case .duplicatePath(let p): "Two files would be written as \"\(p)\"."
        case .invalidTagFileName(let n): "\"\(n)\" cannot be used as a tag file name."
        case .invalidInfoField(let l): "The bag-info field \"\(l)\" is empty or malformed."
        case .symlinkRefused(let p): "\(p) is a symbolic link; links are never followed into an export."
        case .notARegularFile(let p): "\(p) is not a regular file."
        case let .sourceHashMismatch(p, expected, actual):
            "The stored file \(p) should hash to \(expected) but hashes to \(actual); it is damaged and was not exported."
        case let .io(op, p, e): "Could not \(op) \(p): \(String(cString: strerror(e)))."
        case .verificationFailed(let lines): "The written bag does not read back correctly: \(lines.joined(separator: "; "))"
        }
    }

    public var messageZh: String {
        switch self {
        case .bagExists(let p): "\(p) 已存在同名文件包，不予覆盖。"
        case .targetFolderMissing(let p): "目标文件夹 \(p) 不存在（移动存储介质是否已挂载？）。"
        case .emptyPayload: "未指定任何视频片段，无需导出。"
        case let .invalidPath(p, _): "文件名“\(p)”不能用于导出包。"
        case .duplicatePath(let p): "有两个文件将写为同一名称“\(p)”。"
        case .invalidTagFileName(let n): "“\(n)”不能用作标签文件名。"
        case .invalidInfoField(let l): "包信息字段“\(l)”为空或格式有误。"
        case .symlinkRefused(let p): "\(p) 是符号链接，导出时一律不予跟随。"
        case .notARegularFile(let p): "\(p) 不是普通文件。"
        case let .sourceHashMismatch(p, _, _): "存储文件 \(p) 的校验值与其编号不符，文件已损坏，未予导出。"
        case let .io(op, p, e): "\(p) 读写失败（\(op)）：错误码 \(e)。"
        case .verificationFailed(let lines): "导出包复核不一致：\(lines.joined(separator: "；"))"
        }
    }
}
